//! Code generation of `#[derive(Table)]` ([`derive_table`]): parse, check, then emit the
//! `TableModel` impl and the `inventory` registration.
//!
//! The output lives in `const _: () = { ... };` so it adds no names to the user's module, and
//! names everything by absolute path (`::retort::...`, `::core::...`) so it compiles whatever
//! the user has imported or shadowed.

use proc_macro2::{Literal, TokenStream};
use quote::{quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::DeriveInput;

use crate::ast::{Container, Field};
use crate::check;
use crate::ctxt::Ctxt;
use crate::naming::{index_name, IndexKind};

/// Expands `#[derive(Table)]` on `input`; every mistake found comes back in one `syn::Error`.
pub fn derive_table(input: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(input)?;
    let cx = Ctxt::new();
    let cont = Container::from_ast(&cx, &input);
    if let Some(cont) = &cont {
        check::check(&cx, cont);
    }
    cx.check()?;
    match cont {
        Some(cont) => Ok(impl_table_model(&cont)),
        // `from_ast` records an error whenever it gives `None`, so `check` returned it above.
        None => Err(syn::Error::new_spanned(
            &input.ident,
            "internal error in #[derive(Table)]: input rejected without an error",
        )),
    }
}

fn impl_table_model(cont: &Container) -> TokenStream {
    let ident = cont.ident;
    let type_name = format!("::{}", ident.unraw());
    let table = table_expr(cont);
    quote! {
        const _: () = {
            #[automatically_derived]
            impl ::retort::TableModel for #ident {
                fn table() -> ::retort::schema::Table {
                    #table
                }
            }

            ::retort::__private::inventory::submit! {
                ::retort::Registration {
                    type_name: ::core::concat!(::core::module_path!(), #type_name),
                    table: <#ident as ::retort::TableModel>::table,
                }
            }
        };
    }
}

/// `Table::with_columns(..)` followed by the table's options and the columns' indexes.
fn table_expr(cont: &Container) -> TokenStream {
    let attrs = &cont.attrs;
    let name = &attrs.name;
    let columns: Vec<&Field> = cont
        .fields
        .iter()
        .filter(|f| f.attrs.skip.is_none())
        .collect();
    // Autoincrement is for a surrogate key: only a single-column primary key gets it.
    let single_primary_key = columns
        .iter()
        .filter(|f| f.attrs.primary_key.is_some())
        .count()
        == 1;
    let column_exprs = columns
        .iter()
        .map(|field| column_expr(field, single_primary_key));

    let schema = attrs.schema.as_ref().map(|s| quote!(.schema(#s)));
    let comment = attrs.comment.as_ref().map(|c| quote!(.comment(#c)));
    let indexes = columns.iter().flat_map(|field| index_exprs(name, field));
    quote! {
        ::retort::schema::Table::with_columns(#name, [#(#column_exprs),*])
            #schema
            #comment
            #(#indexes)*
    }
}

/// `Column::new(..)` with the field's options. The type's `SqlTypeOf` impl is named at the
/// field type's span, so a type without one is reported on the field.
fn column_expr(field: &Field, single_primary_key: bool) -> TokenStream {
    let attrs = &field.attrs;
    let name = &attrs.name;
    let ty = field.ty;
    let length = match &attrs.length {
        Some(n) => {
            let n = Literal::u32_unsuffixed(n.value);
            quote!(::core::option::Option::Some(#n))
        }
        None => quote!(::core::option::Option::None),
    };
    let sql_type = quote_spanned!(ty.span()=> <#ty as ::retort::SqlTypeOf>::sql_type(#length));

    let mut column = quote!(::retort::schema::Column::new(#name, #sql_type));
    if attrs.primary_key.is_some() {
        // NOT NULL whatever the type says: `primary_key()` sets it.
        column.extend(quote!(.primary_key()));
    } else {
        let nullable = quote_spanned!(ty.span()=> <#ty as ::retort::SqlTypeOf>::NULLABLE);
        column.extend(quote!(.nullable(#nullable)));
    }
    if let Some(default) = &attrs.default {
        let default = &default.value;
        column.extend(quote!(.default(#default)));
    }
    if let Some(comment) = &attrs.comment {
        let comment = &comment.value;
        column.extend(quote!(.comment(#comment)));
    }
    if attrs.primary_key.is_some() && single_primary_key {
        // Whether the type is an integer is only known once `SqlTypeOf` has run (a user type
        // may map to BIGINT), so the choice is made at runtime.
        column = quote! {{
            let __column = #column;
            if __column.sql_type.is_integer() {
                __column.autoincrement()
            } else {
                __column
            }
        }};
    }
    column
}

/// `.index(Index::new(..))` for `unique` and `index` columns.
fn index_exprs(table: &str, field: &Field) -> Vec<TokenStream> {
    let column = &field.attrs.name;
    let mut indexes = Vec::new();
    if field.attrs.unique.is_some() {
        let name = index_name(IndexKind::Unique, table, column);
        indexes.push(quote!(.index(::retort::schema::Index::new(#name, [#column]).unique())));
    }
    if field.attrs.index.is_some() {
        let name = index_name(IndexKind::Index, table, column);
        indexes.push(quote!(.index(::retort::schema::Index::new(#name, [#column]))));
    }
    indexes
}
