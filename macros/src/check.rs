//! Checks across keys, fields and field types, run on the parsed [`Container`] before any
//! code is generated ([`check`]). Each records its errors in the [`Ctxt`].
//!
//! Type checks here are syntactic (they look at how the field type is written): the derive
//! cannot resolve types, so it only refuses a key on types it knows by name (`i32`, `String`,
//! `rust_decimal::Decimal`, ...), and a check the compiler does better (does the type
//! implement `SqlTypeOf`?) is left to the compiler, at the field's span.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::ToTokens;
use retort_syntax::SqlType;
use syn::ext::IdentExt;
use syn::{GenericArgument, Ident, PathArguments, Type};

use crate::ast::{Container, Field};
use crate::attr::{ColumnList, Spanned};
use crate::ctxt::Ctxt;
use crate::symbol::*;

/// Runs every check on a parsed struct.
pub fn check(cx: &Ctxt, cont: &Container) {
    check_generics(cx, cont);
    for field in &cont.fields {
        check_skip(cx, field);
    }
    for field in cont.columns() {
        check_unique_and_index(cx, field);
        check_primary_key_type(cx, field);
        check_nullable(cx, field);
        check_length(cx, field);
        check_precision(cx, field);
        check_autoincrement(cx, cont, field);
        check_identity(cx, cont, field);
        check_foreign_key_actions(cx, field);
        check_computed(cx, field);
        check_renamed_from(cx, &field.attrs.renamed_from, &field.attrs.name, "column");
    }
    check_column_names(cx, cont);
    check_renamed_from(cx, &cont.attrs.renamed_from, &cont.attrs.name, "table");
    check_table_primary_key(cx, cont);
    check_column_lists(cx, cont);
    check_index_orders(cx, cont);
    check_foreign_key_targets(cx, cont);
}

/// A table has one fixed set of SQL types, and `TableModel::table()` takes no type to choose
/// them from.
fn check_generics(cx: &Ctxt, cont: &Container) {
    if !cont.generics.params.is_empty() {
        cx.error_spanned_by(
            cont.generics,
            "#[derive(Table)] does not support generic parameters: a table has one fixed set \
             of column types; derive it on a struct without generics",
        );
    }
}

/// `(pos, tokens)` of a key that is present, for conflict checks.
fn at<T>(spanned: &Option<Spanned<T>>) -> Option<(usize, &TokenStream)> {
    spanned.as_ref().map(|s| (s.pos, &s.tokens))
}

/// The later of two keys, where a conflict between them is reported.
fn later<'a>(a: (usize, &'a TokenStream), b: (usize, &'a TokenStream)) -> &'a TokenStream {
    if a.0 > b.0 {
        a.1
    } else {
        b.1
    }
}

/// `skip` with any other key means one of the two is a mistake.
fn check_skip(cx: &Ctxt, field: &Field) {
    let a = &field.attrs;
    let Some(skip) = at(&a.skip) else {
        return;
    };
    let others = [
        (at(&a.primary_key), PRIMARY_KEY),
        (at(&a.autoincrement), AUTOINCREMENT),
        (at(&a.nullable), NULLABLE),
        (at(&a.length), LENGTH),
        (at(&a.precision), PRECISION),
        (at(&a.scale), SCALE),
        (at(&a.sql_type), SQL_TYPE),
        (at(&a.default), DEFAULT),
        (at(&a.unique), UNIQUE),
        (at(&a.index), INDEX),
        (at(&a.foreign_key), FOREIGN_KEY),
        (at(&a.on_delete), ON_DELETE),
        (at(&a.on_update), ON_UPDATE),
        (at(&a.comment), COMMENT),
        (at(&a.computed), COMPUTED),
        (at(&a.renamed_from), RENAMED_FROM),
    ];
    for (other, key) in others {
        if let Some(other) = other {
            cx.error_spanned_by(
                later(skip, other),
                format!(
                    "`{SKIP}` and `{key}` conflict: a skipped field is not a column; remove \
                     one of them"
                ),
            );
        }
    }
}

/// A unique constraint is backed by an index already; a second, plain one would only slow
/// down writes.
fn check_unique_and_index(cx: &Ctxt, field: &Field) {
    if let (Some(unique), Some(index)) = (at(&field.attrs.unique), at(&field.attrs.index)) {
        cx.error_spanned_by(
            later(unique, index),
            format!(
                "`{UNIQUE}` and `{INDEX}` conflict: the unique constraint is already backed by \
                 an index; keep only `{UNIQUE}`"
            ),
        );
    }
}

/// Primary key columns are NOT NULL, so an `Option` field could never hold `None`.
fn check_primary_key_type(cx: &Ctxt, field: &Field) {
    if field.attrs.primary_key.is_some() {
        refuse_option_primary_key(cx, field, field.ty);
    }
}

fn refuse_option_primary_key(cx: &Ctxt, field: &Field, at: impl ToTokens) {
    if let Some(inner) = option_inner(field.ty) {
        cx.error_spanned_by(
            at,
            format!(
                "a `{PRIMARY_KEY}` column is NOT NULL, so field `{}` cannot be an `Option`; \
                 use `{}`",
                field.ident,
                written(inner)
            ),
        );
    }
}

/// `nullable` on a primary key column contradicts its NOT NULL.
fn check_nullable(cx: &Ctxt, field: &Field) {
    let a = &field.attrs;
    if let (Some(pk), Some(nullable)) = (at(&a.primary_key), &a.nullable) {
        if nullable.value {
            cx.error_spanned_by(
                later(pk, (nullable.pos, &nullable.tokens)),
                format!(
                    "`{PRIMARY_KEY}` and `{NULLABLE}` conflict: a primary key column is NOT NULL"
                ),
            );
        }
    }
}

/// `length` makes a VARCHAR(n) of a string type; on a type that ignores it, or next to a
/// `sql_type` that says the whole type, it is a mistake.
fn check_length(cx: &Ctxt, field: &Field) {
    let a = &field.attrs;
    let Some(length) = &a.length else {
        return;
    };
    if let Some(sql_type) = &a.sql_type {
        cx.error_spanned_by(
            later(
                (length.pos, &length.tokens),
                (sql_type.pos, &sql_type.tokens),
            ),
            format!(
                "`{LENGTH}` and `{SQL_TYPE}` conflict: write the length in the type, as in \
                 `sql_type = \"varchar({})\"`",
                length.value
            ),
        );
        return;
    }
    match classify(field.ty) {
        Kind::String | Kind::Unknown => {}
        Kind::Integer | Kind::Float | Kind::Decimal | Kind::Other => {
            cx.error_spanned_by(
                &length.tokens,
                format!(
                    "`{LENGTH}` applies to string fields (`String`, `Option<String>`: it makes \
                     a VARCHAR(n)), not to `{}`",
                    written(field.ty)
                ),
            );
        }
    }
}

/// `precision` and `scale` make a NUMERIC(p, s): on decimal and float fields, or completing a
/// bare `sql_type = "numeric"`.
fn check_precision(cx: &Ctxt, field: &Field) {
    let a = &field.attrs;
    if let (Some(scale), None) = (&a.scale, &a.precision) {
        cx.error_spanned_by(
            &scale.tokens,
            format!(
                "`{SCALE}` needs `{PRECISION}`: write `#[column(precision = 10, scale = {})]`",
                scale.value
            ),
        );
    }
    let Some(precision) = &a.precision else {
        return;
    };
    if let Some(scale) = &a.scale {
        if scale.value > precision.value {
            cx.error_spanned_by(
                &scale.tokens,
                format!(
                    "`{SCALE}` ({}) cannot exceed `{PRECISION}` ({}): the scale is how many of \
                     the `{PRECISION}` digits follow the decimal point",
                    scale.value, precision.value
                ),
            );
        }
    }
    match &a.sql_type {
        Some(sql_type) if sql_type.value.sql_type != BARE_NUMERIC => {
            cx.error_spanned_by(
                later(
                    (precision.pos, &precision.tokens),
                    (sql_type.pos, &sql_type.tokens),
                ),
                format!(
                    "`{PRECISION}` and `{SQL_TYPE} = {:?}` conflict: `{PRECISION}` completes \
                     only `sql_type = \"numeric\"`; write the whole type in `{SQL_TYPE}`",
                    sql_type.value.sql
                ),
            );
        }
        Some(_) => {}
        None => match classify(field.ty) {
            Kind::Decimal | Kind::Float => {}
            _ => cx.error_spanned_by(
                &precision.tokens,
                format!(
                    "`{PRECISION}` applies to decimal and float fields (`rust_decimal::Decimal`, \
                     `f64`, `f32`, or an `Option` of one: it makes a NUMERIC(p, s)), not to \
                     `{}`; for another type, add `sql_type = \"numeric\"`",
                    written(field.ty)
                ),
            ),
        },
    }
}

/// What `numeric`, `decimal` and `dec` without precision parse to: the only type `precision`
/// and `scale` may complete.
const BARE_NUMERIC: SqlType = SqlType::Numeric {
    precision: None,
    scale: None,
};

/// `identity(..)` belongs to a column that autoincrements: one marked so, or the single
/// primary key column that does by default.
fn check_identity(cx: &Ctxt, cont: &Container, field: &Field) {
    let Some(identity) = &field.attrs.identity else {
        return;
    };
    let autoincrements = match &field.attrs.autoincrement {
        Some(autoincrement) => autoincrement.value,
        None => cont.primary_key_len() == 1 && cont.is_primary_key(field),
    };
    if !autoincrements {
        cx.error_spanned_by(
            &identity.tokens,
            format!(
                "`{IDENTITY}` applies to an autoincrementing column, and `{}` does not \
                 autoincrement (a single integer primary key does, or a key column marked \
                 `{AUTOINCREMENT}`)",
                field.ident
            ),
        );
    }
}

/// `autoincrement` belongs to a primary key column of an integer type.
fn check_autoincrement(cx: &Ctxt, cont: &Container, field: &Field) {
    let Some(autoincrement) = &field.attrs.autoincrement else {
        return;
    };
    if !cont.is_primary_key(field) {
        cx.error_spanned_by(
            &autoincrement.tokens,
            format!(
                "`{AUTOINCREMENT}` applies to a primary key column, and `{}` is not part of the \
                 primary key",
                field.ident
            ),
        );
        return;
    }
    if !autoincrement.value {
        return;
    }
    let not_integer = match &field.attrs.sql_type {
        Some(sql_type) => {
            // A `Custom` type (`serial`, `tinyint`) is one retort has no variant for: nothing
            // can be said about it at compile time.
            let t = &sql_type.value.sql_type;
            (!t.is_integer() && !matches!(t, SqlType::Custom(_)))
                .then(|| sql_type.value.sql.clone())
        }
        None => match classify(field.ty) {
            Kind::Integer | Kind::Unknown => None,
            _ => Some(written(field.ty)),
        },
    };
    if let Some(ty) = not_integer {
        cx.error_spanned_by(
            &autoincrement.tokens,
            format!("`{AUTOINCREMENT}` needs an integer column, not `{ty}`"),
        );
    }
}

/// `on_delete` and `on_update` describe the column's foreign key.
fn check_foreign_key_actions(cx: &Ctxt, field: &Field) {
    if field.attrs.foreign_key.is_some() {
        return;
    }
    for (action, key) in [
        (&field.attrs.on_delete, ON_DELETE),
        (&field.attrs.on_update, ON_UPDATE),
    ] {
        if let Some(action) = action {
            cx.error_spanned_by(
                &action.tokens,
                format!(
                    "`{key}` needs `{FOREIGN_KEY}` on the same column: \
                     `#[column(foreign_key = \"table.column\", {key} = \"cascade\")]`"
                ),
            );
        }
    }
}

/// A generated column's value is its expression: it has no default to fall back on.
fn check_computed(cx: &Ctxt, field: &Field) {
    let a = &field.attrs;
    if let (Some(computed), Some(default)) = (at(&a.computed), at(&a.default)) {
        cx.error_spanned_by(
            later(computed, default),
            format!(
                "`{COMPUTED}` and `{DEFAULT}` conflict: a generated column always holds its \
                 expression; remove one of them"
            ),
        );
    }
}

/// `renamed_from` naming the current name would rename a table or column onto itself.
fn check_renamed_from(cx: &Ctxt, renamed_from: &Option<Spanned<String>>, name: &str, what: &str) {
    if let Some(old) = renamed_from {
        if old.value == name {
            cx.error_spanned_by(
                &old.tokens,
                format!(
                    "`{RENAMED_FROM}` gives the {what}'s previous name, and `{name}` is its \
                     current one"
                ),
            );
        }
    }
}

/// Two fields mapped to one column name, reported on the later field.
fn check_column_names(cx: &Ctxt, cont: &Container) {
    let mut seen = BTreeMap::new();
    for field in cont.columns() {
        if let Some(first) = seen.insert(&field.attrs.name, field.ident) {
            cx.error_spanned_by(
                &field.attrs.name_tokens,
                format!(
                    "column `{}` is already declared by field `{first}`; rename one with \
                     #[column(name = \"...\")]",
                    field.attrs.name
                ),
            );
        }
    }
    if seen.is_empty() {
        cx.error_spanned_by(
            cont.ident,
            "a table needs at least one column: add a field that is not `skip`ped",
        );
    }
}

/// A table-level primary key is the whole key: a column-level one as well is a conflict, and
/// its columns are NOT NULL.
fn check_table_primary_key(cx: &Ctxt, cont: &Container) {
    let Some(pk) = &cont.attrs.primary_key else {
        return;
    };
    for field in cont.columns() {
        if let Some(column_pk) = &field.attrs.primary_key {
            cx.error_spanned_by(
                &column_pk.tokens,
                format!(
                    "the primary key is declared on the table (`#[table(primary_key(...))]`); \
                     remove this `{PRIMARY_KEY}` or list `{}` there",
                    field.ident.unraw()
                ),
            );
        }
    }
    for ident in &pk.value.columns {
        if let Some(field) = cont.column(ident) {
            refuse_option_primary_key(cx, field, ident);
        }
    }
}

/// Every column list of the table attribute names existing columns, each once.
fn check_column_lists(cx: &Ctxt, cont: &Container) {
    let attrs = &cont.attrs;
    let lists = attrs
        .primary_key
        .iter()
        .map(|pk| &pk.value.columns)
        .chain(attrs.indexes.iter().map(|i| &i.columns))
        .chain(attrs.indexes.iter().map(|i| &i.include))
        .chain(attrs.uniques.iter().map(|u| &u.columns))
        .chain(attrs.foreign_keys.iter().map(|f| &f.columns));
    for list in lists {
        check_column_list(cx, cont, list);
    }
}

/// An index's `desc(..)`, `nulls_first(..)` and `nulls_last(..)` name its key columns; a
/// column is not placed both first and last.
fn check_index_orders(cx: &Ctxt, cont: &Container) {
    for index in &cont.attrs.indexes {
        for (key, list) in [
            (DESC, &index.desc),
            (NULLS_FIRST, &index.nulls_first),
            (NULLS_LAST, &index.nulls_last),
        ] {
            for ident in list {
                if !index.columns.iter().any(|c| c == ident) {
                    cx.error_spanned_by(
                        ident,
                        format!(
                            "`{key}` names `{ident}`, which is not in this index's `{COLUMNS}(..)`"
                        ),
                    );
                }
            }
        }
        for (ident, _) in &index.prefix {
            if !index.columns.iter().any(|c| c == ident) {
                cx.error_spanned_by(
                    ident,
                    format!(
                        "`{PREFIX}` names `{ident}`, which is not in this index's `{COLUMNS}(..)`"
                    ),
                );
            }
        }
        for ident in &index.nulls_last {
            if index.nulls_first.iter().any(|c| c == ident) {
                cx.error_spanned_by(
                    ident,
                    format!("`{ident}` is in both `{NULLS_FIRST}` and `{NULLS_LAST}`"),
                );
            }
        }
    }
}

fn check_column_list(cx: &Ctxt, cont: &Container, list: &ColumnList) {
    let mut seen = BTreeMap::new();
    for ident in list {
        let Some(field) = cont.column(ident) else {
            unknown_column(cx, cont, ident);
            continue;
        };
        if let Some(first) = seen.insert(&field.attrs.name, ident) {
            cx.error_spanned_by(
                ident,
                format!(
                    "column `{}` is listed twice (first as `{}`)",
                    field.attrs.name,
                    first.unraw()
                ),
            );
        }
    }
}

fn unknown_column(cx: &Ctxt, cont: &Container, ident: &Ident) {
    let name = ident.unraw().to_string();
    if cont
        .fields
        .iter()
        .any(|f| f.attrs.skip.is_some() && f.ident.unraw() == name)
    {
        cx.error_spanned_by(
            ident,
            format!("field `{name}` is `skip`ped, so it is not a column"),
        );
        return;
    }
    let columns: Vec<String> = cont
        .columns()
        .map(|f| format!("`{}`", f.ident.unraw()))
        .collect();
    cx.error_spanned_by(
        ident,
        format!(
            "no column `{name}` in `{}`; expected a field or column name: {}",
            cont.ident,
            columns.join(", ")
        ),
    );
}

/// A composite foreign key refers to as many columns as it has.
fn check_foreign_key_targets(cx: &Ctxt, cont: &Container) {
    for fk in &cont.attrs.foreign_keys {
        let (ours, theirs) = (fk.columns.len(), fk.target.value.columns.len());
        if ours != theirs {
            cx.error_spanned_by(
                &fk.target.tokens,
                format!(
                    "the foreign key has {ours} column{} but references {theirs}; list as many \
                     referred columns as `columns(...)` has",
                    if ours == 1 { "" } else { "s" }
                ),
            );
        }
    }
}

/// What the derive knows about a field type from how it is written (inside any `Option`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Integer,
    Float,
    /// `Decimal` or `BigDecimal` under any path.
    Decimal,
    String,
    /// A type known to map to something else: `bool`, `Vec<u8>`, dates, `Uuid`, JSON values.
    Other,
    /// A user type: it decides through its `SqlTypeOf` impl.
    Unknown,
}

fn classify(ty: &Type) -> Kind {
    let ty = option_inner(ty).unwrap_or(ty);
    let Type::Path(path) = ungroup(ty) else {
        return Kind::Unknown;
    };
    let Some(last) = path.path.segments.last() else {
        return Kind::Unknown;
    };
    if path.qself.is_some() {
        return Kind::Unknown;
    }
    match last.ident.to_string().as_str() {
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64" | "u128"
        | "usize" => Kind::Integer,
        "f32" | "f64" => Kind::Float,
        "Decimal" | "BigDecimal" => Kind::Decimal,
        "String" => Kind::String,
        "bool" | "Vec" | "NaiveDate" | "NaiveDateTime" | "NaiveTime" | "DateTime" | "Date"
        | "Time" | "OffsetDateTime" | "PrimitiveDateTime" | "Uuid" | "Value" => Kind::Other,
        _ => Kind::Unknown,
    }
}

/// A type as the user wrote it, for messages.
fn written(ty: &Type) -> String {
    ty.to_token_stream().to_string().replace(' ', "")
}

/// `T` if `ty` is written `Option<T>` (under any path ending in `Option`).
pub fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ungroup(ty) else {
        return None;
    };
    let last = path.path.segments.last()?;
    if path.qself.is_some() || last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first() {
        Some(GenericArgument::Type(inner)) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// Types passed through `macro_rules!` arrive in invisible groups; parentheses change nothing.
fn ungroup(mut ty: &Type) -> &Type {
    loop {
        match ty {
            Type::Group(group) => ty = &group.elem,
            Type::Paren(paren) => ty = &paren.elem,
            _ => return ty,
        }
    }
}
