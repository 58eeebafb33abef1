//! SQLite table rebuilds on tables retort did not create: each test writes a table holding rows
//! in SQLite's own idiom, runs the ops a migration step would (`MigrationContext::run_ops`),
//! and checks that what the schema model cannot hold still works afterwards.

use retort_core::context::MigrationContext;
use retort_core::ddl::Dialect;
use retort_core::ops::{
    AddConstraint, AlterColumn, Change, Constraint, DropConstraint, DropTable, Op,
};
use retort_core::schema::{CheckConstraint, Column, ForeignKey, SqlType, UniqueConstraint};
use retort_core::testing::TestDb;

use crate::support::count;

fn database(ddl: &str) -> (TestDb, MigrationContext) {
    let db = TestDb::new(Dialect::Sqlite).expect("a SQLite file");
    let mut ctx = db.context();
    ctx.executor()
        .execute(ddl)
        .expect("the hand-written schema runs");
    (db, ctx)
}

fn exec(ctx: &mut MigrationContext, sql: &str) -> retort_core::error::Result<()> {
    ctx.executor().execute(sql)
}

/// The first column of the first row of `sql`, as text (`NULL` for none).
fn text(ctx: &mut MigrationContext, sql: &str) -> String {
    #[derive(diesel::QueryableByName)]
    struct V {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        v: Option<String>,
    }
    let rows: Vec<V> = ctx
        .executor()
        .load(&format!("SELECT CAST(({sql}) AS TEXT) AS v"))
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.into_iter()
        .next()
        .and_then(|r| r.v)
        .unwrap_or_else(|| "NULL".into())
}

fn schema_sql(ctx: &mut MigrationContext) -> String {
    text(
        ctx,
        "SELECT group_concat(type || ' ' || name || ': ' || coalesce(sql, ''), char(10)) \
         FROM (SELECT * FROM sqlite_master ORDER BY name)",
    )
}

fn not_null(table: &str, column: &str, sql_type: SqlType) -> Op {
    Op::AlterColumn(AlterColumn {
        nullable: Some(Change {
            from: true,
            to: false,
        }),
        ..AlterColumn::new(table.into(), Column::new(column, sql_type))
    })
}

fn add_check(table: &str, name: &str, expr: &str) -> Op {
    Op::AddConstraint(AddConstraint {
        table: table.into(),
        constraint: Constraint::Check(CheckConstraint::new(expr).named(name)),
    })
}

#[test]
fn a_trigger_still_fires_after_the_rebuild() {
    let (_db, mut ctx) = database(
        "CREATE TABLE film (
            film_id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT,
            last_update TEXT NOT NULL DEFAULT 'never'
        );
        CREATE TRIGGER film_touch AFTER UPDATE OF title ON film BEGIN
            UPDATE film SET last_update = 'touched' WHERE film_id = new.film_id;
        END;
        INSERT INTO film (title) VALUES ('a'), ('b'), ('c');",
    );
    ctx.run_ops(&[not_null("film", "title", SqlType::Text)])
        .expect("rebuilds");
    assert_eq!(count(&mut ctx, "film"), 3);
    exec(&mut ctx, "UPDATE film SET title = 'bb' WHERE film_id = 2").expect("update");
    assert_eq!(
        text(
            &mut ctx,
            "SELECT group_concat(last_update) FROM film ORDER BY film_id"
        ),
        "never,touched,never"
    );
    assert!(
        exec(&mut ctx, "INSERT INTO film (title) VALUES (NULL)").is_err(),
        "NOT NULL applied"
    );
}

#[test]
fn an_autoincrement_sequence_continues_past_a_deleted_id() {
    let (_db, mut ctx) = database(
        "CREATE TABLE customer (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT);
        INSERT INTO customer (name) VALUES ('a'), ('b'), ('c');
        DELETE FROM customer WHERE id = 3;",
    );
    ctx.run_ops(&[not_null("customer", "name", SqlType::Text)])
        .expect("rebuilds");
    exec(&mut ctx, "INSERT INTO customer (name) VALUES ('d')").expect("insert");
    assert_eq!(
        text(&mut ctx, "SELECT max(id) FROM customer"),
        "4",
        "id 3 is not reused"
    );
    assert!(text(
        &mut ctx,
        "SELECT sql FROM sqlite_master WHERE name = 'customer'"
    )
    .contains("AUTOINCREMENT"));
    assert_eq!(
        text(
            &mut ctx,
            "SELECT count(*) FROM sqlite_sequence WHERE name = 'customer'"
        ),
        "1",
        "one sequence row, under the table's name"
    );
}

#[test]
fn a_strict_table_still_rejects_a_wrong_typed_value() {
    let (_db, mut ctx) = database(
        "CREATE TABLE payment (id INTEGER PRIMARY KEY, amount INTEGER, note TEXT) STRICT;
        INSERT INTO payment (amount, note) VALUES (1, 'x'), (2, 'y');",
    );
    ctx.run_ops(&[not_null("payment", "amount", SqlType::Integer)])
        .expect("rebuilds");
    assert_eq!(count(&mut ctx, "payment"), 2);
    let err = exec(&mut ctx, "INSERT INTO payment (amount) VALUES ('abc')").expect_err("strict");
    assert!(err.to_string().contains("cannot store TEXT"), "{err}");
    assert_eq!(
        text(&mut ctx, "SELECT strict FROM pragma_table_list('payment')"),
        "1"
    );
}

#[test]
fn a_without_rowid_table_stays_without_rowid() {
    let (_db, mut ctx) = database(
        "CREATE TABLE country (code TEXT PRIMARY KEY, name TEXT) WITHOUT ROWID;
        INSERT INTO country VALUES ('fr', 'France'), ('de', 'Germany');",
    );
    ctx.run_ops(&[Op::AddConstraint(AddConstraint {
        table: "country".into(),
        constraint: Constraint::Unique(UniqueConstraint::new(["name"]).named("uq_country_name")),
    })])
    .expect("rebuilds");
    assert_eq!(count(&mut ctx, "country"), 2);
    assert_eq!(
        text(&mut ctx, "SELECT wr FROM pragma_table_list('country')"),
        "1"
    );
    assert!(
        exec(&mut ctx, "INSERT INTO country VALUES ('xx', 'France')").is_err(),
        "unique added"
    );
}

#[test]
fn collate_nocase_still_makes_a_unique_case_blind() {
    let (_db, mut ctx) = database(
        "CREATE TABLE staff (id INTEGER PRIMARY KEY, email TEXT COLLATE NOCASE UNIQUE, name TEXT);
        INSERT INTO staff (email, name) VALUES ('mike@x', 'Mike'), ('jon@x', 'Jon');",
    );
    ctx.run_ops(&[not_null("staff", "name", SqlType::Text)])
        .expect("rebuilds");
    assert_eq!(count(&mut ctx, "staff"), 2);
    let err = exec(
        &mut ctx,
        "INSERT INTO staff (email, name) VALUES ('MIKE@X', 'M')",
    )
    .expect_err("case-blind unique");
    assert!(err.to_string().contains("UNIQUE"), "{err}");
}

#[test]
fn on_conflict_and_deferrable_clauses_are_kept() {
    let (_db, mut ctx) = database(
        "CREATE TABLE store (id INTEGER PRIMARY KEY, name TEXT);
        CREATE TABLE inventory (
            id INTEGER PRIMARY KEY,
            sku TEXT NOT NULL ON CONFLICT IGNORE,
            store_id INTEGER REFERENCES store (id) DEFERRABLE INITIALLY DEFERRED,
            note TEXT
        );
        INSERT INTO store VALUES (1, 'one');
        INSERT INTO inventory (sku, store_id) VALUES ('a', 1), ('b', 1);",
    );
    ctx.run_ops(&[add_check(
        "inventory",
        "ck_inventory_sku",
        "length(sku) > 0",
    )])
    .expect("rebuilds");
    assert_eq!(count(&mut ctx, "inventory"), 2);
    exec(&mut ctx, "INSERT INTO inventory (sku) VALUES (NULL)").expect("ignored, not failed");
    assert_eq!(
        count(&mut ctx, "inventory"),
        2,
        "ON CONFLICT IGNORE skipped the row"
    );
    // Deferred: a child row may come before its parent within a transaction.
    exec(
        &mut ctx,
        "PRAGMA foreign_keys = ON; BEGIN; INSERT INTO inventory (sku, store_id) VALUES ('c', 2);
         INSERT INTO store VALUES (2, 'two'); COMMIT;",
    )
    .expect("deferred key");
    assert!(
        exec(&mut ctx, "INSERT INTO inventory (sku) VALUES ('')").is_err(),
        "check added"
    );
}

#[test]
fn views_of_the_table_and_joining_it_still_select() {
    let (_db, mut ctx) = database(
        "CREATE TABLE category (id INTEGER PRIMARY KEY, name TEXT);
        CREATE TABLE film (id INTEGER PRIMARY KEY, title TEXT, category_id INTEGER REFERENCES category (id));
        CREATE VIEW film_titles AS SELECT title FROM film;
        CREATE VIEW category_films AS SELECT c.name, f.title FROM category c JOIN film f ON f.category_id = c.id;
        CREATE VIEW category_film_count AS SELECT count(*) AS n FROM category_films;
        INSERT INTO category VALUES (1, 'Drama'), (2, 'Comedy');
        INSERT INTO film (title, category_id) VALUES ('a', 1), ('b', 1), ('c', 2);",
    );
    ctx.run_ops(&[not_null("film", "title", SqlType::Text)])
        .expect("rebuilds");
    assert_eq!(text(&mut ctx, "SELECT count(*) FROM film_titles"), "3");
    assert_eq!(
        text(
            &mut ctx,
            "SELECT group_concat(title) FROM category_films WHERE name = 'Drama'"
        ),
        "a,b"
    );
    assert_eq!(text(&mut ctx, "SELECT n FROM category_film_count"), "3");
}

#[test]
fn a_virtual_generated_column_stays_virtual() {
    let (_db, mut ctx) = database(
        "CREATE TABLE rental (
            id INTEGER PRIMARY KEY,
            days INTEGER,
            rate INTEGER,
            total INTEGER GENERATED ALWAYS AS (days * rate) VIRTUAL,
            doubled INTEGER AS (days * 2) STORED
        );
        INSERT INTO rental (days, rate) VALUES (2, 3), (4, 5);",
    );
    ctx.run_ops(&[not_null("rental", "days", SqlType::Integer)])
        .expect("rebuilds");
    // pragma_table_xinfo.hidden: 2 for a virtual generated column, 3 for a stored one.
    assert_eq!(
        text(&mut ctx, "SELECT group_concat(name || '=' || hidden) FROM pragma_table_xinfo('rental') WHERE hidden > 0"),
        "total=2,doubled=3"
    );
    assert_eq!(
        text(&mut ctx, "SELECT group_concat(total) FROM rental"),
        "6,20"
    );
}

#[test]
fn references_without_columns_are_rebuilt_as_written() {
    let (_db, mut ctx) = database(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
        CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users, body TEXT);
        INSERT INTO users VALUES (1, 'a');
        INSERT INTO posts (user_id, body) VALUES (1, 'x'), (1, 'y');",
    );
    ctx.run_ops(&[not_null("posts", "body", SqlType::Text)])
        .expect("rebuilds");
    let sql = text(
        &mut ctx,
        "SELECT sql FROM sqlite_master WHERE name = 'posts'",
    );
    assert!(
        sql.contains("REFERENCES users,") && !sql.contains("()"),
        "{sql}"
    );
    assert_eq!(count(&mut ctx, "posts"), 2);
    exec(&mut ctx, "PRAGMA foreign_keys = ON").expect("enforce");
    assert!(
        exec(
            &mut ctx,
            "INSERT INTO posts (user_id, body) VALUES (9, 'z')"
        )
        .is_err(),
        "the key still refers to users' primary key"
    );
}

/// A parent table and its child, keys enforced, the child's key cascading deletes.
fn parent_and_child() -> (TestDb, MigrationContext) {
    let (db, mut ctx) = database(
        "CREATE TABLE language (id INTEGER PRIMARY KEY, name TEXT);
        CREATE TABLE film (
            id INTEGER PRIMARY KEY,
            title TEXT,
            language_id INTEGER REFERENCES language (id) ON DELETE CASCADE
        );
        INSERT INTO language VALUES (1, 'English'), (2, 'French');
        INSERT INTO film (title, language_id) VALUES ('a', 1), ('b', 2), ('c', 2);",
    );
    exec(&mut ctx, "PRAGMA foreign_keys = ON").expect("enforce");
    (db, ctx)
}

fn drop_language() -> Op {
    Op::DropTable(DropTable {
        name: "language".into(),
        table: None,
        if_exists: false,
    })
}

#[test]
fn dropping_a_parent_never_cascades_into_kept_child_rows() {
    let drop_key = Op::DropConstraint(DropConstraint {
        table: "film".into(),
        name: String::new(),
        constraint: Some(Constraint::ForeignKey(ForeignKey::new(
            ["language_id"],
            "language",
            ["id"],
        ))),
        kind: None,
    });
    // In either order: with keys enforced, DROP TABLE language alone would delete every film.
    for ops in [
        [drop_language(), drop_key.clone()],
        [drop_key.clone(), drop_language()],
    ] {
        let (_db, mut ctx) = parent_and_child();
        ctx.run_ops(&ops)
            .expect("the child's key goes with its parent");
        assert_eq!(count(&mut ctx, "film"), 3, "{ops:?}");
        assert_eq!(
            text(&mut ctx, "SELECT foreign_keys FROM pragma_foreign_keys"),
            "1"
        );
    }
}

#[test]
fn a_drop_that_would_orphan_kept_child_rows_is_refused_and_rolled_back() {
    let (_db, mut ctx) = parent_and_child();
    let before = schema_sql(&mut ctx);
    let err = ctx
        .run_ops(&[drop_language()])
        .expect_err("film rows would be orphans");
    let message = err.to_string();
    assert!(
        message.contains("3 row(s) of `film` referring to `language`"),
        "{message}"
    );
    assert!(message.contains("nothing was changed"), "{message}");
    assert_eq!(schema_sql(&mut ctx), before);
    assert_eq!(count(&mut ctx, "language"), 2);
    assert_eq!(count(&mut ctx, "film"), 3);
    assert_eq!(
        text(&mut ctx, "SELECT foreign_keys FROM pragma_foreign_keys"),
        "1",
        "enforcement restored"
    );
}

#[test]
fn an_unsupported_feature_is_refused_with_nothing_changed() {
    let (_db, mut ctx) = database(
        "CREATE TABLE actor (id INTEGER PRIMARY KEY, name TEXT);
        CREATE TABLE address (id INTEGER PRIMARY KEY, postal_code TEXT CHECK (postal_code GLOB '[0-9]*'));
        INSERT INTO actor (name) VALUES ('a'), (NULL);
        INSERT INTO actor (name) SELECT 'x' FROM actor;
        INSERT INTO address (postal_code) VALUES ('123'), ('456');",
    );
    exec(&mut ctx, "UPDATE actor SET name = 'b' WHERE name IS NULL").expect("fill");
    let before = schema_sql(&mut ctx);
    // The first op would succeed; the second cannot be carried, so neither runs.
    let err = ctx
        .run_ops(&[
            not_null("actor", "name", SqlType::Text),
            not_null("address", "postal_code", SqlType::Text),
        ])
        .expect_err("GLOB cannot be read");
    let message = err.to_string();
    assert!(message.contains("table `address`"), "{message}");
    assert!(message.contains("GLOB"), "{message}");
    assert!(message.contains("op.execute"), "{message}");
    assert_eq!(schema_sql(&mut ctx), before, "nothing was changed");
    assert_eq!(count(&mut ctx, "actor"), 4);
    assert_eq!(count(&mut ctx, "address"), 2);
}
