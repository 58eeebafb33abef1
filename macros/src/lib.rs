//! Procedural macros of retort: `#[derive(Table)]`, `#[derive(SqlEnum)]`,
//! `#[derive(SqlDomain)]` and `embed_migrations!`.
//!
//! This file holds the entry points only; each hands a `proc_macro2::TokenStream` to its
//! expansion (`expand::derive_table`, `embed::embed_migrations`), which unit tests call
//! directly, and turns the `syn::Error` it may return into `compile_error!`s. The derive is
//! parse (`attr`, `ast`) → check (`check`) → generate (`expand`), with every error collected
//! in a `ctxt::Ctxt` so the user sees all of them at once.

mod ast;
mod attr;
mod check;
mod ctxt;
mod embed;
mod expand;
mod reference;
mod sql_domain;
mod sql_enum;
mod symbol;

use proc_macro::TokenStream;

/// Derives `retort::TableModel` and registers the table with retort's registry.
///
/// See the `retort` crate for the `#[table(...)]` and `#[column(...)]` keys.
#[proc_macro_derive(Table, attributes(table, column))]
pub fn derive_table(input: TokenStream) -> TokenStream {
    expand::derive_table(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Implements `retort::SqlTypeOf` for an enum of unit variants: a field of its type is a column
/// of an enumerated SQL type, one label per variant.
///
/// `#[sql_enum(name = "mood", schema = "app", rename_all = "snake_case")]` on the enum (the
/// name defaults to the enum's in snake_case; `rename_all` takes serde's styles) and
/// `#[sql_enum(rename = "so-so")]` on a variant.
#[proc_macro_derive(SqlEnum, attributes(sql_enum))]
pub fn derive_sql_enum(input: TokenStream) -> TokenStream {
    sql_enum::derive_sql_enum(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Implements `retort::SqlTypeOf` for a newtype struct as a PostgreSQL domain: a field of its
/// type is a column of the domain (of its base type on MySQL and SQLite).
///
/// `#[sql_domain(name = "year", schema = "app", sql_type = "integer", not_null,
/// default = "1901", check(name = "year_check", expr = "VALUE >= 1901"))]`; the base type is
/// the wrapped field's unless `sql_type` says otherwise, and the name the struct's in
/// snake_case.
#[proc_macro_derive(SqlDomain, attributes(sql_domain))]
pub fn derive_sql_domain(input: TokenStream) -> TokenStream {
    sql_domain::derive_sql_domain(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Embeds the revision files of a directory (default `"versions"`, relative to the crate's
/// `Cargo.toml`) and defines `pub static MIGRATIONS: &[retort::Script]`.
#[proc_macro]
pub fn embed_migrations(input: TokenStream) -> TokenStream {
    embed::embed_migrations(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

#[cfg(test)]
mod tests;
