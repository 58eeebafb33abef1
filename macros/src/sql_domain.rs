//! `#[derive(SqlDomain)]` ([`derive_sql_domain`]): a newtype struct as a PostgreSQL domain, a
//! named base type with its own NOT NULL, default and CHECKs on `VALUE`. The expansion
//! implements `retort::SqlTypeOf`, so a field of the struct's type is a column of
//! `SqlType::Domain`; the base type is the wrapped field's (`struct Year(i32)`: INTEGER) unless
//! `sql_type = ".."` says otherwise. Every mistake is a compile error at its tokens.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr};

use crate::ctxt::Ctxt;
use crate::sql_enum::{each_key, set_once};

const KEYS: &str = "`name = \"...\"`, `schema = \"...\"`, `sql_type = \"...\"`, `not_null`, \
                    `default = \"...\"`, `check(name = \"...\", expr = \"...\")`";

/// Expands `#[derive(SqlDomain)]` on `input`; every mistake found comes back in one `syn::Error`.
pub fn derive_sql_domain(input: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(input)?;
    let cx = Ctxt::new();
    let expanded = expand(&cx, &input);
    cx.check()?;
    Ok(expanded)
}

#[derive(Default)]
struct Options {
    name: Option<LitStr>,
    schema: Option<LitStr>,
    sql_type: Option<LitStr>,
    not_null: bool,
    default: Option<LitStr>,
    /// Each `check(..)`: its name (PostgreSQL's `<domain>_check` when left out) and expression.
    checks: Vec<(Option<LitStr>, LitStr)>,
}

fn expand(cx: &Ctxt, input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let options = options(cx, input);
    let inner = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => Some(&fields.unnamed[0].ty),
            _ => None,
        },
        _ => None,
    };
    if inner.is_none() {
        cx.error_spanned_by(
            ident,
            "#[derive(SqlDomain)] is for a newtype struct over the domain's base type: write \
             `struct Year(i32);`",
        );
    }
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            "#[derive(SqlDomain)] cannot be used on a generic struct: a domain is one SQL type",
        );
    }
    let base = match (&options.sql_type, inner) {
        (Some(sql), _) => {
            if let Err(err) = retort_syntax::SqlType::parse(&sql.value()) {
                cx.error_spanned_by(sql, err);
            }
            quote! {
                match ::retort::schema::SqlType::parse(#sql) {
                    ::core::result::Result::Ok(sql_type) => sql_type,
                    ::core::result::Result::Err(err) => ::core::panic!("{}", err),
                }
            }
        }
        (None, Some(ty)) => {
            quote_spanned!(ty.span()=> <#ty as ::retort::SqlTypeOf>::sql_type(::core::option::Option::None))
        }
        (None, None) => quote!(::retort::schema::SqlType::Integer),
    };
    for sql in options
        .default
        .iter()
        .chain(options.checks.iter().map(|(_, e)| e))
    {
        if let Err(err) = retort_syntax::parse_expr(&sql.value()) {
            cx.error_spanned_by(sql, err);
        }
    }
    let name = match &options.name {
        Some(lit) => lit.value(),
        None => heck::ToSnakeCase::to_snake_case(ident.unraw().to_string().as_str()),
    };
    let mut check_names: Vec<String> = Vec::new();
    let mut checks = Vec::new();
    for (at, (check_name, expr)) in options.checks.iter().enumerate() {
        let check_name = match check_name {
            Some(lit) => lit.value(),
            // PostgreSQL's own names for unnamed domain checks: year_check, year_check1, ..
            None if at == 0 => format!("{name}_check"),
            None => format!("{name}_check{at}"),
        };
        if check_names.contains(&check_name) {
            cx.error_spanned_by(expr, format!("check `{check_name}` is given twice"));
        }
        checks.push(quote!(.check(#check_name, #expr)));
        check_names.push(check_name);
    }
    let schema = options.schema.as_ref().map(|s| quote!(.schema(#s)));
    let not_null = options.not_null.then(|| quote!(.not_null()));
    let default = options.default.as_ref().map(|d| quote!(.default(#d)));
    quote! {
        const _: () = {
            #[automatically_derived]
            impl ::retort::SqlTypeOf for #ident {
                fn sql_type(_length: ::core::option::Option<u32>) -> ::retort::SqlType {
                    ::retort::SqlType::Domain(
                        ::retort::schema::DomainType::new(#name, #base)
                            #schema #not_null #default #(#checks)*
                    )
                }
            }
        };
    }
}

fn options(cx: &Ctxt, input: &DeriveInput) -> Options {
    let mut options = Options::default();
    each_key(cx, &input.attrs, "sql_domain", |meta| {
        if meta.path.is_ident("not_null") {
            if options.not_null {
                cx.error_spanned_by(&meta.path, "duplicate `not_null` in #[sql_domain(...)]");
            }
            options.not_null = true;
            return Ok(());
        }
        if meta.path.is_ident("check") {
            let (mut name, mut expr) = (None, None);
            meta.parse_nested_meta(|inner| {
                if inner.path.is_ident("name") {
                    set_once(cx, &inner, &mut name)
                } else if inner.path.is_ident("expr") {
                    set_once(cx, &inner, &mut expr)
                } else {
                    Err(inner.error(
                        "unknown key in check(..); expected `name = \"...\"`, `expr = \"...\"`",
                    ))
                }
            })?;
            match expr {
                Some(expr) => options.checks.push((name, expr)),
                None => cx.error_spanned_by(
                    &meta.path,
                    "check(..) needs `expr = \"...\"`, a condition on VALUE",
                ),
            }
            return Ok(());
        }
        let slot = if meta.path.is_ident("name") {
            &mut options.name
        } else if meta.path.is_ident("schema") {
            &mut options.schema
        } else if meta.path.is_ident("sql_type") {
            &mut options.sql_type
        } else if meta.path.is_ident("default") {
            &mut options.default
        } else {
            return Err(meta.error(format!(
                "unknown key in #[sql_domain(...)]; expected {KEYS}"
            )));
        };
        set_once(cx, &meta, slot)
    });
    options
}
