//! Checks across keys, fields and field types, run on the parsed [`Container`] before any
//! code is generated ([`check`]). Each records its errors in the [`Ctxt`].
//!
//! Type checks here are syntactic (they look at how the field type is written): the derive
//! cannot resolve types, and a check the compiler does better (does the type implement
//! `SqlTypeOf`?) is left to the compiler, at the field's span.

use std::collections::BTreeMap;

use quote::ToTokens;
use syn::{GenericArgument, PathArguments, Type};

use crate::ast::{Container, Field};
use crate::ctxt::Ctxt;
use crate::symbol::{COMMENT, DEFAULT, INDEX, LENGTH, PRIMARY_KEY, SKIP, UNIQUE};

/// Runs every check on a parsed struct.
pub fn check(cx: &Ctxt, cont: &Container) {
    check_generics(cx, cont);
    for field in &cont.fields {
        check_skip(cx, field);
        check_unique_and_index(cx, field);
        check_primary_key_type(cx, field);
        check_length_type(cx, field);
    }
    check_column_names(cx, cont);
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

/// `skip` with any other key means one of the two is a mistake.
fn check_skip(cx: &Ctxt, field: &Field) {
    let Some(skip) = &field.attrs.skip else {
        return;
    };
    let a = &field.attrs;
    let others = [
        (
            a.primary_key.as_ref().map(|s| (s.pos, &s.tokens)),
            PRIMARY_KEY,
        ),
        (a.length.as_ref().map(|s| (s.pos, &s.tokens)), LENGTH),
        (a.default.as_ref().map(|s| (s.pos, &s.tokens)), DEFAULT),
        (a.unique.as_ref().map(|s| (s.pos, &s.tokens)), UNIQUE),
        (a.index.as_ref().map(|s| (s.pos, &s.tokens)), INDEX),
        (a.comment.as_ref().map(|s| (s.pos, &s.tokens)), COMMENT),
    ];
    for (other, key) in others {
        let Some((pos, tokens)) = other else {
            continue;
        };
        let at = if pos > skip.pos { tokens } else { &skip.tokens };
        cx.error_spanned_by(
            at,
            format!(
                "`{SKIP}` and `{key}` conflict: a skipped field is not a column; remove one \
                 of them"
            ),
        );
    }
}

/// `unique` already creates an index; a second, plain one would only slow down writes.
fn check_unique_and_index(cx: &Ctxt, field: &Field) {
    if let (Some(unique), Some(index)) = (&field.attrs.unique, &field.attrs.index) {
        let at = if unique.pos > index.pos {
            &unique.tokens
        } else {
            &index.tokens
        };
        cx.error_spanned_by(
            at,
            format!(
                "`{UNIQUE}` and `{INDEX}` conflict: `{UNIQUE}` already creates an index; keep \
                 only `{UNIQUE}`"
            ),
        );
    }
}

/// Primary key columns are NOT NULL, so an `Option` field could never hold `None`.
fn check_primary_key_type(cx: &Ctxt, field: &Field) {
    if field.attrs.primary_key.is_none() {
        return;
    }
    if let Some(inner) = option_inner(field.ty) {
        let inner = inner.to_token_stream().to_string().replace(' ', "");
        cx.error_spanned_by(
            field.ty,
            format!(
                "a `{PRIMARY_KEY}` column is NOT NULL and cannot be an `Option`; use `{inner}`"
            ),
        );
    }
}

/// `length` only means something to string types (`VARCHAR(n)`); elsewhere it would be
/// silently ignored by `SqlTypeOf::sql_type`.
fn check_length_type(cx: &Ctxt, field: &Field) {
    let Some(length) = &field.attrs.length else {
        return;
    };
    let ty = option_inner(field.ty).unwrap_or(field.ty);
    if !is_string(ty) {
        let ty = field.ty.to_token_stream().to_string().replace(' ', "");
        cx.error_spanned_by(
            &length.tokens,
            format!(
                "`{LENGTH}` applies only to `String` and `Option<String>` fields (it makes a \
                 VARCHAR(n)), not to `{ty}`"
            ),
        );
    }
}

/// Two fields mapped to one column name, reported on the later field.
fn check_column_names(cx: &Ctxt, cont: &Container) {
    let mut seen = BTreeMap::new();
    let mut columns = 0;
    for field in cont.fields.iter().filter(|f| f.attrs.skip.is_none()) {
        columns += 1;
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
    if columns == 0 {
        cx.error_spanned_by(
            cont.ident,
            "a table needs at least one column: add a field that is not `skip`ped",
        );
    }
}

/// `T` if `ty` is written `Option<T>` (under any path ending in `Option`).
fn option_inner(ty: &Type) -> Option<&Type> {
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

/// Whether `ty` is written `String` (under any path ending in `String`).
fn is_string(ty: &Type) -> bool {
    match ungroup(ty) {
        Type::Path(path) => {
            path.qself.is_none()
                && path
                    .path
                    .segments
                    .last()
                    .is_some_and(|last| last.ident == "String" && last.arguments.is_none())
        }
        _ => false,
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
