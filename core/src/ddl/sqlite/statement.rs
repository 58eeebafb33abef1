//! A table's own `CREATE TABLE` statement, edited for a rebuild. Rather than writing the table
//! anew from the schema model (which holds no `STRICT`, `COLLATE`, `ON CONFLICT`, ...), the
//! statement `sqlite_master` keeps is parsed into sqlparser's AST, only what the op changes is
//! edited, and the AST is printed back. [`TableStatement::parse`] refuses a statement that
//! sqlparser cannot read, or cannot print back to the same AST, before anything runs.

use sqlparser::ast::{
    ColumnDef, ColumnOption, ColumnOptionDef, CreateTable, Ident, ObjectName, Statement,
    TableConstraint,
};
use sqlparser::dialect::SQLiteDialect;
use sqlparser::parser::ParserError;
use sqlparser::tokenizer::{Token, Tokenizer};

use super::enum_column_type;
use super::parse::{column_constraint, enum_labels, parse_sql, table_constraint};
use super::SqliteImpl;
use crate::ddl::{unsupported, DdlImpl, Dialect};
use crate::error::{Error, Result};
use crate::ops::{AlterColumn, Constraint, ConstraintKind, Op};
use crate::schema::SqlType;

/// What to do when a table cannot be rebuilt automatically.
const BY_HAND: &str = "nothing was changed; write this rebuild by hand in the migration with \
     op.execute, following https://www.sqlite.org/lang_altertable.html#otheralter";

/// The parsed `CREATE TABLE` of the table being rebuilt.
#[derive(Debug)]
pub(super) struct TableStatement {
    create: CreateTable,
    /// The table's name as `sqlite_master` holds it, for messages.
    table: String,
}

impl TableStatement {
    /// Reads `sql`, the `CREATE TABLE` of `table`, for `op`. Refuses what would not come back
    /// unchanged: SQL sqlparser does not read, or prints differently from what it read.
    pub(super) fn parse(sql: &str, table: &str, op: &Op) -> Result<TableStatement> {
        let refuse = |feature: String| refuse(table, op, &feature);
        let create = match parse_sql(sql) {
            Ok(mut statements) if statements.len() == 1 => match statements.remove(0) {
                Statement::CreateTable(create) => create,
                _ => {
                    return Err(refuse(
                        "it is not a plain CREATE TABLE (a virtual table?)".into(),
                    ))
                }
            },
            Ok(_) => return Err(refuse("sqlite_master holds more than one statement".into())),
            Err(e) => {
                let feature = unreadable_feature(sql).map_or_else(
                    || format!("its CREATE TABLE uses SQL retort cannot read ({e})"),
                    |f| format!("its CREATE TABLE uses {f}, which retort cannot read ({e})"),
                );
                return Err(refuse(feature));
            }
        };
        if create.query.is_some() || create.like.is_some() || create.clone.is_some() {
            return Err(refuse("it is created from another table or a query".into()));
        }
        let printed = create.to_string();
        let again = parse_sql(&printed);
        if !matches!(again.as_deref(), Ok([Statement::CreateTable(back)]) if *back == create) {
            return Err(refuse(format!(
                "retort cannot print its CREATE TABLE back unchanged (it prints `{printed}`)"
            )));
        }
        Ok(TableStatement {
            create,
            table: table.to_owned(),
        })
    }

    /// Makes `op`'s change, and only it, to the statement.
    pub(super) fn apply(&mut self, ddl: &SqliteImpl, op: &Op) -> Result<()> {
        match op {
            Op::AlterColumn(alter) => self.alter_column(alter, op),
            Op::AddConstraint(add) => self.add_constraint(ddl, &add.constraint, op),
            Op::DropConstraint(drop) => {
                self.drop_constraint(&drop.name, drop.constraint.as_ref(), drop.kind())
            }
            Op::CreateTable(_)
            | Op::DropTable(_)
            | Op::AddColumn(_)
            | Op::DropColumn(_)
            | Op::CreateIndex(_)
            | Op::DropIndex(_)
            | Op::RenameTable(_)
            | Op::RenameColumn(_)
            | Op::TableComment(_)
            | Op::AlterTableStorage(_)
            | Op::CreateEnum(_)
            | Op::DropEnum(_)
            | Op::AlterEnum(_)
            | Op::CreateDomain(_)
            | Op::DropDomain(_)
            | Op::AlterDomain(_)
            | Op::Execute(_)
            | Op::BulkInsert(_) => Err(unsupported(
                Dialect::Sqlite,
                &format!("rebuild a table for {op}"),
                "this op runs without a rebuild",
            )),
        }
    }

    /// The statement, creating the table under `name`.
    pub(super) fn create_sql(&self, name: &str) -> String {
        let mut create = self.create.clone();
        create.name = ObjectName::from(vec![Ident::with_quote('"', name)]);
        create.if_not_exists = false;
        create.to_string()
    }

    /// The columns that hold values (not generated), which a rebuild copies.
    pub(super) fn stored_columns(&self) -> Vec<String> {
        self.create
            .columns
            .iter()
            .filter(|c| !c.options.iter().any(|o| is_generated(&o.option)))
            .map(|c| c.name.value.clone())
            .collect()
    }

    /// Whether the table numbers its key with `AUTOINCREMENT`, keeping a `sqlite_sequence` row.
    pub(super) fn autoincrement(&self) -> bool {
        self.create
            .columns
            .iter()
            .flat_map(|c| &c.options)
            .any(|o| is_keyword(&o.option, "AUTOINCREMENT"))
    }

    fn alter_column(&mut self, alter: &AlterColumn, op: &Op) -> Result<()> {
        let rowid_alias = self.rowid_alias();
        let name = &alter.existing.name;
        let Some(column) = self
            .create
            .columns
            .iter_mut()
            .find(|c| c.name.value.eq_ignore_ascii_case(name))
        else {
            return Err(missing(&self.table, &format!("column `{name}`")));
        };
        let table = &self.table;
        if let Some(change) = &alter.sql_type {
            // An enum's labels are its column's CHECK: the old one goes with the old type.
            if let Some((at, _)) = enum_labels(column) {
                remove_option_at(column, at);
            }
            // An INTEGER key is the rowid alias; another integer spelling would stop it being one.
            let is_alias = rowid_alias.as_deref() == Some(column.name.value.as_str());
            let text = match &change.to {
                SqlType::Enum(e) => enum_column_type(&SqliteImpl, &column.name.value, e),
                SqlType::Domain(domain) => domain.base.to_string(),
                to if is_alias && to.is_integer() => "INTEGER".to_owned(),
                to => to.to_string(),
            };
            let parsed = scratch_column(&text)
                .ok()
                .filter(|c| c.options.len() == usize::from(matches!(change.to, SqlType::Enum(_))))
                .ok_or_else(|| {
                    refuse(table, op, &format!("the new type `{text}` does not parse"))
                })?;
            column.data_type = parsed.data_type;
            column.options.extend(parsed.options);
        }
        if let Some(change) = &alter.nullable {
            remove_options(column, |o| {
                matches!(o, ColumnOption::NotNull | ColumnOption::Null)
            });
            if !change.to {
                column.options.push(option(ColumnOption::NotNull));
            }
        }
        if let Some(change) = &alter.default {
            match &change.to {
                Some(default) => {
                    let expr = scratch_column(&format!("DEFAULT {default}"))
                        .ok()
                        .and_then(|mut c| match c.options.pop().map(|o| o.option) {
                            Some(ColumnOption::Default(expr)) if c.options.is_empty() => Some(expr),
                            _ => None,
                        })
                        .ok_or_else(|| {
                            refuse(
                                table,
                                op,
                                &format!("the new default `{default}` does not parse"),
                            )
                        })?;
                    let existing = column
                        .options
                        .iter_mut()
                        .find(|o| matches!(o.option, ColumnOption::Default(_)));
                    match existing {
                        Some(o) => o.option = ColumnOption::Default(expr),
                        None => column.options.push(option(ColumnOption::Default(expr))),
                    }
                }
                None => remove_options(column, |o| matches!(o, ColumnOption::Default(_))),
            }
        }
        if let Some(change) = &alter.collation {
            remove_options(column, |o| matches!(o, ColumnOption::Collation(_)));
            if let Some(collation) = &change.to {
                let name = ObjectName::from(vec![Ident::new(collation.clone())]);
                column.options.push(option(ColumnOption::Collation(name)));
            }
        }
        // SQLite keeps no comments: a comment change changes nothing here.
        Ok(())
    }

    fn add_constraint(&mut self, ddl: &SqliteImpl, constraint: &Constraint, op: &Op) -> Result<()> {
        if matches!(constraint, Constraint::PrimaryKey(_)) && self.has_primary_key() {
            return Err(unsupported(
                Dialect::Sqlite,
                &format!("add a primary key to table `{}`, which has one", self.table),
                "drop the old key first, in the same revision",
            ));
        }
        let sql = format!("CREATE TABLE t (c, {})", ddl.constraint_sql(constraint));
        let parsed = match parse_sql(&sql).map(|mut s| s.pop()) {
            Ok(Some(Statement::CreateTable(mut create))) if create.constraints.len() == 1 => {
                create.constraints.remove(0)
            }
            _ => {
                return Err(refuse(
                    &self.table,
                    op,
                    &format!("the new constraint `{sql}` does not parse"),
                ))
            }
        };
        self.create.constraints.push(parsed);
        Ok(())
    }

    /// Drops the constraint `name`, or (when the table gave it no name) the one `constraint`
    /// describes, whether declared on its column or on the table.
    fn drop_constraint(
        &mut self,
        name: &str,
        constraint: Option<&Constraint>,
        kind: Option<ConstraintKind>,
    ) -> Result<()> {
        let named = |n: &Option<Ident>| {
            !name.is_empty()
                && n.as_ref()
                    .is_some_and(|n| n.value.eq_ignore_ascii_case(name))
        };
        if let Some(at) = self
            .create
            .constraints
            .iter()
            .position(|c| named(constraint_name(c)))
        {
            self.create.constraints.remove(at);
            return Ok(());
        }
        for column in &mut self.create.columns {
            if let Some(at) = column.options.iter().position(|o| named(&o.name)) {
                remove_option_at(column, at);
                return Ok(());
            }
        }
        let Some(wanted) = constraint else {
            // A table has one primary key: `.kind(ConstraintKind::PrimaryKey)` is enough to find
            // it when the DDL gave it no name (a rendered file's drop of a reflected key).
            if kind == Some(ConstraintKind::PrimaryKey) {
                return self.drop_primary_key(name);
            }
            return Err(missing(&self.table, &format!("constraint `{name}`")));
        };
        // Unnamed ones (SQLite keeps no name unless the DDL gives one) match by definition.
        if let Some(at) = self.create.constraints.iter().position(|c| {
            constraint_name(c).is_none() && table_constraint(c).is_some_and(|c| same(&c, wanted))
        }) {
            self.create.constraints.remove(at);
            return Ok(());
        }
        for column in &mut self.create.columns {
            let found = column.options.iter().position(|o| {
                o.name.is_none()
                    && column_constraint(&column.name.value, o).is_some_and(|c| same(&c, wanted))
            });
            if let Some(at) = found {
                remove_option_at(column, at);
                return Ok(());
            }
        }
        Err(missing(
            &self.table,
            &format!("constraint `{name}` ({})", wanted.kind()),
        ))
    }

    /// Drops the table's primary key, wherever it is declared.
    fn drop_primary_key(&mut self, name: &str) -> Result<()> {
        if let Some(at) = self
            .create
            .constraints
            .iter()
            .position(|c| matches!(c, TableConstraint::PrimaryKey { .. }))
        {
            self.create.constraints.remove(at);
            return Ok(());
        }
        for column in &mut self.create.columns {
            if let Some(at) = column.options.iter().position(|o| is_primary(&o.option)) {
                remove_option_at(column, at);
                return Ok(());
            }
        }
        Err(missing(&self.table, &format!("primary key `{name}`")))
    }

    fn has_primary_key(&self) -> bool {
        self.create
            .constraints
            .iter()
            .any(|c| matches!(c, TableConstraint::PrimaryKey { .. }))
            || self
                .create
                .columns
                .iter()
                .any(|c| c.options.iter().any(|o| is_primary(&o.option)))
    }

    /// The column that is the rowid alias: the lone key column, declared exactly `INTEGER`
    /// (<https://www.sqlite.org/lang_createtable.html#rowid>).
    fn rowid_alias(&self) -> Option<String> {
        if self.create.without_rowid {
            return None;
        }
        let mut keys: Vec<String> = self
            .create
            .columns
            .iter()
            .filter(|c| c.options.iter().any(|o| is_primary(&o.option)))
            .map(|c| c.name.value.clone())
            .collect();
        for constraint in &self.create.constraints {
            if let Some(Constraint::PrimaryKey(pk)) = table_constraint(constraint) {
                keys.extend(pk.columns);
            }
        }
        let [only] = keys.as_slice() else {
            return None;
        };
        self.create
            .columns
            .iter()
            .find(|c| c.name.value.eq_ignore_ascii_case(only))
            .filter(|c| c.data_type.to_string().eq_ignore_ascii_case("INTEGER"))
            .map(|c| c.name.value.clone())
    }
}

fn option(option: ColumnOption) -> ColumnOptionDef {
    ColumnOptionDef { name: None, option }
}

fn is_primary(option: &ColumnOption) -> bool {
    matches!(
        option,
        ColumnOption::Unique {
            is_primary: true,
            ..
        }
    )
}

fn is_generated(option: &ColumnOption) -> bool {
    matches!(
        option,
        ColumnOption::Generated {
            generation_expr: Some(_),
            ..
        }
    )
}

/// `ASC`, `DESC` or `AUTOINCREMENT`, which sqlparser keeps as loose keywords after a key.
fn is_keyword(option: &ColumnOption, word: &str) -> bool {
    match option {
        ColumnOption::DialectSpecific(tokens) => tokens
            .iter()
            .any(|t| t.to_string().eq_ignore_ascii_case(word)),
        _ => false,
    }
}

/// Removes the options `matches` picks, each with the clauses that belong to it.
fn remove_options(column: &mut ColumnDef, matches: impl Fn(&ColumnOption) -> bool) {
    while let Some(at) = column.options.iter().position(|o| matches(&o.option)) {
        remove_option_at(column, at);
    }
}

/// Removes the option at `at` and what sqlparser keeps as separate options but belongs to it:
/// its `ON CONFLICT` clause and, after `PRIMARY KEY`, `ASC`/`DESC`/`AUTOINCREMENT`.
fn remove_option_at(column: &mut ColumnDef, at: usize) {
    let removed = column.options.remove(at);
    while let Some(next) = column.options.get(at) {
        let belongs = match &next.option {
            ColumnOption::OnConflict(_) => next.name.is_none(),
            ColumnOption::DialectSpecific(_) => is_primary(&removed.option),
            _ => false,
        };
        if !belongs {
            break;
        }
        column.options.remove(at);
    }
}

fn constraint_name(constraint: &TableConstraint) -> &Option<Ident> {
    static NONE: Option<Ident> = None;
    match constraint {
        TableConstraint::Unique { name, .. }
        | TableConstraint::PrimaryKey { name, .. }
        | TableConstraint::ForeignKey { name, .. }
        | TableConstraint::Check { name, .. } => name,
        _ => &NONE,
    }
}

/// Whether a constraint of the statement is the one an op describes, names aside.
fn same(found: &Constraint, wanted: &Constraint) -> bool {
    let same_columns = |a: &[String], b: &[String]| {
        a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.eq_ignore_ascii_case(b))
    };
    let squeeze = |s: &str| s.split_whitespace().collect::<String>().to_lowercase();
    match (found, wanted) {
        (Constraint::PrimaryKey(_), Constraint::PrimaryKey(_)) => true,
        (Constraint::Unique(a), Constraint::Unique(b)) => same_columns(&a.columns, &b.columns),
        (Constraint::ForeignKey(a), Constraint::ForeignKey(b)) => {
            same_columns(&a.columns, &b.columns)
                && a.referred_table.eq_ignore_ascii_case(&b.referred_table)
        }
        (Constraint::Check(a), Constraint::Check(b)) => squeeze(&a.expr) == squeeze(&b.expr),
        _ => false,
    }
}

/// The column of `CREATE TABLE t (c <fragment>)`: how a type or a default given as text
/// becomes AST.
fn scratch_column(fragment: &str) -> Result<ColumnDef, ParserError> {
    let sql = format!("CREATE TABLE t (c {fragment})");
    match parse_sql(&sql)?.pop() {
        Some(Statement::CreateTable(mut create)) if create.columns.len() == 1 => {
            Ok(create.columns.remove(0))
        }
        _ => Err(ParserError::ParserError(format!(
            "`{fragment}` is not a column definition"
        ))),
    }
}

/// Names what SQLite accepts in a `CREATE TABLE` and sqlparser does not read, for the message.
fn unreadable_feature(sql: &str) -> Option<&'static str> {
    let tokens = Tokenizer::new(&SQLiteDialect {}, sql).tokenize().ok()?;
    let words: Vec<String> = tokens
        .iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .map(|t| match t {
            Token::Word(w) if w.quote_style.is_none() => w.value.to_uppercase(),
            other => other.to_string(),
        })
        .collect();
    let has = |sequence: &[&str]| words.windows(sequence.len()).any(|w| w == sequence);
    let after_close = words
        .iter()
        .rposition(|w| w == ")")
        .map_or(&[][..], |at| &words[at..]);
    if after_close.iter().any(|w| w == ",") {
        return Some("more than one table option (`WITHOUT ROWID, STRICT`)");
    }
    if has(&[")", "ON", "CONFLICT"]) {
        return Some("ON CONFLICT on a table constraint");
    }
    if has(&["NOT", "DEFERRABLE"]) {
        return Some("NOT DEFERRABLE");
    }
    if words.iter().any(|w| w == "MATCH") {
        return Some("MATCH in a foreign key");
    }
    if words.iter().any(|w| w == "GLOB") {
        return Some("the GLOB operator");
    }
    None
}

fn refuse(table: &str, op: &Op, feature: &str) -> Error {
    unsupported(
        Dialect::Sqlite,
        &format!("rebuild table `{table}` for {op}: {feature}"),
        BY_HAND,
    )
}

fn missing(table: &str, what: &str) -> Error {
    unsupported(
        Dialect::Sqlite,
        &format!("find {what} in table `{table}`"),
        "check the migration against the current schema",
    )
}

#[cfg(test)]
mod tests;
