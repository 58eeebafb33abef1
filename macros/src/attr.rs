//! Parsing of `#[table(...)]` and `#[column(...)]` into plain data ([`Container`], [`Field`]).
//!
//! Every value keeps the tokens it came from, so the checks that run after parsing can point
//! at the offending key, and a position so a conflict is reported on the later of two keys.
//! Mistakes are recorded in the [`Ctxt`] and parsing carries on with the next key, so one
//! compile shows every malformed, unknown or duplicate key at once.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::{Expr, ExprLit, ExprUnary, Lit, LitInt, LitStr, Token, UnOp};

use crate::ctxt::Ctxt;
use crate::symbol::{self, *};

/// A parsed value with the tokens errors about it should point at.
#[derive(Debug)]
pub struct Spanned<T> {
    pub value: T,
    pub tokens: TokenStream,
    /// Order of the key among its attribute's keys, to find the later of two conflicting keys.
    pub pos: usize,
}

/// One key of one attribute while it is being parsed; the second `set` is a duplicate.
struct Attr<'c, T> {
    cx: &'c Ctxt,
    attr: Symbol,
    key: Symbol,
    value: Option<Spanned<T>>,
}

impl<'c, T> Attr<'c, T> {
    fn none(cx: &'c Ctxt, attr: Symbol, key: Symbol) -> Self {
        Attr {
            cx,
            attr,
            key,
            value: None,
        }
    }

    fn set<A: ToTokens>(&mut self, obj: A, value: T, pos: usize) {
        let tokens = obj.into_token_stream();
        if self.value.is_some() {
            let (attr, key) = (self.attr, self.key);
            self.cx.error_spanned_by(
                tokens,
                format!("duplicate key `{key}` in #[{attr}(...)]; give it once"),
            );
        } else {
            self.value = Some(Spanned { value, tokens, pos });
        }
    }

    fn get(self) -> Option<Spanned<T>> {
        self.value
    }
}

/// What `#[table(...)]` says about the struct.
#[derive(Debug)]
pub struct Container {
    /// The table name: `name = "..."`, or the struct name in snake_case.
    pub name: String,
    pub schema: Option<String>,
    pub comment: Option<String>,
}

impl Container {
    pub fn from_ast(cx: &Ctxt, input: &syn::DeriveInput) -> Self {
        let mut name = Attr::none(cx, TABLE, NAME);
        let mut schema = Attr::none(cx, TABLE, SCHEMA);
        let mut comment = Attr::none(cx, TABLE, COMMENT);
        let mut pos = 0;

        for attr in input.attrs.iter().filter(|attr| attr.path() == TABLE) {
            let parsed = attr.parse_nested_meta(|meta| {
                pos += 1;
                if meta.path == NAME {
                    // #[table(name = "users")]
                    if let Some(s) = get_non_empty_str(cx, TABLE, &meta)? {
                        name.set(key_value(&meta, &s), s.value(), pos);
                    }
                } else if meta.path == SCHEMA {
                    // #[table(schema = "app")]
                    if let Some(s) = get_non_empty_str(cx, TABLE, &meta)? {
                        schema.set(key_value(&meta, &s), s.value(), pos);
                    }
                } else if meta.path == COMMENT {
                    // #[table(comment = "Registered users.")]
                    if let Some(s) = get_str(cx, TABLE, &meta)? {
                        comment.set(key_value(&meta, &s), s.value(), pos);
                    }
                } else {
                    unknown_key(cx, TABLE, TABLE_KEYS, &meta)?;
                }
                Ok(())
            });
            if let Err(err) = parsed {
                cx.syn_error(err);
            }
        }

        Container {
            name: name.get().map_or_else(
                || input.ident.unraw().to_string().to_snake_case(),
                |n| n.value,
            ),
            schema: schema.get().map(|s| s.value),
            comment: comment.get().map(|c| c.value),
        }
    }
}

/// What `#[column(...)]` says about a field. Flags carry `()`: only their tokens matter.
#[derive(Debug)]
pub struct Field {
    /// The column name: `name = "..."`, or the field name.
    pub name: String,
    /// Where a duplicate column name is reported: the `name` value, or the field name.
    pub name_tokens: TokenStream,
    pub primary_key: Option<Spanned<()>>,
    pub length: Option<Spanned<u32>>,
    /// The server default as SQL text.
    pub default: Option<Spanned<String>>,
    pub unique: Option<Spanned<()>>,
    pub index: Option<Spanned<()>>,
    pub comment: Option<Spanned<String>>,
    pub skip: Option<Spanned<()>>,
}

impl Field {
    pub fn from_ast(cx: &Ctxt, field: &syn::Field, ident: &syn::Ident) -> Self {
        let mut name = Attr::none(cx, COLUMN, NAME);
        let mut primary_key = Attr::none(cx, COLUMN, PRIMARY_KEY);
        let mut length = Attr::none(cx, COLUMN, LENGTH);
        let mut default = Attr::none(cx, COLUMN, DEFAULT);
        let mut unique = Attr::none(cx, COLUMN, UNIQUE);
        let mut index = Attr::none(cx, COLUMN, INDEX);
        let mut comment = Attr::none(cx, COLUMN, COMMENT);
        let mut skip = Attr::none(cx, COLUMN, SKIP);
        let mut pos = 0;

        for attr in field.attrs.iter().filter(|attr| attr.path() == COLUMN) {
            let parsed = attr.parse_nested_meta(|meta| {
                pos += 1;
                if meta.path == NAME {
                    // #[column(name = "email_address")]
                    if let Some(s) = get_non_empty_str(cx, COLUMN, &meta)? {
                        name.set(key_value(&meta, &s), s.value(), pos);
                    }
                } else if meta.path == PRIMARY_KEY {
                    // #[column(primary_key)]
                    if flag(cx, &meta)? {
                        primary_key.set(&meta.path, (), pos);
                    }
                } else if meta.path == LENGTH {
                    // #[column(length = 255)]
                    if let Some((n, lit)) = get_length(cx, &meta)? {
                        length.set(key_value(&meta, &lit), n, pos);
                    }
                } else if meta.path == DEFAULT {
                    // #[column(default = "now()")], #[column(default = 0)], #[column(default = true)]
                    if let Some((sql, expr)) = get_default(cx, &meta)? {
                        default.set(key_value(&meta, &expr), sql, pos);
                    }
                } else if meta.path == UNIQUE {
                    // #[column(unique)]
                    if flag(cx, &meta)? {
                        unique.set(&meta.path, (), pos);
                    }
                } else if meta.path == INDEX {
                    // #[column(index)]
                    if flag(cx, &meta)? {
                        index.set(&meta.path, (), pos);
                    }
                } else if meta.path == COMMENT {
                    // #[column(comment = "Shown on the profile page.")]
                    if let Some(s) = get_str(cx, COLUMN, &meta)? {
                        comment.set(key_value(&meta, &s), s.value(), pos);
                    }
                } else if meta.path == SKIP {
                    // #[column(skip)]
                    if flag(cx, &meta)? {
                        skip.set(&meta.path, (), pos);
                    }
                } else {
                    unknown_key(cx, COLUMN, COLUMN_KEYS, &meta)?;
                }
                Ok(())
            });
            if let Err(err) = parsed {
                cx.syn_error(err);
            }
        }

        let (name, name_tokens) = match name.get() {
            Some(n) => (n.value, n.tokens),
            None => (ident.unraw().to_string(), ident.to_token_stream()),
        };
        Field {
            name,
            name_tokens,
            primary_key: primary_key.get(),
            length: length.get(),
            default: default.get(),
            unique: unique.get(),
            index: index.get(),
            comment: comment.get(),
            skip: skip.get(),
        }
    }
}

/// `key = value` as one token range, for errors about the whole pair.
fn key_value(meta: &ParseNestedMeta, value: &impl ToTokens) -> TokenStream {
    let key = &meta.path;
    quote!(#key = #value)
}

/// Records an unknown key, listing the accepted ones, and skips its value so the keys after
/// it are still checked.
fn unknown_key(
    cx: &Ctxt,
    attr: Symbol,
    keys: &[Symbol],
    meta: &ParseNestedMeta,
) -> syn::Result<()> {
    let path = meta.path.to_token_stream().to_string().replace(' ', "");
    cx.error_spanned_by(
        &meta.path,
        format!(
            "unknown key `{path}` in #[{attr}(...)]; expected one of {}",
            symbol::list(keys)
        ),
    );
    skip_value(meta)
}

/// Consumes `= expr` or `(...)` after a key whose value is not going to be used.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.input.parse::<proc_macro2::Group>()?;
    }
    Ok(())
}

/// The `expr` of `key = expr`; a missing `=` is recorded with the accepted form and gives
/// `None`.
fn get_expr(cx: &Ctxt, meta: &ParseNestedMeta, form: &str) -> syn::Result<Option<Expr>> {
    if !meta.input.peek(Token![=]) {
        let key = meta.path.to_token_stream();
        cx.error_spanned_by(&meta.path, format!("`{key}` needs a value: `{form}`"));
        skip_value(meta)?;
        return Ok(None);
    }
    let mut expr = meta.value()?.parse::<Expr>()?;
    // A value passed through a `macro_rules!` fragment arrives wrapped in an invisible group.
    while let Expr::Group(group) = expr {
        expr = *group.expr;
    }
    Ok(Some(expr))
}

fn get_str(cx: &Ctxt, attr: Symbol, meta: &ParseNestedMeta) -> syn::Result<Option<LitStr>> {
    let key = meta.path.to_token_stream();
    let form = format!("{key} = \"...\"");
    match get_expr(cx, meta, &form)? {
        Some(Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        })) => Ok(Some(s)),
        Some(other) => {
            cx.error_spanned_by(
                other,
                format!("expected a string literal: `#[{attr}({form})]`"),
            );
            Ok(None)
        }
        None => Ok(None),
    }
}

/// A string that names something (table, schema, column): empty would only fail at the
/// database, later and less clearly.
fn get_non_empty_str(
    cx: &Ctxt,
    attr: Symbol,
    meta: &ParseNestedMeta,
) -> syn::Result<Option<LitStr>> {
    let s = get_str(cx, attr, meta)?;
    if let Some(s) = &s {
        if s.value().trim().is_empty() {
            let key = meta.path.to_token_stream();
            cx.error_spanned_by(s, format!("`{key}` must not be empty"));
            return Ok(None);
        }
    }
    Ok(s)
}

/// A key without a value, such as `primary_key`; `false` if a value was given (recorded).
fn flag(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<bool> {
    if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
        let key = meta.path.to_token_stream();
        cx.error_spanned_by(
            &meta.path,
            format!("`{key}` takes no value: write `#[column({key})]`"),
        );
        skip_value(meta)?;
        return Ok(false);
    }
    Ok(true)
}

fn get_length(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<(u32, LitInt)>> {
    let form = "length = 255";
    let Some(expr) = get_expr(cx, meta, form)? else {
        return Ok(None);
    };
    let Expr::Lit(ExprLit {
        lit: Lit::Int(int), ..
    }) = &expr
    else {
        cx.error_spanned_by(
            &expr,
            format!("expected an integer literal: `#[column({form})]`"),
        );
        return Ok(None);
    };
    match int.base10_parse::<u32>() {
        Ok(0) => cx.error_spanned_by(int, "`length` must be at least 1"),
        Ok(n) => return Ok(Some((n, int.clone()))),
        Err(err) => cx.syn_error(err),
    }
    Ok(None)
}

/// The default as SQL text: a string literal is the SQL expression itself; numbers and bools
/// are spelled as SQL spells them.
fn get_default(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<(String, Expr)>> {
    let Some(expr) = get_expr(cx, meta, "default = \"now()\"")? else {
        return Ok(None);
    };
    let sql = match &expr {
        Expr::Lit(ExprLit { lit, .. }) => literal_sql(lit),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr: operand,
            ..
        }) => match &**operand {
            Expr::Lit(ExprLit {
                lit: lit @ (Lit::Int(_) | Lit::Float(_)),
                ..
            }) => literal_sql(lit).map(|digits| format!("-{digits}")),
            _ => None,
        },
        _ => {
            let text = expr.to_token_stream().to_string();
            cx.error_spanned_by(
                &expr,
                format!(
                    "`default` takes SQL as a string literal: write `default = {:?}`",
                    text
                ),
            );
            return Ok(None);
        }
    };
    if sql.is_none() {
        cx.error_spanned_by(
            &expr,
            "expected a SQL expression as a string literal (`default = \"now()\"`), \
             or an integer, float or bool literal (`default = 0`)",
        );
    }
    Ok(sql.map(|sql| (sql, expr)))
}

fn literal_sql(lit: &Lit) -> Option<String> {
    match lit {
        Lit::Str(s) => Some(s.value()),
        Lit::Int(i) => Some(i.base10_digits().to_owned()),
        Lit::Float(f) => Some(f.base10_digits().to_owned()),
        Lit::Bool(b) => Some(b.value.to_string()),
        _ => None,
    }
}
