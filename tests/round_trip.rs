//! Derived models round-trip on every backend: autogenerate from an empty database, upgrade,
//! and autogenerate again gives zero ops; the downgrade leaves no table (issue: the derive
//! contract, DESIGN §4.1; zero false diffs, §4.3).
#![cfg(all(
    feature = "chrono",
    feature = "uuid",
    feature = "serde_json",
    feature = "rust_decimal"
))]
#![allow(dead_code)]

use retort::core::testing::all_dialects;
use retort::prelude::*;
use retort::{Environment, Op};

#[derive(Table)]
#[table(name = "rt_orgs", comment = "organisations")]
struct Org {
    #[column(primary_key)]
    id: i64,
    #[column(length = 100, unique)]
    name: String,
    #[column(default = "CURRENT_TIMESTAMP")]
    created_at: chrono::NaiveDateTime,
}

#[derive(Table)]
#[table(
    name = "rt_users",
    comment = "people",
    index(columns(org_id, score)),
    index(name = "ix_rt_users_nick", columns(nickname), unique),
    unique(columns(org_id, email)),
    check(name = "ck_rt_users_score", expr = "score >= 0")
)]
struct User {
    #[column(primary_key)]
    id: i64,
    #[column(foreign_key = "rt_orgs.id", on_delete = "set null", index)]
    org_id: Option<i64>,
    #[column(length = 50)]
    email: String,
    #[column(default = 0)]
    score: i32,
    #[column(default = true)]
    active: bool,
    #[column(precision = 10, scale = 2, default = 0)]
    balance: Option<rust_decimal::Decimal>,
    ratio: Option<f64>,
    weight: Option<f32>,
    rank: Option<i16>,
    #[column(length = 40, comment = "shown to others")]
    nickname: Option<String>,
    token: Option<uuid::Uuid>,
    settings: Option<serde_json::Value>,
    #[column(sql_type = "jsonb")]
    extra: Option<serde_json::Value>,
    avatar: Option<Vec<u8>>,
    born: Option<chrono::NaiveDate>,
    wakes: Option<chrono::NaiveTime>,
    seen_at: Option<chrono::DateTime<chrono::Utc>>,
    #[column(computed = "score * 2")]
    double_score: Option<i32>,
    #[column(name = "desc")]
    description: Option<String>,
    #[column(skip)]
    cache: Vec<u8>,
}

#[derive(Table)]
#[table(
    name = "rt_memberships",
    primary_key(org_id, user_id),
    foreign_key(columns(user_id), references = "rt_users(id)", on_delete = "cascade")
)]
struct Membership {
    user_id: i64,
    #[column(foreign_key = "rt_orgs.id")]
    org_id: i64,
    #[column(length = 20, default = "'member'")]
    role: String,
}

#[test]
fn derived_models_round_trip_with_zero_ops_on_every_backend() {
    let env = Environment::new(&[]);
    for db in all_dialects() {
        let mut ctx = db.context();
        let target = env.target_for(ctx.ddl()).expect("target metadata");
        assert_eq!(target.tables.len(), 3);
        let (ops, warnings) = retort::autogen::produce_migration(&mut ctx, &target).expect("diff");
        assert!(warnings.is_empty(), "{:?}: {warnings:?}", db.dialect);
        ctx.run_ops(&ops)
            .unwrap_or_else(|e| panic!("{:?}: upgrade: {e}", db.dialect));
        let (again, _) = retort::autogen::produce_migration(&mut ctx, &target).expect("diff");
        let again: Vec<String> = again.iter().map(ToString::to_string).collect();
        assert_eq!(again, Vec::<String>::new(), "{:?}", db.dialect);

        ctx.run_ops(&Op::reverse_all(&ops).expect("reversible"))
            .unwrap_or_else(|e| panic!("{:?}: downgrade: {e}", db.dialect));
        let left = retort::autogen::reflect(&mut ctx)
            .expect("reflect")
            .metadata;
        assert!(left.tables.is_empty(), "{:?}", db.dialect);
    }
}
