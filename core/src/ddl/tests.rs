//! DDL snapshots per dialect for every op.

use super::*;
use crate::ops::{
    AddColumn, AddConstraint, CreateIndex, CreateTable, DropColumn, DropConstraint, DropIndex,
    DropTable, Execute,
};
use crate::schema::ForeignKeyAction;

fn users() -> Table {
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
    .index(Index::new("ix_users_score", ["score"]))
    .unique(UniqueConstraint::new(["email"]).named("uq_users_email"))
    .foreign_key(
        ForeignKey::new(["score"], "scores", ["id"])
            .named("fk_users_score_scores")
            .on_delete(ForeignKeyAction::SetNull)
            .on_update(ForeignKeyAction::Cascade),
    )
    .check(CheckConstraint::new("score >= 0").named("ck_users_score"))
    .comment("people")
}

fn constraint_ops() -> Vec<Op> {
    let t = QualifiedName::from("users");
    vec![
        Op::AddConstraint(AddConstraint {
            table: t.clone(),
            constraint: Constraint::Unique(
                UniqueConstraint::new(["email", "nickname"]).named("uq_x"),
            ),
        }),
        Op::DropConstraint(DropConstraint {
            table: t,
            name: "uq_x".into(),
            constraint: None,
        }),
    ]
}

fn every_op() -> Vec<Op> {
    let t = QualifiedName::from("users");
    vec![
        Op::CreateTable(CreateTable { table: users() }),
        Op::AddColumn(AddColumn {
            table: t.clone(),
            column: Column::new("bio", SqlType::Text).not_null().default("''"),
        }),
        Op::DropColumn(DropColumn {
            table: t.clone(),
            name: "bio".into(),
            column: None,
        }),
        Op::CreateIndex(CreateIndex {
            table: t.clone(),
            index: Index::new("ix_users_email_nickname", ["email", "nickname"]).unique(),
        }),
        Op::DropIndex(DropIndex {
            table: t.clone(),
            name: "ix_users_email_nickname".into(),
            index: None,
        }),
        Op::DropTable(DropTable {
            name: t,
            table: None,
        }),
        Op::Execute(Execute {
            sql: "UPDATE users SET score = 1".into(),
        }),
    ]
}

fn script(ddl: &dyn DdlImpl) -> String {
    every_op()
        .iter()
        .flat_map(|op| ddl.statements(op).expect("supported"))
        .map(|s| s + ";\n")
        .collect()
}

#[test]
fn sqlite_ddl() {
    insta::assert_snapshot!(script(&SqliteImpl));
}

#[test]
fn sqlite_refuses_constraint_changes_on_existing_tables() {
    for op in constraint_ops() {
        let err = SqliteImpl.statements(&op).expect_err("needs a rebuild");
        assert!(err.to_string().contains("rebuilt"), "{err}");
    }
}

#[test]
fn sqlite_computed_column() {
    let column = Column::new("total", SqlType::Integer).computed("a + b");
    assert_eq!(
        SqliteImpl.column_sql(&column),
        "\"total\" INTEGER GENERATED ALWAYS AS (a + b) STORED"
    );
}

#[test]
fn sqlite_version_table() {
    insta::assert_snapshot!(SqliteImpl.create_version_table("retort_version"));
}

#[test]
fn identifiers_are_always_quoted_and_escaped() {
    assert_eq!(SqliteImpl.quote("order"), "\"order\"");
    assert_eq!(SqliteImpl.quote("we\"ird"), "\"we\"\"ird\"");
    assert_eq!(SqliteImpl.literal("it's"), "'it''s'");
}
