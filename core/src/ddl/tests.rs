//! DDL snapshots per dialect for every op.

use super::*;
use crate::ops::{
    AddColumn, AddConstraint, Change, CreateIndex, CreateTable, DropColumn, DropConstraint,
    DropIndex, DropTable, Execute, RenameColumn, RenameTable, TableComment,
};
use crate::schema::{ForeignKeyAction, IdentityOptions};

const DIALECTS: [&dyn DdlImpl; 3] = [&SqliteImpl, &PostgresImpl, &MysqlImpl];

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
            Column::new("nickname", SqlType::Text).comment("shown to others"),
            Column::new("active", SqlType::Boolean)
                .not_null()
                .default("true"),
            Column::new("balance", SqlType::numeric(10, 2)),
            Column::new("created_at", SqlType::Timestamp).default("CURRENT_TIMESTAMP"),
            Column::new("seen_at", SqlType::TimestampTz),
            Column::new("token", SqlType::Uuid),
            Column::new("extra", SqlType::Jsonb),
            Column::new("avatar", SqlType::Blob),
            Column::new("ratio", SqlType::Double),
            Column::new("double_score", SqlType::Integer).computed("score * 2"),
            Column::new("org_id", SqlType::BigInt),
        ],
    )
    .index(Index::new("ix_users_score", ["score"]))
    .unique(UniqueConstraint::new(["email"]).named("uq_users_email"))
    .foreign_key(
        ForeignKey::new(["org_id"], "orgs", ["id"])
            .named("fk_users_org_id_orgs")
            .on_delete(ForeignKeyAction::SetNull)
            .on_update(ForeignKeyAction::Cascade),
    )
    .check(CheckConstraint::new("score >= 0").named("ck_users_score"))
    .comment("people")
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
            concurrently: false,
            if_exists: false,
        }),
        Op::TableComment(TableComment {
            table: t.clone(),
            from: Some("people".into()),
            to: Some("everyone".into()),
        }),
        Op::AlterTableStorage(AlterTableStorage {
            mysql_engine: Some(Change {
                from: Some("MyISAM".into()),
                to: Some("InnoDB".into()),
            }),
            mysql_charset: Some(Change {
                from: None,
                to: Some("utf8mb4".into()),
            }),
            postgresql_unlogged: Some(Change {
                from: false,
                to: true,
            }),
            ..AlterTableStorage::new(t.clone())
        }),
        Op::CreateTable(CreateTable {
            table: Table::with_columns(
                "events",
                [Column::new("id", SqlType::BigInt)
                    .primary_key()
                    .autoincrement()
                    .identity_start(1000)
                    .identity_increment(10)],
            )
            .mysql_engine("MyISAM")
            .mysql_collate("latin1_bin")
            .postgresql_unlogged(),
        }),
        Op::RenameColumn(RenameColumn {
            table: t.clone(),
            name: "nickname".into(),
            new_name: "handle".into(),
        }),
        Op::RenameTable(RenameTable {
            table: t.clone(),
            new_name: "people".into(),
        }),
        Op::DropTable(DropTable {
            name: t,
            table: None,
            if_exists: false,
        }),
        Op::Execute(Execute {
            params: Vec::new(),
            sql: "UPDATE users SET score = 1".into(),
        }),
    ]
}

/// Ops SQLite cannot run with `ALTER TABLE`.
fn alter_ops() -> Vec<Op> {
    let t = QualifiedName::from("users");
    let email = Column::new("email", SqlType::Varchar(50)).not_null();
    vec![
        Op::AlterColumn(AlterColumn {
            sql_type: Some(Change {
                from: SqlType::Varchar(50),
                to: SqlType::Varchar(100),
            }),
            nullable: Some(Change {
                from: false,
                to: true,
            }),
            default: Some(Change {
                from: None,
                to: Some("'x'".into()),
            }),
            comment: Some(Change {
                from: None,
                to: Some("where we write".into()),
            }),
            ..AlterColumn::new(t.clone(), email)
        }),
        Op::AlterColumn(AlterColumn {
            sql_type: Some(Change {
                from: SqlType::Text,
                to: SqlType::BigInt,
            }),
            ..AlterColumn::new(t.clone(), Column::new("code", SqlType::Text))
        }),
        Op::AlterColumn(AlterColumn {
            collation: Some(Change {
                from: None,
                to: Some("C".into()),
            }),
            ..AlterColumn::new(
                t.clone(),
                Column::new("handle", SqlType::Varchar(40)).collation("C"),
            )
        }),
        Op::AlterColumn(AlterColumn {
            identity: Some(Change {
                from: IdentityOptions::default(),
                to: IdentityOptions {
                    start: None,
                    increment: Some(5),
                },
            }),
            ..AlterColumn::new(
                t.clone(),
                Column::new("id", SqlType::BigInt).autoincrement(),
            )
        }),
        Op::AddConstraint(AddConstraint {
            table: t.clone(),
            constraint: Constraint::Unique(
                UniqueConstraint::new(["email", "nickname"]).named("uq_x"),
            ),
        }),
        Op::AddConstraint(AddConstraint {
            table: t.clone(),
            constraint: Constraint::ForeignKey(
                ForeignKey::new(["org_id"], "orgs", ["id"])
                    .named("fk_users_org")
                    .on_delete(ForeignKeyAction::Cascade),
            ),
        }),
        Op::DropConstraint(DropConstraint {
            table: t.clone(),
            name: "uq_x".into(),
            constraint: Some(Constraint::Unique(UniqueConstraint::new(["email"]))),
            kind: None,
        }),
        Op::DropConstraint(DropConstraint {
            table: t.clone(),
            name: "fk_users_org_id_orgs".into(),
            constraint: Some(Constraint::ForeignKey(ForeignKey::new(
                ["org_id"],
                "orgs",
                ["id"],
            ))),
            kind: None,
        }),
        Op::DropConstraint(DropConstraint {
            table: t,
            name: "ck_users_score".into(),
            constraint: None,
            kind: None,
        }),
    ]
}

fn script(ddl: &dyn DdlImpl, ops: &[Op]) -> String {
    ops.iter()
        .flat_map(|op| ddl.statements(op).expect("supported"))
        .map(|s| s + ";\n")
        .collect()
}

#[test]
fn ddl_of_every_op() {
    for ddl in DIALECTS {
        insta::assert_snapshot!(format!("{}_ddl", ddl.dialect()), script(ddl, &every_op()));
    }
    for ddl in [&PostgresImpl as &dyn DdlImpl, &MysqlImpl] {
        insta::assert_snapshot!(
            format!("{}_alter", ddl.dialect()),
            script(ddl, &alter_ops())
        );
    }
}

#[test]
fn version_table() {
    for ddl in DIALECTS {
        insta::assert_snapshot!(
            format!("{}_version_table", ddl.dialect()),
            ddl.create_version_table("retort_version")
        );
        insta::assert_snapshot!(
            format!("{}_applied_table", ddl.dialect()),
            ddl.create_applied_table("retort_version_applied", false)
        );
        assert!(ddl
            .create_applied_table("retort_version_applied", true)
            .starts_with("CREATE TABLE IF NOT EXISTS "));
    }
}

/// Offline there is no table definition to rebuild from: SQLite says so instead of guessing.
#[test]
fn sqlite_rebuild_ops_need_a_live_database() {
    // Identity options are nothing SQLite keeps: that op runs no statement, and no rebuild.
    let (nothing, rebuilt): (Vec<Op>, Vec<Op>) = alter_ops()
        .into_iter()
        .partition(|op| SqliteImpl.changes_nothing(op));
    assert_eq!(nothing.len(), 1, "{nothing:?}");
    assert_eq!(
        SqliteImpl.statements(&nothing[0]).expect("runs"),
        Vec::<String>::new()
    );
    for op in rebuilt {
        assert!(SqliteImpl.rebuild_support(&op).is_some(), "{op}");
        let err = SqliteImpl.statements(&op).expect_err("needs a rebuild");
        assert!(err.to_string().contains("without --sql"), "{err}");
    }
}

#[test]
fn identifiers_are_always_quoted_and_escaped() {
    assert_eq!(SqliteImpl.quote("order"), "\"order\"");
    assert_eq!(SqliteImpl.quote("we\"ird"), "\"we\"\"ird\"");
    assert_eq!(MysqlImpl.quote("we`ird"), "`we``ird`");
    assert_eq!(SqliteImpl.literal("it's"), "'it''s'");
    assert_eq!(MysqlImpl.literal("a\\b'c"), "'a\\\\b''c'");
}

/// MySQL gets a created table's indexes inside its `CREATE TABLE` (one statement, not one per
/// index); where the dialect cannot, or the index follows something else, nothing moves.
#[test]
fn created_indexes_fuse_into_create_table_on_mysql_only() {
    use crate::data::Step;
    let table = Table::with_columns("t", [Column::new("a", SqlType::Integer)]);
    let index = |name: &str| {
        Op::CreateIndex(CreateIndex {
            table: table.qualified_name(),
            index: Index::new(name, ["a"]),
        })
    };
    let steps = || {
        vec![
            Step::Op(Op::CreateTable(CreateTable {
                table: table.clone(),
            })),
            Step::Op(index("ix_one")),
            Step::Op(index("ix_two")),
            Step::Op(Op::Execute(Execute {
                sql: "SELECT 1".into(),
                params: Vec::new(),
            })),
            Step::Op(index("ix_late")),
        ]
    };
    let shape = |steps: &[Step]| -> Vec<String> {
        Step::ops(steps)
            .iter()
            .map(|op| match op {
                Op::CreateTable(t) => format!("create {} indexes", t.table.indexes.len()),
                other => other.to_string(),
            })
            .collect()
    };
    let mysql = Step::fuse_created_indexes(steps(), &MysqlImpl);
    assert_eq!(shape(&mysql).len(), 3, "{:?}", shape(&mysql));
    assert_eq!(shape(&mysql)[0], "create 2 indexes");
    let sql = MysqlImpl.statements(Step::ops(&mysql)[0]).expect("renders");
    assert_eq!(sql.len(), 1, "{sql:?}");
    assert!(sql[0].contains("INDEX `ix_two` (`a`)"), "{sql:?}");
    for ddl in [&SqliteImpl as &dyn DdlImpl, &PostgresImpl] {
        let kept = Step::fuse_created_indexes(steps(), ddl);
        assert_eq!(shape(&kept), shape(&steps()), "{:?}", ddl.dialect());
    }
}

/// Values as each dialect writes them in `--sql` scripts and bulk inserts.
#[test]
fn value_literals_per_dialect() {
    use crate::value::Value;
    let values = [
        Value::Null,
        Value::Bool(true),
        Value::Int(-7),
        Value::Float(1.0),
        Value::Text("it's".into()),
        Value::Bytes(vec![0x0a, 0xff]),
    ];
    let literals = |ddl: &dyn DdlImpl| -> Vec<String> {
        values.iter().map(|v| ddl.value_literal(v)).collect()
    };
    assert_eq!(
        literals(&SqliteImpl),
        ["NULL", "1", "-7", "1.0", "'it''s'", "X'0aff'"]
    );
    assert_eq!(
        literals(&PostgresImpl),
        ["NULL", "TRUE", "-7", "1.0", "'it''s'", "'\\x0aff'::bytea"]
    );
    assert_eq!(
        literals(&MysqlImpl),
        ["NULL", "1", "-7", "1.0", "'it''s'", "X'0aff'"]
    );
    let sql = PostgresImpl
        .with_literals("UPDATE t SET a = ?, b = '?' WHERE c = ?", &values[1..3])
        .expect("two placeholders, two values");
    assert_eq!(sql, "UPDATE t SET a = TRUE, b = '?' WHERE c = -7");
    assert!(PostgresImpl
        .with_literals("SELECT ?", &values[..2])
        .is_err());
}

/// Enum ops and enum columns: PostgreSQL's types of their own (labels added in place, a
/// removed label replacing the type after checking the rows), MySQL's `ENUM(..)` columns and
/// SQLite's TEXT with a CHECK, where the enum ops run nothing.
#[test]
fn ddl_of_enums() {
    use crate::ops::{AlterEnum, CreateEnum, DropEnum};
    use crate::schema::{EnumType, TypeColumn};
    let mood = EnumType::new("mood", ["happy", "it's ok"]);
    let people = QualifiedName::from("people");
    let column = |default: Option<&str>| TypeColumn {
        table: people.clone(),
        column: "mood".into(),
        default: default.map(str::to_owned),
    };
    let alter = |from: &[&str], to: &[&str], columns| {
        Op::AlterEnum(AlterEnum {
            name: "mood".into(),
            labels: Change {
                from: from.iter().map(|l| l.to_string()).collect(),
                to: to.iter().map(|l| l.to_string()).collect(),
            },
            columns,
        })
    };
    let ops = vec![
        Op::CreateEnum(CreateEnum {
            enum_type: mood.clone(),
        }),
        Op::CreateEnum(CreateEnum {
            enum_type: EnumType::new("state", ["on"]).schema("app"),
        }),
        Op::CreateTable(CreateTable {
            table: Table::with_columns(
                "people",
                [
                    Column::new("id", SqlType::BigInt)
                        .primary_key()
                        .autoincrement(),
                    Column::new("mood", SqlType::Enum(mood.clone()))
                        .not_null()
                        .default("'happy'"),
                ],
            ),
        }),
        Op::AddColumn(AddColumn {
            table: people.clone(),
            column: Column::new(
                "state",
                SqlType::Enum(EnumType::new("state", ["on"]).schema("app")),
            ),
        }),
        // Added labels, first, between and last: in place.
        alter(
            &["happy", "it's ok"],
            &["sad", "happy", "meh", "it's ok", "great"],
            vec![column(None)],
        ),
        // A removed label: the rows are checked, then the type replaced.
        alter(
            &["sad", "happy", "it's ok"],
            &["happy", "it's ok"],
            vec![column(Some("'happy'::mood"))],
        ),
        // Reordered only: replaced, no rows to check.
        alter(
            &["happy", "it's ok"],
            &["it's ok", "happy"],
            vec![column(None)],
        ),
        Op::AlterColumn(AlterColumn {
            sql_type: Some(Change {
                from: SqlType::Text,
                to: SqlType::Enum(mood.clone()),
            }),
            ..AlterColumn::new(people.clone(), Column::new("mood", SqlType::Text))
        }),
        Op::DropTable(DropTable {
            name: people.clone(),
            table: None,
            if_exists: false,
        }),
        Op::DropEnum(DropEnum { enum_type: mood }),
    ];
    for ddl in DIALECTS {
        let runs: Vec<Op> = ops
            .iter()
            .filter(|op| ddl.rebuild_support(op).is_none())
            .cloned()
            .collect();
        insta::assert_snapshot!(format!("{}_enums", ddl.dialect()), script(ddl, &runs));
    }
}

/// Domains: PostgreSQL's `CREATE DOMAIN` with NOT NULL, a default and named CHECKs, altered
/// piece by piece, dropped after their table; elsewhere a domain column is its base type.
#[test]
fn ddl_of_domains() {
    use crate::ops::{AlterDomain, CreateDomain, DropDomain};
    use crate::schema::DomainType;
    let year = DomainType::new("year", SqlType::Integer)
        .check("year_check", "VALUE >= 1901 AND VALUE <= 2155");
    let code = DomainType::new("code", SqlType::Varchar(8))
        .schema("app")
        .not_null()
        .default("'none'");
    let ops = vec![
        Op::CreateDomain(CreateDomain {
            domain: year.clone(),
        }),
        Op::CreateDomain(CreateDomain {
            domain: code.clone(),
        }),
        Op::CreateTable(CreateTable {
            table: Table::with_columns(
                "films",
                [
                    Column::new("id", SqlType::BigInt)
                        .primary_key()
                        .autoincrement(),
                    Column::new("release_year", SqlType::Domain(year.clone())),
                    Column::new("code", SqlType::Domain(code.clone())).not_null(),
                ],
            ),
        }),
        Op::AlterDomain(AlterDomain {
            from: year.clone(),
            to: DomainType::new("year", SqlType::Integer)
                .not_null()
                .default("2000")
                .check("year_check", "VALUE >= 1888")
                .check("year_even", "VALUE % 2 = 0"),
        }),
        Op::AlterDomain(AlterDomain {
            from: code.clone(),
            to: DomainType::new("code", SqlType::Varchar(8)).schema("app"),
        }),
        Op::DropTable(DropTable {
            name: "films".into(),
            table: None,
            if_exists: false,
        }),
        Op::DropDomain(DropDomain { domain: year }),
    ];
    for ddl in DIALECTS {
        insta::assert_snapshot!(format!("{}_domains", ddl.dialect()), script(ddl, &ops));
    }
    let rebased = Op::AlterDomain(AlterDomain {
        from: code.clone(),
        to: DomainType {
            base: Box::new(SqlType::Text),
            ..code
        },
    });
    let err = PostgresImpl
        .statements(&rebased)
        .expect_err("a new base type");
    assert!(
        err.to_string()
            .contains("cannot change a domain's base type"),
        "{err}"
    );
}

/// A label with a backslash is a MySQL literal with the backslash escaped (MySQL reads `\b` as
/// a backspace); the other dialects' literals double quotes only.
#[test]
fn enum_labels_are_each_dialects_literals() {
    use crate::schema::EnumType;
    let column = Column::new("c", SqlType::Enum(EnumType::new("c", [r"a\b", "it's"])));
    assert_eq!(
        MysqlImpl.type_sql(&column.sql_type, &column),
        r"ENUM('a\\b', 'it''s')"
    );
    assert_eq!(
        SqliteImpl.type_sql(&column.sql_type, &column),
        r#"TEXT CHECK ("c" IN ('a\b', 'it''s'))"#
    );
}
