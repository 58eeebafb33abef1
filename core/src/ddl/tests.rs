//! DDL snapshots per dialect for every op.

use super::*;
use crate::ops::{AddColumn, CreateIndex, CreateTable, DropColumn, DropIndex, DropTable, Execute};

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
        .flat_map(|op| ddl.statements(op))
        .map(|s| s + ";\n")
        .collect()
}

#[test]
fn sqlite_ddl() {
    insta::assert_snapshot!(script(&SqliteImpl));
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
