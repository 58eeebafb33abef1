//! Reads a SQLite `CREATE TABLE` statement into the schema model. SQLite keeps a table's
//! definition only as that text (`sqlite_master.sql`), so both reflection (for constraint
//! names, CHECKs and generated columns) and table rebuilds start from it.

use sqlparser::ast::{
    ColumnDef, ColumnOption, ColumnOptionDef, ConstraintCharacteristics, DataType,
    DeferrableInitial, Expr, Ident, ObjectName, ObjectNamePart, Statement, TableConstraint,
};
use sqlparser::dialect::SQLiteDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer};

use crate::ops::Constraint;
use crate::schema::{
    CheckConstraint, Column, EnumType, ForeignKey, ForeignKeyAction, Index, KeyOrder, PrimaryKey,
    SqlType, Table, UniqueConstraint,
};

/// Why a `CREATE TABLE` text could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    #[error("sqlite_master holds SQL retort cannot parse: {0}")]
    Sql(#[from] sqlparser::parser::ParserError),
    #[error("sqlite_master holds a statement that is not a CREATE TABLE")]
    NotCreateTable,
    #[error("sqlite_master holds a statement that is not a CREATE INDEX")]
    NotCreateIndex,
}

/// The table `sql` creates: columns (type, nullability, default, generated expression,
/// collation), primary
/// key, unique constraints, foreign keys and checks, with the names the text gives them.
/// Indexes are separate statements in SQLite and are not part of the result.
pub fn parse_create_table(sql: &str) -> Result<Table, ParseError> {
    let statements = parse_sql(sql)?;
    let Some(Statement::CreateTable(create)) = statements.into_iter().next() else {
        return Err(ParseError::NotCreateTable);
    };
    let mut table = Table::new(last_part(&create.name));
    let mut key: Option<PrimaryKey> = None;
    let mut add = |constraint| match constraint {
        Constraint::PrimaryKey(pk) => key = Some(pk),
        Constraint::Unique(c) => table.unique_constraints.push(c),
        Constraint::ForeignKey(c) => table.foreign_keys.push(c),
        Constraint::Check(c) => table.check_constraints.push(c),
    };
    let mut columns = Vec::new();
    for def in &create.columns {
        let declared = def.data_type.to_string();
        let sql_type = SqlType::parse(&declared).unwrap_or(SqlType::Custom(declared));
        let mut column = Column::new(def.name.value.clone(), sql_type);
        let labels = enum_labels(def);
        if let Some((_, labels)) = &labels {
            column.sql_type = SqlType::Enum(EnumType::new(def.name.value.clone(), labels.clone()));
        }
        for (at, option) in def.options.iter().enumerate() {
            if labels.as_ref().is_some_and(|(check, _)| *check == at) {
                continue;
            }
            match &option.option {
                ColumnOption::NotNull => column.nullable = false,
                ColumnOption::Null => column.nullable = true,
                ColumnOption::Default(expr) => column.default = Some(expr.to_string()),
                ColumnOption::Generated {
                    generation_expr: Some(expr),
                    ..
                } => column.computed = Some(expr.to_string()),
                ColumnOption::Collation(name) => {
                    column.collation = Some(last_part(name));
                }
                _ => {
                    if let Some(constraint) = column_constraint(&def.name.value, option) {
                        add(constraint);
                    }
                }
            }
        }
        columns.push(column);
    }
    for constraint in &create.constraints {
        if let Some(constraint) = table_constraint(constraint) {
            add(constraint);
        }
    }
    table.columns = columns;
    if let Some(key) = key {
        for column in &mut table.columns {
            if key.columns.contains(&column.name) {
                column.nullable = false;
            }
        }
        // A lone INTEGER key is the rowid alias, which SQLite numbers itself.
        if let [only] = key.columns.as_slice() {
            if let Some(column) = table.columns.iter_mut().find(|c| &c.name == only) {
                column.autoincrement = column.sql_type.is_integer();
            }
        }
        table.primary_key = Some(key);
    }
    Ok(table)
}

/// The position and labels of an enum column's CHECK: a TEXT column with one unnamed
/// `CHECK (column IN ('a', 'b'))` of string literals, as retort writes an enum (and as such a
/// column is written by hand).
pub(super) fn enum_labels(def: &ColumnDef) -> Option<(usize, Vec<String>)> {
    if !matches!(
        SqlType::parse(&def.data_type.to_string()),
        Ok(SqlType::Text)
    ) {
        return None;
    }
    let mut found = def.options.iter().enumerate().filter_map(|(at, option)| {
        let ColumnOption::Check(expr) = &option.option else {
            return None;
        };
        let mut expr = expr;
        while let Expr::Nested(inner) = expr {
            expr = inner;
        }
        let Expr::InList {
            expr: tested,
            list,
            negated: false,
        } = expr
        else {
            return None;
        };
        let Expr::Identifier(ident) = tested.as_ref() else {
            return None;
        };
        if option.name.is_some() || !ident.value.eq_ignore_ascii_case(&def.name.value) {
            return None;
        }
        let labels = list
            .iter()
            .map(|item| match item {
                Expr::Value(v) => match &v.value {
                    sqlparser::ast::Value::SingleQuotedString(s) => Some(s.clone()),
                    _ => None,
                },
                _ => None,
            })
            .collect::<Option<Vec<String>>>()?;
        Some((at, labels))
    });
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// The index `sql` creates (a `CREATE INDEX` as `sqlite_master` keeps it): its keys, column
/// names or parenthesised expressions, with their `DESC`, its uniqueness and its `WHERE`.
pub fn parse_create_index(sql: &str) -> Result<Index, ParseError> {
    let statements = parse_sql(sql)?;
    let Some(Statement::CreateIndex(create)) = statements.into_iter().next() else {
        return Err(ParseError::NotCreateIndex);
    };
    let name = create.name.as_ref().map(last_part).unwrap_or_default();
    let mut index = Index::new(name, Vec::<String>::new());
    index.unique = create.unique;
    for key in &create.columns {
        let mut expr = &key.column.expr;
        while let Expr::Nested(inner) = expr {
            expr = inner;
        }
        let part = match expr {
            Expr::Identifier(ident) => ident.value.clone(),
            expr => format!("({expr})"),
        };
        if key.column.options.asc == Some(false) {
            index.order.insert(part.clone(), KeyOrder::DESC);
        }
        index.columns.push(part);
    }
    index.predicate = create.predicate.as_ref().map(ToString::to_string);
    Ok(index)
}

/// Parses SQLite DDL as sqlparser does, and also reads the type names SQLite allows and
/// sqlparser does not: any run of words (`BLOB SUB_TYPE TEXT` in the Sakila sample, `UNSIGNED
/// BIG INT`; <https://www.sqlite.org/datatype3.html#affinity_name_examples>). Such a name
/// comes back as one custom type spelled as written, so printing the statement writes it
/// unchanged. Where the masked text does not parse either, the first error is the one to show.
pub(crate) fn parse_sql(sql: &str) -> Result<Vec<Statement>, ParserError> {
    let error = match Parser::parse_sql(&SQLiteDialect {}, sql) {
        Ok(statements) => return Ok(statements),
        Err(error) => error,
    };
    let Some((masked, names)) = mask_type_names(sql) else {
        return Err(error);
    };
    let mut statements = Parser::parse_sql(&SQLiteDialect {}, &masked).map_err(|_| error)?;
    for statement in &mut statements {
        let Statement::CreateTable(create) = statement else {
            continue;
        };
        for column in &mut create.columns {
            let DataType::Custom(name, modifiers) = &column.data_type else {
                continue;
            };
            let written = match name.0.as_slice() {
                [ObjectNamePart::Identifier(ident)] if ident.quote_style.is_none() => ident
                    .value
                    .strip_prefix(TYPE_PLACEHOLDER)
                    .and_then(|n| n.parse::<usize>().ok())
                    .and_then(|n| names.get(n)),
                _ => None,
            };
            if let Some(written) = written {
                column.data_type = DataType::Custom(
                    ObjectName::from(vec![Ident::new(written.clone())]),
                    modifiers.clone(),
                );
            }
        }
    }
    Ok(statements)
}

/// What stands in for a type name of several words while sqlparser reads the statement.
const TYPE_PLACEHOLDER: &str = "retort_declared_type_";

/// Words that begin a table constraint rather than a column.
const TABLE_CONSTRAINT_START: [&str; 5] = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"];

/// `sql` with each column type name of two or more words replaced by a one-word placeholder
/// (its length arguments kept), and the names as written, in placeholder order; `None` when
/// there is none.
fn mask_type_names(sql: &str) -> Option<(String, Vec<String>)> {
    let tokens = Tokenizer::new(&SQLiteDialect {}, sql)
        .tokenize_with_location()
        .ok()?;
    let significant: Vec<&TokenWithSpan> = tokens
        .iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_)))
        .collect();
    let word = |t: &TokenWithSpan| match &t.token {
        Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
        _ => None,
    };
    // The column list: the first parenthesis, which in a CREATE TABLE opens it.
    let open = significant.iter().position(|t| t.token == Token::LParen)?;
    let mut spans = Vec::new();
    let mut depth = 0usize;
    let mut segment_start = true;
    let mut i = open + 1;
    while i < significant.len() {
        match significant[i].token {
            Token::LParen => depth += 1,
            Token::RParen if depth == 0 => break,
            Token::RParen => depth -= 1,
            Token::Comma if depth == 0 => {
                segment_start = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        if segment_start && depth == 0 {
            segment_start = false;
            let starts_constraint =
                word(significant[i]).is_some_and(|w| TABLE_CONSTRAINT_START.contains(&w.as_str()));
            if !starts_constraint {
                // significant[i] is the column's name; its type's words follow.
                let first = i + 1;
                let mut last = first;
                while significant
                    .get(last)
                    .and_then(|t| word(t))
                    .is_some_and(|w| !retort_syntax::CONSTRAINT_WORDS.contains(&w.as_str()))
                {
                    last += 1;
                }
                if last - first >= 2 {
                    spans.push((
                        significant[first].span.start,
                        significant[last - 1].span.end,
                    ));
                }
                i = last;
                continue;
            }
        }
        i += 1;
    }
    if spans.is_empty() {
        return None;
    }
    let offset = line_offsets(sql);
    let mut masked = String::with_capacity(sql.len());
    let mut names = Vec::with_capacity(spans.len());
    let mut copied = 0;
    for (n, (start, end)) in spans.into_iter().enumerate() {
        let (start, end) = (offset(start)?, offset(end)?);
        masked.push_str(&sql[copied..start]);
        masked.push_str(&format!("{TYPE_PLACEHOLDER}{n}"));
        names.push(sql[start..end].to_owned());
        copied = end;
    }
    masked.push_str(&sql[copied..]);
    Some((masked, names))
}

/// The byte offset in `sql` of a tokenizer location (1-based line and character column).
fn line_offsets(sql: &str) -> impl Fn(Location) -> Option<usize> + '_ {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(sql.match_indices('\n').map(|(at, _)| at + 1))
        .collect();
    move |location: Location| {
        let line_start = *starts.get(usize::try_from(location.line).ok()?.checked_sub(1)?)?;
        let column = usize::try_from(location.column).ok()?.checked_sub(1)?;
        let line = &sql[line_start..];
        let within = line
            .char_indices()
            .map(|(at, _)| at)
            .chain(std::iter::once(line.len()))
            .nth(column)?;
        Some(line_start + within)
    }
}

/// The constraint a column-level option declares on `column`, if it is one.
pub(super) fn column_constraint(column: &str, option: &ColumnOptionDef) -> Option<Constraint> {
    let name = option.name.as_ref().map(|n| n.value.clone());
    let here = || vec![column.to_owned()];
    Some(match &option.option {
        ColumnOption::Unique {
            is_primary: true, ..
        } => Constraint::PrimaryKey(PrimaryKey {
            name,
            columns: here(),
        }),
        ColumnOption::Unique {
            is_primary: false, ..
        } => Constraint::Unique(UniqueConstraint {
            name,
            columns: here(),
        }),
        ColumnOption::ForeignKey {
            foreign_table,
            referred_columns,
            on_delete,
            on_update,
            characteristics,
        } => Constraint::ForeignKey(deferral(
            ForeignKey {
                name,
                referred_schema: None,
                on_delete: action(on_delete.as_ref()),
                on_update: action(on_update.as_ref()),
                ..ForeignKey::new(here(), last_part(foreign_table), idents(referred_columns))
            },
            characteristics.as_ref(),
        )),
        ColumnOption::Check(expr) => Constraint::Check(CheckConstraint {
            name,
            ..CheckConstraint::new(expr.to_string())
        }),
        _ => return None,
    })
}

/// The constraint a table-level constraint clause declares, if SQLite has that kind.
pub(super) fn table_constraint(constraint: &TableConstraint) -> Option<Constraint> {
    let text = |name: &Option<Ident>| name.as_ref().map(|n| n.value.clone());
    Some(match constraint {
        TableConstraint::PrimaryKey { name, columns, .. } => Constraint::PrimaryKey(PrimaryKey {
            name: text(name),
            columns: columns
                .iter()
                .map(|c| column_name(&c.column.expr))
                .collect(),
        }),
        TableConstraint::Unique { name, columns, .. } => Constraint::Unique(UniqueConstraint {
            name: text(name),
            columns: columns
                .iter()
                .map(|c| column_name(&c.column.expr))
                .collect(),
        }),
        TableConstraint::ForeignKey {
            name,
            columns,
            foreign_table,
            referred_columns,
            on_delete,
            on_update,
            characteristics,
            ..
        } => Constraint::ForeignKey(deferral(
            ForeignKey {
                name: text(name),
                on_delete: action(on_delete.as_ref()),
                on_update: action(on_update.as_ref()),
                ..ForeignKey::new(
                    idents(columns),
                    last_part(foreign_table),
                    idents(referred_columns),
                )
            },
            characteristics.as_ref(),
        )),
        TableConstraint::Check { name, expr, .. } => Constraint::Check(CheckConstraint {
            name: text(name),
            ..CheckConstraint::new(expr.to_string())
        }),
        _ => return None,
    })
}

/// A key's `DEFERRABLE [INITIALLY DEFERRED]`.
fn deferral(mut fk: ForeignKey, characteristics: Option<&ConstraintCharacteristics>) -> ForeignKey {
    if let Some(c) = characteristics {
        fk.deferrable = c.deferrable == Some(true);
        fk.initially_deferred = fk.deferrable && c.initially == Some(DeferrableInitial::Deferred);
    }
    fk
}

pub(super) fn last_part(name: &ObjectName) -> String {
    match name.0.last() {
        Some(sqlparser::ast::ObjectNamePart::Identifier(ident)) => ident.value.clone(),
        _ => name.to_string(),
    }
}

fn idents(idents: &[Ident]) -> Vec<String> {
    idents.iter().map(|i| i.value.clone()).collect()
}

fn column_name(expr: &Expr) -> String {
    match expr {
        Expr::Identifier(ident) => ident.value.clone(),
        other => other.to_string(),
    }
}

/// `NO ACTION` is the default: the model's `None`.
fn action(action: Option<&sqlparser::ast::ReferentialAction>) -> Option<ForeignKeyAction> {
    action
        .and_then(|a| ForeignKeyAction::parse(&a.to_string()))
        .filter(|a| *a != ForeignKeyAction::NoAction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_columns_and_every_constraint() {
        let table = parse_create_table(
            "CREATE TABLE \"posts\" (
                id integer primary key,
                author_id bigint not null constraint fk_a references users (id) on delete cascade,
                slug varchar(80) not null default 'x' constraint uq_slug unique,
                score int check (score >= 0),
                doubled int generated always as (score * 2) stored,
                CONSTRAINT ck_named CHECK (length(slug) > 0),
                FOREIGN KEY (score) REFERENCES scores (id)
            )",
        )
        .expect("parses");
        assert_eq!(table.name, "posts");
        let id = table.column("id").expect("id");
        assert!(table.in_primary_key("id") && id.autoincrement && !id.nullable);
        let slug = table.column("slug").expect("slug");
        assert_eq!(slug.sql_type, SqlType::Varchar(80));
        assert_eq!(slug.default.as_deref(), Some("'x'"));
        assert!(!slug.nullable);
        assert_eq!(
            table
                .column("doubled")
                .and_then(|c| c.computed.clone())
                .as_deref(),
            Some("score * 2")
        );
        assert_eq!(table.unique_constraints[0].name.as_deref(), Some("uq_slug"));
        assert_eq!(table.foreign_keys.len(), 2);
        assert_eq!(
            table.foreign_keys[0].on_delete,
            Some(ForeignKeyAction::Cascade)
        );
        assert_eq!(table.foreign_keys[1].name, None);
        let checks: Vec<_> = table
            .check_constraints
            .iter()
            .map(|c| (c.name.clone(), c.expr.clone()))
            .collect();
        assert_eq!(
            checks,
            [
                (None, "score >= 0".to_owned()),
                (Some("ck_named".into()), "length(slug) > 0".to_owned())
            ]
        );
    }

    #[test]
    fn what_retort_writes_reads_back_the_same() {
        use crate::ddl::{DdlImpl, SqliteImpl};
        let table = Table::with_columns(
            "users",
            [
                Column::new("id", SqlType::BigInt)
                    .primary_key()
                    .autoincrement(),
                Column::new("email", SqlType::Varchar(255)).not_null(),
                Column::new("score", SqlType::Integer)
                    .not_null()
                    .default("0"),
            ],
        )
        .unique(UniqueConstraint::new(["email"]).named("uq_users_email"))
        .check(CheckConstraint::new("score >= 0").named("ck_users_score"));
        let sql = SqliteImpl.create_table(&table).expect("renders").remove(0);
        let back = parse_create_table(&sql).expect("parses");
        assert_eq!(back.unique_constraints, table.unique_constraints);
        assert_eq!(back.check_constraints, table.check_constraints);
        assert_eq!(back.column("score"), table.column("score"));
        assert_eq!(
            back.primary_key.map(|pk| pk.columns),
            Some(vec!["id".to_owned()])
        );
    }

    #[test]
    fn reads_type_names_of_several_words_as_written() {
        // Sakila's SQLite edition: sqlparser alone stops at SUB_TYPE.
        let sql = "CREATE TABLE film (
            film_id INTEGER NOT NULL,
            description BLOB SUB_TYPE TEXT DEFAULT NULL,
            n UNSIGNED  BIG INT,
            title VARYING CHARACTER(255) NOT NULL,
            CONSTRAINT ck_n CHECK (n > 0),
            PRIMARY KEY (film_id)
        )";
        assert!(Parser::parse_sql(&SQLiteDialect {}, sql).is_err());
        let table = parse_create_table(sql).expect("parses");
        let types: Vec<String> = table
            .columns
            .iter()
            .map(|c| c.sql_type.to_string())
            .collect();
        assert_eq!(
            types,
            [
                "INTEGER",
                "BLOB SUB_TYPE TEXT",
                "UNSIGNED  BIG INT",
                "VARYING CHARACTER(255)"
            ]
        );
        assert_eq!(table.check_constraints[0].name.as_deref(), Some("ck_n"));
        let description = table.column("description").expect("description");
        assert_eq!(description.default.as_deref(), Some("NULL"));
        // An error in the statement itself is still reported as sqlparser reads the original.
        let broken = "CREATE TABLE t (a BLOB SUB_TYPE TEXT DEFAULT)";
        assert!(parse_sql(broken).is_err());
    }
}
