//! SQLite's DDL (<https://www.sqlite.org/lang.html>).

use super::{unsupported, DdlImpl, Dialect};
use crate::error::Result;
use crate::ops::{AlterColumn, Constraint};
use crate::schema::{Column, QualifiedName, SqlType};

/// SQLite: transactional DDL, `ALTER TABLE` limited to add/drop/rename column.
#[derive(Clone, Copy, Debug, Default)]
pub struct SqliteImpl;

impl DdlImpl for SqliteImpl {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    /// An autoincrementing integer primary key must be declared exactly `INTEGER` to become the
    /// rowid alias that SQLite numbers itself (<https://www.sqlite.org/lang_createtable.html#rowid>).
    fn type_sql(&self, sql_type: &SqlType, column: &Column) -> String {
        if column.autoincrement && column.primary_key && sql_type.is_integer() {
            return "INTEGER".to_owned();
        }
        sql_type.to_string()
    }

    /// SQLite keeps no comments (<https://www.sqlite.org/lang_createtable.html>).
    fn supports_comments(&self) -> bool {
        false
    }

    /// SQLite's `ALTER TABLE` cannot add constraints
    /// (<https://www.sqlite.org/lang_altertable.html>); that needs a table rebuild.
    fn add_constraint(
        &self,
        table: &QualifiedName,
        constraint: &Constraint,
    ) -> Result<Vec<String>> {
        Err(unsupported(
            Dialect::Sqlite,
            &format!("add a {} to the existing table `{table}`", constraint.kind()),
            "SQLite needs the table rebuilt for that (batch mode is planned); recreate the table in \
             the migration by hand",
        ))
    }

    /// SQLite's `ALTER TABLE` cannot drop constraints either.
    fn drop_constraint(
        &self,
        table: &QualifiedName,
        name: &str,
        _constraint: Option<&Constraint>,
    ) -> Result<Vec<String>> {
        Err(unsupported(
            Dialect::Sqlite,
            &format!("drop constraint `{name}` of the existing table `{table}`"),
            "SQLite needs the table rebuilt for that (batch mode is planned); recreate the table in \
             the migration by hand",
        ))
    }

    /// SQLite's `ALTER TABLE` cannot change a column (<https://www.sqlite.org/lang_altertable.html>).
    fn alter_column(&self, op: &AlterColumn) -> Result<Vec<String>> {
        Err(unsupported(
            Dialect::Sqlite,
            &format!("alter column `{}.{}`", op.table, op.existing.name),
            "SQLite needs the table rebuilt for that (batch mode is planned); recreate the table in \
             the migration by hand",
        ))
    }

    /// Every integer type has INTEGER affinity and the same storage
    /// (<https://www.sqlite.org/datatype3.html>): an INTEGER rowid key is the models' BIGINT.
    fn canonical_type(&self, sql_type: &SqlType) -> SqlType {
        if sql_type.is_integer() {
            SqlType::Integer
        } else {
            sql_type.clone()
        }
    }

    fn table_exists_query(&self, name: &str) -> String {
        format!(
            "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = {}",
            self.literal(name)
        )
    }
}
