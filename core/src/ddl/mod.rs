//! DDL per dialect (Alembic's `DefaultImpl` and its subclasses).
//!
//! [`DdlImpl`] turns an [`Op`] into SQL statements. Its default methods write generic SQL;
//! each dialect file overrides only what its database does differently, with a doc line naming
//! the difference. Code outside `ddl/` and `reflect/` asks capability methods
//! (`transactional_ddl`, ...) rather than testing the dialect.

mod sqlite;

use std::fmt;

use crate::ops::Op;
use crate::schema::{Column, Index, QualifiedName, SqlType, Table};

pub use sqlite::SqliteImpl;

/// The SQL dialects retort speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dialect {
    Sqlite,
    Postgres,
    Mysql,
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgresql",
            Dialect::Mysql => "mysql",
        })
    }
}

/// The DDL implementation of a dialect, or `None` where this build has none yet.
pub fn ddl_impl(dialect: Dialect) -> Option<&'static dyn DdlImpl> {
    match dialect {
        Dialect::Sqlite => Some(&SqliteImpl),
        Dialect::Postgres | Dialect::Mysql => None,
    }
}

/// How a dialect writes DDL. Default methods produce generic SQL.
pub trait DdlImpl: Sync {
    fn dialect(&self) -> Dialect;

    /// Whether DDL runs inside a transaction that can be rolled back.
    fn transactional_ddl(&self) -> bool {
        true
    }

    /// Quotes an identifier (always, so reserved words and mixed case survive).
    fn quote(&self, ident: &str) -> String {
        format!("\"{}\"", ident.replace('"', "\"\""))
    }

    /// A string literal.
    fn literal(&self, value: &str) -> String {
        format!("'{}'", value.replace('\'', "''"))
    }

    fn table_name(&self, name: &QualifiedName) -> String {
        match &name.schema {
            Some(schema) => format!("{}.{}", self.quote(schema), self.quote(&name.name)),
            None => self.quote(&name.name),
        }
    }

    fn type_sql(&self, sql_type: &SqlType, _column: &Column) -> String {
        sql_type.to_string()
    }

    /// `"name" TYPE [NOT NULL] [DEFAULT expr]`, as in CREATE TABLE and ADD COLUMN.
    fn column_sql(&self, column: &Column) -> String {
        let mut sql = format!(
            "{} {}",
            self.quote(&column.name),
            self.type_sql(&column.sql_type, column)
        );
        if !column.nullable {
            sql.push_str(" NOT NULL");
        }
        if let Some(default) = &column.default {
            sql.push_str(" DEFAULT ");
            sql.push_str(default);
        }
        sql
    }

    fn quoted_list(&self, names: &[String]) -> String {
        names
            .iter()
            .map(|n| self.quote(n))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn create_table(&self, table: &Table) -> Vec<String> {
        let mut parts: Vec<String> = table.columns.iter().map(|c| self.column_sql(c)).collect();
        if let Some(pk) = &table.primary_key {
            let constraint = match &pk.name {
                Some(name) => format!("CONSTRAINT {} ", self.quote(name)),
                None => String::new(),
            };
            parts.push(format!(
                "{constraint}PRIMARY KEY ({})",
                self.quoted_list(&pk.columns)
            ));
        }
        let mut statements = vec![format!(
            "CREATE TABLE {} (\n    {}\n)",
            self.table_name(&table.qualified_name()),
            parts.join(",\n    ")
        )];
        for index in &table.indexes {
            statements.extend(self.create_index(&table.qualified_name(), index));
        }
        statements
    }

    fn drop_table(&self, name: &QualifiedName) -> Vec<String> {
        vec![format!("DROP TABLE {}", self.table_name(name))]
    }

    fn add_column(&self, table: &QualifiedName, column: &Column) -> Vec<String> {
        vec![format!(
            "ALTER TABLE {} ADD COLUMN {}",
            self.table_name(table),
            self.column_sql(column)
        )]
    }

    fn drop_column(&self, table: &QualifiedName, name: &str) -> Vec<String> {
        vec![format!(
            "ALTER TABLE {} DROP COLUMN {}",
            self.table_name(table),
            self.quote(name)
        )]
    }

    fn create_index(&self, table: &QualifiedName, index: &Index) -> Vec<String> {
        vec![format!(
            "CREATE {}INDEX {} ON {} ({})",
            if index.unique { "UNIQUE " } else { "" },
            self.quote(&index.name),
            self.table_name(table),
            self.quoted_list(&index.columns)
        )]
    }

    fn drop_index(&self, table: &QualifiedName, name: &str) -> Vec<String> {
        let qualified = QualifiedName {
            schema: table.schema.clone(),
            name: name.to_owned(),
        };
        vec![format!("DROP INDEX {}", self.table_name(&qualified))]
    }

    /// The SQL of one op. Matches exhaustively: a new op does not compile until handled here.
    fn statements(&self, op: &Op) -> Vec<String> {
        match op {
            Op::CreateTable(op) => self.create_table(&op.table),
            Op::DropTable(op) => self.drop_table(&op.name),
            Op::AddColumn(op) => self.add_column(&op.table, &op.column),
            Op::DropColumn(op) => self.drop_column(&op.table, &op.name),
            Op::CreateIndex(op) => self.create_index(&op.table, &op.index),
            Op::DropIndex(op) => self.drop_index(&op.table, &op.name),
            Op::Execute(op) => vec![op.sql.clone()],
        }
    }

    fn begin(&self) -> &'static str {
        "BEGIN"
    }

    fn commit(&self) -> &'static str {
        "COMMIT"
    }

    fn rollback(&self) -> &'static str {
        "ROLLBACK"
    }

    /// `CREATE TABLE` for the version table (one row per head), as Alembic's.
    fn create_version_table(&self, name: &str) -> String {
        format!(
            "CREATE TABLE {} (\n    version_num VARCHAR(32) NOT NULL,\n    CONSTRAINT {} PRIMARY KEY (version_num)\n)",
            self.quote(name),
            self.quote(&format!("{name}_pkc"))
        )
    }

    /// A query returning one row with an integer column `n`: 1 when the table exists.
    fn table_exists_query(&self, name: &str) -> String;
}

#[cfg(test)]
mod tests;
