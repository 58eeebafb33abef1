//! PostgreSQL reflection on a real server: hand-written DDL read back field by field, and
//! tables created by autogenerate read back as they were declared.

use retort_autogen::{produce_migration, reflect, Reflected};
use retort_core::context::MigrationContext;
use retort_core::ddl::Dialect;
use retort_core::naming::NamingConvention;
use retort_core::schema::{
    CheckConstraint, Column, ForeignKey, ForeignKeyAction, Index, MetaData, PrimaryKey,
    QualifiedName, SqlType, Table, UniqueConstraint,
};
use retort_core::testing::TestDb;

use crate::support::column;

fn run(ctx: &mut MigrationContext, statements: &[&str]) {
    for sql in statements {
        ctx.executor().execute(sql).expect("DDL runs");
    }
}

fn column_names(table: &Table) -> Vec<&str> {
    table.columns.iter().map(|c| c.name.as_str()).collect()
}

fn table<'a>(reflected: &'a Reflected, schema: Option<&str>, name: &str) -> &'a Table {
    reflected
        .metadata
        .table(&QualifiedName::new(schema, name))
        .unwrap_or_else(|| panic!("table {name} reflected"))
}

#[test]
fn hand_written_ddl_is_reflected_field_by_field() {
    let Some(db) = TestDb::new(Dialect::Postgres) else {
        return;
    };
    let mut ctx = db.context();
    ctx.stamp(&crate::support::no_scripts(), &[], false)
        .expect("creates the version table");
    run(
        &mut ctx,
        &[
            "CREATE TABLE users (
                id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                email character varying(255) NOT NULL,
                score integer NOT NULL DEFAULT 0,
                status varchar(20) DEFAULT 'x',
                visits bigint,
                price numeric(10,2),
                created timestamp without time zone DEFAULT now(),
                updated timestamp with time zone DEFAULT CURRENT_TIMESTAMP,
                active boolean NOT NULL DEFAULT true,
                ratio double precision,
                weight real,
                bio text,
                token uuid,
                doc json,
                docb jsonb,
                born date,
                wakes time without time zone,
                avatar bytea,
                double_score integer GENERATED ALWAYS AS (score * 2) STORED,
                CONSTRAINT uq_users_email UNIQUE (email),
                CONSTRAINT ck_users_score CHECK (score >= 0)
            )",
            "COMMENT ON TABLE users IS 'people who log in'",
            "COMMENT ON COLUMN users.email IS 'login name'",
            "CREATE TABLE posts (
                id serial PRIMARY KEY,
                user_id integer,
                title text NOT NULL,
                body text,
                CONSTRAINT fk_posts_user FOREIGN KEY (user_id) REFERENCES users (id)
                    ON DELETE CASCADE ON UPDATE SET NULL
            )",
            "CREATE UNIQUE INDEX ux_posts_title ON posts (title)",
            "CREATE INDEX ix_posts_user_title ON posts (user_id, title)",
            "CREATE INDEX ix_posts_lower_body ON posts (lower(body))",
            "CREATE INDEX ix_posts_recent ON posts (id) WHERE user_id IS NOT NULL",
            "CREATE SCHEMA app",
            "CREATE TABLE app.memberships (
                group_id bigint,
                user_id bigint,
                big bigserial,
                CONSTRAINT pk_memberships PRIMARY KEY (user_id, group_id)
            )",
        ],
    );

    let reflected = reflect(&mut ctx).expect("reflect");
    let names: Vec<String> = reflected
        .metadata
        .tables
        .keys()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        names,
        ["posts", "users", "app.memberships"],
        "the version table is left out"
    );

    let users = table(&reflected, None, "users");
    assert_eq!(users.schema, None);
    assert_eq!(users.comment.as_deref(), Some("people who log in"));
    let types: Vec<(&str, &SqlType)> = users
        .columns
        .iter()
        .map(|c| (c.name.as_str(), &c.sql_type))
        .collect();
    assert_eq!(
        types,
        [
            ("id", &SqlType::Integer),
            ("email", &SqlType::Varchar(255)),
            ("score", &SqlType::Integer),
            ("status", &SqlType::Varchar(20)),
            ("visits", &SqlType::BigInt),
            ("price", &SqlType::numeric(10, 2)),
            ("created", &SqlType::Timestamp),
            ("updated", &SqlType::TimestampTz),
            ("active", &SqlType::Boolean),
            ("ratio", &SqlType::Double),
            ("weight", &SqlType::Real),
            ("bio", &SqlType::Text),
            ("token", &SqlType::Uuid),
            ("doc", &SqlType::Json),
            ("docb", &SqlType::Jsonb),
            ("born", &SqlType::Date),
            ("wakes", &SqlType::Time),
            ("avatar", &SqlType::Blob),
            ("double_score", &SqlType::Integer),
        ],
        "columns in attnum order with their types"
    );
    let id = column(users, "id");
    assert!(users.in_primary_key("id") && id.autoincrement && !id.nullable);
    assert_eq!(id.default, None, "an identity has no default");
    let email = column(users, "email");
    assert!(!email.nullable && !users.in_primary_key("email") && !email.autoincrement);
    assert_eq!(email.comment.as_deref(), Some("login name"));
    let defaults: Vec<(&str, Option<&str>)> = users
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.default.as_deref()))
        .filter(|(_, d)| d.is_some())
        .collect();
    assert_eq!(
        defaults,
        [
            ("score", Some("0")),
            ("status", Some("'x'::character varying")),
            ("created", Some("now()")),
            ("updated", Some("CURRENT_TIMESTAMP")),
            ("active", Some("true")),
        ],
        "defaults as PostgreSQL prints them"
    );
    assert!(column(users, "bio").nullable);
    assert!(!column(users, "active").nullable);
    let generated = column(users, "double_score");
    assert_eq!(generated.computed.as_deref(), Some("score * 2"));
    assert_eq!(generated.default, None);
    assert_eq!(
        users.primary_key,
        Some(PrimaryKey::new(["id"]).named("users_pkey"))
    );
    assert_eq!(
        users.unique_constraints,
        [UniqueConstraint::new(["email"]).named("uq_users_email")]
    );
    assert_eq!(
        users.check_constraints,
        [CheckConstraint::new("score >= 0").named("ck_users_score")]
    );
    assert!(
        users.indexes.is_empty(),
        "constraint indexes are constraints"
    );
    assert!(users.foreign_keys.is_empty());

    let posts = table(&reflected, None, "posts");
    assert_eq!(posts.comment, None);
    let post_id = column(posts, "id");
    assert!(posts.in_primary_key("id") && post_id.autoincrement);
    assert_eq!(
        post_id.default, None,
        "a serial's sequence is not a default"
    );
    assert_eq!(
        posts.foreign_keys,
        [ForeignKey::new(["user_id"], "users", ["id"])
            .named("fk_posts_user")
            .on_delete(ForeignKeyAction::Cascade)
            .on_update(ForeignKeyAction::SetNull)]
    );
    assert_eq!(
        posts.indexes,
        [
            // An expression key as pg_get_indexdef prints it, in parentheses.
            Index::new("ix_posts_lower_body", ["(lower(body))"]),
            Index::new("ix_posts_recent", ["id"]).where_("user_id IS NOT NULL"),
            Index::new("ix_posts_user_title", ["user_id", "title"]),
            Index::new("ux_posts_title", ["title"]).unique(),
        ]
    );
    assert!(posts.unique_constraints.is_empty());
    assert!(reflected.warnings.is_empty(), "{:?}", reflected.warnings);

    let memberships = table(&reflected, Some("app"), "memberships");
    assert_eq!(memberships.schema.as_deref(), Some("app"));
    assert_eq!(
        memberships.primary_key,
        Some(PrimaryKey::new(["user_id", "group_id"]).named("pk_memberships")),
        "key columns in key order, not column order"
    );
    for name in ["group_id", "user_id"] {
        let key = column(memberships, name);
        assert!(
            memberships.in_primary_key(name) && !key.nullable && !key.autoincrement,
            "{name}"
        );
    }
    let big = column(memberships, "big");
    assert_eq!(big.sql_type, SqlType::BigInt);
    assert!(big.autoincrement && !memberships.in_primary_key("big") && !big.nullable);
    assert_eq!(big.default, None);
}

#[test]
fn cross_schema_keys_partitions_and_exclusion_constraints() {
    let Some(db) = TestDb::new(Dialect::Postgres) else {
        return;
    };
    let mut ctx = db.context();
    run(
        &mut ctx,
        &[
            "CREATE SCHEMA app",
            "CREATE TABLE app.accounts (id bigint PRIMARY KEY, code text NOT NULL)",
            // A unique index (not a constraint) that a foreign key relies on stays an index.
            "CREATE UNIQUE INDEX ux_accounts_code ON app.accounts (code)",
            "CREATE TABLE orders (
                id bigint PRIMARY KEY,
                account_code text REFERENCES app.accounts (code) ON DELETE RESTRICT,
                during tsrange,
                CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&)
            )",
            "CREATE INDEX ix_orders_code ON orders (account_code) INCLUDE (id)",
            "CREATE TABLE events (at date NOT NULL, kind text) PARTITION BY RANGE (at)",
            "CREATE TABLE events_2024 PARTITION OF events
                FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
        ],
    );
    let reflected = reflect(&mut ctx).expect("reflect");
    let names: Vec<String> = reflected
        .metadata
        .tables
        .keys()
        .map(ToString::to_string)
        .collect();
    assert_eq!(names, ["events", "orders", "app.accounts"]);

    let accounts = table(&reflected, Some("app"), "accounts");
    assert_eq!(
        accounts.indexes,
        [Index::new("ux_accounts_code", ["code"]).unique()]
    );
    let orders = table(&reflected, None, "orders");
    assert_eq!(
        orders.foreign_keys,
        [ForeignKey::new(["account_code"], "accounts", ["code"])
            .named("orders_account_code_fkey")
            .referred_schema("app")
            .on_delete(ForeignKeyAction::Restrict)]
    );
    assert_eq!(
        column(orders, "during").sql_type,
        SqlType::Custom("tsrange".into())
    );
    assert!(orders.unique_constraints.is_empty());
    assert_eq!(orders.indexes.len(), 1, "{:?}", orders.indexes);
    assert_eq!(orders.indexes[0].name(), "ix_orders_code");
    assert!(
        !orders.indexes[0].include.is_empty(),
        "INCLUDE columns are read"
    );
    let events = table(&reflected, None, "events");
    assert_eq!(
        events.columns.iter().map(|c| &c.name).collect::<Vec<_>>(),
        ["at", "kind"]
    );
    assert_eq!(
        reflected.warnings,
        [
            "skipped partition `events_2024`: partitions are not compared",
            "skipped exclusion constraint `no_overlap` on `orders`: exclusion constraints are \
             not compared",
        ]
    );
}

/// Tables covering each kind of column and constraint, named by the default convention as the
/// runner names them.
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
                Column::new("score", SqlType::Integer)
                    .not_null()
                    .default("0"),
                Column::new("price", SqlType::numeric(10, 2)),
                Column::new("created", SqlType::TimestampTz).default("now()"),
                Column::new("settings", SqlType::Jsonb),
                Column::new("avatar", SqlType::Blob),
                Column::new("double_score", SqlType::Integer).computed("score * 2"),
            ],
        )
        .comment("people who log in")
        .unique(UniqueConstraint::new(["email"]))
        .check(CheckConstraint::new("score >= 0").named("ck_users_score_nonneg")),
        Table::with_columns(
            "posts",
            [
                Column::new("id", SqlType::Integer)
                    .primary_key()
                    .autoincrement(),
                Column::new("user_id", SqlType::BigInt).not_null(),
                Column::new("slug", SqlType::Varchar(80)).not_null(),
                Column::new("body", SqlType::Text),
            ],
        )
        .index(Index::unnamed(["user_id", "body"]))
        .index(Index::unnamed(["slug"]).unique())
        .foreign_key(
            ForeignKey::new(["user_id"], "users", ["id"]).on_delete(ForeignKeyAction::Cascade),
        ),
        Table::with_columns(
            "tags",
            [
                Column::new("post_id", SqlType::Integer),
                Column::new("name", SqlType::Text),
            ],
        )
        .schema("app")
        .primary_key(PrimaryKey::new(["post_id", "name"]))
        .foreign_key(
            ForeignKey::new(["post_id"], "posts", ["id"]).on_update(ForeignKeyAction::Cascade),
        ),
    ]);
    for table in metadata.tables.values_mut() {
        NamingConvention::default().apply(table, Some(63));
    }
    metadata
}

#[test]
fn tables_created_by_autogenerate_reflect_as_declared() {
    let Some(db) = TestDb::new(Dialect::Postgres) else {
        return;
    };
    let mut ctx = db.context();
    run(&mut ctx, &["CREATE SCHEMA app"]);
    let target = target();
    let (ops, warnings) = produce_migration(&mut ctx, &target).expect("compare");
    assert!(warnings.is_empty(), "{warnings:?}");
    for op in &ops {
        ctx.run_op(op).expect("op applies");
    }

    let reflected = reflect(&mut ctx).expect("reflect");
    assert!(reflected.warnings.is_empty(), "{:?}", reflected.warnings);
    assert_eq!(
        reflected.metadata.tables.keys().collect::<Vec<_>>(),
        target.tables.keys().collect::<Vec<_>>()
    );
    for (name, want) in &target.tables {
        let got = &reflected.metadata.tables[name];
        assert_eq!(got.schema, want.schema, "{name}");
        assert_eq!(got.comment, want.comment, "{name}");
        assert_eq!(got.primary_key, want.primary_key, "{name}");
        assert_eq!(got.unique_constraints, want.unique_constraints, "{name}");
        assert_eq!(got.foreign_keys, want.foreign_keys, "{name}");
        assert_eq!(got.check_constraints, want.check_constraints, "{name}");
        let mut indexes = got.indexes.clone();
        let mut want_indexes = want.indexes.clone();
        indexes.sort_by(|a, b| a.name.cmp(&b.name));
        want_indexes.sort_by(|a, b| a.name.cmp(&b.name));
        assert_eq!(indexes, want_indexes, "{name}");
        assert_eq!(got.columns.len(), want.columns.len(), "{name}");
        for (got, want) in got.columns.iter().zip(&want.columns) {
            let at = format!("{name}.{}", want.name);
            assert_eq!(got.name, want.name, "{at}");
            assert_eq!(got.sql_type, want.sql_type, "{at}");
            assert_eq!(got.nullable, want.nullable, "{at}");
            assert_eq!(got.autoincrement, want.autoincrement, "{at}");
            assert_eq!(got.comment, want.comment, "{at}");
            assert_eq!(got.computed, want.computed, "{at}");
        }
    }
    // Defaults come back as PostgreSQL prints them; only these two were declared.
    let users = table(&reflected, None, "users");
    assert_eq!(column(users, "score").default.as_deref(), Some("0"));
    assert_eq!(column(users, "created").default.as_deref(), Some("now()"));
    assert!(users
        .columns
        .iter()
        .filter(|c| !["score", "created"].contains(&c.name.as_str()))
        .all(|c| c.default.is_none()));
}

/// Reflection reads the columns on a second connection while the first reads the rest: that
/// connection must read as the user's own does, with its search path.
#[test]
fn the_second_connection_reads_with_the_sessions_search_path() {
    use retort_autogen::reflect::{reflect_schemas, Schemas};
    let Some(db) = TestDb::new(Dialect::Postgres) else {
        return;
    };
    let mut ctx = db.context();
    run(
        &mut ctx,
        &[
            "CREATE SCHEMA app",
            "CREATE FUNCTION app.code() RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$",
            "CREATE TABLE app.tickets (id integer PRIMARY KEY, code text DEFAULT app.code())",
            "CREATE TABLE public.others (id integer)",
            "SET search_path TO app",
        ],
    );
    let reflected =
        reflect_schemas(&mut ctx, &Schemas::Current(Default::default())).expect("reflects");
    let tickets = table(&reflected, None, "tickets");
    assert_eq!(column_names(tickets), ["id", "code"]);
    // Printed against app's search path: `app.code()` under the default one.
    assert_eq!(tickets.columns[1].default.as_deref(), Some("code()"));
    assert!(
        reflected.metadata.tables.len() == 1,
        "only the current schema's table"
    );
}

/// A transaction that has written is read on its own connection: a second one would not see
/// the table it created.
#[test]
fn a_transaction_that_has_written_reads_its_own_tables() {
    let Some(db) = TestDb::new(Dialect::Postgres) else {
        return;
    };
    let mut ctx = db.context();
    run(
        &mut ctx,
        &[
            "BEGIN",
            "CREATE TABLE fresh (id integer, name text NOT NULL)",
        ],
    );
    let reflected = reflect(&mut ctx).expect("reflects");
    let fresh = table(&reflected, None, "fresh");
    assert_eq!(column_names(fresh), ["id", "name"]);
    run(&mut ctx, &["ROLLBACK"]);
}

/// A role allowed one connection cannot open the second: reflection reads everything on the
/// one it has.
#[test]
fn without_a_second_connection_reflection_reads_on_one() {
    use retort_core::config::DatabaseUrl;
    use retort_core::ddl::ddl_impl;
    use retort_core::executor::Executor;
    let Some(db) = TestDb::new(Dialect::Postgres) else {
        return;
    };
    let url = db.url_string();
    let database = url.rsplit('/').next().expect("a database name").to_owned();
    let role = format!("{database}_solo");
    let mut admin = db.executor();
    admin
        .execute(&format!("CREATE ROLE \"{role}\" LOGIN CONNECTION LIMIT 1"))
        .expect("creates the role");
    // Dropped however the test ends; the role owns nothing.
    struct DropRole(Executor, String);
    impl Drop for DropRole {
        fn drop(&mut self) {
            let _ = self
                .0
                .execute(&format!("DROP ROLE IF EXISTS \"{}\"", self.1));
        }
    }
    let _role = DropRole(admin, role.clone());
    db.executor()
        .execute("CREATE TABLE kept (id integer PRIMARY KEY, note text DEFAULT 'n')")
        .expect("creates the table");
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let host = rest.split_once('@').map_or(rest, |(_, host)| host);
    let solo = DatabaseUrl::parse(&format!("{scheme}://{role}@{host}")).expect("URL");
    {
        let executor = Executor::connect(&solo).expect("the role connects once");
        let mut ctx =
            MigrationContext::new(executor, ddl_impl(Dialect::Postgres), "retort_version");
        assert!(
            Executor::connect(&solo).is_err(),
            "the role's second connection is refused"
        );
        let reflected = reflect(&mut ctx).expect("reflects");
        let kept = table(&reflected, None, "kept");
        assert_eq!(column_names(kept), ["id", "note"]);
    }
}
