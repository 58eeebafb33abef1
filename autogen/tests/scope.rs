//! What reflection counts as the user's tables, on databases with objects retort must not
//! touch: other schemas, extension-owned tables, virtual tables, other databases.

use retort_autogen::{produce_migration, produce_migration_with, reflect, Include};
use retort_core::ddl::Dialect;
use retort_core::schema::{Column, MetaData, SqlType, Table};
use retort_core::testing::TestDb;

use crate::support::summary;

fn models() -> MetaData {
    MetaData::from_tables([Table::with_columns(
        "users",
        [Column::new("id", SqlType::BigInt).primary_key()],
    )
    .primary_key(retort_core::schema::PrimaryKey::new(["id"]).named("pk_users"))])
}

/// Created as the models say, so that only what the test adds can differ.
fn database_with_models(
    dialect: Dialect,
) -> Option<(TestDb, retort_core::context::MigrationContext)> {
    let db = TestDb::new(dialect)?;
    let mut ctx = db.context();
    let (ops, _) = produce_migration(&mut ctx, &models()).expect("diff");
    ctx.run_ops(&ops).expect("create the models");
    Some((db, ctx))
}

/// Another application's schema is neither compared nor dropped, unless asked for.
#[test]
fn postgres_reflects_the_default_schema_and_the_models_schemas() {
    let Some((_db, mut ctx)) = database_with_models(Dialect::Postgres) else {
        return;
    };
    for sql in [
        "CREATE SCHEMA billing",
        "CREATE TABLE billing.invoices (id BIGINT PRIMARY KEY, total NUMERIC(10, 2))",
        "INSERT INTO billing.invoices VALUES (1, 9.99)",
    ] {
        ctx.executor().execute(sql).expect(sql);
    }
    let (ops, _) = produce_migration(&mut ctx, &models()).expect("diff");
    assert_eq!(summary(&ops), Vec::<String>::new());
    for include in [
        Include::default().schemas(true),
        Include::default().schemas(["billing"]),
    ] {
        let (ops, _) = produce_migration_with(&mut ctx, &models(), &include).expect("diff");
        assert_eq!(
            summary(&ops),
            ["remove table `billing.invoices`"],
            "{include:?}"
        );
    }
    // A model in that schema brings it into scope by itself.
    let mut with_billing = models();
    with_billing.add_table(
        Table::with_columns(
            "invoices",
            [
                Column::new("id", SqlType::BigInt).primary_key(),
                Column::new("total", SqlType::numeric(10, 2)),
            ],
        )
        .schema("billing")
        .primary_key(retort_core::schema::PrimaryKey::new(["id"]).named("invoices_pkey")),
    );
    let (ops, _) = produce_migration(&mut ctx, &with_billing).expect("diff");
    assert_eq!(summary(&ops), Vec::<String>::new());
}

/// A table an extension owns (PostGIS's `spatial_ref_sys`) is the extension's, in every scope.
#[test]
fn postgres_never_reflects_extension_owned_tables() {
    let Some((_db, mut ctx)) = database_with_models(Dialect::Postgres) else {
        return;
    };
    // plpgsql is installed in every database; making the table its member is what an extension's
    // own script does for the tables it creates.
    for sql in [
        "CREATE TABLE spatial_ref_sys (srid INTEGER PRIMARY KEY, srtext VARCHAR(2048))",
        "INSERT INTO spatial_ref_sys VALUES (4326, 'WGS 84')",
        "ALTER EXTENSION plpgsql ADD TABLE spatial_ref_sys",
    ] {
        ctx.executor().execute(sql).expect(sql);
    }
    let reflected = reflect(&mut ctx).expect("reflect");
    assert!(
        !reflected
            .metadata
            .tables
            .contains_key(&"spatial_ref_sys".into()),
        "{:?}",
        reflected.metadata.tables.keys()
    );
    let include = Include::default().schemas(true);
    let (ops, _) = produce_migration_with(&mut ctx, &models(), &include).expect("diff");
    assert_eq!(summary(&ops), Vec::<String>::new());
    ctx.executor()
        .execute("ALTER EXTENSION plpgsql DROP TABLE spatial_ref_sys")
        .expect("release the table before the database is dropped");
}

/// FTS5 and R*Tree tables, and the shadow tables that hold their data, are SQLite's.
#[test]
fn sqlite_leaves_virtual_tables_and_their_shadow_tables_alone() {
    let Some((_db, mut ctx)) = database_with_models(Dialect::Sqlite) else {
        return;
    };
    for sql in [
        "CREATE VIRTUAL TABLE docs USING fts5(title, body)",
        "INSERT INTO docs VALUES ('a', 'some text')",
        "CREATE VIRTUAL TABLE boxes USING rtree(id, min_x, max_x)",
        "INSERT INTO boxes VALUES (1, 0, 10)",
    ] {
        ctx.executor().execute(sql).expect(sql);
    }
    let reflected = reflect(&mut ctx).expect("reflect");
    let names: Vec<String> = reflected
        .metadata
        .tables
        .keys()
        .map(|k| k.name.clone())
        .collect();
    assert_eq!(names, ["users"]);
    let (ops, _) = produce_migration(&mut ctx, &models()).expect("diff");
    assert_eq!(summary(&ops), Vec::<String>::new());
}

/// MySQL reflects the database the URL names; a sibling database on the server is not read.
#[test]
fn mysql_reflects_the_current_database_only() {
    let Some((_db, mut ctx)) = database_with_models(Dialect::Mysql) else {
        return;
    };
    let Some(sibling) = TestDb::new(Dialect::Mysql) else {
        return;
    };
    let mut other = sibling.context();
    other
        .executor()
        .execute("CREATE TABLE orders (id BIGINT PRIMARY KEY)")
        .expect("sibling table");
    let (ops, _) = produce_migration(&mut ctx, &models()).expect("diff");
    assert_eq!(summary(&ops), Vec::<String>::new());
}
