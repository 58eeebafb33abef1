//! Parsing of `#[table(...)]` and `#[column(...)]` into plain data ([`Container`], [`Field`]).
//!
//! Every value keeps the tokens it came from, so the checks that run after parsing can point
//! at the offending key, and a position so a conflict is reported on the later of two keys.
//! Mistakes are recorded in the [`Ctxt`] and parsing carries on with the next key, so one
//! compile shows every malformed, unknown or duplicate key at once. SQL inside strings (types,
//! defaults, computed and check expressions, foreign-key actions) is parsed here with
//! retort-syntax, the parsers retort-core reads the same text with at run time, and
//! foreign-key targets with [`crate::reference`]; a refused text is reported at its string
//! literal.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use retort_syntax::{parse_expr, ForeignKeyAction, SqlType};
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::{Expr, ExprLit, ExprUnary, Ident, Lit, LitInt, LitStr, Token, UnOp};

use crate::ctxt::Ctxt;
use crate::reference::{self, Target};
use crate::symbol::{self, *};

/// A parsed value with the tokens errors about it should point at.
#[derive(Debug)]
pub struct Spanned<T> {
    pub value: T,
    pub tokens: TokenStream,
    /// Order of the key among its attribute's keys, to find the later of two conflicting keys.
    pub pos: usize,
}

/// Where a key was written, for messages: `#[table(index(` ... `))]`.
#[derive(Debug, Clone, Copy)]
struct Scope {
    open: &'static str,
    close: &'static str,
}

const IN_TABLE: Scope = Scope {
    open: "#[table(",
    close: ")]",
};
const IN_COLUMN: Scope = Scope {
    open: "#[column(",
    close: ")]",
};
const IN_PRIMARY_KEY: Scope = Scope {
    open: "#[table(primary_key(",
    close: "))]",
};
const IN_INDEX: Scope = Scope {
    open: "#[table(index(",
    close: "))]",
};
const IN_UNIQUE: Scope = Scope {
    open: "#[table(unique(",
    close: "))]",
};
const IN_CHECK: Scope = Scope {
    open: "#[table(check(",
    close: "))]",
};
const IN_IDENTITY: Scope = Scope {
    open: "#[column(identity(",
    close: "))]",
};
const IN_FOREIGN_KEY: Scope = Scope {
    open: "#[table(foreign_key(",
    close: "))]",
};

impl Scope {
    /// `#[table(...)]`.
    fn name(self) -> String {
        format!("{}...{}", self.open, self.close)
    }

    /// `#[table(inner)]`.
    fn form(self, inner: &str) -> String {
        format!("{}{inner}{}", self.open, self.close)
    }
}

/// One key of one attribute while it is being parsed; the second `set` is a duplicate.
struct Attr<'c, T> {
    cx: &'c Ctxt,
    scope: Scope,
    key: Symbol,
    value: Option<Spanned<T>>,
}

impl<'c, T> Attr<'c, T> {
    fn none(cx: &'c Ctxt, scope: Scope, key: Symbol) -> Self {
        Attr {
            cx,
            scope,
            key,
            value: None,
        }
    }

    fn set<A: ToTokens>(&mut self, obj: A, value: T, pos: usize) {
        let tokens = obj.into_token_stream();
        if self.value.is_some() {
            let (scope, key) = (self.scope.name(), self.key);
            self.cx.error_spanned_by(
                tokens,
                format!("duplicate key `{key}` in {scope}; give it once"),
            );
        } else {
            self.value = Some(Spanned { value, tokens, pos });
        }
    }

    fn get(self) -> Option<Spanned<T>> {
        self.value
    }

    fn get_value(self) -> Option<T> {
        self.value.map(|v| v.value)
    }
}

/// What `#[table(...)]` says about the struct.
#[derive(Debug)]
pub struct Container {
    /// The table name: `name = "..."`, or the struct name in snake_case.
    pub name: String,
    pub schema: Option<String>,
    pub comment: Option<String>,
    pub renamed_from: Option<Spanned<String>>,
    pub mysql_engine: Option<String>,
    pub mysql_charset: Option<String>,
    pub mysql_collate: Option<String>,
    pub postgresql_unlogged: bool,
    /// `postgresql_partition_by = "RANGE (created_at)"`.
    pub postgresql_partition_by: Option<String>,
    /// `primary_key(a, b)`: a key over these columns in this order.
    pub primary_key: Option<Spanned<PrimaryKey>>,
    pub indexes: Vec<Index>,
    pub uniques: Vec<Unique>,
    pub checks: Vec<Check>,
    pub foreign_keys: Vec<ForeignKey>,
}

/// Columns are named in lists by field or column name; `ast::Container::column` resolves them.
pub type ColumnList = Vec<Ident>;

#[derive(Debug)]
pub struct PrimaryKey {
    pub name: Option<String>,
    pub columns: ColumnList,
}

#[derive(Debug)]
pub struct Index {
    /// `None`: named by the naming convention at runtime.
    pub name: Option<String>,
    pub columns: ColumnList,
    /// SQL key parts after the columns, as written.
    pub expressions: Vec<String>,
    pub unique: bool,
    pub desc: ColumnList,
    pub nulls_first: ColumnList,
    pub nulls_last: ColumnList,
    pub method: Option<String>,
    pub predicate: Option<String>,
    pub include: ColumnList,
    /// `prefix(title = 20)`: key columns and their prefix lengths.
    pub prefix: Vec<(Ident, u32)>,
}

#[derive(Debug)]
pub struct Unique {
    pub name: Option<String>,
    pub columns: ColumnList,
}

#[derive(Debug)]
pub struct Check {
    pub name: Option<String>,
    /// The condition as SQL text, already parsed once.
    pub expr: String,
}

#[derive(Debug)]
pub struct ForeignKey {
    pub name: Option<String>,
    pub columns: ColumnList,
    pub target: Spanned<Target>,
    pub on_delete: Option<ForeignKeyAction>,
    pub on_update: Option<ForeignKeyAction>,
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub match_full: bool,
}

impl Container {
    pub fn from_ast(cx: &Ctxt, input: &syn::DeriveInput) -> Self {
        let mut name = Attr::none(cx, IN_TABLE, NAME);
        let mut schema = Attr::none(cx, IN_TABLE, SCHEMA);
        let mut comment = Attr::none(cx, IN_TABLE, COMMENT);
        let mut renamed_from = Attr::none(cx, IN_TABLE, RENAMED_FROM);
        let mut mysql_engine = Attr::none(cx, IN_TABLE, MYSQL_ENGINE);
        let mut mysql_charset = Attr::none(cx, IN_TABLE, MYSQL_CHARSET);
        let mut mysql_collate = Attr::none(cx, IN_TABLE, MYSQL_COLLATE);
        let mut postgresql_unlogged = Attr::none(cx, IN_TABLE, POSTGRESQL_UNLOGGED);
        let mut postgresql_partition_by = Attr::none(cx, IN_TABLE, POSTGRESQL_PARTITION_BY);
        let mut primary_key = Attr::none(cx, IN_TABLE, PRIMARY_KEY);
        let mut indexes = Vec::new();
        let mut uniques = Vec::new();
        let mut checks = Vec::new();
        let mut foreign_keys = Vec::new();
        let mut pos = 0;

        for attr in input.attrs.iter().filter(|attr| attr.path() == TABLE) {
            let parsed = attr.parse_nested_meta(|meta| {
                pos += 1;
                if meta.path == NAME {
                    // #[table(name = "users")]
                    if let Some(s) = get_non_empty_str(cx, IN_TABLE, &meta)? {
                        name.set(key_value(&meta, &s), s.value(), pos);
                    }
                } else if meta.path == SCHEMA {
                    // #[table(schema = "app")]
                    if let Some(s) = get_non_empty_str(cx, IN_TABLE, &meta)? {
                        schema.set(key_value(&meta, &s), s.value(), pos);
                    }
                } else if meta.path == COMMENT {
                    // #[table(comment = "Registered users.")]
                    if let Some(s) = get_str(cx, IN_TABLE, &meta)? {
                        comment.set(key_value(&meta, &s), s.value(), pos);
                    }
                } else if meta.path == RENAMED_FROM {
                    // #[table(renamed_from = "people")]
                    if let Some(s) = get_non_empty_str(cx, IN_TABLE, &meta)? {
                        renamed_from.set(key_value(&meta, &s), s.value(), pos);
                    }
                } else if meta.path == MYSQL_ENGINE {
                    // #[table(mysql_engine = "InnoDB")]
                    if let Some(s) = get_server_name(cx, IN_TABLE, &meta, &[])? {
                        mysql_engine.set(key_value(&meta, &s), s.value(), pos);
                    }
                } else if meta.path == MYSQL_CHARSET {
                    // #[table(mysql_charset = "utf8mb4")]
                    if let Some(s) = get_server_name(cx, IN_TABLE, &meta, &[])? {
                        mysql_charset.set(key_value(&meta, &s), s.value(), pos);
                    }
                } else if meta.path == MYSQL_COLLATE {
                    // #[table(mysql_collate = "utf8mb4_bin")]
                    if let Some(s) = get_server_name(cx, IN_TABLE, &meta, &[])? {
                        mysql_collate.set(key_value(&meta, &s), s.value(), pos);
                    }
                } else if meta.path == POSTGRESQL_UNLOGGED {
                    // #[table(postgresql_unlogged)]
                    if flag(cx, IN_TABLE, &meta)? {
                        postgresql_unlogged.set(&meta.path, (), pos);
                    }
                } else if meta.path == POSTGRESQL_PARTITION_BY {
                    // #[table(postgresql_partition_by = "RANGE (created_at)")]
                    if let Some(s) = get_partition_key(cx, &meta)? {
                        postgresql_partition_by.set(key_value(&meta, &s), s.value(), pos);
                    }
                } else if meta.path == PRIMARY_KEY {
                    // #[table(primary_key(user_id, group_id))]
                    // #[table(primary_key(name = "pk_memberships", user_id, group_id))]
                    if let Some(pk) = get_primary_key(cx, &meta)? {
                        primary_key.set(&meta.path, pk, pos);
                    }
                } else if meta.path == INDEX {
                    // #[table(index(name = "ix_users_email", columns(email, created_at), unique))]
                    indexes.extend(get_index(cx, &meta)?);
                } else if meta.path == UNIQUE {
                    // #[table(unique(name = "uq_users_org_email", columns(org_id, email)))]
                    uniques.extend(get_unique(cx, &meta)?);
                } else if meta.path == CHECK {
                    // #[table(check(name = "ck_users_age", expr = "age >= 0"))]
                    checks.extend(get_check(cx, &meta)?);
                } else if meta.path == FOREIGN_KEY {
                    // #[table(foreign_key(name = "fk_x", columns(org_id), references = "orgs(id)",
                    //                     on_delete = "cascade", on_update = "no action"))]
                    foreign_keys.extend(get_foreign_key(cx, &meta)?);
                } else {
                    unknown_key(cx, IN_TABLE, TABLE_KEYS, &meta)?;
                }
                Ok(())
            });
            if let Err(err) = parsed {
                cx.syn_error(err);
            }
        }

        Container {
            name: name
                .get_value()
                .unwrap_or_else(|| input.ident.unraw().to_string().to_snake_case()),
            schema: schema.get_value(),
            comment: comment.get_value(),
            renamed_from: renamed_from.get(),
            mysql_engine: mysql_engine.get_value(),
            mysql_charset: mysql_charset.get_value(),
            mysql_collate: mysql_collate.get_value(),
            postgresql_unlogged: postgresql_unlogged.get().is_some(),
            postgresql_partition_by: postgresql_partition_by.get_value(),
            primary_key: primary_key.get(),
            indexes,
            uniques,
            checks,
            foreign_keys,
        }
    }
}

/// An engine, character set or collation name: the server's own identifier, which MySQL's DDL
/// writes unquoted, so only letters, digits and `_` are accepted (`"InnoDB"`,
/// `"utf8mb4_0900_ai_ci"`), and for a column's collation also `-` and `.` (PostgreSQL's
/// `"en-US-x-icu"`, `"en_US.utf8"`).
fn get_server_name(
    cx: &Ctxt,
    scope: Scope,
    meta: &ParseNestedMeta,
    also: &[char],
) -> syn::Result<Option<syn::LitStr>> {
    let Some(s) = get_non_empty_str(cx, scope, meta)? else {
        return Ok(None);
    };
    let valid = |c: char| c.is_ascii_alphanumeric() || c == '_' || also.contains(&c);
    if !s.value().chars().all(valid) {
        let also: String = also.iter().map(|c| format!(", `{c}`")).collect();
        cx.error_spanned_by(
            &s,
            format!(
                "`{}` takes a name of letters, digits, `_`{also}, such as \"InnoDB\" or \"utf8mb4_bin\"",
                meta.path.to_token_stream()
            ),
        );
        return Ok(None);
    }
    Ok(Some(s))
}

/// `"RANGE (created_at)"`, `"LIST (region)"` or `"HASH (id)"`: a method and a key list.
fn get_partition_key(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<syn::LitStr>> {
    let Some(s) = get_non_empty_str(cx, IN_TABLE, meta)? else {
        return Ok(None);
    };
    let value = s.value();
    let method = value.split('(').next().unwrap_or_default().trim();
    let listed = value.trim_end().ends_with(')') && value.contains('(');
    if !["RANGE", "LIST", "HASH"].contains(&method.to_ascii_uppercase().as_str()) || !listed {
        cx.error_spanned_by(
            &s,
            "`postgresql_partition_by` takes a method and its key: \"RANGE (created_at)\", \
             \"LIST (region)\" or \"HASH (id)\"",
        );
        return Ok(None);
    }
    Ok(Some(s))
}

/// `key(...)` at table level; anything else is recorded with the accepted form.
fn require_list(cx: &Ctxt, meta: &ParseNestedMeta, form: &str) -> syn::Result<bool> {
    require_list_in(cx, IN_TABLE, meta, form)
}

/// `key(...)` in `scope`; anything else is recorded with the accepted form.
fn require_list_in(
    cx: &Ctxt,
    scope: Scope,
    meta: &ParseNestedMeta,
    form: &str,
) -> syn::Result<bool> {
    let key = meta.path.to_token_stream();
    if empty_parens(meta) {
        cx.error_spanned_by(
            &meta.path,
            format!("`{key}()` is empty: `{}`", scope.form(form)),
        );
        skip_value(meta)?;
        return Ok(false);
    }
    if meta.input.peek(syn::token::Paren) {
        return Ok(true);
    }
    let at = if scope.open == IN_TABLE.open {
        " at table level"
    } else {
        ""
    };
    cx.error_spanned_by(
        &meta.path,
        format!("`{key}`{at} takes a list: `{}`", scope.form(form)),
    );
    skip_value(meta)?;
    Ok(false)
}

fn get_primary_key(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<PrimaryKey>> {
    if empty_parens(meta) {
        cx.error_spanned_by(&meta.path, "`primary_key()` needs at least one column");
        skip_value(meta)?;
        return Ok(None);
    }
    if !meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(
            &meta.path,
            format!(
                "`{PRIMARY_KEY}` at table level lists its columns: `{}`; for one column, \
                 write #[column({PRIMARY_KEY})] on the field",
                IN_TABLE.form("primary_key(a, b)")
            ),
        );
        skip_value(meta)?;
        return Ok(None);
    }
    let mut name = Attr::none(cx, IN_PRIMARY_KEY, NAME);
    let mut columns = Vec::new();
    let mut pos = 0;
    meta.parse_nested_meta(|inner| {
        pos += 1;
        if inner.path == NAME && inner.input.peek(Token![=]) {
            if let Some(s) = get_non_empty_str(cx, IN_PRIMARY_KEY, &inner)? {
                name.set(key_value(&inner, &s), s.value(), pos);
            }
        } else {
            columns.extend(column_ident(cx, IN_PRIMARY_KEY, &inner)?);
        }
        Ok(())
    })?;
    if columns.is_empty() {
        // Every entry was refused, each with its own error.
        return Ok(None);
    }
    Ok(Some(PrimaryKey {
        name: name.get_value(),
        columns,
    }))
}

/// The record of `columns(...)` inside a table-level item: its list once valid, and whether
/// it was written at all (so a malformed list is not also reported as missing).
struct Columns<'c> {
    attr: Attr<'c, ColumnList>,
    seen: bool,
}

impl<'c> Columns<'c> {
    fn none(cx: &'c Ctxt, scope: Scope) -> Self {
        Columns {
            attr: Attr::none(cx, scope, COLUMNS),
            seen: false,
        }
    }

    // columns(a, b)
    fn parse(&mut self, meta: &ParseNestedMeta, pos: usize) -> syn::Result<()> {
        self.seen = true;
        let (cx, scope) = (self.attr.cx, self.attr.scope);
        if !meta.input.peek(syn::token::Paren) {
            cx.error_spanned_by(
                &meta.path,
                format!(
                    "`{COLUMNS}` lists column names: `{}`",
                    scope.form("columns(a, b)")
                ),
            );
            return skip_value(meta);
        }
        if empty_parens(meta) {
            cx.error_spanned_by(&meta.path, "`columns()` needs at least one column");
            return skip_value(meta);
        }
        let mut columns = Vec::new();
        meta.parse_nested_meta(|inner| {
            columns.extend(column_ident(cx, scope, &inner)?);
            Ok(())
        })?;
        // Empty only when every entry was refused, each with its own error.
        if !columns.is_empty() {
            self.attr.set(&meta.path, columns, pos);
        }
        Ok(())
    }

    /// The list, or `None` with an error on `item` if it was never written (unless an
    /// unknown key, already reported, was probably meant to be it).
    fn get(self, item: &ParseNestedMeta, form: &str, unknown: bool) -> Option<ColumnList> {
        if !self.seen && !unknown {
            let key = item.path.to_token_stream();
            self.attr.cx.error_spanned_by(
                &item.path,
                format!(
                    "`{key}(...)` needs `{COLUMNS}(...)`: `{}`",
                    IN_TABLE.form(form)
                ),
            );
        }
        self.attr.get_value()
    }
}

/// One column named in a list: an identifier without a value.
fn column_ident(cx: &Ctxt, scope: Scope, meta: &ParseNestedMeta) -> syn::Result<Option<Ident>> {
    match meta.path.get_ident() {
        Some(ident) if !meta.input.peek(Token![=]) && !meta.input.peek(syn::token::Paren) => {
            Ok(Some(ident.clone()))
        }
        _ => {
            cx.error_spanned_by(
                &meta.path,
                format!(
                    "expected a column: a field name or column name, as in `{}`",
                    scope.form("a, b")
                ),
            );
            skip_value(meta)?;
            Ok(None)
        }
    }
}

fn get_index(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<Index>> {
    let form = "index(columns(a, b))";
    if !require_list(cx, meta, form)? {
        return Ok(None);
    }
    let mut name = Attr::none(cx, IN_INDEX, NAME);
    let mut columns = Columns::none(cx, IN_INDEX);
    let mut expressions = Attr::none(cx, IN_INDEX, EXPRESSIONS);
    let mut unique = Attr::none(cx, IN_INDEX, UNIQUE);
    let mut desc = Attr::none(cx, IN_INDEX, DESC);
    let mut nulls_first = Attr::none(cx, IN_INDEX, NULLS_FIRST);
    let mut nulls_last = Attr::none(cx, IN_INDEX, NULLS_LAST);
    let mut method = Attr::none(cx, IN_INDEX, USING);
    let mut predicate = Attr::none(cx, IN_INDEX, WHERE);
    let mut include = Attr::none(cx, IN_INDEX, INCLUDE);
    let mut prefix = Attr::none(cx, IN_INDEX, PREFIX);
    let mut expressions_seen = false;
    let mut pos = 0;
    // An unknown key stands for what it misspells: no "missing" error as well.
    let mut unknown = false;
    meta.parse_nested_meta(|inner| {
        pos += 1;
        if inner.path == NAME {
            if let Some(s) = get_non_empty_str(cx, IN_INDEX, &inner)? {
                name.set(key_value(&inner, &s), s.value(), pos);
            }
        } else if inner.path == COLUMNS {
            columns.parse(&inner, pos)?;
        } else if inner.path == EXPRESSIONS {
            expressions_seen = true;
            if let Some(list) = sql_expression_list(cx, &inner)? {
                expressions.set(&inner.path, list, pos);
            }
        } else if inner.path == UNIQUE {
            if flag(cx, IN_INDEX, &inner)? {
                unique.set(&inner.path, (), pos);
            }
        } else if inner.path == DESC
            || inner.path == NULLS_FIRST
            || inner.path == NULLS_LAST
            || inner.path == INCLUDE
        {
            let list = column_list(cx, IN_INDEX, &inner)?;
            let target = if inner.path == DESC {
                &mut desc
            } else if inner.path == NULLS_FIRST {
                &mut nulls_first
            } else if inner.path == NULLS_LAST {
                &mut nulls_last
            } else {
                &mut include
            };
            if let Some(list) = list {
                target.set(&inner.path, list, pos);
            }
        } else if inner.path == USING {
            if let Some(s) = get_str(cx, IN_INDEX, &inner)? {
                let value = s.value().to_ascii_lowercase();
                if INDEX_METHODS.contains(&value.as_str()) {
                    method.set(key_value(&inner, &s), value, pos);
                } else {
                    cx.error_spanned_by(
                        &s,
                        format!(
                            "unknown index method `{}`; expected one of {}",
                            s.value(),
                            INDEX_METHODS.join(", ")
                        ),
                    );
                }
            }
        } else if inner.path == WHERE {
            if let Some(s) = get_sql_expr(cx, IN_INDEX, &inner)? {
                predicate.set(key_value(&inner, &s), s.value(), pos);
            }
        } else if inner.path == PREFIX {
            if let Some(lengths) = prefix_lengths(cx, &inner)? {
                prefix.set(&inner.path, lengths, pos);
            }
        } else {
            unknown = true;
            unknown_key(cx, IN_INDEX, INDEX_KEYS, &inner)?;
        }
        Ok(())
    })?;
    let expressions: Vec<String> = expressions.get_value().unwrap_or_default();
    // Expression keys alone are an index too: its columns are then optional.
    let columns = if !expressions_seen {
        columns.get(meta, form, unknown)
    } else {
        Some(columns.attr.get_value().unwrap_or_default())
    };
    Ok(columns.map(|columns| Index {
        name: name.get_value(),
        columns,
        expressions,
        unique: unique.get().is_some(),
        desc: desc.get_value().unwrap_or_default(),
        nulls_first: nulls_first.get_value().unwrap_or_default(),
        nulls_last: nulls_last.get_value().unwrap_or_default(),
        method: method.get_value(),
        predicate: predicate.get_value(),
        include: include.get_value().unwrap_or_default(),
        prefix: prefix.get_value().unwrap_or_default(),
    }))
}

/// `prefix(title = 20, body = 100)`: a column and its prefix length, each at least 1.
fn prefix_lengths(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<Vec<(Ident, u32)>>> {
    let form = "prefix(title = 20)";
    if !meta.input.peek(syn::token::Paren) || empty_parens(meta) {
        cx.error_spanned_by(
            &meta.path,
            format!(
                "`{PREFIX}` gives columns their prefix lengths: `{}`",
                IN_INDEX.form(form)
            ),
        );
        skip_value(meta)?;
        return Ok(None);
    }
    let mut lengths = Vec::new();
    meta.parse_nested_meta(|inner| {
        let Some(column) = inner.path.get_ident().cloned() else {
            cx.error_spanned_by(&inner.path, "expected a column name");
            return skip_value(&inner);
        };
        if let Some((length, _)) = get_u32(cx, &inner, form, 1)? {
            lengths.push((column, length));
        }
        Ok(())
    })?;
    Ok((!lengths.is_empty()).then_some(lengths))
}

/// `key(a, b)`: a list of columns other than `columns(..)` (an index's `desc`, `include`).
fn column_list(cx: &Ctxt, scope: Scope, meta: &ParseNestedMeta) -> syn::Result<Option<ColumnList>> {
    let key = meta.path.to_token_stream().to_string();
    if !meta.input.peek(syn::token::Paren) || empty_parens(meta) {
        cx.error_spanned_by(
            &meta.path,
            format!(
                "`{key}` lists column names: `{}`",
                scope.form(&format!("{key}(a, b)"))
            ),
        );
        skip_value(meta)?;
        return Ok(None);
    }
    let mut columns = Vec::new();
    meta.parse_nested_meta(|inner| {
        columns.extend(column_ident(cx, scope, &inner)?);
        Ok(())
    })?;
    Ok((!columns.is_empty()).then_some(columns))
}

/// `expressions("lower(email)", "a + b")`: SQL expressions, each checked as one.
fn sql_expression_list(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<Vec<String>>> {
    let form = "expressions(\"lower(email)\")";
    if !meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(
            &meta.path,
            format!(
                "`{EXPRESSIONS}` lists SQL expressions: `{}`",
                IN_INDEX.form(form)
            ),
        );
        skip_value(meta)?;
        return Ok(None);
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let literals = content.parse_terminated(|input| input.parse::<LitStr>(), Token![,])?;
    let mut expressions = Vec::new();
    let mut valid = true;
    for literal in &literals {
        match parse_expr(&literal.value()) {
            Ok(_) => expressions.push(literal.value()),
            Err(err) => {
                cx.error_spanned_by(literal, err);
                valid = false;
            }
        }
    }
    if literals.is_empty() {
        cx.error_spanned_by(&meta.path, "`expressions()` needs at least one expression");
        return Ok(None);
    }
    Ok(valid.then_some(expressions))
}

fn get_unique(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<Unique>> {
    let form = "unique(columns(a, b))";
    if !require_list(cx, meta, form)? {
        return Ok(None);
    }
    let mut name = Attr::none(cx, IN_UNIQUE, NAME);
    let mut columns = Columns::none(cx, IN_UNIQUE);
    let mut pos = 0;
    // An unknown key stands for what it misspells: no "missing" error as well.
    let mut unknown = false;
    meta.parse_nested_meta(|inner| {
        pos += 1;
        if inner.path == NAME {
            if let Some(s) = get_non_empty_str(cx, IN_UNIQUE, &inner)? {
                name.set(key_value(&inner, &s), s.value(), pos);
            }
        } else if inner.path == COLUMNS {
            columns.parse(&inner, pos)?;
        } else {
            unknown = true;
            unknown_key(cx, IN_UNIQUE, UNIQUE_KEYS, &inner)?;
        }
        Ok(())
    })?;
    Ok(columns.get(meta, form, unknown).map(|columns| Unique {
        name: name.get_value(),
        columns,
    }))
}

fn get_check(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<Check>> {
    let form = "check(expr = \"age >= 0\")";
    if !require_list(cx, meta, form)? {
        return Ok(None);
    }
    let mut name = Attr::none(cx, IN_CHECK, NAME);
    let mut expr = Attr::none(cx, IN_CHECK, EXPR);
    let mut expr_seen = false;
    let mut pos = 0;
    // An unknown key stands for what it misspells: no "missing" error as well.
    let mut unknown = false;
    meta.parse_nested_meta(|inner| {
        pos += 1;
        if inner.path == NAME {
            if let Some(s) = get_non_empty_str(cx, IN_CHECK, &inner)? {
                name.set(key_value(&inner, &s), s.value(), pos);
            }
        } else if inner.path == EXPR {
            expr_seen = true;
            if let Some(s) = get_sql_expr(cx, IN_CHECK, &inner)? {
                expr.set(key_value(&inner, &s), s.value(), pos);
            }
        } else {
            unknown = true;
            unknown_key(cx, IN_CHECK, CHECK_KEYS, &inner)?;
        }
        Ok(())
    })?;
    if !expr_seen && !unknown {
        cx.error_spanned_by(
            &meta.path,
            format!(
                "`check(...)` needs its condition: `{}`",
                IN_TABLE.form(form)
            ),
        );
    }
    Ok(expr.get_value().map(|expr| Check {
        name: name.get_value(),
        expr,
    }))
}

fn get_foreign_key(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<ForeignKey>> {
    let form = "foreign_key(columns(org_id), references = \"orgs(id)\")";
    if !require_list(cx, meta, form)? {
        return Ok(None);
    }
    let mut name = Attr::none(cx, IN_FOREIGN_KEY, NAME);
    let mut columns = Columns::none(cx, IN_FOREIGN_KEY);
    let mut references = Attr::none(cx, IN_FOREIGN_KEY, REFERENCES);
    let mut references_seen = false;
    let mut on_delete = Attr::none(cx, IN_FOREIGN_KEY, ON_DELETE);
    let mut on_update = Attr::none(cx, IN_FOREIGN_KEY, ON_UPDATE);
    let mut deferrable = Attr::none(cx, IN_FOREIGN_KEY, DEFERRABLE);
    let mut initially = Attr::none(cx, IN_FOREIGN_KEY, INITIALLY);
    let mut match_kind = Attr::none(cx, IN_FOREIGN_KEY, MATCH);
    let mut pos = 0;
    // An unknown key stands for what it misspells: no "missing" error as well.
    let mut unknown = false;
    meta.parse_nested_meta(|inner| {
        pos += 1;
        if inner.path == NAME {
            if let Some(s) = get_non_empty_str(cx, IN_FOREIGN_KEY, &inner)? {
                name.set(key_value(&inner, &s), s.value(), pos);
            }
        } else if inner.path == COLUMNS {
            columns.parse(&inner, pos)?;
        } else if inner.path == REFERENCES {
            references_seen = true;
            if let Some(s) = get_str(cx, IN_FOREIGN_KEY, &inner)? {
                match reference::references(&s.value()) {
                    Ok(target) => references.set(&s, target, pos),
                    Err(msg) => cx.error_spanned_by(&s, msg),
                }
            }
        } else if inner.path == ON_DELETE {
            if let Some(action) = get_action(cx, IN_FOREIGN_KEY, &inner)? {
                on_delete.set(key_value(&inner, &action.1), action.0, pos);
            }
        } else if inner.path == ON_UPDATE {
            if let Some(action) = get_action(cx, IN_FOREIGN_KEY, &inner)? {
                on_update.set(key_value(&inner, &action.1), action.0, pos);
            }
        } else if inner.path == DEFERRABLE {
            if flag(cx, IN_FOREIGN_KEY, &inner)? {
                deferrable.set(&inner.path, (), pos);
            }
        } else if inner.path == INITIALLY {
            if let Some(s) = get_str(cx, IN_FOREIGN_KEY, &inner)? {
                match s.value().to_ascii_lowercase().as_str() {
                    "deferred" => initially.set(key_value(&inner, &s), true, pos),
                    "immediate" => initially.set(key_value(&inner, &s), false, pos),
                    other => cx.error_spanned_by(
                        &s,
                        format!("unknown `initially` \"{other}\"; expected \"deferred\" or \"immediate\""),
                    ),
                }
            }
        } else if inner.path == MATCH {
            if let Some(s) = get_str(cx, IN_FOREIGN_KEY, &inner)? {
                match s.value().to_ascii_lowercase().as_str() {
                    "full" => match_kind.set(key_value(&inner, &s), true, pos),
                    "simple" => match_kind.set(key_value(&inner, &s), false, pos),
                    other => cx.error_spanned_by(
                        &s,
                        format!(
                            "unknown `match` \"{other}\"; expected \"full\" or \"simple\" \
                             (PostgreSQL does not implement MATCH PARTIAL)"
                        ),
                    ),
                }
            }
        } else {
            unknown = true;
            unknown_key(cx, IN_FOREIGN_KEY, FOREIGN_KEY_KEYS, &inner)?;
        }
        Ok(())
    })?;
    let columns = columns.get(meta, form, unknown);
    if !references_seen && !unknown {
        cx.error_spanned_by(
            &meta.path,
            format!(
                "`foreign_key(...)` needs its target: `{}`",
                IN_TABLE.form(form)
            ),
        );
    }
    let initially_deferred = initially.get_value().unwrap_or(false);
    Ok(match (columns, references.get()) {
        (Some(columns), Some(target)) => Some(ForeignKey {
            name: name.get_value(),
            columns,
            target,
            on_delete: on_delete.get_value(),
            on_update: on_update.get_value(),
            // PostgreSQL refuses INITIALLY DEFERRED on a key that is not deferrable; saying
            // the one means the other.
            initially_deferred,
            deferrable: deferrable.get().is_some() || initially_deferred,
            match_full: match_kind.get_value().unwrap_or(false),
        }),
        _ => None,
    })
}

/// What `#[column(...)]` says about a field. Flags carry `()`: only their tokens matter.
#[derive(Debug)]
pub struct Field {
    /// The column name: `name = "..."`, or the field name.
    pub name: String,
    /// Where a duplicate column name is reported: the `name` value, or the field name.
    pub name_tokens: TokenStream,
    pub primary_key: Option<Spanned<()>>,
    /// `autoincrement` / `autoincrement = false`; unset, a single integer primary key
    /// autoincrements.
    pub autoincrement: Option<Spanned<bool>>,
    /// `nullable` / `nullable = false`; unset, `Option<T>` decides.
    pub nullable: Option<Spanned<bool>>,
    pub length: Option<Spanned<u32>>,
    pub precision: Option<Spanned<u32>>,
    pub scale: Option<Spanned<u32>>,
    pub sql_type: Option<Spanned<SqlTypeAttr>>,
    /// The server default as SQL text.
    pub default: Option<Spanned<String>>,
    pub unique: Option<Spanned<()>>,
    pub index: Option<Spanned<()>>,
    pub foreign_key: Option<Spanned<Target>>,
    pub on_delete: Option<Spanned<ForeignKeyAction>>,
    pub on_update: Option<Spanned<ForeignKeyAction>>,
    pub comment: Option<Spanned<String>>,
    /// The generated column's expression as SQL text.
    pub computed: Option<Spanned<String>>,
    pub collation: Option<String>,
    /// `identity(start = n, increment = m)`: (start, increment).
    pub identity: Option<Spanned<(Option<i64>, Option<i64>)>>,
    pub renamed_from: Option<Spanned<String>>,
    pub skip: Option<Spanned<()>>,
}

/// `sql_type = "..."`: the text for the runtime `SqlType::parse`, and what the same function
/// made of it here, for the checks.
#[derive(Debug)]
pub struct SqlTypeAttr {
    pub sql: String,
    pub sql_type: SqlType,
}

impl Field {
    pub fn from_ast(cx: &Ctxt, field: &syn::Field, ident: &syn::Ident) -> Self {
        let mut name = Attr::none(cx, IN_COLUMN, NAME);
        let mut primary_key = Attr::none(cx, IN_COLUMN, PRIMARY_KEY);
        let mut autoincrement = Attr::none(cx, IN_COLUMN, AUTOINCREMENT);
        let mut nullable = Attr::none(cx, IN_COLUMN, NULLABLE);
        let mut length = Attr::none(cx, IN_COLUMN, LENGTH);
        let mut precision = Attr::none(cx, IN_COLUMN, PRECISION);
        let mut scale = Attr::none(cx, IN_COLUMN, SCALE);
        let mut sql_type = Attr::none(cx, IN_COLUMN, SQL_TYPE);
        let mut default = Attr::none(cx, IN_COLUMN, DEFAULT);
        let mut unique = Attr::none(cx, IN_COLUMN, UNIQUE);
        let mut index = Attr::none(cx, IN_COLUMN, INDEX);
        let mut foreign_key = Attr::none(cx, IN_COLUMN, FOREIGN_KEY);
        let mut on_delete = Attr::none(cx, IN_COLUMN, ON_DELETE);
        let mut on_update = Attr::none(cx, IN_COLUMN, ON_UPDATE);
        let mut comment = Attr::none(cx, IN_COLUMN, COMMENT);
        let mut computed = Attr::none(cx, IN_COLUMN, COMPUTED);
        let mut collation = Attr::none(cx, IN_COLUMN, COLLATION);
        let mut identity = Attr::none(cx, IN_COLUMN, IDENTITY);
        let mut renamed_from = Attr::none(cx, IN_COLUMN, RENAMED_FROM);
        let mut skip = Attr::none(cx, IN_COLUMN, SKIP);
        let mut pos = 0;

        for attr in field.attrs.iter().filter(|attr| attr.path() == COLUMN) {
            let parsed = attr.parse_nested_meta(|meta| {
                pos += 1;
                if meta.path == NAME {
                    // #[column(name = "email_address")]
                    if let Some(s) = get_non_empty_str(cx, IN_COLUMN, &meta)? {
                        name.set(key_value(&meta, &s), s.value(), pos);
                    }
                } else if meta.path == PRIMARY_KEY {
                    // #[column(primary_key)]
                    if flag(cx, IN_COLUMN, &meta)? {
                        primary_key.set(&meta.path, (), pos);
                    }
                } else if meta.path == AUTOINCREMENT {
                    // #[column(autoincrement)], #[column(autoincrement = false)]
                    if let Some((on, tokens)) = get_bool(cx, IN_COLUMN, &meta)? {
                        autoincrement.set(tokens, on, pos);
                    }
                } else if meta.path == NULLABLE {
                    // #[column(nullable)], #[column(nullable = false)]
                    if let Some((on, tokens)) = get_bool(cx, IN_COLUMN, &meta)? {
                        nullable.set(tokens, on, pos);
                    }
                } else if meta.path == LENGTH {
                    // #[column(length = 255)]
                    if let Some((n, lit)) = get_u32(cx, &meta, "length = 255", 1)? {
                        length.set(key_value(&meta, &lit), n, pos);
                    }
                } else if meta.path == PRECISION {
                    // #[column(precision = 10)]
                    if let Some((n, lit)) = get_u32(cx, &meta, "precision = 10", 1)? {
                        precision.set(key_value(&meta, &lit), n, pos);
                    }
                } else if meta.path == SCALE {
                    // #[column(scale = 2)]
                    if let Some((n, lit)) = get_u32(cx, &meta, "scale = 2", 0)? {
                        scale.set(key_value(&meta, &lit), n, pos);
                    }
                } else if meta.path == SQL_TYPE {
                    // #[column(sql_type = "jsonb")]
                    if let Some(s) = get_str(cx, IN_COLUMN, &meta)? {
                        match SqlType::parse(&s.value()) {
                            Ok(parsed) => {
                                let value = SqlTypeAttr {
                                    sql: s.value(),
                                    sql_type: parsed,
                                };
                                sql_type.set(key_value(&meta, &s), value, pos);
                            }
                            Err(err) => cx.error_spanned_by(&s, err),
                        }
                    }
                } else if meta.path == DEFAULT {
                    // #[column(default = "now()")], #[column(default = 0)], #[column(default = true)]
                    if let Some((sql, expr)) = get_default(cx, &meta)? {
                        default.set(key_value(&meta, &expr), sql, pos);
                    }
                } else if meta.path == UNIQUE {
                    // #[column(unique)]
                    if flag(cx, IN_COLUMN, &meta)? {
                        unique.set(&meta.path, (), pos);
                    }
                } else if meta.path == INDEX {
                    // #[column(index)]
                    if flag(cx, IN_COLUMN, &meta)? {
                        index.set(&meta.path, (), pos);
                    }
                } else if meta.path == FOREIGN_KEY {
                    // #[column(foreign_key = "orgs.id")], #[column(foreign_key = "app.orgs.id")]
                    let form = "foreign_key = \"table.column\"";
                    if let Some(s) = get_str_in_form(cx, IN_COLUMN, &meta, form)? {
                        match reference::column_reference(&s.value()) {
                            Ok(target) => foreign_key.set(key_value(&meta, &s), target, pos),
                            Err(err) => cx.error_spanned_by(&s, err),
                        }
                    }
                } else if meta.path == ON_DELETE {
                    // #[column(on_delete = "cascade")]
                    if let Some((action, s)) = get_action(cx, IN_COLUMN, &meta)? {
                        on_delete.set(key_value(&meta, &s), action, pos);
                    }
                } else if meta.path == ON_UPDATE {
                    // #[column(on_update = "set null")]
                    if let Some((action, s)) = get_action(cx, IN_COLUMN, &meta)? {
                        on_update.set(key_value(&meta, &s), action, pos);
                    }
                } else if meta.path == COMMENT {
                    // #[column(comment = "Shown on the profile page.")]
                    if let Some(s) = get_str(cx, IN_COLUMN, &meta)? {
                        comment.set(key_value(&meta, &s), s.value(), pos);
                    }
                } else if meta.path == COMPUTED {
                    // #[column(computed = "price * quantity")]
                    if let Some(s) = get_sql_expr(cx, IN_COLUMN, &meta)? {
                        computed.set(key_value(&meta, &s), s.value(), pos);
                    }
                } else if meta.path == COLLATION {
                    // #[column(collation = "C")]
                    if let Some(s) = get_server_name(cx, IN_COLUMN, &meta, &['-', '.'])? {
                        collation.set(key_value(&meta, &s), s.value(), pos);
                    }
                } else if meta.path == IDENTITY {
                    // #[column(identity(start = 1000, increment = 10))]
                    if let Some(options) = get_identity(cx, &meta)? {
                        identity.set(&meta.path, options, pos);
                    }
                } else if meta.path == RENAMED_FROM {
                    // #[column(renamed_from = "mail")]
                    if let Some(s) = get_non_empty_str(cx, IN_COLUMN, &meta)? {
                        renamed_from.set(key_value(&meta, &s), s.value(), pos);
                    }
                } else if meta.path == SKIP {
                    // #[column(skip)]
                    if flag(cx, IN_COLUMN, &meta)? {
                        skip.set(&meta.path, (), pos);
                    }
                } else {
                    unknown_key(cx, IN_COLUMN, COLUMN_KEYS, &meta)?;
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
            autoincrement: autoincrement.get(),
            nullable: nullable.get(),
            length: length.get(),
            precision: precision.get(),
            scale: scale.get(),
            sql_type: sql_type.get(),
            default: default.get(),
            unique: unique.get(),
            index: index.get(),
            foreign_key: foreign_key.get(),
            on_delete: on_delete.get(),
            on_update: on_update.get(),
            comment: comment.get(),
            computed: computed.get(),
            collation: collation.get_value(),
            identity: identity.get(),
            renamed_from: renamed_from.get(),
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
    scope: Scope,
    keys: &[Symbol],
    meta: &ParseNestedMeta,
) -> syn::Result<()> {
    let path = meta.path.to_token_stream().to_string().replace(' ', "");
    cx.error_spanned_by(
        &meta.path,
        format!(
            "unknown key `{path}` in {}; expected one of {}",
            scope.name(),
            symbol::list(keys)
        ),
    );
    skip_value(meta)
}

/// Whether the key is followed by `()`, which `parse_nested_meta` would refuse with a bare
/// "unexpected end of input" that stops the whole attribute.
fn empty_parens(meta: &ParseNestedMeta) -> bool {
    let is_empty = |input: syn::parse::ParseStream| -> syn::Result<bool> {
        let content;
        syn::parenthesized!(content in input);
        Ok(content.is_empty())
    };
    is_empty(&meta.input.fork()).unwrap_or(false)
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

fn get_str(cx: &Ctxt, scope: Scope, meta: &ParseNestedMeta) -> syn::Result<Option<LitStr>> {
    let key = meta.path.to_token_stream();
    get_str_in_form(cx, scope, meta, &format!("{key} = \"...\""))
}

/// A string literal, with `form` (the inside of the attribute) shown when it is missing.
fn get_str_in_form(
    cx: &Ctxt,
    scope: Scope,
    meta: &ParseNestedMeta,
    form: &str,
) -> syn::Result<Option<LitStr>> {
    match get_expr(cx, meta, form)? {
        Some(Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        })) => Ok(Some(s)),
        Some(other) => {
            cx.error_spanned_by(
                other,
                format!("expected a string literal: `{}`", scope.form(form)),
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
    scope: Scope,
    meta: &ParseNestedMeta,
) -> syn::Result<Option<LitStr>> {
    let s = get_str(cx, scope, meta)?;
    if let Some(s) = &s {
        if s.value().trim().is_empty() {
            let key = meta.path.to_token_stream();
            cx.error_spanned_by(s, format!("`{key}` must not be empty"));
            return Ok(None);
        }
    }
    Ok(s)
}

/// A string holding one SQL expression, refused at the literal if `parse_expr` refuses it.
fn get_sql_expr(cx: &Ctxt, scope: Scope, meta: &ParseNestedMeta) -> syn::Result<Option<LitStr>> {
    let Some(s) = get_str(cx, scope, meta)? else {
        return Ok(None);
    };
    match parse_expr(&s.value()) {
        Ok(_) => Ok(Some(s)),
        Err(err) => {
            cx.error_spanned_by(&s, err);
            Ok(None)
        }
    }
}

/// A key without a value, such as `primary_key`; `false` if a value was given (recorded).
fn flag(cx: &Ctxt, scope: Scope, meta: &ParseNestedMeta) -> syn::Result<bool> {
    if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
        let key = meta.path.to_token_stream().to_string();
        cx.error_spanned_by(
            &meta.path,
            format!("`{key}` takes no value: write `{}`", scope.form(&key)),
        );
        skip_value(meta)?;
        return Ok(false);
    }
    Ok(true)
}

/// `key` (true) or `key = true` / `key = false`, with the tokens errors should point at.
fn get_bool(
    cx: &Ctxt,
    scope: Scope,
    meta: &ParseNestedMeta,
) -> syn::Result<Option<(bool, TokenStream)>> {
    if !meta.input.peek(Token![=]) {
        return Ok(flag(cx, scope, meta)?.then(|| (true, meta.path.to_token_stream())));
    }
    let key = meta.path.to_token_stream().to_string();
    let Some(expr) = get_expr(cx, meta, &key)? else {
        return Ok(None);
    };
    match &expr {
        Expr::Lit(ExprLit {
            lit: Lit::Bool(b), ..
        }) => Ok(Some((b.value, key_value(meta, b)))),
        _ => {
            cx.error_spanned_by(
                &expr,
                format!(
                    "expected `true` or `false`: `{}` or `{}`",
                    scope.form(&key),
                    scope.form(&format!("{key} = false"))
                ),
            );
            Ok(None)
        }
    }
}

/// `identity(start = 1000, increment = 10)`: either may be left out; an increment is not 0.
fn get_identity(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
) -> syn::Result<Option<(Option<i64>, Option<i64>)>> {
    if !require_list_in(
        cx,
        IN_COLUMN,
        meta,
        "identity(start = 1000, increment = 10)",
    )? {
        return Ok(None);
    }
    let mut start = Attr::none(cx, IN_IDENTITY, START);
    let mut increment = Attr::none(cx, IN_IDENTITY, INCREMENT);
    let mut pos = 0;
    meta.parse_nested_meta(|inner| {
        pos += 1;
        if inner.path == START {
            if let Some((n, tokens)) = get_i64(cx, &inner, "start = 1000")? {
                start.set(tokens, n, pos);
            }
        } else if inner.path == INCREMENT {
            if let Some((n, tokens)) = get_i64(cx, &inner, "increment = 10")? {
                if n == 0 {
                    cx.error_spanned_by(&tokens, "`increment` cannot be 0");
                } else {
                    increment.set(tokens, n, pos);
                }
            }
        } else {
            unknown_key(cx, IN_IDENTITY, IDENTITY_KEYS, &inner)?;
        }
        Ok(())
    })?;
    Ok(Some((start.get_value(), increment.get_value())))
}

/// An integer literal, possibly negative: `start = 1000`, `increment = -1`.
fn get_i64(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    form: &str,
) -> syn::Result<Option<(i64, TokenStream)>> {
    let Some(expr) = get_expr(cx, meta, form)? else {
        return Ok(None);
    };
    let (negative, operand) = match &expr {
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr: operand,
            ..
        }) => (true, &**operand),
        other => (false, other),
    };
    let Expr::Lit(ExprLit {
        lit: Lit::Int(int), ..
    }) = operand
    else {
        cx.error_spanned_by(&expr, format!("expected an integer literal: `{form}`"));
        return Ok(None);
    };
    match int.base10_parse::<i64>() {
        Ok(n) => Ok(Some((
            if negative { -n } else { n },
            expr.to_token_stream(),
        ))),
        Err(err) => {
            cx.syn_error(err);
            Ok(None)
        }
    }
}

/// An integer literal of at least `min`, for `length`, `precision` and `scale`.
fn get_u32(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    form: &str,
    min: u32,
) -> syn::Result<Option<(u32, LitInt)>> {
    let Some(expr) = get_expr(cx, meta, form)? else {
        return Ok(None);
    };
    let Expr::Lit(ExprLit {
        lit: Lit::Int(int), ..
    }) = &expr
    else {
        cx.error_spanned_by(
            &expr,
            format!("expected an integer literal: `{}`", IN_COLUMN.form(form)),
        );
        return Ok(None);
    };
    let key = meta.path.to_token_stream();
    match int.base10_parse::<u32>() {
        Ok(n) if n < min => cx.error_spanned_by(int, format!("`{key}` must be at least {min}")),
        Ok(n) => return Ok(Some((n, int.clone()))),
        Err(err) => cx.syn_error(err),
    }
    Ok(None)
}

/// `on_delete = "cascade"` and the like, with the string literal it came from.
fn get_action(
    cx: &Ctxt,
    scope: Scope,
    meta: &ParseNestedMeta,
) -> syn::Result<Option<(ForeignKeyAction, LitStr)>> {
    let Some(s) = get_str(cx, scope, meta)? else {
        return Ok(None);
    };
    match ForeignKeyAction::parse(&s.value()) {
        Some(action) => Ok(Some((action, s))),
        None => {
            let key = meta.path.to_token_stream();
            cx.error_spanned_by(
                &s,
                format!(
                    "unknown `{key}` action {:?}; expected one of {}",
                    s.value(),
                    retort_syntax::ACTIONS
                ),
            );
            Ok(None)
        }
    }
}

/// The default as SQL text: a string literal is the SQL expression itself (checked with
/// `parse_expr`); numbers and bools are spelled as SQL spells them.
fn get_default(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<(String, Expr)>> {
    let Some(expr) = get_expr(cx, meta, "default = \"now()\"")? else {
        return Ok(None);
    };
    let sql = match &expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => {
            if let Err(err) = parse_expr(&s.value()) {
                cx.error_spanned_by(s, err);
                return Ok(None);
            }
            Some(s.value())
        }
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

/// Integer, float and bool literals as SQL spells them (string literals are handled above).
fn literal_sql(lit: &Lit) -> Option<String> {
    match lit {
        Lit::Int(i) => Some(i.base10_digits().to_owned()),
        Lit::Float(f) => Some(f.base10_digits().to_owned()),
        Lit::Bool(b) => Some(b.value.to_string()),
        _ => None,
    }
}
