//! SQLite's DDL (<https://www.sqlite.org/lang.html>).

mod parse;
mod rebuild;
mod statement;

pub use parse::{parse_create_index, parse_create_table, ParseError};

use std::time::Duration;

use super::{
    refuse_constraint_features, refuse_index_features, unsupported, DdlImpl, Dialect,
    ForeignKeyGuard, IndexFeature, RebuildSupport, SchemaObject,
};
use crate::error::Result;
use crate::ops::{AlterColumn, Constraint, ConstraintKind, Op};
use crate::schema::{Column, EnumType, Index, QualifiedName, SqlType};

/// Why a rebuild op cannot run from `statements` alone: the rebuild reads the live table.
const REBUILD_OFFLINE: &str = "SQLite does that by rebuilding the table, which needs the table's \
     current definition from a live database: run it without --sql";

/// SQLite: transactional DDL, `ALTER TABLE` limited to add/drop/rename column.
#[derive(Clone, Copy, Debug, Default)]
pub struct SqliteImpl;

impl DdlImpl for SqliteImpl {
    /// SQLite defers keys (`DEFERRABLE INITIALLY DEFERRED`) but parses `MATCH` without
    /// enforcing it, and has no `NOT VALID`.
    fn check_constraint(&self, table: &QualifiedName, constraint: &Constraint) -> Result<()> {
        refuse_constraint_features(
            Dialect::Sqlite,
            table,
            constraint,
            &["MATCH FULL", "NOT VALID"],
        )
    }

    /// SQLite indexes have expression keys, `DESC` and a `WHERE`, and nothing else
    /// (<https://www.sqlite.org/lang_createindex.html>).
    fn check_index(&self, table: &QualifiedName, index: &Index) -> Result<()> {
        refuse_index_features(
            Dialect::Sqlite,
            table,
            index,
            &[
                IndexFeature::NullsPlacement,
                IndexFeature::Method,
                IndexFeature::Include,
                IndexFeature::Concurrently,
                IndexFeature::Prefix,
            ],
        )
    }

    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    /// An autoincrementing integer primary key must be declared exactly `INTEGER` to become the
    /// rowid alias that SQLite numbers itself (<https://www.sqlite.org/lang_createtable.html#rowid>).
    /// Only a lone integer key autoincrements, so the mark alone says the column is that key.
    ///
    /// An enum is TEXT with a CHECK on its labels, as part of the column's definition
    /// (SQLAlchemy's `Enum(create_constraint=True)` on a database without enum types).
    fn type_sql(&self, sql_type: &SqlType, column: &Column) -> String {
        if column.autoincrement && sql_type.is_integer() {
            return "INTEGER".to_owned();
        }
        match sql_type {
            SqlType::Enum(e) => enum_column_type(self, &column.name, e),
            // SQLite has no domains: the column is of the base type.
            SqlType::Domain(domain) => self.type_sql(&domain.base, column),
            _ => sql_type.to_string(),
        }
    }

    /// A column read back as an enum (TEXT with a CHECK on its labels) is the models' string
    /// column when they declare one: such an unnamed CHECK is not compared, as no other is.
    fn same_type(&self, reflected: &SqlType, target: &SqlType) -> bool {
        match (reflected, target) {
            (SqlType::Enum(_), SqlType::Text | SqlType::Varchar(_)) => true,
            _ => self.canonical_type(reflected) == self.canonical_type(target),
        }
    }

    /// SQLite stores booleans as the integers 1 and 0
    /// (<https://www.sqlite.org/datatype3.html#boolean_datatype>).
    fn bool_literal(&self, value: bool) -> &'static str {
        if value {
            "1"
        } else {
            "0"
        }
    }

    /// A compound `VALUES` of SQLite is limited to 500 rows by default
    /// (`SQLITE_MAX_COMPOUND_SELECT`, <https://www.sqlite.org/limits.html>).
    fn bulk_insert_rows(&self) -> usize {
        500
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
        _kind: Option<ConstraintKind>,
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

    /// Types SQLite stores alike compare alike (<https://www.sqlite.org/datatype3.html>):
    /// every integer type and BOOLEAN have INTEGER affinity and one storage (an INTEGER rowid
    /// key is the models' BIGINT); REAL, DOUBLE PRECISION and FLOAT are one 8-byte float; CLOB
    /// is TEXT. Declared lengths stay apart: they are what the models say.
    fn canonical_type(&self, sql_type: &SqlType) -> SqlType {
        match sql_type {
            SqlType::Boolean | SqlType::SmallInt | SqlType::Integer | SqlType::BigInt => {
                SqlType::Integer
            }
            SqlType::Real | SqlType::Double => SqlType::Double,
            SqlType::Custom(spelling) => match spelling.trim().to_ascii_lowercase().as_str() {
                "clob" => SqlType::Text,
                "float" | "double" => SqlType::Double,
                "int2" | "int8" | "tinyint" | "mediumint" | "unsigned big int" => SqlType::Integer,
                _ => sql_type.clone(),
            },
            SqlType::Domain(domain) => self.canonical_type(&domain.base),
            // Only the labels are kept, in the CHECK.
            SqlType::Enum(e) => SqlType::Enum(EnumType::new("", e.labels.iter().cloned())),
            SqlType::Numeric { .. }
            | SqlType::Text
            | SqlType::Varchar(_)
            | SqlType::Char(_)
            | SqlType::Blob
            | SqlType::Date
            | SqlType::Time
            | SqlType::Timestamp
            | SqlType::TimestampTz
            | SqlType::Uuid
            | SqlType::Json
            | SqlType::Jsonb => sql_type.clone(),
        }
    }

    /// Column changes and constraint changes rebuild the table
    /// (<https://www.sqlite.org/lang_altertable.html#otheralter>).
    fn rebuild_support(&self, op: &Op) -> Option<RebuildSupport> {
        let table = rebuilt_table(op)?;
        // rowid order is creation order: views and triggers come back in an order that works.
        Some(RebuildSupport {
            definition_query: format!(
                "SELECT type AS kind, name, tbl_name AS table_name, sql FROM sqlite_master \
                 WHERE sql IS NOT NULL AND (type IN ('view', 'trigger') \
                 OR (type IN ('table', 'index') AND tbl_name = {} COLLATE NOCASE)) ORDER BY rowid",
                self.literal(&table.name)
            ),
        })
    }

    fn rebuild(&self, op: &Op, definition: &[SchemaObject]) -> Result<Vec<String>> {
        let Some(table) = rebuilt_table(op) else {
            return Err(unsupported(
                Dialect::Sqlite,
                &format!("rebuild a table for {op}"),
                "this op runs without a rebuild",
            ));
        };
        if let Op::AddConstraint(add) = op {
            self.check_constraint(&add.table, &add.constraint)?;
        }
        rebuild::rebuild(self, &table.name, op, definition)
    }

    /// With keys enforced, `DROP TABLE` first deletes every row, running the children's
    /// `ON DELETE` actions (<https://www.sqlite.org/foreignkeys.html#fk_schemacommands>): a
    /// dropped parent would cascade into child rows that are kept, and so would the old table a
    /// rebuild drops. Enforcement is off around such ops, every key checked before commit.
    fn foreign_key_guard(&self, op: &Op) -> Option<ForeignKeyGuard> {
        if rebuilt_table(op).is_none() && !matches!(op, Op::DropTable(_)) {
            return None;
        }
        Some(ForeignKeyGuard {
            enforcement_query: "SELECT foreign_keys AS n FROM pragma_foreign_keys",
            disable: "PRAGMA foreign_keys = OFF",
            enable: "PRAGMA foreign_keys = ON",
            violations_query: "SELECT \"table\" AS child, parent, count(*) AS n \
                 FROM pragma_foreign_key_check GROUP BY \"table\", parent ORDER BY 1, 2",
        })
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

/// The table an op rebuilds, for the ops `ALTER TABLE` cannot do.
/// `TEXT CHECK ("status" IN ('new', 'done'))`: the type and CHECK of an enum column.
pub(super) fn enum_column_type(ddl: &SqliteImpl, column: &str, e: &EnumType) -> String {
    format!("TEXT CHECK ({} IN ({}))", ddl.quote(column), e.label_list())
}

fn rebuilt_table(op: &Op) -> Option<&QualifiedName> {
    match op {
        Op::AlterColumn(op) => Some(&op.table),
        Op::AddConstraint(op) => Some(&op.table),
        Op::DropConstraint(op) => Some(&op.table),
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
        | Op::BulkInsert(_) => None,
    }
}
