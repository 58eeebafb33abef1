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
            "unknown key `nme` in #[table(...)]; expected one of `name`, `schema`, `comment`",
            "duplicate key `name` in #[table(...)]; give it once",
            "unknown key `lenght` in #[column(...)]; expected one of `name`, `primary_key`, \
             `length`, `default`, `unique`, `index`, `comment`, `skip`",
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
            "a `primary_key` column is NOT NULL and cannot be an `Option`; use `i64`",
            "`length` applies only to `String` and `Option<String>` fields (it makes a \
             VARCHAR(n)), not to `i32`",
            "`unique` and `index` conflict: `unique` already creates an index; keep only \
             `unique`",
            "`skip` and `default` conflict: a skipped field is not a column; remove one of them",
            "column `slug` is already declared by field `slug`; rename one with \
             #[column(name = \"...\")]",
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
