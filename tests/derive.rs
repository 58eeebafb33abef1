//! `#[derive(Table)]` end to end: the derived `TableModel::table()` equals the table built by
//! hand with the schema builders, and every derived struct linked into the binary shows up in
//! `retort::registered_tables()`, sorted by (schema, name).

// The structs exist for their derived tables; nothing reads their fields.
#![allow(dead_code)]

use retort::schema::{Column, Index, SqlType, Table, UniqueConstraint};
use retort::{SqlTypeOf, TableModel};

/// A user type mapped to an integer: its primary key autoincrements, decided at runtime.
struct UserId(i64);

impl SqlTypeOf for UserId {
    fn sql_type(_length: Option<u32>) -> SqlType {
        SqlType::BigInt
    }
}

/// A user type mapped to a non-integer: its primary key does not autoincrement.
struct Uuid([u8; 16]);

impl SqlTypeOf for Uuid {
    fn sql_type(_length: Option<u32>) -> SqlType {
        SqlType::Uuid
    }
}

#[derive(retort::Table)]
#[table(name = "users")]
struct User {
    #[column(primary_key)]
    id: i64,
    #[column(length = 255, unique)]
    email: String,
    nickname: Option<String>,
    #[column(default = 0, comment = "Reputation points.")]
    score: i32,
    #[column(default = "CURRENT_TIMESTAMP")]
    created_at: String,
    #[column(index)]
    org_id: Option<i64>,
    #[column(skip)]
    cache: Vec<u8>,
}

#[derive(retort::Table)]
#[table(schema = "app", name = "accounts", comment = "Paying customers.")]
struct Account {
    #[column(name = "account_id", primary_key)]
    id: UserId,
    #[column(default = true)]
    active: bool,
    #[column(default = -1.5)]
    ratio: f64,
    r#type: Option<String>,
}

#[derive(retort::Table)]
struct ApiToken {
    #[column(primary_key)]
    token: Uuid,
    owner: i64,
}

#[derive(retort::Table)]
struct Membership {
    #[column(primary_key)]
    user_id: i64,
    #[column(primary_key)]
    group_id: i16,
}

/// The expansion names everything by absolute path, so local items with the names it uses
/// change nothing.
mod hygiene {
    #![allow(non_camel_case_types)]
    struct Column;
    struct Index;
    struct Table;
    struct SqlTypeOf;
    struct Option;
    mod core {}
    mod retort {}

    #[derive(::retort::Table)]
    #[table(schema = "app")]
    pub struct Shadowed {
        #[column(primary_key)]
        id: i64,
        #[column(unique)]
        name: String,
    }
}

#[test]
fn derived_table_equals_the_hand_built_one() {
    let expected = Table::with_columns(
        "users",
        [
            Column::new("id", SqlType::BigInt)
                .primary_key()
                .autoincrement(),
            Column::new("email", SqlType::Varchar(255)).not_null(),
            Column::new("nickname", SqlType::Text),
            Column::new("score", SqlType::Integer)
                .not_null()
                .default("0")
                .comment("Reputation points."),
            Column::new("created_at", SqlType::Text)
                .not_null()
                .default("CURRENT_TIMESTAMP"),
            Column::new("org_id", SqlType::BigInt),
        ],
    )
    .unique(UniqueConstraint::new(["email"]))
    .index(Index::unnamed(["org_id"]));
    assert_eq!(<User as TableModel>::table(), expected);
}

#[test]
fn schema_comment_rename_and_literal_defaults() {
    let expected = Table::with_columns(
        "accounts",
        [
            Column::new("account_id", SqlType::BigInt)
                .primary_key()
                .autoincrement(),
            Column::new("active", SqlType::Boolean)
                .not_null()
                .default("true"),
            Column::new("ratio", SqlType::Double)
                .not_null()
                .default("-1.5"),
            Column::new("type", SqlType::Text),
        ],
    )
    .schema("app")
    .comment("Paying customers.");
    assert_eq!(<Account as TableModel>::table(), expected);
}

#[test]
fn only_a_single_integer_primary_key_autoincrements() {
    let token = <ApiToken as TableModel>::table();
    assert_eq!(token.name, "api_token");
    assert_eq!(
        token.columns[0],
        Column::new("token", SqlType::Uuid).primary_key()
    );

    let membership = <Membership as TableModel>::table();
    let expected = Table::with_columns(
        "membership",
        [
            Column::new("user_id", SqlType::BigInt).primary_key(),
            Column::new("group_id", SqlType::SmallInt).primary_key(),
        ],
    );
    assert_eq!(membership, expected);
    let primary_key = membership.primary_key.expect("composite primary key");
    assert_eq!(primary_key.columns, ["user_id", "group_id"]);
}

#[test]
fn registered_tables_are_sorted_by_schema_and_name() {
    let tables = retort::registered_tables().expect("no duplicate tables");
    let names: Vec<String> = tables
        .iter()
        .map(|t| t.qualified_name().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "api_token",
            "membership",
            "users",
            "app.accounts",
            "app.shadowed"
        ]
    );
    assert_eq!(tables[2], <User as TableModel>::table());
    assert_eq!(tables[4], <hygiene::Shadowed as TableModel>::table());
}
