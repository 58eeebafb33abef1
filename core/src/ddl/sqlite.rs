//! SQLite's DDL (<https://www.sqlite.org/lang.html>).

use super::{DdlImpl, Dialect};
use crate::schema::{Column, SqlType};

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

    fn table_exists_query(&self, name: &str) -> String {
        format!(
            "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = {}",
            self.literal(name)
        )
    }
}
