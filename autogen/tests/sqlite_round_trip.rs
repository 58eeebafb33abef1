//! Reflect → compare → apply → reflect again on a real SQLite file gives no ops.

use retort_autogen::{produce_migration, reflect};
use retort_core::config::DatabaseUrl;
use retort_core::context::MigrationContext;
use retort_core::ddl::SqliteImpl;
use retort_core::executor::Executor;
use retort_core::ops::Op;
use retort_core::schema::{Column, Index, MetaData, SqlType, Table};

fn context(dir: &tempfile::TempDir) -> MigrationContext {
    let path = dir.path().join("app.db");
    let url = DatabaseUrl::Sqlite(path.display().to_string());
    let executor = Executor::connect(&url).expect("open sqlite");
    MigrationContext::new(executor, &SqliteImpl, "retort_version").with_log(|_| {})
}

fn target() -> MetaData {
    MetaData::from_tables([
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
            ],
        )
        .index(Index::new("uq_users_email", ["email"]).unique()),
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
        .index(Index::new("ix_posts_user_id_body", ["user_id", "body"])),
    ])
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
    assert_eq!(ops.len(), 4, "two tables and two indexes: {ops:#?}");
    apply(&mut ctx, &ops);

    let (again, _) = produce_migration(&mut ctx, &target()).expect("compare");
    assert_eq!(again, Vec::<Op>::new());

    let reflected = reflect(&mut ctx).expect("reflect").metadata;
    let users = &reflected.tables[&"users".into()];
    let id = users.column("id").expect("id");
    assert!(id.primary_key && id.autoincrement && !id.nullable);
    assert_eq!(
        users
            .column("score")
            .and_then(|c| c.default.clone())
            .as_deref(),
        Some("0")
    );
    assert_eq!(
        users.column("email").map(|c| &c.sql_type),
        Some(&SqlType::Varchar(255))
    );

    apply(&mut ctx, &Op::reverse_all(&ops).expect("reversible"));
    assert!(reflect(&mut ctx)
        .expect("reflect")
        .metadata
        .tables
        .is_empty());
}

#[test]
fn version_table_and_expression_indexes_are_left_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ctx = context(&dir);
    ctx.stamp(&[]).expect("creates the version table");
    let exec = ctx.executor();
    exec.execute("CREATE TABLE t (a TEXT)").expect("create");
    exec.execute("CREATE INDEX ix_lower_a ON t (lower(a))")
        .expect("index");
    let reflected = reflect(&mut ctx).expect("reflect");
    assert_eq!(
        reflected
            .metadata
            .tables
            .keys()
            .map(|k| k.name.as_str())
            .collect::<Vec<_>>(),
        ["t"]
    );
    assert!(reflected.metadata.tables[&"t".into()].indexes.is_empty());
    assert_eq!(reflected.warnings.len(), 1, "{:?}", reflected.warnings);
    assert!(reflected.warnings[0].contains("ix_lower_a"));
}
