//! MySQL/MariaDB reflection against a real server: hand-written DDL read back field by field,
//! and models applied by autogenerate read back with what they declared.

use retort_autogen::{produce_migration, reflect};
use retort_core::ddl::Dialect;
use retort_core::naming::NamingConvention;
use retort_core::ops::Op;
use retort_core::schema::{
    CheckConstraint, Column, ForeignKey, ForeignKeyAction, Index, MetaData, PrimaryKey, SqlType,
    Table, UniqueConstraint,
};
use retort_core::testing::TestDb;

use crate::support::column;

fn run(db: &TestDb, statements: &[&str]) {
    let mut executor = db.executor();
    for sql in statements {
        executor.execute(sql).expect("hand-written DDL runs");
    }
}

fn table<'a>(metadata: &'a MetaData, name: &str) -> &'a Table {
    metadata
        .tables
        .get(&name.into())
        .unwrap_or_else(|| panic!("table `{name}` reflected"))
}

/// Every column type retort maps, as MariaDB reports it.
#[test]
fn hand_written_ddl_reflects_field_by_field() {
    let Some(db) = TestDb::new(Dialect::Mysql) else {
        return;
    };
    run(
        &db,
        &[
            "CREATE TABLE parents (
                a INT NOT NULL,
                b INT NOT NULL,
                PRIMARY KEY (a, b)
            )",
            "CREATE TABLE users (
                id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
                email VARCHAR(255) NOT NULL COMMENT 'login name',
                active TINYINT(1) NOT NULL DEFAULT 1,
                flag BOOL,
                small SMALLINT CHECK (small > 0),
                n INT DEFAULT 0,
                r FLOAT,
                d DOUBLE,
                price DECIMAL(10,2) DEFAULT 1.50,
                status VARCHAR(20) DEFAULT 'draft',
                created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
                ts TIMESTAMP NULL,
                u CHAR(36),
                t1 TEXT, t2 MEDIUMTEXT, t3 LONGTEXT, t4 TINYTEXT,
                b1 BLOB, b2 LONGBLOB, b3 MEDIUMBLOB,
                doc JSON,
                born DATE, alarm TIME,
                doubled BIGINT GENERATED ALWAYS AS (n * 2) STORED,
                CONSTRAINT uq_users_email UNIQUE (email),
                CONSTRAINT ck_users_n CHECK (n >= 0)
            ) COMMENT = 'people who log in'",
            "CREATE UNIQUE INDEX ux_users_u ON users (u)",
            "CREATE INDEX ix_users_status_created ON users (status, created)",
            "CREATE TABLE posts (
                id INT NOT NULL PRIMARY KEY,
                user_id BIGINT NOT NULL,
                pa INT, pb INT, q INT, r INT,
                CONSTRAINT fk_posts_user FOREIGN KEY (user_id) REFERENCES users (id)
                    ON DELETE CASCADE,
                CONSTRAINT fk_posts_parent FOREIGN KEY (pa, pb) REFERENCES parents (a, b),
                FOREIGN KEY (q, r) REFERENCES parents (a, b)
            )",
        ],
    );
    let mut ctx = db.context();
    ctx.stamp(&crate::support::no_scripts(), &["ab12".into()], false)
        .expect("stamp");
    let reflected = reflect(&mut ctx).expect("reflect");
    assert_eq!(reflected.warnings, Vec::<String>::new());
    let metadata = reflected.metadata;
    assert_eq!(
        metadata
            .tables
            .keys()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["parents", "posts", "users"],
        "the version table is left out"
    );
    assert!(metadata.tables.values().all(|t| t.schema.is_none()));

    let users = table(&metadata, "users");
    assert_eq!(users.comment.as_deref(), Some("people who log in"));
    let types: Vec<(&str, &SqlType)> = users
        .columns
        .iter()
        .map(|c| (c.name.as_str(), &c.sql_type))
        .collect();
    assert_eq!(
        types,
        [
            ("id", &SqlType::BigInt),
            ("email", &SqlType::Varchar(255)),
            ("active", &SqlType::Boolean),
            ("flag", &SqlType::Boolean),
            ("small", &SqlType::SmallInt),
            ("n", &SqlType::Integer),
            ("r", &SqlType::Real),
            ("d", &SqlType::Double),
            ("price", &SqlType::numeric(10, 2)),
            ("status", &SqlType::Varchar(20)),
            ("created", &SqlType::Timestamp),
            ("ts", &SqlType::Timestamp),
            ("u", &SqlType::Char(36)),
            ("t1", &SqlType::Text),
            ("t2", &SqlType::Text),
            ("t3", &SqlType::Text),
            ("t4", &SqlType::Text),
            ("b1", &SqlType::Blob),
            ("b2", &SqlType::Blob),
            ("b3", &SqlType::Blob),
            ("doc", &SqlType::Json),
            ("born", &SqlType::Date),
            ("alarm", &SqlType::Time),
            ("doubled", &SqlType::BigInt),
        ]
    );

    let id = column(users, "id");
    assert!(users.in_primary_key("id") && id.autoincrement && !id.nullable);
    assert_eq!(id.default, None);
    assert_eq!(users.primary_key, Some(PrimaryKey::new(["id"])));
    let email = column(users, "email");
    assert!(!email.nullable && !users.in_primary_key("email") && !email.autoincrement);
    assert_eq!(email.comment.as_deref(), Some("login name"));
    assert_eq!(email.default, None, "NOT NULL without default");
    assert_eq!(
        column(users, "flag").default,
        None,
        "nullable: MariaDB says `NULL`"
    );
    assert!(column(users, "flag").nullable);
    assert_eq!(column(users, "flag").comment, None);
    // Defaults as MariaDB reports them: numbers bare, strings quoted, functions lower case.
    assert_eq!(column(users, "active").default.as_deref(), Some("1"));
    assert_eq!(column(users, "n").default.as_deref(), Some("0"));
    assert_eq!(column(users, "price").default.as_deref(), Some("1.50"));
    assert_eq!(column(users, "status").default.as_deref(), Some("'draft'"));
    assert_eq!(
        column(users, "created").default.as_deref(),
        Some("current_timestamp()")
    );
    assert!(!column(users, "created").nullable);
    let doubled = column(users, "doubled");
    assert_eq!(doubled.computed.as_deref(), Some("`n` * 2"));
    assert_eq!(doubled.default, None);

    assert_eq!(
        users.unique_constraints,
        [
            UniqueConstraint::new(["email"]).named("uq_users_email"),
            UniqueConstraint::new(["u"]).named("ux_users_u"),
        ],
        "a unique index is reported once, as a constraint"
    );
    assert_eq!(
        users.indexes,
        [Index::new("ix_users_status_created", ["status", "created"])]
    );
    assert_eq!(
        users.check_constraints,
        [
            CheckConstraint::new("`n` >= 0").named("ck_users_n"),
            CheckConstraint::new("`small` > 0").named("small"),
        ],
        "doc's json_valid check is left out"
    );

    let parents = table(&metadata, "parents");
    assert_eq!(parents.primary_key, Some(PrimaryKey::new(["a", "b"])));
    assert!(parents
        .columns
        .iter()
        .all(|c| parents.in_primary_key(&c.name) && !c.nullable && !c.autoincrement));
    assert_eq!(parents.comment, None);

    let posts = table(&metadata, "posts");
    assert_eq!(
        posts.foreign_keys,
        [
            ForeignKey::new(["pa", "pb"], "parents", ["a", "b"]).named("fk_posts_parent"),
            ForeignKey::new(["user_id"], "users", ["id"])
                .named("fk_posts_user")
                .on_delete(ForeignKeyAction::Cascade),
            ForeignKey::new(["q", "r"], "parents", ["a", "b"]).named("posts_ibfk_1"),
        ],
        "no actions declared: MariaDB reports RESTRICT, the model None"
    );
    assert_eq!(
        posts.indexes,
        Vec::<Index>::new(),
        "InnoDB's implicit foreign-key indexes are left out"
    );
    assert!(posts.unique_constraints.is_empty() && posts.check_constraints.is_empty());
}

/// MariaDB 10.11 has no functional key parts (`CREATE INDEX .. ((expr))` is a syntax error;
/// MySQL 8.0.13+ has them), so the expression-index warning cannot be shown here; an index
/// that is not one of InnoDB's own foreign-key indexes is kept even on foreign-key columns.
#[test]
fn explicit_index_on_foreign_key_columns_is_kept() {
    let Some(db) = TestDb::new(Dialect::Mysql) else {
        return;
    };
    run(
        &db,
        &[
            "CREATE TABLE a (id INT PRIMARY KEY)",
            "CREATE TABLE b (
                id INT PRIMARY KEY,
                a_id INT,
                KEY ix_b_a_id (a_id),
                CONSTRAINT fk_b_a FOREIGN KEY (a_id) REFERENCES a (id)
                    ON DELETE SET NULL ON UPDATE NO ACTION
            )",
        ],
    );
    let mut ctx = db.context();
    assert!(ctx
        .executor()
        .execute("CREATE INDEX ix_expr ON a ((id + 1))")
        .is_err());
    let metadata = reflect(&mut ctx).expect("reflect").metadata;
    let b = table(&metadata, "b");
    assert_eq!(b.indexes, [Index::new("ix_b_a_id", ["a_id"])]);
    assert_eq!(
        b.foreign_keys,
        [ForeignKey::new(["a_id"], "a", ["id"])
            .named("fk_b_a")
            .on_delete(ForeignKeyAction::SetNull)],
        "an explicit NO ACTION is reported as NO ACTION: the model's None"
    );
}

/// Models with every kind of column and constraint, named by the default convention.
fn target() -> MetaData {
    let mut metadata = MetaData::from_tables([
        Table::with_columns(
            "users",
            [
                Column::new("id", SqlType::BigInt)
                    .primary_key()
                    .autoincrement(),
                Column::new("email", SqlType::Varchar(255))
                    .not_null()
                    .comment("login name"),
                Column::new("active", SqlType::Boolean)
                    .not_null()
                    .default("1"),
                Column::new("score", SqlType::Integer)
                    .not_null()
                    .default("0"),
                Column::new("ratio", SqlType::Real),
                Column::new("weight", SqlType::Double),
                Column::new("price", SqlType::numeric(10, 2)),
                Column::new("token", SqlType::Uuid),
                Column::new("bio", SqlType::Text),
                Column::new("avatar", SqlType::Blob),
                Column::new("settings", SqlType::Json),
                Column::new("created", SqlType::Timestamp).not_null(),
                Column::new("score2", SqlType::Integer).computed("score * 2"),
            ],
        )
        .comment("people who log in")
        .unique(UniqueConstraint::new(["email"]))
        .check(CheckConstraint::new("score >= 0").named("ck_users_score_nonneg")),
        Table::with_columns(
            "posts",
            [
                Column::new("id", SqlType::BigInt)
                    .primary_key()
                    .autoincrement(),
                Column::new("user_id", SqlType::BigInt).not_null(),
                Column::new("editor_id", SqlType::BigInt),
                Column::new("title", SqlType::Varchar(200)).not_null(),
            ],
        )
        .index(Index::unnamed(["user_id", "title"]))
        .foreign_key(
            ForeignKey::new(["user_id"], "users", ["id"]).on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(ForeignKey::new(["editor_id"], "users", ["id"])),
    ]);
    for table in metadata.tables.values_mut() {
        NamingConvention::default().apply(table, None);
    }
    metadata
}

#[test]
fn models_applied_by_autogenerate_reflect_back() {
    let Some(db) = TestDb::new(Dialect::Mysql) else {
        return;
    };
    let mut ctx = db.context();
    let (ops, warnings) = produce_migration(&mut ctx, &target()).expect("compare");
    assert!(warnings.is_empty(), "{warnings:?}");
    for op in &ops {
        ctx.run_op(op).expect("op applies");
    }

    let reflected = reflect(&mut ctx).expect("reflect");
    assert!(reflected.warnings.is_empty(), "{:?}", reflected.warnings);
    let metadata = reflected.metadata;
    let expected = target();
    for (name, want) in &expected.tables {
        let got = metadata
            .tables
            .get(name)
            .unwrap_or_else(|| panic!("table `{name}` reflected"));
        assert_eq!(got.comment, want.comment, "{name}");
        let columns = |t: &Table| -> Vec<(String, SqlType, bool, bool, bool, Option<String>)> {
            t.columns
                .iter()
                .map(|c| {
                    // MySQL has no UUID type: retort writes CHAR(36).
                    let sql_type = match c.sql_type {
                        SqlType::Uuid => SqlType::Char(36),
                        ref other => other.clone(),
                    };
                    let nullable = c.nullable && c.computed.is_none();
                    (
                        c.name.clone(),
                        sql_type,
                        nullable,
                        t.in_primary_key(&c.name),
                        c.autoincrement,
                        c.comment.clone(),
                    )
                })
                .collect()
        };
        assert_eq!(columns(got), columns(want), "{name}");
        assert_eq!(
            got.primary_key.as_ref().map(|pk| &pk.columns),
            want.primary_key.as_ref().map(|pk| &pk.columns),
            "{name}: MySQL calls every primary key PRIMARY"
        );
        assert_eq!(got.indexes, want.indexes, "{name}");
        assert_eq!(got.unique_constraints, want.unique_constraints, "{name}");
        let mut want_fks = want.foreign_keys.clone();
        want_fks.sort_by(|a, b| a.name.cmp(&b.name));
        assert_eq!(got.foreign_keys, want_fks, "{name}");
        let check_names = |t: &Table| -> Vec<Option<String>> {
            t.check_constraints.iter().map(|c| c.name.clone()).collect()
        };
        assert_eq!(check_names(got), check_names(want), "{name}");
    }
    let users = table(&metadata, "users");
    assert_eq!(column(users, "score").default.as_deref(), Some("0"));
    assert_eq!(column(users, "active").default.as_deref(), Some("1"));
    assert_eq!(
        column(users, "score2").computed.as_deref(),
        Some("`score` * 2")
    );
    assert_eq!(users.check_constraints[0].expr, "`score` >= 0");

    // InnoDB silently dropped fk_posts_user_id_users's implicit index once
    // ix_posts_user_id_title could enforce the key, so MariaDB refuses to drop that index
    // before the key ("needed in a foreign key constraint"); dropping the table drops both.
    let downgrade = Op::reverse_all(&ops).expect("reversible");
    for op in downgrade
        .iter()
        .filter(|op| !matches!(op, Op::DropIndex(_)))
    {
        ctx.run_op(op).expect("downgrade op applies");
    }
    assert!(reflect(&mut ctx)
        .expect("reflect")
        .metadata
        .tables
        .is_empty());
}

/// Reflection reads COLUMNS and STATISTICS on a second connection while the first reads the
/// rest: that connection must read the database the user's own has chosen with `USE`.
#[test]
fn the_second_connection_reads_the_sessions_database() {
    let Some(db) = TestDb::new(Dialect::Mysql) else {
        return;
    };
    let url = db.url_string();
    let other = format!("{}_other", url.rsplit('/').next().expect("a database name"));
    let mut admin = db.executor();
    admin
        .execute(&format!("CREATE DATABASE `{other}`"))
        .expect("creates the other database");
    // Dropped however the test ends.
    struct DropDatabase(retort_core::executor::Executor, String);
    impl Drop for DropDatabase {
        fn drop(&mut self) {
            let _ = self
                .0
                .execute(&format!("DROP DATABASE IF EXISTS `{}`", self.1));
        }
    }
    let _other = DropDatabase(admin, other.clone());
    run(&db, &["CREATE TABLE home (id INT PRIMARY KEY)"]);
    let mut ctx = db.context();
    for sql in [
        format!("USE `{other}`"),
        "CREATE TABLE away (id INT PRIMARY KEY, code VARCHAR(8) NOT NULL, KEY ix_code (code))"
            .to_owned(),
    ] {
        ctx.executor().execute(&sql).expect("runs");
    }
    let metadata = reflect(&mut ctx).expect("reflects").metadata;
    assert_eq!(metadata.tables.len(), 1, "only the chosen database's table");
    let away = table(&metadata, "away");
    let columns: Vec<_> = away.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(columns, ["id", "code"]);
    assert_eq!(away.indexes.len(), 1, "its index, from STATISTICS");
}
