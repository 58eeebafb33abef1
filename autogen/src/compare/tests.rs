//! Compare on literal schemas: each change yields exactly its ops.

use retort_core::schema::{Column, SqlType};

use super::*;

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
    assert_eq!(
        ops_summary(&ops),
        [
            "add table `users`",
            "add unique index `ix_users_email` on `users` (email)"
        ]
    );
    let down = Op::reverse_all(&ops).expect("reversible");
    assert_eq!(
        ops_summary(&down),
        [
            "remove index `ix_users_email` on `users`",
            "remove table `users`"
        ]
    );
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
