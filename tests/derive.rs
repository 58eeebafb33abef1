//! `#[derive(Table)]` end to end: the derived `TableModel::table()` equals the table built by
//! hand with the schema builders, and every derived struct linked into the binary shows up in
//! `retort::registered_tables()`, sorted by (schema, name).

// The structs exist for their derived tables; nothing reads their fields.
#![allow(dead_code)]

use retort::schema::{
    CheckConstraint, Column, ForeignKey, ForeignKeyAction, Index, PrimaryKey, SqlType, Table,
    UniqueConstraint,
};
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

/// Stands in for `rust_decimal::Decimal`: with `precision`, the column type comes from the
/// attribute, so the type needs no `SqlTypeOf` impl.
struct Decimal(i128);

/// A type without a `SqlTypeOf` impl, typed by `sql_type`.
struct Json(String);

/// Every table-level key and every column key (but `primary_key` and `skip`, which conflict with
/// a table-level key and are covered by `Ledger` and `User`).
// clippy's `duplicated_attributes` takes the two `foreign_key(columns(tenant_id, ..))` for a
// repeated attribute (rust-clippy#13238, a false positive on derive helper attributes).
#[allow(clippy::duplicated_attributes)]
#[derive(retort::Table)]
#[table(
    name = "everything",
    schema = "app",
    comment = "Every attribute at once.",
    renamed_from = "kitchen_sink",
    primary_key(tenant_id, id),
    index(columns(email, created_at)),
    index(name = "ix_everything_score", columns(score), unique),
    unique(columns(tenant_id, nickname)),
    unique(name = "uq_everything_code", columns(code)),
    check(expr = "score >= 0"),
    check(name = "ck_everything_balance", expr = "balance >= 0"),
    foreign_key(columns(tenant_id), references = "tenants(id)", on_delete = "cascade"),
    foreign_key(
        name = "fk_everything_owner",
        columns(tenant_id, owner),
        references = "auth.users(tenant_id, id)",
        on_delete = "set null",
        on_update = "RESTRICT"
    )
)]
struct Everything {
    tenant_id: i32,
    #[column(autoincrement)]
    id: i64,
    #[column(length = 255, unique, renamed_from = "mail")]
    email: String,
    #[column(nullable = false, default = "'anon'")]
    nickname: Option<String>,
    #[column(nullable)]
    bio: String,
    #[column(default = 0, comment = "Reputation points.")]
    score: i32,
    #[column(precision = 10, scale = 2, default = "0.00")]
    balance: Decimal,
    #[column(precision = 5)]
    ratio: Option<f64>,
    #[column(sql_type = "jsonb")]
    extra: Json,
    #[column(name = "code", sql_type = "char(8)")]
    short_code: String,
    #[column(
        foreign_key = "orgs.id",
        on_delete = "set null",
        on_update = "no action",
        index
    )]
    org_id: Option<i64>,
    #[column(name = "owner_id", foreign_key = "auth.users.id")]
    owner: i64,
    #[column(computed = "score * 2")]
    doubled: Option<i64>,
    #[column(default = "CURRENT_TIMESTAMP")]
    created_at: String,
    #[column(skip)]
    cache: Vec<u8>,
}

/// A column-level primary key that does not autoincrement, and `precision` completing a bare
/// `sql_type = "numeric"` on a type without `SqlTypeOf`.
#[derive(retort::Table)]
#[table(name = "ledger")]
struct Ledger {
    #[column(primary_key, autoincrement = false)]
    id: i64,
    #[column(sql_type = "numeric", precision = 12, scale = 4)]
    amount: Json,
    #[column(sql_type = "timestamp with time zone")]
    posted_at: Option<Json>,
}

/// A table-level primary key of one integer column autoincrements like a column-level one.
#[derive(retort::Table)]
#[table(name = "events", primary_key(name = "pk_events", event_id))]
struct Event {
    event_id: i64,
}

/// The expansion names everything by absolute path, so local items with the names it uses
/// change nothing.
mod hygiene {
    #![allow(non_camel_case_types)]
    struct Column;
    struct Index;
    struct Table;
    struct SqlType;
    struct SqlTypeOf;
    struct PrimaryKey;
    struct UniqueConstraint;
    struct ForeignKey;
    struct ForeignKeyAction;
    struct CheckConstraint;
    struct Option;
    struct Some;
    struct None;
    struct Result;
    struct Ok;
    struct Err;
    mod core {}
    mod retort {}

    #[derive(::retort::Table)]
    #[table(
        schema = "app",
        primary_key(id),
        index(columns(name)),
        unique(columns(name, parent_id)),
        check(expr = "id > 0"),
        foreign_key(
            columns(parent_id),
            references = "app.shadowed(id)",
            on_delete = "cascade"
        )
    )]
    pub struct Shadowed {
        id: i64,
        #[column(unique, length = 20)]
        name: String,
        #[column(
            sql_type = "bigint",
            foreign_key = "app.shadowed.id",
            on_update = "cascade"
        )]
        parent_id: ::core::option::Option<i64>,
        #[column(precision = 3, scale = 1)]
        weight: f64,
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
fn every_attribute_at_once() {
    let expected = Table::with_columns(
        "everything",
        [
            Column::new("tenant_id", SqlType::Integer).primary_key(),
            Column::new("id", SqlType::BigInt)
                .primary_key()
                .autoincrement(),
            Column::new("email", SqlType::Varchar(255))
                .not_null()
                .renamed_from("mail"),
            Column::new("nickname", SqlType::Text)
                .not_null()
                .default("'anon'"),
            Column::new("bio", SqlType::Text),
            Column::new("score", SqlType::Integer)
                .not_null()
                .default("0")
                .comment("Reputation points."),
            Column::new("balance", SqlType::numeric(10, 2))
                .not_null()
                .default("0.00"),
            Column::new(
                "ratio",
                SqlType::Numeric {
                    precision: Some(5),
                    scale: None,
                },
            ),
            Column::new("extra", SqlType::Jsonb).not_null(),
            Column::new("code", SqlType::Char(8)).not_null(),
            Column::new("org_id", SqlType::BigInt),
            Column::new("owner_id", SqlType::BigInt).not_null(),
            Column::new("doubled", SqlType::BigInt).computed("score * 2"),
            Column::new("created_at", SqlType::Text)
                .not_null()
                .default("CURRENT_TIMESTAMP"),
        ],
    )
    .schema("app")
    .comment("Every attribute at once.")
    .renamed_from("kitchen_sink")
    // Table-level items in the order written, then the columns' in field order.
    .index(Index::unnamed(["email", "created_at"]))
    .index(Index::new("ix_everything_score", ["score"]).unique())
    .index(Index::unnamed(["org_id"]))
    .unique(UniqueConstraint::new(["tenant_id", "nickname"]))
    .unique(UniqueConstraint::new(["code"]).named("uq_everything_code"))
    .unique(UniqueConstraint::new(["email"]))
    .foreign_key(
        ForeignKey::new(["tenant_id"], "tenants", ["id"]).on_delete(ForeignKeyAction::Cascade),
    )
    .foreign_key(
        ForeignKey::new(["tenant_id", "owner_id"], "users", ["tenant_id", "id"])
            .named("fk_everything_owner")
            .referred_schema("auth")
            .on_delete(ForeignKeyAction::SetNull)
            .on_update(ForeignKeyAction::Restrict),
    )
    .foreign_key(
        ForeignKey::new(["org_id"], "orgs", ["id"])
            .on_delete(ForeignKeyAction::SetNull)
            .on_update(ForeignKeyAction::NoAction),
    )
    .foreign_key(ForeignKey::new(["owner_id"], "users", ["id"]).referred_schema("auth"))
    .check(CheckConstraint::new("score >= 0"))
    .check(CheckConstraint::new("balance >= 0").named("ck_everything_balance"));
    let derived = <Everything as TableModel>::table();
    assert_eq!(derived, expected);
    assert_eq!(
        derived.primary_key,
        Some(PrimaryKey::new(["tenant_id", "id"]))
    );
}

#[test]
fn primary_key_options_and_numeric_sql_type() {
    let expected = Table::with_columns(
        "ledger",
        [
            Column::new("id", SqlType::BigInt).primary_key(),
            Column::new("amount", SqlType::numeric(12, 4)).not_null(),
            Column::new("posted_at", SqlType::TimestampTz),
        ],
    );
    assert_eq!(<Ledger as TableModel>::table(), expected);

    let expected = Table::with_columns("events", [Column::new("event_id", SqlType::BigInt)])
        .primary_key(PrimaryKey::new(["event_id"]).named("pk_events"));
    let derived = <Event as TableModel>::table();
    assert!(derived.columns[0].autoincrement);
    assert!(derived.in_primary_key("event_id"));
    assert!(!derived.columns[0].nullable);
    let mut without_autoincrement = derived.clone();
    without_autoincrement.columns[0].autoincrement = false;
    assert_eq!(without_autoincrement, expected);
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
            "events",
            "ledger",
            "membership",
            "tickets",
            "users",
            "app.accounts",
            "app.everything",
            "app.shadowed"
        ]
    );
    assert_eq!(tables[5], <User as TableModel>::table());
    assert_eq!(tables[8], <hygiene::Shadowed as TableModel>::table());
}

#[derive(retort::SqlEnum)]
#[sql_enum(rename_all = "snake_case")]
enum TicketState {
    Open,
    InProgress,
    #[sql_enum(rename = "closed for good")]
    Closed,
}

#[derive(retort::SqlEnum)]
#[sql_enum(name = "priority", schema = "app")]
enum Priority {
    Low,
    High,
}

#[derive(retort::SqlDomain)]
#[sql_domain(check(expr = "VALUE > 0"))]
struct Points(i32);

#[derive(retort::Table)]
#[table(name = "tickets")]
struct Ticket {
    #[column(primary_key)]
    id: i64,
    #[column(default = "'open'")]
    state: TicketState,
    priority: Option<Priority>,
    points: Option<Points>,
}

/// A `#[derive(SqlEnum)]` field is an enum column, its labels the variants in order, and a
/// `#[derive(SqlDomain)]` field a column of the domain; the metadata gathers each type once.
#[test]
fn enum_and_domain_fields() {
    use retort::schema::{DomainType, EnumType};
    let state = EnumType::new("ticket_state", ["open", "in_progress", "closed for good"]);
    let priority = EnumType::new("priority", ["Low", "High"]).schema("app");
    // PostgreSQL's name for a domain's unnamed check.
    let points = DomainType::new("points", SqlType::Integer).check("points_check", "VALUE > 0");
    let expected = Table::with_columns(
        "tickets",
        [
            Column::new("id", SqlType::BigInt)
                .primary_key()
                .autoincrement(),
            Column::new("state", SqlType::Enum(state.clone()))
                .not_null()
                .default("'open'"),
            Column::new("priority", SqlType::Enum(priority.clone())),
            Column::new("points", SqlType::Domain(points.clone())),
        ],
    );
    assert_eq!(<Ticket as TableModel>::table(), expected);
    let metadata = retort::MetaData::from_tables([<Ticket as TableModel>::table()]);
    assert_eq!(
        metadata.enums.values().collect::<Vec<_>>(),
        [&state, &priority]
    );
    assert_eq!(metadata.domains.values().collect::<Vec<_>>(), [&points]);
    metadata.check_types().expect("one declaration each");
    let mut other = expected.clone();
    other.name = "other_tickets".into();
    other.columns[1].sql_type = SqlType::Enum(EnumType::new("ticket_state", ["open"]));
    let conflicting = retort::MetaData::from_tables([expected, other]);
    let err = conflicting.check_types().expect_err("two label lists");
    assert!(
        err.to_string()
            .contains("enum type `ticket_state` is declared twice"),
        "{err}"
    );
}
