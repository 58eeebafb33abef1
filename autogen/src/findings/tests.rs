//! Each code from the op that produces it, on the dialect that has it; and what stays safe.

use retort_core::ddl::{MysqlImpl, PostgresImpl, SqliteImpl};
use retort_core::ops::{
    AddConstraint, AlterColumn, Change, CreateIndex, DropColumn, DropConstraint, DropIndex,
    DropTable,
};
use retort_core::schema::{Column, Index, Table, UniqueConstraint};

use super::*;

fn users() -> QualifiedName {
    "users".into()
}

fn alter(from: SqlType, to: SqlType) -> Op {
    Op::AlterColumn(AlterColumn {
        sql_type: Some(Change {
            from: from.clone(),
            to,
        }),
        ..AlterColumn::new(users(), Column::new("c", from))
    })
}

fn codes(ops: &[Op], ddl: &dyn DdlImpl, counts: &Counts) -> Vec<&'static str> {
    classify(ops, ddl, counts)
        .iter()
        .map(|f| f.code.as_str())
        .collect()
}

fn large() -> Counts {
    let mut counts = Counts::default();
    counts.tables.insert(users(), Rows::AtLeast(COUNT_LIMIT));
    counts
}

#[test]
fn drops_are_destructive_and_say_how_many_rows_go() {
    let mut counts = Counts::default();
    counts.tables.insert(users(), Rows::Exactly(12));
    counts
        .columns
        .insert((users(), "nickname".into()), Rows::Exactly(1));
    let ops = [
        Op::DropTable(DropTable {
            name: users(),
            table: Some(Table::new("users")),
            if_exists: false,
        }),
        Op::DropColumn(DropColumn {
            table: users(),
            name: "nickname".into(),
            column: None,
        }),
    ];
    let findings = classify(&ops, &SqliteImpl, &counts);
    assert_eq!(
        findings.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "RT101 drops table \"users\" and its 12 rows",
            "RT102 drops column \"users.nickname\" and its values in 1 row",
        ]
    );
    assert!(findings
        .iter()
        .all(|f| f.severity() == Severity::Destructive));
    // A downgrade's tables hold no rows yet: no count.
    assert_eq!(
        classify(&ops[..1], &SqliteImpl, &Counts::default())[0].message,
        "drops table \"users\" and its rows"
    );
}

#[test]
fn a_constraint_or_unique_index_dropped_for_good_loses_enforcement() {
    let unique = Constraint::Unique(UniqueConstraint::new(["email"]).named("uq_users_email"));
    let drop = Op::DropConstraint(DropConstraint {
        table: users(),
        name: "uq_users_email".into(),
        constraint: Some(unique.clone()),
        kind: None,
    });
    let drop_index = Op::DropIndex(DropIndex {
        table: users(),
        name: "ix_users_email".into(),
        index: Some(Index::new("ix_users_email", ["email"]).unique()),
        concurrently: false,
        if_exists: false,
    });
    assert_eq!(
        codes(
            &[drop.clone(), drop_index.clone()],
            &PostgresImpl,
            &Counts::default()
        ),
        ["RT103", "RT104"]
    );
    // Dropped and created again on the same columns: a change, not a loss.
    let readd = Op::AddConstraint(AddConstraint {
        table: users(),
        constraint: unique,
    });
    let recreate = Op::CreateIndex(CreateIndex {
        table: users(),
        index: Index::new("ix_users_email", ["email"]).unique(),
    });
    assert!(codes(
        &[drop, readd, drop_index, recreate],
        &PostgresImpl,
        &Counts::default()
    )
    .is_empty());
    // A plain index holds no rule.
    let plain = Op::DropIndex(DropIndex {
        table: users(),
        name: "ix".into(),
        index: Some(Index::new("ix", ["email"])),
        concurrently: false,
        if_exists: false,
    });
    assert!(codes(&[plain], &PostgresImpl, &Counts::default()).is_empty());
}

#[test]
fn type_changes_that_can_lose_values() {
    let none = Counts::default();
    let cases = [
        (SqlType::Varchar(100), SqlType::Varchar(50), Some("RT105")),
        (SqlType::Text, SqlType::Varchar(50), Some("RT105")),
        (SqlType::BigInt, SqlType::Integer, Some("RT105")),
        (SqlType::Double, SqlType::Real, Some("RT105")),
        (
            SqlType::numeric(10, 2),
            SqlType::numeric(10, 1),
            Some("RT106"),
        ),
        (
            SqlType::numeric(10, 2),
            SqlType::numeric(8, 2),
            Some("RT106"),
        ),
        (SqlType::Text, SqlType::Integer, Some("RT107")),
        (SqlType::TimestampTz, SqlType::Date, Some("RT107")),
        (SqlType::Varchar(50), SqlType::Varchar(100), None),
        (SqlType::Varchar(50), SqlType::Text, None),
        (SqlType::Integer, SqlType::BigInt, None),
        (SqlType::Integer, SqlType::numeric(12, 2), None),
        (SqlType::numeric(10, 2), SqlType::numeric(12, 2), None),
        (SqlType::Timestamp, SqlType::TimestampTz, None),
    ];
    for (from, to, code) in cases {
        let found = codes(&[alter(from.clone(), to.clone())], &PostgresImpl, &none);
        assert_eq!(found.first().copied(), code, "{from} -> {to}");
    }
    // SQLite keeps every integer alike: BIGINT to INTEGER loses nothing there.
    assert!(codes(
        &[alter(SqlType::BigInt, SqlType::Integer)],
        &SqliteImpl,
        &none
    )
    .is_empty());
}

#[test]
fn costly_changes_of_large_tables_are_blocking() {
    let widen = alter(SqlType::Integer, SqlType::BigInt);
    let set_not_null = Op::AlterColumn(AlterColumn {
        nullable: Some(Change {
            from: true,
            to: false,
        }),
        ..AlterColumn::new(users(), Column::new("c", SqlType::Text))
    });
    assert_eq!(
        codes(std::slice::from_ref(&widen), &PostgresImpl, &large()),
        ["RT201"]
    );
    assert_eq!(
        codes(std::slice::from_ref(&set_not_null), &PostgresImpl, &large()),
        ["RT204"]
    );
    assert_eq!(
        codes(std::slice::from_ref(&widen), &SqliteImpl, &large()),
        ["RT202"]
    );
    assert_eq!(
        codes(std::slice::from_ref(&widen), &MysqlImpl, &large()),
        ["RT203"]
    );
    // Small tables, and binary-compatible changes, are not held up for long.
    let mut small = Counts::default();
    small.tables.insert(users(), Rows::Exactly(LARGE_TABLE - 1));
    assert!(codes(&[widen, set_not_null], &PostgresImpl, &small).is_empty());
    let longer = alter(SqlType::Varchar(10), SqlType::Varchar(20));
    assert!(codes(&[longer], &PostgresImpl, &large()).is_empty());
    assert!(Code::ALL
        .iter()
        .filter(|c| c.severity() == Severity::Blocking)
        .all(|c| c.as_str().starts_with("RT2")));
}
