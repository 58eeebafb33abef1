//! The models and the change matrix the backend tests share: three related tables using every
//! type and constraint, and one case per kind of change with the ops it must produce on each
//! dialect. Also read by `cli/tests/matrix.rs`, which runs every case through a rendered file.

#![allow(dead_code)]

use retort_core::context::MigrationContext;
use retort_core::ddl::{DdlImpl, Dialect};
use retort_core::naming::NamingConvention;
use retort_core::schema::{
    CheckConstraint, Column, ForeignKey, ForeignKeyAction, Index, MetaData, PrimaryKey,
    QualifiedName, SqlType, Table, UniqueConstraint,
};

/// Three related tables using every type and constraint of DESIGN §4.1.
pub fn models() -> MetaData {
    MetaData::from_tables([
        Table::with_columns(
            "orgs",
            [
                Column::new("id", SqlType::BigInt)
                    .primary_key()
                    .autoincrement(),
                Column::new("name", SqlType::Varchar(100)).not_null(),
                Column::new("created_at", SqlType::Timestamp)
                    .not_null()
                    .default("CURRENT_TIMESTAMP"),
            ],
        )
        .unique(UniqueConstraint::new(["name"]))
        .comment("organisations"),
        Table::with_columns(
            "users",
            [
                Column::new("id", SqlType::BigInt)
                    .primary_key()
                    .autoincrement(),
                Column::new("org_id", SqlType::BigInt),
                Column::new("email", SqlType::Varchar(50)).not_null(),
                Column::new("score", SqlType::Integer)
                    .not_null()
                    .default("0"),
                Column::new("rank", SqlType::SmallInt),
                Column::new("active", SqlType::Boolean)
                    .not_null()
                    .default("true"),
                Column::new("balance", SqlType::numeric(10, 2)).default("0"),
                Column::new("ratio", SqlType::Double),
                Column::new("weight", SqlType::Real),
                Column::new("nickname", SqlType::Text).comment("shown to others"),
                Column::new("country", SqlType::Char(2)).default("'NZ'"),
                Column::new("token", SqlType::Uuid),
                Column::new("settings", SqlType::Json),
                Column::new("extra", SqlType::Jsonb),
                Column::new("avatar", SqlType::Blob),
                Column::new("born", SqlType::Date),
                Column::new("wakes", SqlType::Time),
                Column::new("seen_at", SqlType::TimestampTz),
                Column::new("double_score", SqlType::Integer).computed("score * 2"),
            ],
        )
        .unique(UniqueConstraint::new(["email"]))
        .foreign_key(
            ForeignKey::new(["org_id"], "orgs", ["id"]).on_delete(ForeignKeyAction::SetNull),
        )
        .check(CheckConstraint::new("score >= 0").named("ck_users_score"))
        .index(Index::unnamed(["org_id", "score"]))
        .index(Index::unnamed(["nickname_key"]).unique())
        .comment("people"),
        Table::with_columns(
            "memberships",
            [
                Column::new("user_id", SqlType::BigInt).not_null(),
                Column::new("org_id", SqlType::BigInt).not_null(),
                Column::new("role", SqlType::Varchar(20))
                    .not_null()
                    .default("'member'"),
            ],
        )
        .primary_key(PrimaryKey::new(["org_id", "user_id"]))
        .foreign_key(
            ForeignKey::new(["user_id"], "users", ["id"]).on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(ForeignKey::new(["org_id"], "orgs", ["id"])),
    ])
}

/// The models as the runner hands them to compare: named by the convention for the dialect.
pub fn named(mut metadata: MetaData, ddl: &dyn DdlImpl) -> MetaData {
    for table in metadata.tables.values_mut() {
        NamingConvention::default().apply(table, ddl.max_identifier_length());
    }
    metadata
}

/// `models()` with `users.nickname_key`, which the unique index above needs (kept out of the
/// column list above so the index can name a column added last).
pub fn base() -> MetaData {
    let mut metadata = models();
    let users = metadata.tables.get_mut(&"users".into()).expect("users");
    users.push_column(Column::new("nickname_key", SqlType::Varchar(40)));
    metadata
}

pub fn seed(ctx: &mut MigrationContext) {
    let q = |t: &str| ctx.ddl().quote(t);
    let (orgs, users, memberships) = (q("orgs"), q("users"), q("memberships"));
    for sql in [
        format!("INSERT INTO {orgs} (name) VALUES ('acme'), ('globex')"),
        format!(
            "INSERT INTO {users} (org_id, email, nickname) VALUES (1, 'a@x', 'a'), (2, 'b@x', 'b')"
        ),
        format!("INSERT INTO {memberships} (user_id, org_id) VALUES (1, 1), (2, 2)"),
    ] {
        ctx.executor().execute(&sql).expect("seed rows");
    }
}

/// One change to the models, the ops it must produce on each dialect, and whether it keeps
/// the rows of `users`.
pub struct Case {
    pub name: &'static str,
    pub change: fn(&mut MetaData),
    pub expected: fn(Dialect) -> Vec<&'static str>,
}

pub fn users(metadata: &mut MetaData) -> &mut Table {
    metadata.tables.get_mut(&"users".into()).expect("users")
}

pub fn column<'a>(metadata: &'a mut MetaData, name: &str) -> &'a mut Column {
    users(metadata)
        .columns
        .iter_mut()
        .find(|c| c.name == name)
        .expect("column")
}

pub fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "add column",
            change: |m| users(m).push_column(Column::new("bio", SqlType::Text)),
            expected: |_| vec!["add column `users.bio`"],
        },
        Case {
            name: "drop column",
            change: |m| users(m).columns.retain(|c| c.name != "rank"),
            expected: |_| vec!["remove column `users.rank`"],
        },
        Case {
            name: "type widen",
            change: |m| column(m, "email").sql_type = SqlType::Varchar(100),
            expected: |_| vec!["alter column `users.email`: type VARCHAR(50) -> VARCHAR(100)"],
        },
        Case {
            name: "integer to bigint",
            change: |m| column(m, "rank").sql_type = SqlType::BigInt,
            expected: |d| match d {
                // One storage class: SQLite has nothing to change.
                Dialect::Sqlite => vec![],
                _ => vec!["alter column `users.rank`: type SMALLINT -> BIGINT"],
            },
        },
        Case {
            name: "null to not null",
            change: |m| column(m, "nickname").nullable = false,
            expected: |_| vec!["alter column `users.nickname`: NULL -> NOT NULL"],
        },
        Case {
            name: "default add",
            change: |m| column(m, "ratio").default = Some("1.5".into()),
            expected: |_| vec!["alter column `users.ratio`: default no default -> 1.5"],
        },
        Case {
            name: "default change",
            change: |m| column(m, "score").default = Some("10".into()),
            expected: |_| vec!["alter column `users.score`: default 0 -> 10"],
        },
        Case {
            name: "default drop",
            change: |m| column(m, "country").default = None,
            expected: |d| match d {
                // The op shows the default as the database printed it.
                Dialect::Postgres => {
                    vec!["alter column `users.country`: default 'NZ'::bpchar -> no default"]
                }
                _ => vec!["alter column `users.country`: default 'NZ' -> no default"],
            },
        },
        Case {
            name: "add index",
            change: |m| users(m).indexes.push(Index::unnamed(["email", "score"])),
            expected: |_| vec!["add index `ix_users_email_score` on `users` (email, score)"],
        },
        Case {
            name: "drop index",
            change: |m| users(m).indexes.retain(|i| i.unique),
            expected: |d| match d {
                // InnoDB keeps a foreign key's index: the key gets its own before this goes.
                Dialect::Mysql => vec![
                    "add index `fk_users_org_id_orgs` on `users` (org_id)",
                    "remove index `ix_users_org_id_score` on `users`",
                ],
                _ => vec!["remove index `ix_users_org_id_score` on `users`"],
            },
        },
        Case {
            name: "add foreign key",
            change: |m| {
                let memberships = m.tables.get_mut(&"memberships".into()).expect("t");
                memberships.push_column(Column::new("invited_by", SqlType::BigInt));
                memberships
                    .foreign_keys
                    .push(ForeignKey::new(["invited_by"], "users", ["id"]));
            },
            expected: |_| {
                vec![
                    "add column `memberships.invited_by`",
                    "add foreign key `fk_memberships_invited_by_users` on `memberships`",
                ]
            },
        },
        Case {
            name: "change foreign key action",
            change: |m| users(m).foreign_keys[0].on_delete = Some(ForeignKeyAction::Cascade),
            expected: |_| {
                vec![
                    "remove foreign key `fk_users_org_id_orgs` on `users`",
                    "add foreign key `fk_users_org_id_orgs` on `users`",
                ]
            },
        },
        Case {
            name: "add check",
            change: |m| {
                users(m)
                    .check_constraints
                    .push(CheckConstraint::new("length(email) > 2").named("ck_users_email"))
            },
            expected: |_| vec!["add check constraint `ck_users_email` on `users`"],
        },
        Case {
            name: "add table",
            change: |m| {
                m.add_table(Table::with_columns(
                    "tags",
                    [
                        Column::new("id", SqlType::Integer)
                            .primary_key()
                            .autoincrement(),
                        Column::new("label", SqlType::Varchar(30)).not_null(),
                    ],
                ))
            },
            expected: |_| vec!["add table `tags`"],
        },
        Case {
            name: "drop table",
            change: |m| {
                m.tables.remove(&QualifiedName::from("memberships"));
            },
            expected: |_| vec!["remove table `memberships`"],
        },
        Case {
            name: "primary key change",
            change: |m| {
                let t = m.tables.get_mut(&"memberships".into()).expect("t");
                *t = std::mem::take(t).primary_key(PrimaryKey::new(["user_id", "org_id", "role"]));
            },
            expected: |d| match d {
                // The old key served the foreign key on org_id; InnoDB needs another first.
                Dialect::Mysql => vec![
                    "add index `fk_memberships_org_id_orgs` on `memberships` (org_id)",
                    "remove primary key `pk_memberships` on `memberships`",
                    "add primary key `pk_memberships` on `memberships`",
                ],
                _ => vec![
                    "remove primary key `pk_memberships` on `memberships`",
                    "add primary key `pk_memberships` on `memberships`",
                ],
            },
        },
        Case {
            name: "rename column",
            change: |m| {
                let nickname = column(m, "nickname");
                nickname.name = "handle".into();
                nickname.renamed_from = Some("nickname".into());
            },
            expected: |_| vec!["rename column `users.nickname` to `handle`"],
        },
        Case {
            name: "add unique",
            change: |m| {
                users(m)
                    .unique_constraints
                    .push(UniqueConstraint::new(["email", "score"]))
            },
            expected: |_| vec!["add unique constraint `uq_users_email_score` on `users`"],
        },
        Case {
            name: "drop unique",
            change: |m| {
                let orgs = m.tables.get_mut(&"orgs".into()).expect("orgs");
                orgs.unique_constraints.clear();
            },
            expected: |_| vec!["remove unique constraint `uq_orgs_name` on `orgs`"],
        },
        Case {
            name: "drop check",
            change: |m| users(m).check_constraints.clear(),
            expected: |_| vec!["remove check constraint `ck_users_score` on `users`"],
        },
        Case {
            name: "rename table",
            change: |m| {
                let mut t = m
                    .tables
                    .remove(&QualifiedName::from("memberships"))
                    .expect("memberships");
                // Names as the old table has them, so that only the table's name changes.
                t.primary_key.as_mut().expect("key").name = Some("pk_memberships".into());
                for fk in &mut t.foreign_keys {
                    fk.name = Some(format!(
                        "fk_memberships_{}_{}",
                        fk.columns[0], fk.referred_table
                    ));
                }
                t.name = "members".into();
                t.renamed_from = Some("memberships".into());
                m.add_table(t);
            },
            expected: |_| vec!["rename table `memberships` to `members`"],
        },
        Case {
            name: "comment change",
            change: |m| {
                column(m, "nickname").comment = Some("public name".into());
                users(m).comment = Some("everyone".into());
            },
            expected: |d| match d {
                // SQLite stores no comments, so there is nothing to compare.
                Dialect::Sqlite => vec![],
                _ => vec![
                    "alter column `users.nickname`: comment changed",
                    "set comment of table `users`",
                ],
            },
        },
    ]
}
