//! Render snapshots per kind of migration, and the refusals of what `Operations` cannot express.

use retort_core::ops::{
    AddColumn, AddConstraint, CreateIndex, CreateTable, DropColumn, DropConstraint, DropIndex,
    DropTable, Execute,
};

use quote::quote;
use retort_core::ops::{AlterColumn, Constraint, TableComment};
use retort_core::schema::{
    CheckConstraint, Column, ForeignKey, ForeignKeyAction, Index, PrimaryKey, QualifiedName,
    SqlType, Table, UniqueConstraint,
};

use super::ops::*;
use super::schema::*;
use super::*;

fn header(message: &str, revision: &str, down: &[&str]) -> RevisionHeader {
    RevisionHeader {
        message: message.to_owned(),
        revision: revision.to_owned(),
        down_revisions: down.iter().map(|s| s.to_string()).collect(),
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        create_date: "2026-11-24 10:00:00 UTC".to_owned(),
    }
}

/// Renders and checks the result parses as a Rust file, as every test must, and that
/// rustfmt's layout from token text is rustfmt's layout of this file.
fn render(header: &RevisionHeader, upgrade: &[Op], downgrade: &[Op]) -> String {
    let rendered = render_migration(header, upgrade, downgrade).expect("renders");
    if let Err(e) = syn::parse_file(&rendered) {
        panic!("rendered file does not parse: {e}\n{rendered}");
    }
    assert_rustfmt_layout(header, (upgrade, downgrade), &Annotations::default());
    rendered
}

/// [`render_file`]'s rustfmt layout is what rustfmt prints for [`render_annotated`]'s file.
fn assert_rustfmt_layout(header: &RevisionHeader, ops: (&[Op], &[Op]), annotations: &Annotations) {
    let options = RenderOptions::default();
    let laid_out = render_annotated(header, ops.0, ops.1, &options, annotations).expect("renders");
    let expected = rustfmt(&laid_out, None).expect("rustfmt runs");
    let file =
        render_file(header, ops, &options, annotations, Layout::Rustfmt(None)).expect("renders");
    assert!(file.not_formatted.is_none(), "{:?}", file.not_formatted);
    assert_eq!(file.text, expected);
    assert!(
        !format::keeps_token_text(&expected),
        "rustfmt's layout reads as token text:\n{expected}"
    );
    // Without the slow way round.
    let (draft, _) = render_draft(header, ops, &options, annotations, false).expect("renders");
    if !ops.0.is_empty() {
        assert!(format::keeps_token_text(&draft), "the draft is token text");
    }
    assert_eq!(rustfmt(&draft, None).expect("rustfmt runs"), expected);
    // With the column elements laid out here.
    let (draft, elided) = render_draft(header, ops, &options, annotations, true).expect("renders");
    let formatted = rustfmt(&draft, None).expect("rustfmt runs");
    let restored = if elided.is_empty() {
        formatted
    } else {
        elided
            .restore(&formatted)
            .expect("every placeholder restored")
    };
    assert_eq!(restored, expected);
}

fn users() -> Table {
    Table::with_columns(
        "users",
        [
            Column::new("id", SqlType::BigInt)
                .primary_key()
                .autoincrement(),
            Column::new("email", SqlType::Varchar(255)).not_null(),
            Column::new("nickname", SqlType::Text).comment("shown instead of the email"),
            Column::new("active", SqlType::Boolean)
                .not_null()
                .default("true"),
            Column::new("balance", SqlType::numeric(10, 2)),
            Column::new("created_at", SqlType::TimestampTz).default("CURRENT_TIMESTAMP"),
        ],
    )
}

fn posts() -> Table {
    Table::with_columns(
        "posts",
        [
            Column::new("id", SqlType::Uuid).primary_key(),
            Column::new("user_id", SqlType::BigInt).not_null(),
            Column::new("title", SqlType::Char(80)).not_null(),
            Column::new("body", SqlType::Jsonb),
            Column::new(
                "score",
                SqlType::Numeric {
                    precision: Some(5),
                    scale: None,
                },
            ),
            Column::new("location", SqlType::Custom("geometry".into())),
        ],
    )
}

fn initial_ops() -> Vec<Op> {
    vec![
        Op::CreateTable(CreateTable { table: users() }),
        Op::CreateIndex(CreateIndex {
            table: "users".into(),
            index: Index::new("ix_users_email", ["email"]).unique(),
        }),
        Op::CreateTable(CreateTable { table: posts() }),
        Op::CreateIndex(CreateIndex {
            table: "posts".into(),
            index: Index::new("ix_posts_user_id_title", ["user_id", "title"]),
        }),
    ]
}

#[test]
fn initial_migration() {
    let upgrade = initial_ops();
    let downgrade = Op::reverse_all(&upgrade).expect("reversible");
    let rendered = render(
        &header("add users and posts", "3f2a9c1b7d4e", &[]),
        &upgrade,
        &downgrade,
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn add_column_migration() {
    let upgrade = vec![Op::AddColumn(AddColumn {
        table: "users".into(),
        column: Column::new("last_seen", SqlType::Timestamp),
    })];
    let downgrade = Op::reverse_all(&upgrade).expect("reversible");
    let rendered = render(
        &header("add users.last_seen", "a1b2c3d4e5f6", &["3f2a9c1b7d4e"]),
        &upgrade,
        &downgrade,
    );
    insta::assert_snapshot!(rendered);
}

/// Enum types: created before the table whose column uses one, a change of labels naming every
/// column it converts, dropped after the table; the downgrade in the opposite order.
#[test]
fn enum_migration() {
    use retort_core::ops::{AlterEnum, Change, CreateEnum, DropEnum};
    use retort_core::schema::{EnumType, TypeColumn};
    let mood = EnumType::new("mood", ["happy", "sad"]);
    let upgrade = vec![
        Op::CreateEnum(CreateEnum {
            enum_type: mood.clone(),
        }),
        Op::AlterEnum(AlterEnum {
            name: ("app", "level").into(),
            labels: Change {
                from: vec!["low".into(), "high".into()],
                to: vec!["low".into(), "mid".into(), "high".into()],
            },
            columns: vec![
                TypeColumn {
                    table: ("app", "plans").into(),
                    column: "level".into(),
                    default: Some("'low'::app.level".into()),
                },
                TypeColumn {
                    table: "users".into(),
                    column: "level".into(),
                    default: None,
                },
            ],
        }),
        // Uses the label just added: the addition goes in an autocommit block.
        Op::AddColumn(AddColumn {
            table: "users".into(),
            column: Column::new(
                "floor",
                SqlType::Enum(EnumType::new("level", ["low"]).schema("app")),
            )
            .default("'mid'"),
        }),
        Op::CreateTable(CreateTable {
            table: Table::with_columns(
                "people",
                [
                    Column::new("id", SqlType::BigInt).primary_key(),
                    Column::new("mood", SqlType::Enum(mood)).not_null(),
                    Column::new(
                        "level",
                        SqlType::Enum(EnumType::new("level", ["low"]).schema("app")),
                    ),
                ],
            ),
        }),
        Op::DropEnum(DropEnum {
            enum_type: EnumType::new("unused", Vec::<String>::new()),
        }),
    ];
    let downgrade = Op::reverse_all(&upgrade).expect("reversible");
    let rendered = render(
        &header("enums", "e1b2c3d4e5f6", &["3f2a9c1b7d4e"]),
        &upgrade,
        &downgrade,
    );
    insta::assert_snapshot!(rendered);
}

/// Domains: created before the table whose column is of one, altered from the definition the
/// database has, dropped after the table; the downgrade in the opposite order.
#[test]
fn domain_migration() {
    use retort_core::ops::{AlterDomain, CreateDomain, DropDomain};
    use retort_core::schema::DomainType;
    let year = DomainType::new("year", SqlType::Integer)
        .check("year_check", "VALUE >= 1901 AND VALUE <= 2155");
    let upgrade = vec![
        Op::CreateDomain(CreateDomain {
            domain: year.clone(),
        }),
        Op::AlterDomain(AlterDomain {
            from: DomainType::new("code", SqlType::Varchar(8)).schema("app"),
            to: DomainType::new("code", SqlType::Varchar(8))
                .schema("app")
                .not_null()
                .default("'none'"),
        }),
        Op::CreateTable(CreateTable {
            table: Table::with_columns(
                "films",
                [
                    Column::new("id", SqlType::BigInt).primary_key(),
                    Column::new("release_year", SqlType::Domain(year)),
                ],
            ),
        }),
        Op::DropDomain(DropDomain {
            domain: DomainType::new("legacy", SqlType::Text),
        }),
    ];
    let downgrade = Op::reverse_all(&upgrade).expect("reversible");
    let rendered = render(
        &header("domains", "d1b2c3d4e5f6", &["3f2a9c1b7d4e"]),
        &upgrade,
        &downgrade,
    );
    insta::assert_snapshot!(rendered);
}

/// Every index attribute beyond columns, written only where it differs from a plain index;
/// the downgrade drops it as it was created.
#[test]
fn index_kinds_migration() {
    let upgrade = vec![
        Op::CreateIndex(CreateIndex {
            table: "posts".into(),
            index: Index::new("ix_posts_live", ["(lower(title))", "created_at"])
                .desc("created_at")
                .nulls_first("created_at", false)
                .where_("deleted_at IS NULL")
                .include(["id"]),
        }),
        Op::CreateIndex(CreateIndex {
            table: "posts".into(),
            index: Index::new("ix_posts_body", ["body"])
                .using("gin")
                .concurrently(),
        }),
    ];
    let downgrade = Op::reverse_all(&upgrade).expect("reversible");
    let rendered = render(
        &header("post indexes", "a1b2c3d4e5f6", &["3f2a9c1b7d4e"]),
        &upgrade,
        &downgrade,
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn empty_migration() {
    let rendered = render(
        &header("nothing yet", "0123456789ab", &["a1b2c3d4e5f6"]),
        &[],
        &[],
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn merge_header() {
    let mut merge = header(
        "merge heads\nkeeps the feature branch",
        "fedcba987654",
        &["a1b2c3d4e5f6", "0123456789ab"],
    );
    merge.branch_labels = vec!["main".into()];
    merge.depends_on = vec!["3f2a9c1b7d4e".into()];
    let rendered = render(&merge, &[], &[]);
    insta::assert_snapshot!(rendered);
}

#[test]
fn downgrade_with_drops() {
    // What a hand-written or reflected drop looks like: no definitions carried along.
    let upgrade = vec![
        Op::DropIndex(DropIndex {
            table: "posts".into(),
            name: "ix_posts_user_id_title".into(),
            index: None,
            concurrently: false,
            if_exists: false,
        }),
        Op::DropColumn(DropColumn {
            table: "users".into(),
            name: "nickname".into(),
            column: None,
        }),
        Op::DropTable(DropTable {
            name: "posts".into(),
            table: None,
            if_exists: false,
        }),
        Op::Execute(Execute {
            params: Vec::new(),
            sql: "UPDATE users SET email = lower(email)\nWHERE email <> lower(email)".into(),
        }),
    ];
    let downgrade = Op::reverse_all(&initial_ops()).expect("reversible");
    let rendered = render(
        &header("drop posts", "bbbbbbbbbbbb", &["3f2a9c1b7d4e"]),
        &upgrade,
        &downgrade,
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn rendering_is_deterministic() {
    let upgrade = initial_ops();
    let downgrade = Op::reverse_all(&upgrade).expect("reversible");
    let head = header("add users and posts", "3f2a9c1b7d4e", &[]);
    assert_eq!(
        render(&head, &upgrade, &downgrade),
        render(&head, &upgrade, &downgrade)
    );
}

#[test]
fn arguments_equal_to_defaults_are_omitted() {
    let plain = render_column(
        &Column::new("a", SqlType::Text),
        KeyMember::No,
        &RenderOptions::default(),
    )
    .expect("renders");
    assert_eq!(
        plain.to_string(),
        quote! { Column::new("a", SqlType::Text) }.to_string()
    );
    // `.primary_key()` already implies NOT NULL.
    let pk = render_column(
        &Column::new("id", SqlType::Integer).not_null(),
        KeyMember::Marked,
        &RenderOptions::default(),
    )
    .expect("renders");
    assert_eq!(
        pk.to_string(),
        quote! { Column::new("id", SqlType::Integer).primary_key() }.to_string()
    );
}

#[test]
fn nullable_primary_key_keeps_its_nullability() {
    let column = Column::new("code", SqlType::Text)
        .primary_key()
        .nullable(true);
    let rendered =
        render_column(&column, KeyMember::Marked, &RenderOptions::default()).expect("renders");
    assert_eq!(
        rendered.to_string(),
        quote! { Column::new("code", SqlType::Text).primary_key().nullable(true) }.to_string()
    );
}

#[test]
fn numeric_without_scale_uses_the_struct_form() {
    let rendered = render_sql_type(
        &SqlType::Numeric {
            precision: None,
            scale: None,
        },
        &RenderOptions::default(),
    )
    .expect("renders");
    assert_eq!(
        rendered.to_string(),
        quote! { SqlType::Numeric { precision: None, scale: None } }.to_string()
    );
}

#[test]
fn what_operations_cannot_express_is_refused() {
    let refused = [
        Op::CreateIndex(CreateIndex {
            table: "users".into(),
            index: Index::new("ix_nothing", Vec::<String>::new()),
        }),
        // A named key makes its columns NOT NULL; a nullable one cannot be restated.
        Op::CreateTable(CreateTable {
            table: Table {
                primary_key: Some(PrimaryKey::new(["code"]).named("users_pkey")),
                ..Table::with_columns(
                    "codes",
                    [Column::new("code", SqlType::Text)
                        .primary_key()
                        .nullable(true)],
                )
            },
        }),
        // (Column flags that disagree with the table's key cannot be built any more: the key is
        // kept on the table only.)
        Op::CreateTable(CreateTable {
            table: Table {
                primary_key: Some(PrimaryKey::default()),
                ..Table::with_columns("t", [Column::new("a", SqlType::Integer)])
            },
        }),
        Op::CreateTable(CreateTable {
            table: users().unique(UniqueConstraint::new(Vec::<String>::new())),
        }),
        Op::AddConstraint(AddConstraint {
            table: "users".into(),
            constraint: Constraint::ForeignKey(
                ForeignKey::new(["org_id"], "orgs", Vec::<String>::new()).named("fk_x"),
            ),
        }),
    ];
    for op in refused {
        let err = render_migration(&header("x", "r", &[]), std::slice::from_ref(&op), &[])
            .expect_err("unsupported");
        assert!(matches!(err, RenderError::Unsupported(_)), "{op}: {err}");
    }
}

/// Tables in a schema are named `("app", "users")`, as `Operations` calls take them.
#[test]
fn schema_qualified_tables() {
    let upgrade = vec![
        Op::CreateTable(CreateTable {
            table: users()
                .schema("app")
                .index(Index::new("ix_users_email", ["email"])),
        }),
        Op::AddConstraint(AddConstraint {
            table: QualifiedName::new(Some("app"), "posts"),
            constraint: Constraint::ForeignKey(
                ForeignKey::new(["user_id"], "users", ["id"])
                    .named("fk_posts_user_id_users")
                    .referred_schema("app"),
            ),
        }),
    ];
    let downgrade = Op::reverse_all(&upgrade).expect("reversible");
    let rendered = render(
        &header("schemas", "c0ffee000004", &[]),
        &upgrade,
        &downgrade,
    );
    assert!(
        rendered.contains("op.create_table(\n        (\"app\", \"users\"),"),
        "{rendered}"
    );
    assert!(
        rendered
            .contains("op.create_index(\"ix_users_email\", (\"app\", \"users\"), [\"email\"])?;"),
        "{rendered}"
    );
    assert!(
        rendered.contains("(\"app\", \"posts\"),\n        (\"app\", \"users\"),"),
        "{rendered}"
    );
    assert!(
        rendered.contains("op.drop_table((\"app\", \"users\"))?;"),
        "{rendered}"
    );
}

/// Every table option, a composite primary key out of column order, a generated column.
fn memberships() -> Table {
    Table::with_columns(
        "memberships",
        [
            Column::new("org_id", SqlType::BigInt),
            Column::new("user_id", SqlType::BigInt),
            Column::new("role", SqlType::Varchar(20))
                .not_null()
                .default("'member'"),
            Column::new("seats", SqlType::Integer).not_null(),
            Column::new("price", SqlType::numeric(10, 2)).not_null(),
            Column::new("total", SqlType::numeric(12, 2))
                .computed("seats * price")
                .comment("seats times price"),
        ],
    )
    .primary_key(PrimaryKey::new(["user_id", "org_id"]).named("pk_memberships"))
    .unique(UniqueConstraint::new(["org_id", "role"]).named("uq_memberships_org_id_role"))
    .foreign_key(
        ForeignKey::new(["org_id"], "orgs", ["id"])
            .named("fk_memberships_org_id_orgs")
            .on_delete(ForeignKeyAction::Cascade),
    )
    .foreign_key(
        ForeignKey::new(["user_id"], "users", ["id"])
            .named("fk_memberships_user_id_users")
            .on_delete(ForeignKeyAction::Restrict)
            .on_update(ForeignKeyAction::NoAction),
    )
    .check(CheckConstraint::new("seats > 0").named("ck_memberships_1"))
    .comment("who belongs to which organisation")
}

#[test]
fn create_table_with_every_option() {
    let upgrade = vec![Op::CreateTable(CreateTable {
        table: memberships(),
    })];
    let downgrade = Op::reverse_all(&upgrade).expect("reversible");
    let rendered = render(
        &header("add memberships", "c0ffee000001", &["3f2a9c1b7d4e"]),
        &upgrade,
        &downgrade,
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn alter_and_rename_migration() {
    use retort_core::ops::{Change, RenameColumn, RenameTable};
    let users = QualifiedName::from("users");
    let upgrade = vec![
        Op::RenameTable(RenameTable {
            table: "people".into(),
            new_name: "users".into(),
        }),
        Op::RenameColumn(RenameColumn {
            table: users.clone(),
            name: "mail".into(),
            new_name: "email".into(),
        }),
        Op::AlterColumn(AlterColumn {
            sql_type: Some(Change {
                from: SqlType::Varchar(50),
                to: SqlType::Varchar(100),
            }),
            nullable: Some(Change {
                from: true,
                to: false,
            }),
            default: Some(Change {
                from: None,
                to: Some("'nobody@example.com'".into()),
            }),
            comment: Some(Change {
                from: Some("old".into()),
                to: None,
            }),
            ..AlterColumn::new(
                users.clone(),
                Column::new("email", SqlType::Varchar(50)).comment("old"),
            )
        }),
        Op::TableComment(TableComment {
            table: users,
            from: None,
            to: Some("people who log in".into()),
        }),
    ];
    let downgrade = Op::reverse_all(&upgrade).expect("reversible");
    let rendered = render(
        &header("alter and rename", "c0ffee000003", &["c0ffee000002"]),
        &upgrade,
        &downgrade,
    );
    insta::assert_snapshot!(rendered);
}

#[test]
fn constraint_migration() {
    let users = QualifiedName::from("users");
    let posts = QualifiedName::from("posts");
    let upgrade = vec![
        Op::AddConstraint(AddConstraint {
            table: "tags".into(),
            constraint: Constraint::PrimaryKey(
                PrimaryKey::new(["post_id", "name"]).named("pk_tags"),
            ),
        }),
        Op::AddConstraint(AddConstraint {
            table: users.clone(),
            constraint: Constraint::Unique(
                UniqueConstraint::new(["email"]).named("uq_users_email"),
            ),
        }),
        Op::AddConstraint(AddConstraint {
            table: posts.clone(),
            constraint: Constraint::ForeignKey(
                ForeignKey::new(["user_id"], "users", ["id"])
                    .named("fk_posts_user_id_users")
                    .on_delete(ForeignKeyAction::Cascade)
                    .on_update(ForeignKeyAction::Restrict),
            ),
        }),
        Op::AddConstraint(AddConstraint {
            table: users.clone(),
            constraint: Constraint::Check(
                CheckConstraint::new("length(email) > 3").named("ck_users_1"),
            ),
        }),
        Op::DropConstraint(DropConstraint {
            table: posts,
            name: "fk_posts_editor_id_users".into(),
            constraint: Some(Constraint::ForeignKey(
                ForeignKey::new(["editor_id"], "users", ["id"])
                    .named("fk_posts_editor_id_users")
                    .on_delete(ForeignKeyAction::SetDefault),
            )),
            kind: None,
        }),
    ];
    let downgrade = Op::reverse_all(&upgrade).expect("reversible");
    let rendered = render(
        &header("constraints", "c0ffee000002", &["c0ffee000001"]),
        &upgrade,
        &downgrade,
    );
    insta::assert_snapshot!(rendered);
}

fn create_table_tokens(table: Table) -> String {
    render_op(
        &Op::CreateTable(CreateTable { table }),
        &RenderOptions::default(),
    )
    .expect("renders")
    .to_string()
}

#[test]
fn primary_key_stays_on_columns_when_they_say_it_all() {
    let flagged = || {
        Table::with_columns(
            "t",
            [
                Column::new("a", SqlType::Integer).primary_key(),
                Column::new("b", SqlType::Integer).primary_key(),
            ],
        )
    };
    let expected = quote! {
        op.create_table("t", [
            Column::new("a", SqlType::Integer).primary_key(),
            Column::new("b", SqlType::Integer).primary_key()
        ])?;
    }
    .to_string();
    // Unnamed, and named as the naming convention names it.
    assert_eq!(create_table_tokens(flagged()), expected);
    let conventional = flagged().primary_key(PrimaryKey::new(["a", "b"]).named("pk_t"));
    assert_eq!(create_table_tokens(conventional), expected);
}

#[test]
fn primary_key_becomes_a_table_option_when_named_or_reordered() {
    let columns = || {
        Table::with_columns(
            "t",
            [
                Column::new("a", SqlType::Integer),
                Column::new("b", SqlType::Integer),
            ],
        )
    };
    let named = columns().primary_key(PrimaryKey::new(["a", "b"]).named("t_pkey"));
    assert_eq!(
        create_table_tokens(named),
        quote! {
            op.create_table("t", [
                Column::new("a", SqlType::Integer),
                Column::new("b", SqlType::Integer)
            ]).primary_key(PrimaryKey::new(["a", "b"]).named("t_pkey"))?;
        }
        .to_string()
    );
    let reordered = columns().primary_key(PrimaryKey::new(["b", "a"]));
    assert_eq!(
        create_table_tokens(reordered),
        quote! {
            op.create_table("t", [
                Column::new("a", SqlType::Integer),
                Column::new("b", SqlType::Integer)
            ]).primary_key(PrimaryKey::new(["b", "a"]))?;
        }
        .to_string()
    );
}

#[test]
fn unnamed_table_constraints_render_without_names() {
    let table = Table::with_columns("t", [Column::new("a", SqlType::Integer)])
        .unique(UniqueConstraint::new(["a"]))
        .foreign_key(ForeignKey::new(["a"], "u", ["id"]))
        .check(CheckConstraint::new("a > 0"));
    assert_eq!(
        create_table_tokens(table),
        quote! {
            op.create_table("t", [Column::new("a", SqlType::Integer)])
                .unique(UniqueConstraint::new(["a"]))
                .foreign_key(ForeignKey::new(["a"], "u", ["id"]))
                .check(CheckConstraint::new("a > 0"))?;
        }
        .to_string()
    );
}

/// Autogenerate's warnings stand as comments right above the op they are about, in both fns.
#[test]
fn warnings_render_as_comments_above_their_op() {
    let upgrade = initial_ops();
    let downgrade = Op::reverse_all(&upgrade).expect("reversible");
    let mut annotations = Annotations::default();
    annotations.upgrade.insert(
        1,
        vec!["WARNING (RT204): reads every row under a lock".to_owned()],
    );
    annotations.downgrade.insert(
        0,
        vec![
            "WARNING (RT101): drops table \"posts\" and its rows".to_owned(),
            "second line".to_owned(),
        ],
    );
    let rendered = render_annotated(
        &header("annotated", "c0ffee000009", &[]),
        &upgrade,
        &downgrade,
        &RenderOptions::default(),
        &annotations,
    )
    .expect("renders");
    syn::parse_file(&rendered).expect("parses");
    assert!(!rendered.contains("__retort_comment__"), "{rendered}");
    insta::assert_snapshot!(rendered);
}

/// Every kind of file the renderer writes, run through rustfmt, is rustfmt-clean and still
/// the same Rust (rustfmt is part of the pinned toolchain).
#[test]
fn rendered_files_through_rustfmt_are_rustfmt_clean() {
    let upgrade = initial_ops();
    let downgrade = Op::reverse_all(&upgrade).expect("reversible");
    let mut annotations = Annotations::default();
    annotations
        .upgrade
        .insert(0, vec!["WARNING (RT101): a comment".to_owned()]);
    let rendered = render_annotated(
        &header("formatted", "c0ffee00000a", &[]),
        &upgrade,
        &downgrade,
        &RenderOptions::default(),
        &annotations,
    )
    .expect("renders");
    let formatted = rustfmt(&rendered, None).expect("rustfmt runs");
    assert_eq!(rustfmt(&formatted, None).expect("again"), formatted);
    let tokens = |text: &str| {
        quote::ToTokens::to_token_stream(&syn::parse_file(text).expect("parses")).to_string()
    };
    assert_eq!(
        tokens(&formatted),
        tokens(&rendered),
        "formatting changed the code"
    );
    assert!(
        formatted.contains("    // WARNING (RT101): a comment\n"),
        "{formatted}"
    );
    assert!(formatted.contains(REVIEW_COMMENT), "{formatted}");
}

/// Calls that take a name get the naming convention's for what the op leaves unnamed (upgrade
/// would name it so too).
#[test]
fn unnamed_indexes_and_constraints_render_with_the_conventions_names() {
    let ops = [
        Op::CreateIndex(CreateIndex {
            table: "users".into(),
            index: Index::unnamed(["email"]),
        }),
        Op::AddConstraint(AddConstraint {
            table: "users".into(),
            constraint: Constraint::Check(CheckConstraint::new("id > 0")),
        }),
        Op::AddConstraint(AddConstraint {
            table: "users".into(),
            constraint: Constraint::PrimaryKey(PrimaryKey::new(["id"])),
        }),
    ];
    let rendered: Vec<String> = ops
        .iter()
        .map(|op| {
            render_op(op, &RenderOptions::default())
                .expect("renders")
                .to_string()
        })
        .collect();
    assert_eq!(
        rendered,
        [
            quote! { op.create_index("ix_users_email", "users", ["email"])?; }.to_string(),
            quote! { op.create_check_constraint("ck_users_1", "users", "id > 0")?; }.to_string(),
            quote! { op.create_primary_key("pk_users", "users", ["id"])?; }.to_string(),
        ]
    );
}

/// A user type renders as the user's own call, with the import it needs.
#[test]
fn a_type_renderer_writes_user_types() {
    let renderer: TypeRenderer = std::sync::Arc::new(|sql_type: &SqlType| match sql_type {
        SqlType::Custom(name) if name == "money" => Some(RenderedType {
            expr: "Money::sql_type(None)".to_owned(),
            imports: vec!["app::types::Money".to_owned()],
        }),
        _ => None,
    });
    let options = RenderOptions::default().render_type(Some(renderer));
    let ops = [Op::AddColumn(AddColumn {
        table: "orders".into(),
        column: Column::new("total", SqlType::Custom("money".into())),
    })];
    let rendered =
        render_migration_with(&header("money", "c0ffee00000b", &[]), &ops, &[], &options)
            .expect("renders");
    assert!(rendered.contains("use app::types::Money;"), "{rendered}");
    assert!(
        rendered
            .contains("op.add_column(\"orders\", Column::new(\"total\", Money::sql_type(None)))?;"),
        "{rendered}"
    );
}

/// Ops are printed in chunks; across chunk boundaries the text is still what prettyplease
/// prints for the whole file.
#[test]
fn chunked_printing_is_the_whole_files_layout() {
    let mut ops = Vec::new();
    for _ in 0..(2 * STATEMENTS_PER_CHUNK / initial_ops().len() + 3) {
        ops.extend(initial_ops());
    }
    assert!(ops.len() > 2 * STATEMENTS_PER_CHUNK);
    let rendered = render(&header("many", "r1", &[]), &ops, &[]);
    let file: syn::File = syn::parse_str(&rendered).expect("parses");
    let code = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with("//"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(code(&rendered), code(&prettyplease::unparse(&file)));
}

/// A large file formatted in pieces, with comment lines between ops and ops in both bodies, is
/// exactly the text one rustfmt of the whole file prints, for any number of pieces.
#[test]
fn rustfmt_in_pieces_prints_what_one_rustfmt_prints() {
    let mut upgrade = Vec::new();
    for _ in 0..12 {
        upgrade.extend(initial_ops());
    }
    let downgrade = Op::reverse_all(&initial_ops()).expect("reversible");
    let mut annotations = Annotations::default();
    for position in [0, 1, 7, 30] {
        annotations.upgrade.insert(
            position,
            vec![format!("WARNING (RT101): comment {position};")],
        );
    }
    annotations
        .downgrade
        .insert(1, vec!["WARNING (RT101): drops table".to_owned()]);
    let rendered = render_annotated(
        &header("pieces", "c0ffee00000c", &[]),
        &upgrade,
        &downgrade,
        &RenderOptions::default(),
        &annotations,
    )
    .expect("renders");
    assert!(
        rendered.len() < format::SPLIT_BYTES,
        "rustfmt() formats it whole"
    );
    let whole = rustfmt(&rendered, None).expect("rustfmt runs");
    assert_ne!(whole, rendered, "the case must be one rustfmt changes");
    let split = format::Split::of(&rendered, 7).expect("the renderer's shape");
    assert!(split.pieces.len() >= 7, "{}", split.pieces.len());
    for pieces in [1, 2, 3, 7, 50] {
        assert_eq!(
            format::rustfmt_in_pieces(&rendered, "rustfmt", pieces).expect("rustfmt runs"),
            whole,
            "{pieces} pieces"
        );
    }
    let empty = render_migration(&header("empty", "c0ffee00000d", &[]), &[], &[]).expect("renders");
    assert_eq!(
        format::rustfmt_in_pieces(&empty, "rustfmt", 4).expect("rustfmt runs"),
        rustfmt(&empty, None).expect("rustfmt runs")
    );
}

/// Statements go to rustfmt as token text, those with a long literal as prettyplease prints
/// them (rustfmt cannot always fit a long literal and then keeps the statement as written):
/// either way the file is rustfmt's layout of the prettyplease file, whole or in pieces.
#[test]
fn rustfmt_layout_from_token_text_is_rustfmts_layout() {
    let long = "a comment long enough that no line of rustfmt's width holds it beside its call, \
                which rustfmt then leaves as it was written, token text and all";
    let mut table = users();
    table.comment = Some(long.to_owned());
    table.columns[1].comment = Some(long.to_owned());
    let upgrade = vec![
        Op::CreateTable(CreateTable { table }),
        Op::Execute(Execute {
            sql: format!("UPDATE users SET nickname = '{long}'"),
            params: Vec::new(),
        }),
        Op::CreateIndex(CreateIndex {
            table: "users".into(),
            index: Index::new(
                "ix_users_email_nickname_active_balance",
                ["email", "nickname"],
            ),
        }),
    ];
    let downgrade = Op::reverse_all(&upgrade[..1]).expect("reversible");
    let mut annotations = Annotations::default();
    annotations.upgrade.insert(
        1,
        vec!["WARNING (RT204): a comment , with ; spaces".to_owned()],
    );
    let header = header("long literals", "c0ffee00000e", &[]);
    assert_rustfmt_layout(&header, (&upgrade, &downgrade), &annotations);

    // Large enough to be formatted in pieces.
    let mut many = Vec::new();
    while many.len() < 400 {
        many.extend(initial_ops());
        many.extend(upgrade.iter().cloned());
    }
    let (draft, _) = render_draft(
        &header,
        (&many, &[]),
        &RenderOptions::default(),
        &annotations,
        true,
    )
    .expect("renders");
    assert!(draft.len() > format::SPLIT_BYTES, "{}", draft.len());
    assert_rustfmt_layout(&header, (&many, &[]), &annotations);
}

/// Why a statement with a long literal is not given to rustfmt as token text, and what tells
/// when rustfmt kept one as written.
#[test]
fn rustfmt_keeps_a_statement_it_cannot_fit_as_written() {
    let long = "a comment long enough that no line of rustfmt's width holds it beside its call, \
                which rustfmt then leaves as it was written";
    let statement = quote! {
        op.add_column("users", Column::new("email", SqlType::Text).comment(#long))?;
    };
    let text = format!("fn upgrade() {{\n    {statement}\n    op . drop_table (\"t\") ? ;\n}}\n");
    let formatted = rustfmt(&text, None).expect("rustfmt runs");
    assert!(formatted.contains(&statement.to_string()), "{formatted}");
    assert!(
        formatted.contains("    op.drop_table(\"t\")?;\n"),
        "{formatted}"
    );
    assert!(format::keeps_token_text(&formatted));
    assert!(has_long_literal(statement));
}

/// Token text left by rustfmt is told from its layout, whatever string literals and comments
/// hold.
#[test]
fn token_text_is_told_from_rustfmts_layout() {
    assert!(format::keeps_token_text(
        "    op . drop_table (\"t\") ? ;\n"
    ));
    assert!(format::keeps_token_text("    f(a , b);\n"));
    assert!(!format::keeps_token_text(
        "    // a comment , with ; spaces\n    op.execute(\"a , b ; \\\" c ;\")?;\n"
    ));
    assert!(!format::keeps_token_text("    op.execute(r\"a ; b\")?;\n"));
}

/// The draft's statements are spelled as rustfmt spells what it keeps on one line, with the
/// same tokens as the statement, and rustfmt keeping one as written is still told.
#[test]
fn token_line_spells_statements_as_rustfmt_does() {
    let statement = quote! {
        op.create_table("t", [Column::new("id", SqlType::BigInt).primary_key(), Column::new("n", SqlType::numeric(10, 2)).default("-1")])
            .check(CheckConstraint::new("n > 0").named("ck"))
            .comment("c")?;
    };
    let line = format::token_line(statement.clone());
    assert_eq!(
        line,
        "op.create_table(\"t\", [Column::new(\"id\", SqlType::BigInt).primary_key(), \
         Column::new(\"n\", SqlType::numeric(10, 2)).default(\"-1\")])\
         .check(CheckConstraint::new(\"n > 0\").named(\"ck\")).comment(\"c\")? ;"
    );
    // Prefix operators, macros, closures, paths with generics and empty groups keep their
    // tokens, whatever their spacing.
    let odd = quote! {
        op.autocommit_block(|op| { op.execute(&[-1, *x, !y], vec![a::<B>::c()], {})?; Ok(()) })?;
    };
    fn tokens_of(stream: proc_macro2::TokenStream, out: &mut Vec<String>) {
        for tree in stream {
            match tree {
                proc_macro2::TokenTree::Group(group) => {
                    out.push(format!("{:?}", group.delimiter()));
                    tokens_of(group.stream(), out);
                    out.push("end".to_owned());
                }
                proc_macro2::TokenTree::Punct(punct) => out.push(punct.as_char().to_string()),
                other => out.push(other.to_string()),
            }
        }
    }
    for tokens in [statement, odd] {
        let line = format::token_line(tokens.clone());
        syn::parse_str::<syn::Stmt>(&line).expect("parses");
        let (mut spelled, mut written) = (Vec::new(), Vec::new());
        tokens_of(line.parse().expect("lexes"), &mut spelled);
        tokens_of(tokens, &mut written);
        assert_eq!(spelled, written);
    }
    let kept = quote! {
        op.add_column("users", Column::new("email", SqlType::Text).comment("a comment long enough that no line of rustfmt's width holds it beside its call, which rustfmt then leaves as it was written"))?;
    };
    let text = format!("fn upgrade() {{\n    {}\n}}\n", format::token_line(kept));
    let formatted = rustfmt(&text, None).expect("rustfmt runs");
    assert!(format::keeps_token_text(&formatted), "{formatted}");
}

/// Under rustup, the toolchain's own rustfmt is run, not the proxy; `RUSTFMT` first, and the
/// PATH's `rustfmt` when the toolchain has none.
#[test]
fn rustfmt_program_is_the_toolchains_own() {
    let home = tempfile::tempdir().expect("tempdir");
    let bin = home.path().join("toolchains").join("1.95.0-x").join("bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    let exe = bin.join(format!("rustfmt{}", std::env::consts::EXE_SUFFIX));
    std::fs::write(&exe, "").expect("write");
    let program = |rustfmt: Option<&str>, toolchain: Option<&str>| {
        format::program_from(
            rustfmt.map(str::to_owned),
            Some(home.path().into()),
            toolchain.map(Into::into),
        )
    };
    let exe = exe.to_str().expect("utf-8 path");
    assert_eq!(program(None, Some("1.95.0-x")), exe);
    assert_eq!(
        program(None, home.path().join("toolchains/1.95.0-x").to_str()),
        exe,
        "a toolchain given as a path"
    );
    assert_eq!(
        program(Some("/opt/rustfmt"), Some("1.95.0-x")),
        "/opt/rustfmt"
    );
    assert_eq!(program(None, Some("nightly")), "rustfmt");
    assert_eq!(program(None, None), "rustfmt");
}

/// The column elements laid out without rustfmt are rustfmt's layout: create_table ops whose
/// columns sweep every width around rustfmt's limits (names, types, defaults and comments of
/// every length up to past `max_width`, from none to five links), checked against rustfmt's
/// layout of the prettyplease file.
#[test]
fn column_elements_laid_out_here_are_rustfmts_layout() {
    // Fixed sequences, so that a failure repeats.
    for seed in [0x2545_f491_4f6c_dd1d, 1, 2, 3] {
        elements_laid_out_here_are_rustfmts_layout(seed);
    }
}

fn elements_laid_out_here_are_rustfmts_layout(mut state: u64) {
    let mut next = |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    let text = |len: usize| "abcdefghij".repeat(len / 10 + 1)[..len].to_owned();
    let types = [
        SqlType::BigInt,
        SqlType::Integer,
        SqlType::Text,
        SqlType::Boolean,
        SqlType::Varchar(32),
        SqlType::Varchar(255),
        SqlType::numeric(10, 2),
        SqlType::TimestampTz,
        SqlType::Custom("geometry".into()),
        SqlType::Numeric {
            precision: Some(5),
            scale: None,
        },
    ];
    let mut upgrade = Vec::new();
    for t in 0..240 {
        let columns = (0..1 + next(9)).map(|c| {
            let mut column = Column::new(
                format!("c{c}_{}", text(next(36))),
                types[next(types.len())].clone(),
            );
            if next(3) == 0 {
                column = column.not_null();
            }
            if c == 0 && next(2) == 0 {
                column = column.primary_key();
                if next(2) == 0 {
                    column = column.autoincrement();
                }
                if next(3) == 0 {
                    column = column.identity_start(next(1 << 20) as i64 - 5);
                }
            }
            if next(4) == 0 {
                column = column.default(text(next(38)));
            }
            if next(2) == 0 {
                // Now and then longer than a statement of token text may hold.
                let longest = if next(20) == 0 { 90 } else { 38 };
                column = column.comment(text(next(longest)));
            }
            if next(5) == 0 {
                column = column.collation("C");
            }
            if next(8) == 0 {
                column = column.computed(text(1 + next(30)));
            }
            column
        });
        let mut table = Table::with_columns(format!("t{t}"), columns.collect::<Vec<_>>());
        if next(3) == 0 {
            table.comment = Some(text(next(30)));
        }
        upgrade.push(Op::CreateTable(CreateTable { table }));
    }
    let downgrade = Op::reverse_all(&upgrade).expect("reversible");
    let header = header("widths", "c0ffee0000aa", &[]);
    let (_, elided) = render_draft(
        &header,
        (&upgrade, &downgrade),
        &RenderOptions::default(),
        &Annotations::default(),
        true,
    )
    .expect("renders");
    assert!(
        elided.len() > 400,
        "{} elements laid out here",
        elided.len()
    );
    assert_rustfmt_layout(&header, (&upgrade, &downgrade), &Annotations::default());
}
