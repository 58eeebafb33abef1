//! SQLite's DDL (<https://www.sqlite.org/lang.html>).

mod parse;
mod rebuild;

pub use parse::{parse_create_table, ParseError};

use std::time::Duration;

use super::{unsupported, DdlImpl, Dialect, RebuildSupport};
use crate::error::Result;
use crate::ops::{AlterColumn, Constraint, Op};
use crate::schema::{Column, QualifiedName, SqlType};

/// Why a rebuild op cannot run from `statements` alone: the rebuild reads the live table.
const REBUILD_OFFLINE: &str = "SQLite does that by rebuilding the table, which needs the table's \
     current definition from a live database: run it without --sql";

/// SQLite: transactional DDL, `ALTER TABLE` limited to add/drop/rename column.
#[derive(Clone, Copy, Debug, Default)]
pub struct SqliteImpl;

impl DdlImpl for SqliteImpl {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    /// An autoincrementing integer primary key must be declared exactly `INTEGER` to become the
    /// rowid alias that SQLite numbers itself (<https://www.sqlite.org/lang_createtable.html#rowid>).
    /// Only a lone integer key autoincrements, so the mark alone says the column is that key.
    fn type_sql(&self, sql_type: &SqlType, column: &Column) -> String {
        if column.autoincrement && sql_type.is_integer() {
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
            &format!(
                "add a {} to the existing table `{table}`",
                constraint.kind()
            ),
            REBUILD_OFFLINE,
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
            REBUILD_OFFLINE,
        ))
    }

    /// SQLite's `ALTER TABLE` cannot change a column (<https://www.sqlite.org/lang_altertable.html>).
    fn alter_column(&self, op: &AlterColumn) -> Result<Vec<String>> {
        Err(unsupported(
            Dialect::Sqlite,
            &format!("alter column `{}.{}`", op.table, op.existing.name),
            REBUILD_OFFLINE,
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

    /// Column changes and constraint changes rebuild the table
    /// (<https://www.sqlite.org/lang_altertable.html#otheralter>).
    fn rebuild_support(&self, op: &Op) -> Option<RebuildSupport> {
        let table = match op {
            Op::AlterColumn(op) => &op.table,
            Op::AddConstraint(op) => &op.table,
            Op::DropConstraint(op) => &op.table,
            Op::CreateTable(_)
            | Op::DropTable(_)
            | Op::AddColumn(_)
            | Op::DropColumn(_)
            | Op::CreateIndex(_)
            | Op::DropIndex(_)
            | Op::RenameTable(_)
            | Op::RenameColumn(_)
            | Op::TableComment(_)
            | Op::Execute(_) => return None,
        };
        let name = self.literal(&table.name);
        Some(RebuildSupport {
            definition_query: format!(
                "SELECT sql FROM sqlite_master WHERE tbl_name = {name} AND sql IS NOT NULL \
                 AND type IN ('table', 'index') ORDER BY type = 'index', name"
            ),
            enforcement_query: "SELECT foreign_keys AS n FROM pragma_foreign_keys",
            disable: "PRAGMA foreign_keys = OFF",
            enable: "PRAGMA foreign_keys = ON",
            violations_query: "SELECT count(*) AS n FROM pragma_foreign_key_check",
        })
    }

    fn rebuild(&self, op: &Op, definition: &[String]) -> Result<Vec<String>> {
        rebuild::rebuild(self, op, definition)
    }

    /// Takes the database's write lock at once, so a concurrent run waits here and then sees
    /// the version table as the first run left it (<https://www.sqlite.org/lang_transaction.html>).
    fn begin(&self) -> &'static str {
        "BEGIN IMMEDIATE"
    }

    /// `BEGIN IMMEDIATE` waits for another connection's write lock up to the busy timeout
    /// (<https://www.sqlite.org/pragma.html#pragma_busy_timeout>).
    fn lock_wait_statement(&self, timeout: Duration) -> Option<String> {
        // SQLite takes an int of milliseconds.
        let millis = timeout.as_millis().min(i32::MAX as u128);
        Some(format!("PRAGMA busy_timeout = {millis}"))
    }

    fn table_exists_query(&self, name: &str) -> String {
        format!(
            "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = {}",
            self.literal(name)
        )
    }
}
