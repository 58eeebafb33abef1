//! The derive's input as plain data: a struct with named fields, each with its parsed
//! attributes ([`Container::from_ast`]). Shapes a table cannot come from (enums, unions, tuple
//! and unit structs) are reported here.

use quote::quote;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Generics, Ident, Type};

use crate::attr;
use crate::ctxt::Ctxt;

/// The struct being derived.
pub struct Container<'a> {
    pub ident: &'a Ident,
    pub generics: &'a Generics,
    pub attrs: attr::Container,
    /// Every named field, skipped ones included, in declaration order.
    pub fields: Vec<Field<'a>>,
}

/// One named field.
pub struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub attrs: attr::Field,
}

impl<'a> Container<'a> {
    /// `None` (with the error recorded) when the input is not a struct with named fields.
    pub fn from_ast(cx: &Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let attrs = attr::Container::from_ast(cx, input);
        let ident = &input.ident;
        let fields = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => &named.named,
                Fields::Unnamed(unnamed) => {
                    cx.error_spanned_by(
                        unnamed,
                        "#[derive(Table)] needs named fields: each field is a column named \
                         after it; write `struct Name { id: i64, ... }`",
                    );
                    return None;
                }
                Fields::Unit => {
                    cx.error_spanned_by(
                        ident,
                        "#[derive(Table)] needs a struct with named fields, one per column",
                    );
                    return None;
                }
            },
            Data::Enum(data) => {
                let token = data.enum_token;
                cx.error_spanned_by(
                    quote!(#token #ident),
                    "#[derive(Table)] cannot be used on an enum: a table is a struct with \
                     one named field per column (for a column's enumerated type, \
                     #[derive(SqlEnum)])",
                );
                return None;
            }
            Data::Union(data) => {
                let token = data.union_token;
                cx.error_spanned_by(
                    quote!(#token #ident),
                    "#[derive(Table)] cannot be used on a union: a table is a struct with \
                     one named field per column",
                );
                return None;
            }
        };
        let fields = fields
            .iter()
            .filter_map(|field| {
                // Named fields always have an ident; the filter only satisfies the type.
                let ident = field.ident.as_ref()?;
                Some(Field {
                    ident,
                    ty: &field.ty,
                    attrs: attr::Field::from_ast(cx, field, ident),
                })
            })
            .collect();
        Some(Container {
            ident,
            generics: &input.generics,
            attrs,
            fields,
        })
    }
}

impl Container<'_> {
    /// The fields that are columns (not `skip`ped), in declaration order.
    pub fn columns(&self) -> impl Iterator<Item = &Field<'_>> {
        self.fields.iter().filter(|f| f.attrs.skip.is_none())
    }

    /// The column a list such as `columns(a, b)` names with `ident`: the field of that name,
    /// or else the field whose column has that name. A skipped field is no column.
    pub fn column(&self, ident: &Ident) -> Option<&Field<'_>> {
        let name = ident.unraw().to_string();
        self.columns()
            .find(|f| f.ident.unraw() == name)
            .or_else(|| self.columns().find(|f| f.attrs.name == name))
    }

    /// Whether the field is part of the primary key, declared on the column or the table.
    pub fn is_primary_key(&self, field: &Field) -> bool {
        field.attrs.primary_key.is_some()
            || self.attrs.primary_key.as_ref().is_some_and(|pk| {
                pk.value
                    .columns
                    .iter()
                    .any(|ident| self.column(ident).is_some_and(|f| f.ident == field.ident))
            })
    }

    /// The number of primary key columns (autoincrement is for a single-column key).
    pub fn primary_key_len(&self) -> usize {
        match &self.attrs.primary_key {
            Some(pk) => pk.value.columns.len(),
            None => self
                .columns()
                .filter(|f| f.attrs.primary_key.is_some())
                .count(),
        }
    }
}
