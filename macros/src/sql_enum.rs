//! `#[derive(SqlEnum)]` ([`derive_sql_enum`]): a Rust enum of unit variants as an enumerated
//! SQL type. The expansion implements `retort::SqlTypeOf`, so a field of the enum's type is a
//! column of `SqlType::Enum` with the enum's name and one label per variant, in order.
//!
//! Labels follow serde's conventions: the variant's name as written, `rename_all` on the enum
//! (serde's eight case styles), `rename` on a variant. Every mistake is a compile error at its
//! tokens, collected in one `Ctxt` as the table derive does.

use heck::{
    ToKebabCase, ToLowerCamelCase, ToShoutyKebabCase, ToShoutySnakeCase, ToSnakeCase,
    ToUpperCamelCase,
};
use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::{Data, DeriveInput, Fields, LitStr};

use crate::ctxt::Ctxt;

/// serde's `rename_all` styles, as the error message lists them.
const CASE_STYLES: [&str; 8] = [
    "lowercase",
    "UPPERCASE",
    "PascalCase",
    "camelCase",
    "snake_case",
    "SCREAMING_SNAKE_CASE",
    "kebab-case",
    "SCREAMING-KEBAB-CASE",
];

const CONTAINER_KEYS: &str = "`name = \"...\"`, `schema = \"...\"`, `rename_all = \"...\"`";

/// Expands `#[derive(SqlEnum)]` on `input`; every mistake found comes back in one `syn::Error`.
pub fn derive_sql_enum(input: TokenStream) -> syn::Result<TokenStream> {
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
    rename_all: Option<LitStr>,
}

fn expand(cx: &Ctxt, input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let options = container_options(cx, input);
    let Data::Enum(data) = &input.data else {
        cx.error_spanned_by(
            ident,
            "#[derive(SqlEnum)] is for an enum of unit variants, one per label; for a table \
             use #[derive(Table)]",
        );
        return TokenStream::new();
    };
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            "#[derive(SqlEnum)] cannot be used on a generic enum: its labels are one SQL type",
        );
    }
    if data.variants.is_empty() {
        cx.error_spanned_by(
            ident,
            "#[derive(SqlEnum)] needs at least one variant: an enum type has at least one label",
        );
    }
    let style = options.rename_all.as_ref().and_then(|lit| {
        let style = lit.value();
        if CASE_STYLES.contains(&style.as_str()) {
            Some(style)
        } else {
            cx.error_spanned_by(
                lit,
                format!(
                    "unknown rename_all style `{style}`; expected one of {}",
                    CASE_STYLES.map(|s| format!("\"{s}\"")).join(", ")
                ),
            );
            None
        }
    });
    let mut labels: Vec<String> = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            cx.error_spanned_by(
                &variant.fields,
                format!(
                    "variant `{}` has fields: an enum type's labels are unit variants, write \
                     `{}` alone",
                    variant.ident, variant.ident
                ),
            );
        }
        let written = variant.ident.unraw().to_string();
        let label = match variant_rename(cx, variant) {
            Some(rename) => {
                let label = rename.value();
                if label.is_empty() {
                    cx.error_spanned_by(&rename, "an enum label cannot be empty");
                }
                label
            }
            None => apply_style(&written, style.as_deref()),
        };
        if labels.contains(&label) {
            cx.error_spanned_by(
                &variant.ident,
                format!(
                    "label `{label}` is given twice; give variant `{written}` its own \
                     #[sql_enum(rename = \"...\")]"
                ),
            );
        }
        labels.push(label);
    }
    let name = match &options.name {
        Some(lit) => {
            if lit.value().trim().is_empty() {
                cx.error_spanned_by(lit, "an enum type's name cannot be empty");
            }
            lit.value()
        }
        None => ident.unraw().to_string().to_snake_case(),
    };
    let schema = options.schema.as_ref().map(|s| quote!(.schema(#s)));
    quote! {
        const _: () = {
            #[automatically_derived]
            impl ::retort::SqlTypeOf for #ident {
                fn sql_type(_length: ::core::option::Option<u32>) -> ::retort::SqlType {
                    ::retort::SqlType::Enum(
                        ::retort::schema::EnumType::new(#name, [#(#labels),*]) #schema
                    )
                }
            }
        };
    }
}

fn container_options(cx: &Ctxt, input: &DeriveInput) -> Options {
    let mut options = Options::default();
    each_key(cx, &input.attrs, "sql_enum", |meta| {
        let slot = if meta.path.is_ident("name") {
            &mut options.name
        } else if meta.path.is_ident("schema") {
            &mut options.schema
        } else if meta.path.is_ident("rename_all") {
            &mut options.rename_all
        } else {
            return Err(meta.error(format!(
                "unknown key in #[sql_enum(...)] on an enum; expected {CONTAINER_KEYS}"
            )));
        };
        set_once(cx, &meta, slot)
    });
    options
}

/// `#[sql_enum(rename = "...")]` on a variant.
fn variant_rename(cx: &Ctxt, variant: &syn::Variant) -> Option<LitStr> {
    let mut rename = None;
    each_key(cx, &variant.attrs, "sql_enum", |meta| {
        if meta.path.is_ident("rename") {
            set_once(cx, &meta, &mut rename)
        } else {
            Err(meta
                .error("unknown key in #[sql_enum(...)] on a variant; expected `rename = \"...\"`"))
        }
    });
    rename
}

/// Calls `read` on each key of every `#[name(...)]` among `attrs`, recording what fails.
pub(crate) fn each_key(
    cx: &Ctxt,
    attrs: &[syn::Attribute],
    name: &str,
    mut read: impl FnMut(ParseNestedMeta) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident(name)) {
        if let Err(err) = attr.parse_nested_meta(&mut read) {
            cx.syn_error(err);
        }
    }
}

/// Reads `key = "..."` into `slot`, refusing a second one.
pub(crate) fn set_once(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    slot: &mut Option<LitStr>,
) -> syn::Result<()> {
    let key = meta
        .path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_default();
    let value: LitStr = meta
        .value()
        .map_err(|_| meta.error(format!("`{key}` takes a string: write `{key} = \"...\"`")))?
        .parse()
        .map_err(|err| {
            syn::Error::new(
                err.span(),
                format!("`{key}` takes a string: write `{key} = \"...\"`"),
            )
        })?;
    if slot.is_some() {
        cx.error_spanned_by(&meta.path, format!("duplicate `{key}`"));
    } else {
        *slot = Some(value);
    }
    Ok(())
}

/// A variant's name in a serde `rename_all` style (or as written without one).
fn apply_style(variant: &str, style: Option<&str>) -> String {
    match style {
        Some("lowercase") => variant.to_lowercase(),
        Some("UPPERCASE") => variant.to_uppercase(),
        Some("PascalCase") => variant.to_upper_camel_case(),
        Some("camelCase") => variant.to_lower_camel_case(),
        Some("snake_case") => variant.to_snake_case(),
        Some("SCREAMING_SNAKE_CASE") => variant.to_shouty_snake_case(),
        Some("kebab-case") => variant.to_kebab_case(),
        Some("SCREAMING-KEBAB-CASE") => variant.to_shouty_kebab_case(),
        _ => variant.to_owned(),
    }
}
