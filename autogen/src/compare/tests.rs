//! Compare on literal schemas: each change yields exactly its ops.

use retort_core::schema::{Column, SqlType};

use super::*;

/// Compare as PostgreSQL stores types: no affinity folding, so every type change shows.
fn compare(database: &MetaData, target: &MetaData) -> Vec<Op> {
    super::compare(
        database,
        target,
        &retort_core::ddl::PostgresImpl,
        &retort_core::naming::NamingConvention::default(),
    )
}

fn users(extra: Option<Column>, indexes: &[Index]) -> Table {
    let mut table = Table::with_columns(
        "users",
        [
            Column::new("id", SqlType::BigInt)
                .primary_key()
                .autoincrement(),
            Column::new("email", SqlType::Varchar(255)).not_null(),
        ],
    );
    if let Some(column) = extra {
        table.push_column(column);
    }
    table.indexes = indexes.to_vec();
    table
}

fn md(tables: impl IntoIterator<Item = Table>) -> MetaData {
    MetaData::from_tables(tables)
}

fn ops_summary(ops: &[Op]) -> Vec<String> {
    ops.iter().map(ToString::to_string).collect()
}

#[test]
fn identical_schemas_need_no_ops() {
    let s = md([users(None, &[Index::new("ix_users_email", ["email"])])]);
    assert!(compare(&s, &s).is_empty());
}

#[test]
fn new_table_comes_with_its_indexes_and_reverses_cleanly() {
    let target = md([users(
        None,
        &[Index::new("ix_users_email", ["email"]).unique()],
    )]);
    let ops = compare(&MetaData::new(), &target);
    assert_eq!(ops_summary(&ops), ["add table `users`"]);
    let Op::CreateTable(create) = &ops[0] else {
        panic!("{ops:?}")
    };
    assert_eq!(
        create.table.indexes.len(),
        1,
        "the index travels with its table"
    );
    let down = Op::reverse_all(&ops).expect("reversible");
    assert_eq!(ops_summary(&down), ["remove table `users`"]);
    // Dropping everything again gives exactly the downgrade.
    assert_eq!(compare(&target, &MetaData::new()), down);
}

#[test]
fn added_and_removed_columns() {
    let db = md([users(Some(Column::new("old", SqlType::Text)), &[])]);
    let target = md([users(Some(Column::new("nickname", SqlType::Text)), &[])]);
    assert_eq!(
        ops_summary(&compare(&db, &target)),
        ["add column `users.nickname`", "remove column `users.old`"]
    );
}

#[test]
fn changed_index_is_dropped_then_created() {
    let db = md([users(None, &[Index::new("ix_users_email", ["email"])])]);
    let target = md([users(
        None,
        &[Index::new("ix_users_email", ["email"]).unique()],
    )]);
    assert_eq!(
        ops_summary(&compare(&db, &target)),
        [
            "remove index `ix_users_email` on `users`",
            "add unique index `ix_users_email` on `users` (email)"
        ]
    );
}

#[test]
fn referred_tables_are_created_first_and_dropped_last() {
    use retort_core::schema::ForeignKey;
    // "a_child" sorts before "b_parent" but refers to it.
    let child = Table::with_columns("a_child", [Column::new("parent_id", SqlType::BigInt)])
        .foreign_key(ForeignKey::new(["parent_id"], "b_parent", ["id"]).named("fk_child"));
    let parent = Table::with_columns(
        "b_parent",
        [Column::new("id", SqlType::BigInt).primary_key()],
    );
    let target = md([child, parent]);
    let up = compare(&MetaData::new(), &target);
    assert_eq!(
        ops_summary(&up),
        ["add table `b_parent`", "add table `a_child`"]
    );
    let down = compare(&target, &MetaData::new());
    assert_eq!(
        ops_summary(&down),
        ["remove table `a_child`", "remove table `b_parent`"]
    );
}

#[test]
fn unnamed_reflected_constraints_match_by_columns() {
    use retort_core::schema::UniqueConstraint;
    let db = md([users(None, &[]).unique(UniqueConstraint::new(["email"]))]);
    let target =
        md([users(None, &[]).unique(UniqueConstraint::new(["email"]).named("uq_users_email"))]);
    assert!(compare(&db, &target).is_empty());
    let moved = md([users(None, &[]).unique(UniqueConstraint::new(["id", "email"]).named("uq_x"))]);
    assert_eq!(
        ops_summary(&compare(&db, &moved)),
        [
            "remove unique constraint `(unnamed)` on `users`",
            "add unique constraint `uq_x` on `users`"
        ]
    );
}

fn column_table(columns: Vec<Column>) -> MetaData {
    md([Table::with_columns("t", columns)])
}

#[test]
fn column_changes_become_one_alter_column_each() {
    let db = column_table(vec![
        Column::new("a", SqlType::Varchar(50)),
        Column::new("b", SqlType::Integer).not_null(),
        Column::new("c", SqlType::Text).default("'x'::text"),
        Column::new("d", SqlType::Integer),
    ]);
    let target = column_table(vec![
        Column::new("a", SqlType::Varchar(100)),
        Column::new("b", SqlType::BigInt).not_null(),
        Column::new("c", SqlType::Text).default("'x'"),
        Column::new("d", SqlType::Integer).not_null().default("0"),
    ]);
    assert_eq!(
        ops_summary(&compare(&db, &target)),
        [
            "alter column `t.a`: type VARCHAR(50) -> VARCHAR(100)",
            "alter column `t.b`: type INTEGER -> BIGINT",
            "alter column `t.d`: NULL -> NOT NULL default no default -> 0"
        ]
    );
}

/// `DEFAULT NULL`, however the database prints it, is no default; a real default against it
/// still is a change.
#[test]
fn a_null_default_is_no_default() {
    let db = column_table(vec![
        Column::new("a", SqlType::Varchar(50)).default("NULL"),
        Column::new("b", SqlType::Text).default("NULL::text"),
        Column::new("c", SqlType::Integer).default("(null)"),
        Column::new("d", SqlType::Integer).default("NULL"),
    ]);
    let target = column_table(vec![
        Column::new("a", SqlType::Varchar(50)),
        Column::new("b", SqlType::Text),
        Column::new("c", SqlType::Integer).default("NULL"),
        Column::new("d", SqlType::Integer).default("0"),
    ]);
    assert_eq!(
        ops_summary(&compare(&db, &target)),
        ["alter column `t.d`: default NULL -> 0"]
    );
}

#[test]
fn renamed_from_turns_drop_and_add_into_rename() {
    let db = column_table(vec![Column::new("mail", SqlType::Text)]);
    let mut renamed = Column::new("email", SqlType::Varchar(255));
    renamed.renamed_from = Some("mail".into());
    let mut target = column_table(vec![renamed]);
    assert_eq!(
        ops_summary(&compare(&db, &target)),
        [
            "rename column `t.mail` to `email`",
            "alter column `t.email`: type TEXT -> VARCHAR(255)"
        ]
    );
    let mut table = target.tables.pop_first().expect("t").1;
    table.name = "things".into();
    table.renamed_from = Some("t".into());
    let target = md([table]);
    assert_eq!(
        ops_summary(&compare(&db, &target))[0],
        "rename table `t` to `things`"
    );
}

#[test]
fn look_alike_drop_and_add_is_hinted_not_renamed() {
    let db = column_table(vec![Column::new("mail", SqlType::Text)]);
    let target = column_table(vec![Column::new("email", SqlType::Text)]);
    assert_eq!(
        ops_summary(&compare(&db, &target)),
        ["add column `t.email`", "remove column `t.mail`"]
    );
    let hints = rename_hints(&db, &target, &retort_core::ddl::PostgresImpl);
    assert_eq!(hints.len(), 1);
    assert!(hints[0].contains("renamed_from = \"mail\""), "{hints:?}");
}

#[test]
fn a_look_alike_table_drop_and_add_is_a_hint_not_a_rename() {
    let old = MetaData::from_tables([Table::with_columns(
        "people",
        [
            Column::new("id", SqlType::BigInt),
            Column::new("name", SqlType::Text),
        ],
    )]);
    let new = MetaData::from_tables([Table::with_columns(
        "persons",
        [
            Column::new("id", SqlType::BigInt),
            Column::new("name", SqlType::Text),
        ],
    )]);
    let hints = super::rename_hints(&old, &new, &retort_core::ddl::PostgresImpl);
    assert_eq!(hints.len(), 1, "{hints:?}");
    assert!(hints[0].contains("renamed_from = \"people\""), "{hints:?}");
    assert_eq!(
        ops_summary(&compare(&old, &new)),
        ["add table `persons`", "remove table `people`"]
    );
}

/// MySQL keeps one object for a unique index and a unique constraint, and reflects both as a
/// constraint: a model's unique index is still created and dropped as an index.
#[test]
fn mysql_unique_indexes_stay_indexes() {
    use retort_core::ddl::MysqlImpl;
    use retort_core::naming::NamingConvention;
    let table = |unique_index: bool, constraint: bool| {
        let mut t = Table::with_columns(
            "t",
            [
                Column::new("a", SqlType::Integer),
                Column::new("b", SqlType::Integer),
            ],
        );
        if unique_index {
            t = t.index(Index::new("ux_t_a_b", ["a", "b"]).unique());
        }
        if constraint {
            t = t.unique(retort_core::schema::UniqueConstraint::new(["a", "b"]).named("ux_t_a_b"));
        }
        MetaData::from_tables([t])
    };
    let diff = |db: &MetaData, target: &MetaData| {
        ops_summary(&super::compare(
            db,
            target,
            &MysqlImpl,
            &NamingConvention::default(),
        ))
    };
    // The database as MySQL reflects a unique index: a constraint.
    assert!(diff(&table(false, true), &table(true, false)).is_empty());
    assert_eq!(
        diff(&table(false, false), &table(true, false)),
        ["add unique index `ux_t_a_b` on `t` (a, b)"]
    );
    assert_eq!(
        diff(&table(false, true), &table(false, false)),
        ["remove unique constraint `ux_t_a_b` on `t`"]
    );
}
