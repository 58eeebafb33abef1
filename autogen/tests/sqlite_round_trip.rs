//! Reflect → compare → apply → reflect again on a real SQLite file gives no ops.

use retort_autogen::{produce_migration, reflect};
use retort_core::config::DatabaseUrl;
use retort_core::context::MigrationContext;
use retort_core::ddl::SqliteImpl;
use retort_core::executor::Executor;
use retort_core::naming::NamingConvention;
use retort_core::ops::Op;

use crate::support::{count, summary};
use retort_core::schema::{
    CheckConstraint, Column, ForeignKey, ForeignKeyAction, Index, MetaData, SqlType, Table,
    UniqueConstraint,
};

fn context(dir: &tempfile::TempDir) -> MigrationContext {
    let path = dir.path().join("app.db");
    let url = DatabaseUrl::Sqlite(path.display().to_string());
    let executor = Executor::connect(&url).expect("open sqlite");
    MigrationContext::new(executor, &SqliteImpl, "retort_version").with_log(|_| {})
}

/// Two related tables using every kind of column and constraint SQLite can hold, named by the
/// default convention as the runner names them.
fn target() -> MetaData {
    let mut metadata = MetaData::from_tables([
        Table::with_columns(
            "users",
            [
                Column::new("id", SqlType::BigInt)
                    .primary_key()
                    .autoincrement(),
                Column::new("email", SqlType::Varchar(255)).not_null(),
                Column::new("score", SqlType::Integer)
                    .not_null()
                    .default("0"),
                Column::new("nickname", SqlType::Text),
                Column::new("score2", SqlType::Integer).computed("score * 2"),
            ],
        )
        .unique(UniqueConstraint::new(["email"]))
        .check(CheckConstraint::new("score >= 0").named("ck_users_score_nonneg")),
        Table::with_columns(
            "posts",
            [
                Column::new("id", SqlType::BigInt)
                    .primary_key()
                    .autoincrement(),
                Column::new("user_id", SqlType::BigInt).not_null(),
                Column::new("body", SqlType::Text).not_null(),
            ],
        )
        .index(Index::unnamed(["user_id", "body"]))
        .foreign_key(
            ForeignKey::new(["user_id"], "users", ["id"]).on_delete(ForeignKeyAction::Cascade),
        ),
    ]);
    for table in metadata.tables.values_mut() {
        NamingConvention::default().apply(table, None);
    }
    metadata
}

fn apply(ctx: &mut MigrationContext, ops: &[Op]) {
    for op in ops {
        ctx.run_op(op).expect("op applies");
    }
}

#[test]
fn upgrade_then_compare_is_clean_and_downgrade_leaves_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ctx = context(&dir);
    let (ops, warnings) = produce_migration(&mut ctx, &target()).expect("compare");
    assert!(warnings.is_empty());
    assert_eq!(
        summary(&ops),
        ["add table `users`", "add table `posts`"],
        "users first: posts refers to it"
    );
    apply(&mut ctx, &ops);

    let (again, _) = produce_migration(&mut ctx, &target()).expect("compare");
    assert_eq!(again, Vec::<Op>::new());

    let reflected = reflect(&mut ctx).expect("reflect").metadata;
    let users = &reflected.tables[&"users".into()];
    let id = users.column("id").expect("id");
    assert!(users.in_primary_key("id") && id.autoincrement && !id.nullable);
    let column = |name: &str| users.column(name).expect("column").clone();
    assert_eq!(column("score").default.as_deref(), Some("0"));
    assert_eq!(column("email").sql_type, SqlType::Varchar(255));
    assert_eq!(column("score2").computed.as_deref(), Some("score * 2"));
    assert_eq!(
        users.unique_constraints[0].name.as_deref(),
        Some("uq_users_email")
    );
    assert_eq!(users.check_constraints[0].expr, "score >= 0");
    let posts = &reflected.tables[&"posts".into()];
    assert_eq!(
        posts.foreign_keys[0].name.as_deref(),
        Some("fk_posts_user_id_users")
    );
    assert_eq!(
        posts.foreign_keys[0].on_delete,
        Some(ForeignKeyAction::Cascade)
    );

    apply(&mut ctx, &Op::reverse_all(&ops).expect("reversible"));
    assert!(reflect(&mut ctx)
        .expect("reflect")
        .metadata
        .tables
        .is_empty());
}

#[test]
fn hand_written_ddl_matching_the_models_compares_clean() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ctx = context(&dir);
    // Written the way a person would: inline constraints, lower case, other spellings.
    for sql in [
        "create table users (
            id integer primary key,
            email varchar(255) not null constraint uq_users_email unique,
            score int not null default 0 constraint ck_users_score_nonneg check (score >= 0),
            nickname text,
            score2 integer generated always as (score * 2) stored
        )",
        "create table posts (
            id integer primary key,
            user_id bigint not null
                constraint fk_posts_user_id_users references users (id) on delete cascade,
            body text not null
        )",
        "create index ix_posts_user_id_body on posts (user_id, body)",
    ] {
        ctx.executor().execute(sql).expect("hand-written DDL runs");
    }
    let (ops, warnings) = produce_migration(&mut ctx, &target()).expect("compare");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(ops, Vec::<Op>::new());
}

#[test]
fn changed_foreign_key_action_and_new_check_are_detected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ctx = context(&dir);
    let (ops, _) = produce_migration(&mut ctx, &target()).expect("compare");
    apply(&mut ctx, &ops);
    let mut changed = target();
    let posts = changed.tables.get_mut(&"posts".into()).expect("posts");
    posts.foreign_keys[0].on_delete = Some(ForeignKeyAction::SetNull);
    posts
        .check_constraints
        .push(CheckConstraint::new("length(body) > 0").named("ck_posts_body"));
    let (ops, _) = produce_migration(&mut ctx, &changed).expect("compare");
    assert_eq!(
        summary(&ops),
        [
            "remove foreign key `fk_posts_user_id_users` on `posts`",
            "add check constraint `ck_posts_body` on `posts`",
            "add foreign key `fk_posts_user_id_users` on `posts`"
        ]
    );
    // SQLite cannot alter constraints in place: the tables are rebuilt, and compare is clean.
    ctx.run_ops(&ops).expect("rebuilds apply");
    let (again, _) = produce_migration(&mut ctx, &changed).expect("compare");
    assert_eq!(again, Vec::<Op>::new());
}

/// Rebuilding a table keeps every row of it and of the tables that refer to it, with foreign
/// keys enforced on the connection (so a careless DROP TABLE would cascade).
#[test]
fn rebuilds_keep_every_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ctx = context(&dir);
    ctx.executor()
        .execute("PRAGMA foreign_keys = ON")
        .expect("enforce keys");
    let (ops, _) = produce_migration(&mut ctx, &target()).expect("compare");
    ctx.run_ops(&ops).expect("create");
    ctx.executor()
        .execute(
            "INSERT INTO users (email, score) VALUES ('a@x', 1), ('b@x', 2), ('c@x', 3);
             INSERT INTO posts (user_id, body) VALUES (1, 'one'), (2, 'two'), (2, 'three')",
        )
        .expect("rows");
    let mut changed = target();
    let users = changed.tables.get_mut(&"users".into()).expect("users");
    // Widen a type, tighten a column, change a default, drop and add constraints.
    users.columns[1].sql_type = SqlType::Varchar(500);
    users.columns[3].nullable = false;
    users.columns[3].default = Some("'anonymous'".into());
    users.check_constraints.clear();
    users
        .check_constraints
        .push(CheckConstraint::new("score < 100").named("ck_users_score_small"));
    ctx.executor()
        .execute("UPDATE users SET nickname = 'n' WHERE nickname IS NULL")
        .expect("fill");
    let (ops, _) = produce_migration(&mut ctx, &changed).expect("compare");
    assert_eq!(
        summary(&ops),
        [
            "remove check constraint `ck_users_score_nonneg` on `users`",
            "alter column `users.email`: type VARCHAR(255) -> VARCHAR(500)",
            "alter column `users.nickname`: NULL -> NOT NULL default no default -> 'anonymous'",
            "add check constraint `ck_users_score_small` on `users`"
        ]
    );
    ctx.run_ops(&ops).expect("rebuilds apply");

    assert_eq!(count(&mut ctx, "users"), 3);
    assert_eq!(
        count(&mut ctx, "posts"),
        3,
        "no cascade from dropping the old users table"
    );
    let (again, _) = produce_migration(&mut ctx, &changed).expect("compare");
    assert_eq!(again, Vec::<Op>::new());

    // A change the data does not allow fails whole: nothing is lost or half-applied.
    let mut impossible = changed.clone();
    impossible
        .tables
        .get_mut(&"users".into())
        .expect("users")
        .check_constraints
        .push(CheckConstraint::new("score > 2").named("ck_users_score_big"));
    let (ops, _) = produce_migration(&mut ctx, &impossible).expect("compare");
    let err = ctx.run_ops(&ops).expect_err("rows break the new check");
    assert!(err.to_string().contains("CHECK"), "{err}");
    assert_eq!(count(&mut ctx, "users"), 3);
    let (still, _) = produce_migration(&mut ctx, &changed).expect("compare");
    assert_eq!(
        still,
        Vec::<Op>::new(),
        "the failed rebuild was rolled back"
    );
}

#[test]
fn version_table_is_left_out_and_expression_indexes_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ctx = context(&dir);
    ctx.stamp(&crate::support::no_scripts(), &[], false)
        .expect("creates the version table");
    let exec = ctx.executor();
    exec.execute("CREATE TABLE t (a TEXT)").expect("create");
    exec.execute("CREATE INDEX ix_lower_a ON t (lower(a))")
        .expect("index");
    let reflected = reflect(&mut ctx).expect("reflect");
    let names: Vec<&str> = reflected
        .metadata
        .tables
        .keys()
        .map(|k| k.name.as_str())
        .collect();
    assert_eq!(names, ["t"]);
    // An expression index is read from its CREATE INDEX text, key in parentheses.
    assert_eq!(
        reflected.metadata.tables[&"t".into()].indexes,
        [retort_core::schema::Index::new(
            "ix_lower_a",
            ["(lower(a))"]
        )]
    );
    assert!(reflected.warnings.is_empty(), "{:?}", reflected.warnings);
}
