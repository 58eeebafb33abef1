//! Reads a SQLite `CREATE TABLE` statement into the schema model. SQLite keeps a table's
//! definition only as that text (`sqlite_master.sql`), so both reflection (for constraint
//! names, CHECKs and generated columns) and table rebuilds start from it.

use sqlparser::ast::{
    ColumnOption, ColumnOptionDef, Expr, Ident, ObjectName, Statement, TableConstraint,
};
use sqlparser::dialect::SQLiteDialect;
use sqlparser::parser::Parser;

use crate::ops::Constraint;
use crate::schema::{
    CheckConstraint, Column, ForeignKey, ForeignKeyAction, PrimaryKey, SqlType, Table,
    UniqueConstraint,
};

/// Why a `CREATE TABLE` text could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    #[error("sqlite_master holds SQL retort cannot parse: {0}")]
    Sql(#[from] sqlparser::parser::ParserError),
    #[error("sqlite_master holds a statement that is not a CREATE TABLE")]
    NotCreateTable,
}

/// The table `sql` creates: columns (type, nullability, default, generated expression), primary
/// key, unique constraints, foreign keys and checks, with the names the text gives them.
/// Indexes are separate statements in SQLite and are not part of the result.
pub fn parse_create_table(sql: &str) -> Result<Table, ParseError> {
    let statements = Parser::parse_sql(&SQLiteDialect {}, sql)?;
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
        for option in &def.options {
            match &option.option {
                ColumnOption::NotNull => column.nullable = false,
                ColumnOption::Null => column.nullable = true,
                ColumnOption::Default(expr) => column.default = Some(expr.to_string()),
                ColumnOption::Generated {
                    generation_expr: Some(expr),
                    ..
                } => column.computed = Some(expr.to_string()),
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
            ..
        } => Constraint::ForeignKey(ForeignKey {
            name,
            columns: here(),
            referred_schema: None,
            referred_table: last_part(foreign_table),
            referred_columns: idents(referred_columns),
            on_delete: action(on_delete.as_ref()),
            on_update: action(on_update.as_ref()),
        }),
        ColumnOption::Check(expr) => Constraint::Check(CheckConstraint {
            name,
            expr: expr.to_string(),
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
            ..
        } => Constraint::ForeignKey(ForeignKey {
            name: text(name),
            columns: idents(columns),
            referred_schema: None,
            referred_table: last_part(foreign_table),
            referred_columns: idents(referred_columns),
            on_delete: action(on_delete.as_ref()),
            on_update: action(on_update.as_ref()),
        }),
        TableConstraint::Check { name, expr, .. } => Constraint::Check(CheckConstraint {
            name: text(name),
            expr: expr.to_string(),
        }),
        _ => return None,
    })
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
}
