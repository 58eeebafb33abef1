//! Code generation of `#[derive(Table)]` ([`derive_table`]): parse, check, then emit the
//! `TableModel` impl and the `inventory` registration.
//!
//! The output lives in `const _: () = { ... };` so it adds no names to the user's module, and
//! names everything by absolute path (`::retort::...`, `::core::...`) so it compiles whatever
//! the user has imported or shadowed. It never invents a name: indexes and constraints the
//! user did not name stay unnamed, for the runtime naming convention (`retort_core::naming`).

use proc_macro2::{Literal, TokenStream};
use quote::{quote, quote_spanned};
use retort_syntax::ForeignKeyAction;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::DeriveInput;

use crate::ast::{Container, Field};
use crate::attr::ColumnList;
use crate::check::{self, option_inner};
use crate::ctxt::Ctxt;
use crate::reference::Target;

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

/// `Table::with_columns(..)` followed by the table's options, then its indexes and
/// constraints: the table attribute's in the order written, then the columns' in field order.
fn table_expr(cont: &Container) -> TokenStream {
    let attrs = &cont.attrs;
    let name = &attrs.name;
    // Autoincrement by default is for a surrogate key: only a single-column primary key.
    let single_primary_key = cont.primary_key_len() == 1;
    let column_exprs = cont
        .columns()
        .map(|field| column_expr(cont, field, single_primary_key));

    let schema = attrs.schema.as_ref().map(|s| quote!(.schema(#s)));
    let comment = attrs.comment.as_ref().map(|c| quote!(.comment(#c)));
    let renamed_from = attrs.renamed_from.as_ref().map(|r| {
        let r = &r.value;
        quote!(.renamed_from(#r))
    });
    let storage = [
        ("mysql_engine", &attrs.mysql_engine),
        ("mysql_charset", &attrs.mysql_charset),
        ("mysql_collate", &attrs.mysql_collate),
        ("postgresql_partition_by", &attrs.postgresql_partition_by),
    ]
    .into_iter()
    .filter_map(|(method, value)| {
        let method = syn::Ident::new(method, proc_macro2::Span::call_site());
        value.as_ref().map(|v| quote!(.#method(#v)))
    });
    let unlogged = attrs
        .postgresql_unlogged
        .then(|| quote!(.postgresql_unlogged()));
    let primary_key = attrs.primary_key.as_ref().map(|pk| {
        let columns = column_names(cont, &pk.value.columns);
        let name = named(pk.value.name.as_deref());
        quote!(.primary_key(::retort::schema::PrimaryKey::new([#(#columns),*])#name))
    });
    let indexes = attrs.indexes.iter().map(|index| {
        let columns = column_names(cont, &index.columns);
        // An expression key is written in parentheses, as PostgreSQL and SQLite print one.
        let expressions = index.expressions.iter().map(|e| format!("({e})"));
        let unique = index.unique.then(|| quote!(.unique()));
        let desc = column_names(cont, &index.desc);
        let nulls_first = column_names(cont, &index.nulls_first);
        let nulls_last = column_names(cont, &index.nulls_last);
        let method = index.method.as_ref().map(|m| quote!(.using(#m)));
        let predicate = index.predicate.as_ref().map(|p| quote!(.where_(#p)));
        let include = column_names(cont, &index.include);
        let include = (!include.is_empty()).then(|| quote!(.include([#(#include),*])));
        let prefix = index.prefix.iter().filter_map(|(ident, length)| {
            let column = cont.column(ident)?.attrs.name.as_str();
            Some(quote!(.prefix(#column, #length)))
        });
        let keys = quote!([#(#columns,)* #(#expressions),*]);
        let index = match &index.name {
            Some(name) => quote!(::retort::schema::Index::new(#name, #keys)),
            None => quote!(::retort::schema::Index::unnamed(#keys)),
        };
        quote! {
            .index(#index #unique #(.desc(#desc))* #(.nulls_first(#nulls_first, true))*
                #(.nulls_first(#nulls_last, false))* #(#prefix)* #method #predicate #include)
        }
    });
    let uniques = attrs.uniques.iter().map(|unique| {
        let columns = column_names(cont, &unique.columns);
        let name = named(unique.name.as_deref());
        quote!(.unique(::retort::schema::UniqueConstraint::new([#(#columns),*])#name))
    });
    let checks = attrs.checks.iter().map(|check| {
        let expr = &check.expr;
        let name = named(check.name.as_deref());
        quote!(.check(::retort::schema::CheckConstraint::new(#expr)#name))
    });
    let foreign_keys = attrs.foreign_keys.iter().map(|fk| {
        let columns = column_names(cont, &fk.columns);
        let deferral = if fk.initially_deferred {
            Some(quote!(.initially_deferred()))
        } else {
            fk.deferrable.then(|| quote!(.deferrable()))
        };
        let match_full = fk.match_full.then(|| quote!(.match_full()));
        foreign_key_expr(
            quote!([#(#columns),*]),
            &fk.target.value,
            fk.name.as_deref(),
            fk.on_delete,
            fk.on_update,
            quote!(#deferral #match_full),
        )
    });
    let column_constraints = cont.columns().map(column_constraints);
    quote! {
        ::retort::schema::Table::with_columns(#name, [#(#column_exprs),*])
            #schema
            #comment
            #renamed_from
            #(#storage)*
            #unlogged
            #primary_key
            #(#indexes)*
            #(#uniques)*
            #(#foreign_keys)*
            #(#checks)*
            #(#column_constraints)*
    }
}

/// The SQL names of the columns a list names (the checks made sure each exists).
fn column_names<'a>(cont: &'a Container, list: &'a ColumnList) -> Vec<&'a str> {
    list.iter()
        .filter_map(|ident| cont.column(ident))
        .map(|field| field.attrs.name.as_str())
        .collect()
}

/// `.named("...")` when the user gave a name.
fn named(name: Option<&str>) -> Option<TokenStream> {
    name.map(|name| quote!(.named(#name)))
}

fn foreign_key_expr(
    columns: TokenStream,
    target: &Target,
    name: Option<&str>,
    on_delete: Option<ForeignKeyAction>,
    on_update: Option<ForeignKeyAction>,
    // Builder calls after the actions: a table-level key's deferral and `MATCH FULL`.
    more: TokenStream,
) -> TokenStream {
    let table = &target.table;
    let referred = &target.columns;
    let name = named(name);
    let schema = target.schema.as_ref().map(|s| quote!(.referred_schema(#s)));
    let on_delete = on_delete.map(|a| {
        let a = action(a);
        quote!(.on_delete(#a))
    });
    let on_update = on_update.map(|a| {
        let a = action(a);
        quote!(.on_update(#a))
    });
    quote! {
        .foreign_key(
            ::retort::schema::ForeignKey::new(#columns, #table, [#(#referred),*])
                #name #schema #on_delete #on_update #more
        )
    }
}

/// The action as the path of `retort::schema::ForeignKeyAction`'s variant (the same type,
/// re-exported from retort-syntax). No wildcard: a new action must be spelled here.
fn action(action: ForeignKeyAction) -> TokenStream {
    let variant = match action {
        ForeignKeyAction::Cascade => quote!(Cascade),
        ForeignKeyAction::SetNull => quote!(SetNull),
        ForeignKeyAction::SetDefault => quote!(SetDefault),
        ForeignKeyAction::Restrict => quote!(Restrict),
        ForeignKeyAction::NoAction => quote!(NoAction),
    };
    quote!(::retort::schema::ForeignKeyAction::#variant)
}

/// `Column::new(..)` with the field's options. The type's `SqlTypeOf` impl is named at the
/// field type's span, so a type without one is reported on the field.
fn column_expr(cont: &Container, field: &Field, single_primary_key: bool) -> TokenStream {
    let attrs = &field.attrs;
    let name = &attrs.name;
    let ty = field.ty;
    // `SqlTypeOf` is consulted only when the attributes leave the type to the field type.
    let from_rust_type = attrs.sql_type.is_none() && attrs.precision.is_none();
    let sql_type = if let Some(precision) = &attrs.precision {
        // Overrides what `SqlTypeOf` (or a bare `sql_type = "numeric"`) would say.
        let precision = Literal::u32_unsuffixed(precision.value);
        let scale = match &attrs.scale {
            Some(scale) => {
                let scale = Literal::u32_unsuffixed(scale.value);
                quote!(::core::option::Option::Some(#scale))
            }
            None => quote!(::core::option::Option::None),
        };
        quote! {
            ::retort::schema::SqlType::Numeric {
                precision: ::core::option::Option::Some(#precision),
                scale: #scale,
            }
        }
    } else if let Some(sql_type) = &attrs.sql_type {
        // `retort_syntax::SqlType::parse`, the very function called here at run time, already
        // accepted this text at compile time, so it cannot fail; parsing at run time keeps it
        // the one mapping from SQL text, shared with reflection.
        let sql = &sql_type.value.sql;
        quote! {
            match ::retort::schema::SqlType::parse(#sql) {
                ::core::result::Result::Ok(sql_type) => sql_type,
                ::core::result::Result::Err(err) => ::core::panic!("{}", err),
            }
        }
    } else {
        let length = match &attrs.length {
            Some(n) => {
                let n = Literal::u32_unsuffixed(n.value);
                quote!(::core::option::Option::Some(#n))
            }
            None => quote!(::core::option::Option::None),
        };
        quote_spanned!(ty.span()=> <#ty as ::retort::SqlTypeOf>::sql_type(#length))
    };

    let mut column = quote!(::retort::schema::Column::new(#name, #sql_type));
    if attrs.primary_key.is_some() {
        // NOT NULL whatever the type says: `primary_key()` sets it.
        column.extend(quote!(.primary_key()));
    } else {
        let nullable = match &attrs.nullable {
            Some(nullable) => {
                let nullable = nullable.value;
                quote!(#nullable)
            }
            None if from_rust_type => {
                quote_spanned!(ty.span()=> <#ty as ::retort::SqlTypeOf>::NULLABLE)
            }
            // The type is not asked for its SQL type, so `Option<T>` as written decides.
            None => {
                let nullable = option_inner(ty).is_some();
                quote!(#nullable)
            }
        };
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
    if let Some(collation) = &attrs.collation {
        column.extend(quote!(.collation(#collation)));
    }
    if let Some(identity) = &attrs.identity {
        let (start, increment) = identity.value;
        column.extend(start.map(|n| quote!(.identity_start(#n))));
        column.extend(increment.map(|n| quote!(.identity_increment(#n))));
    }
    if let Some(computed) = &attrs.computed {
        let computed = &computed.value;
        column.extend(quote!(.computed(#computed)));
    }
    if let Some(renamed_from) = &attrs.renamed_from {
        let renamed_from = &renamed_from.value;
        column.extend(quote!(.renamed_from(#renamed_from)));
    }
    match &attrs.autoincrement {
        Some(autoincrement) if autoincrement.value => column.extend(quote!(.autoincrement())),
        Some(_) => {}
        None if single_primary_key && cont.is_primary_key(field) => {
            // Whether the type is an integer is only known once `SqlTypeOf` has run (a user
            // type may map to BIGINT), so the choice is made at runtime.
            column = quote! {{
                let __column = #column;
                if __column.sql_type.is_integer() {
                    __column.autoincrement()
                } else {
                    __column
                }
            }};
        }
        None => {}
    }
    column
}

/// The column's own `unique`, `index` and `foreign_key`, left unnamed.
fn column_constraints(field: &Field) -> TokenStream {
    let attrs = &field.attrs;
    let column = &attrs.name;
    let mut out = TokenStream::new();
    if attrs.unique.is_some() {
        out.extend(quote!(.unique(::retort::schema::UniqueConstraint::new([#column]))));
    }
    if attrs.index.is_some() {
        out.extend(quote!(.index(::retort::schema::Index::unnamed([#column]))));
    }
    if let Some(target) = &attrs.foreign_key {
        out.extend(foreign_key_expr(
            quote!([#column]),
            &target.value,
            None,
            attrs.on_delete.as_ref().map(|a| a.value),
            attrs.on_update.as_ref().map(|a| a.value),
            TokenStream::new(),
        ));
    }
    out
}
