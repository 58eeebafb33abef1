//! Unit tests of the derive's expansion: snapshots of the pretty-printed output for
//! representative structs, and the messages of rejected input (the trybuild cases in the root
//! package check the same errors' spans against real rustc output).

use proc_macro2::TokenStream;
use quote::quote;

use crate::expand::derive_table;

fn pretty(input: TokenStream) -> String {
    let tokens = match derive_table(input) {
        Ok(tokens) => tokens,
        Err(err) => panic!("expansion failed: {err}"),
    };
    let file = syn::parse_file(&tokens.to_string()).expect("expansion is a valid file");
    prettyplease::unparse(&file)
}

fn errors(input: TokenStream) -> Vec<String> {
    match derive_table(input) {
        Ok(tokens) => panic!("expected errors, got {tokens}"),
        Err(err) => err.into_iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn plain_struct() {
    insta::assert_snapshot!(pretty(quote! {
        struct User {
            #[column(primary_key)]
            id: i64,
            #[column(length = 255)]
            email: String,
            active: bool,
        }
    }));
}

#[test]
fn renamed_with_options_and_defaults() {
    insta::assert_snapshot!(pretty(quote! {
        #[table(name = "accounts", schema = "app", comment = "Paying customers.")]
        struct Account {
            #[column(name = "account_id", primary_key)]
            id: i32,
            nickname: Option<String>,
            #[column(length = 80, default = "'anonymous'")]
            display_name: std::option::Option<String>,
            #[column(default = 0)]
            score: i32,
            #[column(default = -1.5)]
            ratio: f64,
            #[column(default = true, comment = "Can log in.")]
            active: bool,
            #[column(default = "CURRENT_TIMESTAMP")]
            created_at: chrono::NaiveDateTime,
        }
    }));
}

#[test]
fn unique_and_index() {
    insta::assert_snapshot!(pretty(quote! {
        struct BlogPost {
            #[column(primary_key)]
            id: i64,
            #[column(unique, length = 200)]
            slug: String,
            #[column(index)]
            author_id: i64,
            #[column(name = "type", index)]
            r#kind: String,
        }
    }));
}

#[test]
fn skipped_fields_and_composite_primary_key() {
    insta::assert_snapshot!(pretty(quote! {
        #[table(name = "memberships")]
        struct Membership {
            #[column(primary_key)]
            user_id: i64,
            #[column(primary_key)]
            group_id: i64,
            #[column(skip)]
            cache: Vec<u8>,
            role: Option<String>,
        }
    }));
}

#[test]
fn table_level_keys_and_constraints() {
    insta::assert_snapshot!(pretty(quote! {
        #[table(
            name = "memberships",
            primary_key(group_id, user_id),
            index(columns(role, joined_at)),
            index(name = "ix_memberships_invited_by", columns(invited_by), unique),
            unique(columns(user_id, role)),
            unique(name = "uq_memberships_seat", columns(seat)),
            check(expr = "seat > 0"),
            check(name = "ck_memberships_role", expr = "role IN ('admin', 'member')"),
            foreign_key(columns(user_id), references = "users(id)", on_delete = "cascade"),
            foreign_key(
                name = "fk_memberships_group",
                columns(group_id, org),
                references = "app.groups(id, org_id)",
                on_delete = "SET_NULL",
                on_update = "no action",
            ),
            renamed_from = "group_members",
        )]
        struct Membership {
            user_id: i64,
            group_id: i64,
            #[column(name = "org_id")]
            org: i32,
            role: String,
            seat: i32,
            joined_at: String,
            invited_by: Option<i64>,
        }
    }));
}

#[test]
fn every_column_key() {
    insta::assert_snapshot!(pretty(quote! {
        #[table(schema = "app", comment = "Registered users.")]
        struct User {
            #[column(primary_key, autoincrement = false, comment = "Issued by the old system.")]
            id: i64,
            #[column(name = "email_address", length = 255, unique, renamed_from = "email")]
            email: String,
            #[column(nullable = false, default = "'anonymous'")]
            nickname: Option<String>,
            #[column(nullable)]
            bio: String,
            #[column(precision = 10, scale = 2, default = 0)]
            balance: rust_decimal::Decimal,
            #[column(precision = 6)]
            ratio: Option<f64>,
            #[column(sql_type = "jsonb")]
            extra: serde_json::Value,
            #[column(sql_type = "numeric", precision = 12, scale = 4)]
            total: Money,
            #[column(foreign_key = "orgs.id", on_delete = "set null", on_update = "cascade", index)]
            org_id: Option<i64>,
            #[column(foreign_key = "auth.accounts.id")]
            account_id: i64,
            #[column(computed = "balance * 2")]
            doubled: Option<rust_decimal::Decimal>,
            #[column(skip)]
            cache: Vec<u8>,
        }
    }));
}

#[test]
fn table_level_single_primary_key_and_explicit_autoincrement() {
    insta::assert_snapshot!(pretty(quote! {
        #[table(primary_key(name = "pk_events", event_id))]
        struct Event {
            event_id: i64,
            #[column(sql_type = "timestamp with time zone")]
            at: Option<Timestamp>,
        }
    }));
    // An explicit `autoincrement` is emitted as is, even in a composite key.
    let out = pretty(quote! {
        struct Line {
            #[column(primary_key, autoincrement)]
            id: LineId,
            #[column(primary_key)]
            order_id: i64,
        }
    });
    assert_eq!(out.matches(".autoincrement()").count(), 1, "{out}");
    assert!(!out.contains("is_integer"), "{out}");
}

#[test]
fn no_index_or_constraint_gets_a_name_it_was_not_given() {
    let out = pretty(quote! {
        #[table(index(columns(a)), unique(columns(a, b)), check(expr = "a > 0"),
                foreign_key(columns(b), references = "t(id)"))]
        struct T {
            #[column(unique)]
            a: i32,
            #[column(index, foreign_key = "t.id")]
            b: i32,
        }
    });
    assert!(!out.contains(".named("), "{out}");
    assert!(!out.contains("Index::new("), "{out}");
    assert!(!out.contains("\"ix_"), "{out}");
    assert!(!out.contains("\"uq_"), "{out}");
}

#[test]
fn table_name_defaults_to_snake_case_struct_name() {
    let out = pretty(quote! { struct HTTPRequestLog { id: i64 } });
    assert!(out.contains(r#""http_request_log""#), "{out}");
}

#[test]
fn every_mistake_is_reported_at_once() {
    let errs = errors(quote! {
        #[table(nme = "x", name = "a", name = "b")]
        struct Bad {
            #[column(lenght = 3, primary_key = true)]
            a: i64,
            #[column(default = now())]
            b: String,
            #[column(length)]
            c: String,
            #[column(length = "255")]
            d: String,
            #[column(name = 5, comment = "")]
            e: String,
        }
    });
    assert_eq!(
        errs,
        [
            "unknown key `nme` in #[table(...)]; expected one of `name`, `schema`, `comment`, \
             `primary_key`, `index`, `unique`, `check`, `foreign_key`, `renamed_from`, \
             `mysql_engine`, `mysql_charset`, `mysql_collate`, `postgresql_unlogged`, \
             `postgresql_partition_by`",
            "duplicate key `name` in #[table(...)]; give it once",
            "unknown key `lenght` in #[column(...)]; expected one of `name`, `primary_key`, \
             `autoincrement`, `nullable`, `length`, `precision`, `scale`, `sql_type`, \
             `default`, `unique`, `index`, `foreign_key`, `on_delete`, `on_update`, `comment`, \
             `computed`, `collation`, `identity`, `renamed_from`, `skip`",
            "`primary_key` takes no value: write `#[column(primary_key)]`",
            "`default` takes SQL as a string literal: write `default = \"now ()\"`",
            "`length` needs a value: `length = 255`",
            "expected an integer literal: `#[column(length = 255)]`",
            "expected a string literal: `#[column(name = \"...\")]`",
        ]
    );
}

#[test]
fn checks_run_after_parsing() {
    let errs = errors(quote! {
        struct Bad<T> {
            #[column(primary_key)]
            id: Option<i64>,
            #[column(length = 10)]
            count: i32,
            #[column(index, unique)]
            slug: String,
            #[column(skip, default = 0)]
            cache: i32,
            #[column(name = "slug")]
            other: T,
        }
    });
    assert_eq!(
        errs,
        [
            "#[derive(Table)] does not support generic parameters: a table has one fixed set \
             of column types; derive it on a struct without generics",
            "`skip` and `default` conflict: a skipped field is not a column; remove one of them",
            "a `primary_key` column is NOT NULL, so field `id` cannot be an `Option`; use `i64`",
            "`length` applies to string fields (`String`, `Option<String>`: it makes a \
             VARCHAR(n)), not to `i32`",
            "`unique` and `index` conflict: the unique constraint is already backed by an \
             index; keep only `unique`",
            "column `slug` is already declared by field `slug`; rename one with \
             #[column(name = \"...\")]",
        ]
    );
}

#[test]
fn sql_in_strings_is_parsed_at_compile_time() {
    let errs = errors(quote! {
        #[table(check(expr = "age >="))]
        struct Bad {
            #[column(sql_type = "varchar(")]
            a: String,
            #[column(sql_type = "int not null")]
            b: i32,
            #[column(default = "now(")]
            c: String,
            #[column(computed = "")]
            d: i32,
            age: i32,
        }
    });
    assert_eq!(errs.len(), 5, "{errs:#?}");
    assert!(
        errs[0].starts_with("`age >=` is not a SQL expression: "),
        "{errs:#?}"
    );
    assert!(
        errs[1].starts_with("`varchar(` is not a SQL type: "),
        "{errs:#?}"
    );
    assert!(
        errs[2].starts_with("`int not null` is not a single SQL type"),
        "{errs:#?}"
    );
    assert!(
        errs[3].starts_with("`now(` is not a SQL expression: "),
        "{errs:#?}"
    );
    assert!(
        errs[4].starts_with("`` is not a SQL expression: "),
        "{errs:#?}"
    );
}

#[test]
fn keys_are_checked_against_each_other_and_the_field_type() {
    let errs = errors(quote! {
        #[table(primary_key(id, idd), renamed_from = "bad")]
        struct Bad {
            #[column(primary_key)]
            id: i64,
            #[column(autoincrement)]
            a: i64,
            #[column(precision = 10)]
            b: String,
            #[column(scale = 2)]
            c: rust_decimal::Decimal,
            #[column(precision = 2, scale = 3)]
            d: f64,
            #[column(sql_type = "text", precision = 4)]
            e: Text,
            #[column(sql_type = "text", length = 4)]
            f: Text,
            #[column(on_delete = "cascade")]
            g: i64,
            #[column(foreign_key = "t.id", on_update = "nullify")]
            h: i64,
            #[column(computed = "a + 1", default = 0)]
            i: i64,
            #[column(renamed_from = "j")]
            j: i64,
            #[column(foreign_key = "t(id)")]
            k: i64,
        }
    });
    assert_eq!(
        errs,
        [
            "unknown `on_update` action \"nullify\"; expected one of \"cascade\", \"set null\", \
             \"set default\", \"restrict\", \"no action\"",
            "`t(id)` is not a foreign key target; write `foreign_key = \"table.column\"` or \
             `foreign_key = \"schema.table.column\"`",
            "`autoincrement` applies to a primary key column, and `a` is not part of the \
             primary key",
            "`precision` applies to decimal and float fields (`rust_decimal::Decimal`, `f64`, \
             `f32`, or an `Option` of one: it makes a NUMERIC(p, s)), not to `String`; for \
             another type, add `sql_type = \"numeric\"`",
            "`scale` needs `precision`: write `#[column(precision = 10, scale = 2)]`",
            "`scale` (3) cannot exceed `precision` (2): the scale is how many of the \
             `precision` digits follow the decimal point",
            "`precision` and `sql_type = \"text\"` conflict: `precision` completes only \
             `sql_type = \"numeric\"`; write the whole type in `sql_type`",
            "`length` and `sql_type` conflict: write the length in the type, as in \
             `sql_type = \"varchar(4)\"`",
            "`on_delete` needs `foreign_key` on the same column: \
             `#[column(foreign_key = \"table.column\", on_delete = \"cascade\")]`",
            "`computed` and `default` conflict: a generated column always holds its \
             expression; remove one of them",
            "`renamed_from` gives the column's previous name, and `j` is its current one",
            "`renamed_from` gives the table's previous name, and `bad` is its current one",
            "the primary key is declared on the table (`#[table(primary_key(...))]`); remove \
             this `primary_key` or list `id` there",
            "no column `idd` in `Bad`; expected a field or column name: `id`, `a`, `b`, `c`, \
             `d`, `e`, `f`, `g`, `h`, `i`, `j`, `k`",
        ]
    );
}

#[test]
fn table_level_items_are_checked() {
    let errs = errors(quote! {
        #[table(
            index(columns(a, a)),
            index(name = "x"),
            index = "a",
            unique(columns(skipped)),
            unique(columns()),
            check(name = "ck"),
            foreign_key(columns(a, b), references = "t(id)"),
            foreign_key(columns(a), references = "t.id"),
            foreign_key(columns(a), references = "t(id)", on_delete = "nope"),
            foreign_key(columns(a)),
            primary_key(maybe),
            index(colums(a)),
        )]
        struct Bad {
            a: i32,
            #[column(name = "bee")]
            b: i32,
            maybe: Option<i32>,
            #[column(skip)]
            skipped: i32,
        }
    });
    assert_eq!(
        errs,
        [
            "`index(...)` needs `columns(...)`: `#[table(index(columns(a, b)))]`",
            "`index` at table level takes a list: `#[table(index(columns(a, b)))]`",
            "`columns()` needs at least one column",
            "`check(...)` needs its condition: `#[table(check(expr = \"age >= 0\"))]`",
            "`t.id` is not a foreign key target; write `references = \"table(column, ...)\"` \
             or `references = \"schema.table(column, ...)\"`",
            "unknown `on_delete` action \"nope\"; expected one of \"cascade\", \"set null\", \
             \"set default\", \"restrict\", \"no action\"",
            "`foreign_key(...)` needs its target: \
             `#[table(foreign_key(columns(org_id), references = \"orgs(id)\"))]`",
            "unknown key `colums` in #[table(index(...))]; expected one of `name`, `columns`, \
             `expressions`, `unique`, `desc`, `nulls_first`, `nulls_last`, `using`, `where`, \
             `include`, `prefix`",
            "a `primary_key` column is NOT NULL, so field `maybe` cannot be an `Option`; use \
             `i32`",
            "column `a` is listed twice (first as `a`)",
            "field `skipped` is `skip`ped, so it is not a column",
            "the foreign key has 2 columns but references 1; list as many referred columns as \
             `columns(...)` has",
        ]
    );
}

#[test]
fn shapes_without_named_fields_are_rejected() {
    for (input, expected) in [
        (
            quote!(
                enum E {
                    A,
                }
            ),
            "cannot be used on an enum",
        ),
        (quote!(union U { a: i32 }), "cannot be used on a union"),
        (
            quote!(
                struct T(i64);
            ),
            "needs named fields",
        ),
        (
            quote!(
                struct U;
            ),
            "needs a struct with named fields",
        ),
        (
            quote!(
                struct Empty {}
            ),
            "a table needs at least one column",
        ),
    ] {
        let errs = errors(input);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].contains(expected), "{errs:?}");
    }
}

#[test]
fn index_kinds_are_checked() {
    let errs = errors(quote! {
        #[table(
            index(columns(a), using = "gin2"),
            index(columns(a), where = "a >"),
            index(expressions("lower(", "b")),
            index(columns(a), desc(b)),
            index(columns(a), nulls_first(a), nulls_last(a)),
            index(columns(a), include(nope)),
        )]
        struct Bad {
            a: i32,
            b: i32,
        }
    });
    assert_eq!(
        errs,
        [
            "unknown index method `gin2`; expected one of btree, hash, gin, gist, brin, spgist, \
             fulltext",
            "`a >` is not a SQL expression: Expected: an expression, found: EOF",
            "`lower(` is not a SQL expression: Expected: an expression, found: EOF",
            "no column `nope` in `Bad`; expected a field or column name: `a`, `b`",
            "`desc` names `b`, which is not in this index's `columns(..)`",
            "`a` is in both `nulls_first` and `nulls_last`",
        ]
    );
}

#[test]
fn index_kinds() {
    insta::assert_snapshot!(pretty(quote! {
        #[table(index(
            name = "ix_posts_live",
            columns(created_at),
            expressions("lower(title)"),
            desc(created_at),
            nulls_last(created_at),
            using = "BTREE",
            where = "deleted_at IS NULL",
            include(id)
        ), index(expressions("lower(title)")))]
        struct Post {
            id: i64,
            title: String,
            created_at: i64,
            deleted_at: Option<i64>,
        }
    }));
}

fn sql_enum(input: TokenStream) -> Result<String, Vec<String>> {
    match crate::sql_enum::derive_sql_enum(input) {
        Ok(tokens) => {
            let file = syn::parse_file(&tokens.to_string()).expect("expansion is a valid file");
            Ok(prettyplease::unparse(&file))
        }
        Err(err) => Err(err.into_iter().map(|e| e.to_string()).collect()),
    }
}

#[test]
fn sql_enum_expansion() {
    insta::assert_snapshot!(sql_enum(quote! {
        #[sql_enum(name = "mood", schema = "app", rename_all = "snake_case")]
        enum Mood {
            Happy,
            SoSo,
            #[sql_enum(rename = "very sad")]
            VerySad,
        }
    })
    .expect("expands"));
}

#[test]
fn sql_enum_labels_follow_serde_case_styles() {
    for (style, labels) in [
        ("lowercase", r#"["happy", "soso"]"#),
        ("UPPERCASE", r#"["HAPPY", "SOSO"]"#),
        ("PascalCase", r#"["Happy", "SoSo"]"#),
        ("camelCase", r#"["happy", "soSo"]"#),
        ("snake_case", r#"["happy", "so_so"]"#),
        ("SCREAMING_SNAKE_CASE", r#"["HAPPY", "SO_SO"]"#),
        ("kebab-case", r#"["happy", "so-so"]"#),
        ("SCREAMING-KEBAB-CASE", r#"["HAPPY", "SO-SO"]"#),
    ] {
        let expanded = sql_enum(quote! {
            #[sql_enum(rename_all = #style)]
            enum Mood { Happy, SoSo }
        })
        .expect("expands");
        assert!(
            expanded.contains(&format!("EnumType::new(\"mood\", {labels})")),
            "{expanded}"
        );
    }
    // No style: as written; the name is the enum's in snake_case.
    let plain = sql_enum(quote! { enum TaskState { Open, Done } }).expect("expands");
    assert!(
        plain.contains(r#"EnumType::new("task_state", ["Open", "Done"])"#),
        "{plain}"
    );
}

#[test]
fn sql_enum_mistakes_are_all_reported() {
    let errors = sql_enum(quote! {
        #[sql_enum(rename_all = "Title Case", table = "x")]
        enum Mood {
            Happy(u8),
            #[sql_enum(rename = "Happy")]
            Glad,
            #[sql_enum(rename = "")]
            Blank,
            #[sql_enum(label = "x")]
            Other,
        }
    })
    .expect_err("refused");
    let all = errors.join("\n");
    for part in [
        "unknown key in #[sql_enum(...)] on an enum",
        "unknown rename_all style `Title Case`",
        "variant `Happy` has fields",
        "label `Happy` is given twice",
        "an enum label cannot be empty",
        "unknown key in #[sql_enum(...)] on a variant",
    ] {
        assert!(all.contains(part), "no `{part}` in {errors:#?}");
    }
    let shapes = [
        quote! { struct Mood { a: i32 } },
        quote! { enum Mood {} },
        quote! { enum Mood<T> { A(T) } },
        quote! { #[sql_enum(name = "a", name = "b")] enum Mood { A } },
    ];
    let expected = [
        "#[derive(SqlEnum)] is for an enum of unit variants",
        "needs at least one variant",
        "cannot be used on a generic enum",
        "duplicate `name`",
    ];
    for (input, part) in shapes.into_iter().zip(expected) {
        let errors = sql_enum(input).expect_err("refused");
        assert!(
            errors.join("\n").contains(part),
            "no `{part}` in {errors:#?}"
        );
    }
}

fn sql_domain(input: TokenStream) -> Result<String, Vec<String>> {
    match crate::sql_domain::derive_sql_domain(input) {
        Ok(tokens) => {
            let file = syn::parse_file(&tokens.to_string()).expect("expansion is a valid file");
            Ok(prettyplease::unparse(&file))
        }
        Err(err) => Err(err.into_iter().map(|e| e.to_string()).collect()),
    }
}

#[test]
fn sql_domain_expansion() {
    insta::assert_snapshot!(sql_domain(quote! {
        #[sql_domain(name = "year", not_null, default = "1901",
                     check(expr = "VALUE >= 1901"), check(name = "year_max", expr = "VALUE <= 2155"))]
        struct Year(i32);
    })
    .expect("expands"));
    // `sql_type` names the base type; the name defaults to the struct's in snake_case.
    let typed = sql_domain(quote! {
        #[sql_domain(schema = "app", sql_type = "varchar(8)")]
        struct CountryCode(String);
    })
    .expect("expands");
    assert!(typed.contains(r#""country_code","#), "{typed}");
    assert!(typed.contains(r#"SqlType::parse("varchar(8)")"#), "{typed}");
    assert!(typed.contains(r#".schema("app")"#), "{typed}");
}

#[test]
fn sql_domain_mistakes_are_all_reported() {
    let errors = sql_domain(quote! {
        #[sql_domain(sql_type = "varchar(", default = "1 +", check(name = "c"), color = "x")]
        struct Year(i32);
    })
    .expect_err("refused");
    let all = errors.join("\n");
    for part in [
        "is not a SQL type",
        "check(..) needs `expr = \"...\"`",
        "unknown key in #[sql_domain(...)]",
    ] {
        assert!(all.contains(part), "no `{part}` in {errors:#?}");
    }
    for (input, part) in [
        (quote! { struct Year { value: i32 } }, "newtype struct"),
        (quote! { enum Year { A } }, "newtype struct"),
        (
            quote! { #[sql_domain(check(expr = "VALUE > 0"), check(name = "year_check", expr = "VALUE < 9"))] struct Year(i32); },
            "check `year_check` is given twice",
        ),
    ] {
        let errors = sql_domain(input).expect_err("refused");
        assert!(
            errors.join("\n").contains(part),
            "no `{part}` in {errors:#?}"
        );
    }
}
