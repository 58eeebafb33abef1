//! Schema literals inside op calls: table names, `Column::new(..)` with its builder calls,
//! `SqlType` values, and the `PrimaryKey`, `UniqueConstraint`, `ForeignKey` and
//! `CheckConstraint` values of table options, each omitting arguments equal to their default.

use proc_macro2::TokenStream;
use quote::quote;
use retort_core::schema::{
    CheckConstraint, Column, DomainType, ForeignKey, ForeignKeyAction, PrimaryKey, QualifiedName,
    SqlType, UniqueConstraint,
};

use retort_core::value::Value;

use super::{RenderError, RenderOptions};

pub(super) fn render_option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(value) => quote! { Some(#value) },
        None => quote! { None },
    }
}

/// A table as `Operations` calls take it: `"users"`, or `("app", "users")` in a schema.
pub(super) fn table_name(name: &QualifiedName) -> TokenStream {
    let table = &name.name;
    match &name.schema {
        Some(schema) => quote! { (#schema, #table) },
        None => quote! { #table },
    }
}

// PrimaryKey::new(["b", "a"]).named("pk_t")
pub(super) fn render_primary_key(pk: &PrimaryKey) -> TokenStream {
    let columns = &pk.columns;
    let named = render_named(pk.name.as_deref());
    quote! { PrimaryKey::new([#(#columns),*]) #named }
}

// UniqueConstraint::new(["x"]).named("uq_t_x")
pub(super) fn render_unique_constraint(unique: &UniqueConstraint) -> TokenStream {
    let columns = &unique.columns;
    let named = render_named(unique.name.as_deref());
    quote! { UniqueConstraint::new([#(#columns),*]) #named }
}

// ForeignKey::new(["a"], "users", ["id"]).named("fk_t_a_users").on_delete(..)
pub(super) fn render_foreign_key(fk: &ForeignKey) -> TokenStream {
    let columns = &fk.columns;
    let referred_table = &fk.referred_table;
    let referred_columns = &fk.referred_columns;
    let named = render_named(fk.name.as_deref());
    let schema = fk
        .referred_schema
        .as_deref()
        .map(|schema| quote! { .referred_schema(#schema) });
    let actions = render_foreign_key_actions(fk);
    quote! {
        ForeignKey::new([#(#columns),*], #referred_table, [#(#referred_columns),*]) #named #schema #actions
    }
}

// CheckConstraint::new("a > 0").named("ck_t_1")
pub(super) fn render_check_constraint(check: &CheckConstraint) -> TokenStream {
    let expr = &check.expr;
    let named = render_named(check.name.as_deref());
    quote! { CheckConstraint::new(#expr) #named }
}

pub(super) fn render_named(name: Option<&str>) -> TokenStream {
    name.map(|name| quote! { .named(#name) })
        .unwrap_or_default()
}

/// `.on_delete(..)`/`.on_update(..)`, `.deferrable()`/`.initially_deferred()`, `.match_full()`:
/// the same calls on a `ForeignKey` and, through `ForeignKeyOptions`, on
/// `op.create_foreign_key(..)`. (`NOT VALID` is never reflected, so never rendered.) `None` is the builder's default; an
/// explicit `NoAction` is kept, since it is a different value.
pub(super) fn render_foreign_key_actions(fk: &ForeignKey) -> TokenStream {
    let mut calls = TokenStream::new();
    if let Some(action) = fk.on_delete {
        let action = render_foreign_key_action(action);
        calls.extend(quote! { .on_delete(#action) });
    }
    if let Some(action) = fk.on_update {
        let action = render_foreign_key_action(action);
        calls.extend(quote! { .on_update(#action) });
    }
    if fk.initially_deferred {
        calls.extend(quote! { .initially_deferred() });
    } else if fk.deferrable {
        calls.extend(quote! { .deferrable() });
    }
    if fk.match_full {
        calls.extend(quote! { .match_full() });
    }
    calls
}

pub(super) fn render_foreign_key_action(action: ForeignKeyAction) -> TokenStream {
    match action {
        ForeignKeyAction::Cascade => quote! { ForeignKeyAction::Cascade },
        ForeignKeyAction::SetNull => quote! { ForeignKeyAction::SetNull },
        ForeignKeyAction::SetDefault => quote! { ForeignKeyAction::SetDefault },
        ForeignKeyAction::Restrict => quote! { ForeignKeyAction::Restrict },
        ForeignKeyAction::NoAction => quote! { ForeignKeyAction::NoAction },
    }
}

/// How a rendered column stands to its table's primary key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum KeyMember {
    No,
    /// `.primary_key()` on the column says it (and makes it NOT NULL).
    Marked,
    /// The table option `.primary_key(PrimaryKey::new(..))` says it (and makes it NOT NULL).
    ByTableOption,
}

/// `Column::new(name, type)` plus a builder call for each field that differs from
/// `Column::new`'s defaults, given how the column stands to the table's primary key.
pub(super) fn render_column(
    column: &Column,
    member: KeyMember,
    options: &RenderOptions,
) -> Result<TokenStream, RenderError> {
    let name = &column.name;
    let sql_type = render_sql_type(&column.sql_type, options)?;
    let mut calls = TokenStream::new();
    if member == KeyMember::Marked {
        calls.extend(quote! { .primary_key() });
    }
    if column.autoincrement {
        calls.extend(quote! { .autoincrement() });
    }
    match (column.nullable, member) {
        (false, KeyMember::No) => calls.extend(quote! { .not_null() }),
        // SQLite reflects a non-integer primary key declared without NOT NULL as nullable;
        // `.primary_key()` alone would tighten it.
        (true, KeyMember::Marked) => calls.extend(quote! { .nullable(true) }),
        _ => {}
    }
    if let Some(default) = &column.default {
        calls.extend(quote! { .default(#default) });
    }
    if let Some(computed) = &column.computed {
        calls.extend(quote! { .computed(#computed) });
    }
    if let Some(collation) = &column.collation {
        calls.extend(quote! { .collation(#collation) });
    }
    if let Some(start) = column.identity.start {
        let start = proc_macro2::Literal::i64_unsuffixed(start);
        calls.extend(quote! { .identity_start(#start) });
    }
    if let Some(increment) = column.identity.increment {
        let increment = proc_macro2::Literal::i64_unsuffixed(increment);
        calls.extend(quote! { .identity_increment(#increment) });
    }
    if let Some(comment) = &column.comment {
        calls.extend(quote! { .comment(#comment) });
    }
    Ok(quote! { Column::new(#name, #sql_type) #calls })
}

/// The type as a `SqlType` expression, or as the environment's type renderer writes it (a
/// user type's own call).
pub(super) fn render_sql_type(
    sql_type: &SqlType,
    options: &RenderOptions,
) -> Result<TokenStream, RenderError> {
    if let Some(rendered) = options.render_type.as_ref().and_then(|hook| hook(sql_type)) {
        return syn::parse_str::<syn::Expr>(&rendered.expr)
            .map(|expr| quote! { #expr })
            .map_err(|e| {
                RenderError::Unsupported(format!(
                    "the type renderer wrote `{}` for {sql_type}, which is not a Rust \
                     expression ({e})",
                    rendered.expr
                ))
            });
    }
    Ok(match sql_type {
        SqlType::Boolean => quote! { SqlType::Boolean },
        SqlType::SmallInt => quote! { SqlType::SmallInt },
        SqlType::Integer => quote! { SqlType::Integer },
        SqlType::BigInt => quote! { SqlType::BigInt },
        SqlType::Real => quote! { SqlType::Real },
        SqlType::Double => quote! { SqlType::Double },
        SqlType::Numeric {
            precision: Some(precision),
            scale: Some(scale),
        } => {
            let (precision, scale) = (unsuffixed(*precision), unsuffixed(*scale));
            quote! { SqlType::numeric(#precision, #scale) }
        }
        SqlType::Numeric { precision, scale } => {
            let precision = render_option_u32(*precision);
            let scale = render_option_u32(*scale);
            quote! { SqlType::Numeric { precision: #precision, scale: #scale } }
        }
        SqlType::Text => quote! { SqlType::Text },
        SqlType::Varchar(length) => {
            let length = unsuffixed(*length);
            quote! { SqlType::Varchar(#length) }
        }
        SqlType::Char(length) => {
            let length = unsuffixed(*length);
            quote! { SqlType::Char(#length) }
        }
        SqlType::Blob => quote! { SqlType::Blob },
        SqlType::Date => quote! { SqlType::Date },
        SqlType::Time => quote! { SqlType::Time },
        SqlType::Timestamp => quote! { SqlType::Timestamp },
        SqlType::TimestampTz => quote! { SqlType::TimestampTz },
        SqlType::Uuid => quote! { SqlType::Uuid },
        SqlType::Json => quote! { SqlType::Json },
        SqlType::Jsonb => quote! { SqlType::Jsonb },
        SqlType::Enum(e) => {
            let name = &e.name;
            let labels = render_labels(&e.labels);
            let schema = e.schema.as_ref().map(|s| quote! { .schema(#s) });
            quote! { SqlType::Enum(EnumType::new(#name, #labels) #schema) }
        }
        SqlType::Domain(domain) => {
            let domain = render_domain(domain, options)?;
            quote! { SqlType::Domain(#domain) }
        }
        SqlType::Custom(sql) => quote! { SqlType::Custom(#sql.into()) },
        // No wildcard arm: `SqlType` is exhaustive to other crates, so a new variant fails to
        // compile here instead of rendering a guessed spelling that could change the column.
    })
}

/// `DomainType::new("year", SqlType::Integer).not_null().default("..").check("year_check", "..")`.
pub(super) fn render_domain(
    domain: &DomainType,
    options: &RenderOptions,
) -> Result<TokenStream, RenderError> {
    let name = &domain.name;
    let base = render_sql_type(&domain.base, options)?;
    let mut calls = TokenStream::new();
    if let Some(schema) = &domain.schema {
        calls.extend(quote! { .schema(#schema) });
    }
    if domain.not_null {
        calls.extend(quote! { .not_null() });
    }
    if let Some(default) = &domain.default {
        calls.extend(quote! { .default(#default) });
    }
    for check in &domain.checks {
        let (check_name, expr) = (&check.name, &check.expr);
        calls.extend(quote! { .check(#check_name, #expr) });
    }
    Ok(quote! { DomainType::new(#name, #base) #calls })
}

/// `["a", "b"]`; `[] as [&str; 0]` for no labels, which would leave the item type unknown.
pub(super) fn render_labels(labels: &[String]) -> TokenStream {
    if labels.is_empty() {
        quote! { [] as [&str; 0] }
    } else {
        quote! { [#(#labels),*] }
    }
}

pub(super) fn render_option_u32(value: Option<u32>) -> TokenStream {
    match value.map(unsuffixed) {
        Some(value) => quote! { Some(#value) },
        None => quote! { None },
    }
}

/// `255` rather than the `255u32` that quoting a `u32` produces, as a person would write it.
pub(super) fn unsuffixed(value: u32) -> proc_macro2::Literal {
    proc_macro2::Literal::u32_unsuffixed(value)
}

/// A value as the `Value` it is: `Value::Int(1)`, `Value::Text("x".into())`.
pub(super) fn render_value(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote! { Value::Null },
        Value::Bool(b) => quote! { Value::Bool(#b) },
        Value::Int(i) => {
            let i = proc_macro2::Literal::i64_unsuffixed(*i);
            quote! { Value::Int(#i) }
        }
        Value::Float(x) if x.is_nan() => quote! { Value::Float(f64::NAN) },
        Value::Float(x) if x.is_infinite() && *x > 0.0 => quote! { Value::Float(f64::INFINITY) },
        Value::Float(x) if x.is_infinite() => quote! { Value::Float(f64::NEG_INFINITY) },
        Value::Float(x) => {
            let x = proc_macro2::Literal::f64_unsuffixed(*x);
            quote! { Value::Float(#x) }
        }
        Value::Text(s) => quote! { Value::Text(#s.into()) },
        Value::Bytes(b) => {
            let b = b
                .iter()
                .map(|byte| proc_macro2::Literal::u8_unsuffixed(*byte));
            quote! { Value::Bytes(vec![#(#b),*]) }
        }
    }
}
