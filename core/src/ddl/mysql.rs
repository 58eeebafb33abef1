//! MySQL's and MariaDB's DDL (<https://dev.mysql.com/doc/refman/8.0/en/sql-data-definition-statements.html>,
//! <https://mariadb.com/kb/en/data-definition/>).

use super::{
    lock, refuse_constraint_features, refuse_index_features, DdlImpl, Dialect, IndexFeature,
    SessionLock, TableCost,
};
use crate::error::Result;
use crate::ops::{AlterColumn, AlterTableStorage, Change, Constraint, ConstraintKind, Op};
use crate::schema::{
    Column, EnumType, ForeignKeyAction, Index, QualifiedName, SqlType, Table, TableStorage,
};

mod restate;

/// MySQL/MariaDB: backtick quoting, no transactional DDL, inline comments, `MODIFY COLUMN`.
#[derive(Clone, Copy, Debug, Default)]
pub struct MysqlImpl;

impl DdlImpl for MysqlImpl {
    fn dialect(&self) -> Dialect {
        Dialect::Mysql
    }

    /// Every DDL statement commits implicitly
    /// (<https://dev.mysql.com/doc/refman/8.0/en/implicit-commit.html>).
    fn transactional_ddl(&self) -> bool {
        false
    }

    /// <https://dev.mysql.com/doc/refman/8.0/en/identifier-length.html>
    fn max_identifier_length(&self) -> Option<usize> {
        Some(64)
    }

    /// BOOL is TINYINT(1): booleans are the integers 1 and 0.
    fn bool_literal(&self, value: bool) -> &'static str {
        if value {
            "1"
        } else {
            "0"
        }
    }

    /// Identifiers are quoted with backticks.
    fn quote(&self, ident: &str) -> String {
        format!("`{}`", ident.replace('`', "``"))
    }

    /// Backslash is an escape character in MySQL string literals.
    fn literal(&self, value: &str) -> String {
        format!("'{}'", value.replace('\\', "\\\\").replace('\'', "''"))
    }

    /// MySQL has no `TIMESTAMP WITH TIME ZONE`, `UUID`, `JSONB` or `BYTEA`: DATETIME, CHAR(36),
    /// JSON and BLOB stand in (as SQLAlchemy maps them).
    fn type_sql(&self, sql_type: &SqlType, _column: &Column) -> String {
        match sql_type {
            // MySQL has no domains: the column is of the base type.
            SqlType::Domain(domain) => self.type_sql(&domain.base, _column),
            SqlType::Boolean => "BOOL".to_owned(),
            SqlType::Double => "DOUBLE".to_owned(),
            SqlType::Real => "FLOAT".to_owned(),
            SqlType::Timestamp | SqlType::TimestampTz => "DATETIME".to_owned(),
            SqlType::Uuid => "CHAR(36)".to_owned(),
            SqlType::Json | SqlType::Jsonb => "JSON".to_owned(),
            SqlType::Blob => "BLOB".to_owned(),
            SqlType::SmallInt
            | SqlType::Integer
            | SqlType::BigInt
            | SqlType::Numeric { .. }
            | SqlType::Text
            | SqlType::Varchar(_)
            | SqlType::Char(_)
            | SqlType::Date
            | SqlType::Time
            | SqlType::Custom(_) => sql_type.to_string(),
            // MySQL's literals escape a backslash too.
            SqlType::Enum(e) => {
                let labels: Vec<String> = e.labels.iter().map(|l| self.literal(l)).collect();
                format!("ENUM({})", labels.join(", "))
            }
        }
    }

    /// What `type_sql` writes, read back: DATETIME for both timestamps, CHAR(36) for UUID,
    /// JSON for JSONB, DECIMAL's default precision (10, 0).
    fn canonical_type(&self, sql_type: &SqlType) -> SqlType {
        match sql_type {
            SqlType::Domain(domain) => self.canonical_type(&domain.base),
            SqlType::TimestampTz => SqlType::Timestamp,
            SqlType::Uuid => SqlType::Char(36),
            SqlType::Jsonb => SqlType::Json,
            SqlType::Numeric {
                precision: None,
                scale: None,
            } => SqlType::numeric(10, 0),
            SqlType::Numeric {
                precision: Some(p),
                scale: None,
            } => SqlType::numeric(*p, 0),
            SqlType::Boolean
            | SqlType::SmallInt
            | SqlType::Integer
            | SqlType::BigInt
            | SqlType::Real
            | SqlType::Double
            | SqlType::Numeric { .. }
            | SqlType::Text
            | SqlType::Varchar(_)
            | SqlType::Char(_)
            | SqlType::Blob
            | SqlType::Date
            | SqlType::Time
            | SqlType::Timestamp
            | SqlType::Json => sql_type.clone(),
            // The labels are the column's type: MySQL keeps no name for them.
            SqlType::Enum(e) => SqlType::Enum(EnumType::new("", e.labels.iter().cloned())),
            SqlType::Custom(spelling) => match EnumType::from_column_type("", spelling) {
                Some(e) => SqlType::Enum(e),
                None => canonical_custom(spelling),
            },
        }
    }

    /// MariaDB reports RESTRICT for a key declared without actions, and RESTRICT behaves as NO
    /// ACTION in InnoDB (<https://mariadb.com/kb/en/foreign-keys/>): all three are the default.
    fn canonical_action(&self, action: Option<ForeignKeyAction>) -> Option<ForeignKeyAction> {
        action.filter(|a| !matches!(a, ForeignKeyAction::NoAction | ForeignKeyAction::Restrict))
    }

    /// A column's type change copies the table (`ALGORITHM=COPY`), blocking writes; other
    /// changes run in place (<https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html>).
    fn table_cost(&self, op: &Op) -> Option<TableCost> {
        match op {
            // A new collation rewrites the column's values as a new type does.
            Op::AlterColumn(alter) => {
                (alter.sql_type.is_some() || alter.collation.is_some()).then_some(TableCost::Copy)
            }
            Op::CreateTable(_)
            | Op::DropTable(_)
            | Op::AddColumn(_)
            | Op::DropColumn(_)
            | Op::CreateIndex(_)
            | Op::DropIndex(_)
            | Op::AddConstraint(_)
            | Op::DropConstraint(_)
            | Op::RenameTable(_)
            | Op::RenameColumn(_)
            | Op::TableComment(_)
            | Op::CreateEnum(_)
            | Op::DropEnum(_)
            | Op::AlterEnum(_)
            | Op::CreateDomain(_)
            | Op::DropDomain(_)
            | Op::AlterDomain(_)
            | Op::Execute(_)
            | Op::BulkInsert(_) => None,
            // A new engine copies every row; a new default character set or collation is
            // metadata (existing columns keep theirs).
            Op::AlterTableStorage(alter) => alter.mysql_engine.as_ref().map(|_| TableCost::Copy),
        }
    }

    /// InnoDB needs an index leading with a foreign key's columns and will not drop the last one
    /// (<https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html>).
    fn foreign_keys_need_index(&self) -> bool {
        true
    }

    /// A UNIQUE constraint is a unique index in MySQL
    /// (<https://dev.mysql.com/doc/refman/8.0/en/create-table.html#create-table-indexes-keys>).
    fn unique_index_is_constraint(&self) -> bool {
        true
    }

    /// Collation names are written bare, as the server prints them (`COLLATE utf8mb4_bin`).
    fn collate_sql(&self, collation: &str) -> String {
        format!(" COLLATE {collation}")
    }

    /// `AUTO_INCREMENT` closes the column definition.
    fn identity_at_end(&self) -> &'static str {
        " AUTO_INCREMENT"
    }

    /// Nullability is always explicit (a TIMESTAMP column is otherwise NOT NULL on some
    /// servers), except on a generated column, where MariaDB allows none.
    fn nullability_sql(&self, column: &Column) -> &'static str {
        match (column.computed.is_some(), column.nullable) {
            (true, _) => "",
            (false, true) => " NULL",
            (false, false) => " NOT NULL",
        }
    }

    /// Column comments are part of the column definition.
    fn inline_column_comments(&self) -> bool {
        true
    }

    /// Table comments are a table option ([`table_options_sql`](Self::table_options_sql)),
    /// column comments are inline: no statement follows `CREATE TABLE`.
    fn comment_statements(&self, _table: &Table) -> Vec<String> {
        Vec::new()
    }

    /// `ENGINE`, `DEFAULT CHARSET`, `COLLATE` and `COMMENT` are table options.
    fn table_options_sql(&self, table: &Table) -> String {
        let storage = &table.storage;
        let mut options = storage_options(
            storage.mysql_engine.as_deref(),
            storage.mysql_charset.as_deref(),
            storage.mysql_collate.as_deref(),
        );
        if let Some(comment) = &table.comment {
            options.push_str(&format!(" COMMENT = {}", self.literal(comment)));
        }
        options
    }

    /// Engine, character set and collation names are case-insensitive, and `utf8` is the
    /// server's name for `utf8mb3` (which MySQL 8 and MariaDB 10.6 report).
    fn comparable_storage(&self, storage: &TableStorage) -> TableStorage {
        let name = |n: &Option<String>| n.as_ref().map(|n| n.to_ascii_lowercase());
        let utf8 = |n: Option<String>| {
            n.map(|n| match n.strip_prefix("utf8") {
                Some(rest) if !rest.starts_with("mb") => format!("utf8mb3{rest}"),
                _ => n,
            })
        };
        TableStorage {
            mysql_engine: name(&storage.mysql_engine),
            mysql_charset: utf8(name(&storage.mysql_charset)),
            mysql_collate: utf8(name(&storage.mysql_collate)),
            ..TableStorage::default()
        }
    }

    /// `ALTER TABLE .. ENGINE = .. DEFAULT CHARSET = .. COLLATE = ..`, one statement. A new
    /// default character set or collation applies to columns added later; existing columns
    /// keep theirs (`CONVERT TO CHARACTER SET` would rewrite them, and their text types with
    /// them: <https://dev.mysql.com/doc/refman/8.0/en/alter-table.html#alter-table-character-set>).
    fn alter_table_storage(&self, op: &AlterTableStorage) -> Result<Vec<String>> {
        let to =
            |change: &Option<Change<Option<String>>>| change.as_ref().and_then(|c| c.to.clone());
        let options = storage_options(
            to(&op.mysql_engine).as_deref(),
            to(&op.mysql_charset).as_deref(),
            to(&op.mysql_collate).as_deref(),
        );
        if options.is_empty() {
            return Ok(Vec::new());
        }
        Ok(vec![format!(
            "ALTER TABLE {}{options}",
            self.table_name(&op.table)
        )])
    }

    /// `[UNIQUE] INDEX name (..)` inside `CREATE TABLE`: a separate `CREATE INDEX` is an
    /// `ALTER TABLE` that costs InnoDB a few milliseconds each (2,700 of them made `upgrade
    /// head` of the 1000-table benchmark four times slower than the client applying the DDL).
    fn inline_index_sql(&self, index: &Index) -> Option<String> {
        // Anything else goes through create_index, which refuses it by name; an `IF NOT
        // EXISTS` index (of an `IF NOT EXISTS` table) is created on its own, so that it is
        // created on a table that was already there.
        if !index.is_plain() || index.if_not_exists {
            return None;
        }
        let name = index.name.as_deref()?;
        Some(format!(
            "{}INDEX {} ({})",
            if index.unique { "UNIQUE " } else { "" },
            self.quote(name),
            self.quoted_list(&index.columns)
        ))
    }

    /// `ALTER TABLE .. COMMENT = '...'`; an empty comment removes it.
    fn table_comment(&self, table: &QualifiedName, comment: Option<&str>) -> Vec<String> {
        vec![format!(
            "ALTER TABLE {} COMMENT = {}",
            self.table_name(table),
            self.literal(comment.unwrap_or_default())
        )]
    }

    /// `MODIFY COLUMN` restates the whole column: online it is restated from the catalog
    /// (`restate.rs`), so what the model does not hold survives.
    fn catalog_query(&self, op: &Op) -> Option<String> {
        match op {
            Op::AlterColumn(alter) => Some(restate::catalog_query(self, alter)),
            _ => None,
        }
    }

    fn statements_from_catalog(&self, op: &Op, rows: &[String]) -> Result<Vec<String>> {
        match op {
            Op::AlterColumn(alter) => restate::modify_column(self, alter, rows),
            other => self.statements(other),
        }
    }

    /// `MODIFY COLUMN` restates the whole column, so one statement carries every change.
    /// Offline this restates the op's `existing` column, which holds what the model holds.
    fn alter_column(&self, op: &AlterColumn) -> Result<Vec<String>> {
        Ok(vec![format!(
            "ALTER TABLE {} MODIFY COLUMN {}",
            self.table_name(&op.table),
            self.column_sql(&op.altered())
        )])
    }

    /// MariaDB has neither functional key parts nor partial indexes; descending keys are not
    /// reflected yet, so they are refused rather than compared as ascending. Of methods, only
    /// `fulltext` (InnoDB builds every other index as a B-tree); key prefixes are MySQL's own.
    fn check_index(&self, table: &QualifiedName, index: &Index) -> Result<()> {
        let fulltext = index
            .method
            .as_deref()
            .is_some_and(|m| m.eq_ignore_ascii_case("fulltext"));
        let mut lacks = vec![
            IndexFeature::Expression,
            IndexFeature::Descending,
            IndexFeature::NullsPlacement,
            IndexFeature::Include,
            IndexFeature::Predicate,
            IndexFeature::Concurrently,
        ];
        if !fulltext {
            lacks.push(IndexFeature::Method);
        }
        refuse_index_features(Dialect::Mysql, table, index, &lacks)
    }

    /// `FULLTEXT INDEX`: the one method check_index lets through.
    fn index_method_sql(&self, method: &str) -> (String, String) {
        (format!("{} ", method.to_ascii_uppercase()), String::new())
    }

    /// InnoDB checks every key at once and parses `MATCH` without enforcing it; there is no
    /// `NOT VALID`.
    fn check_constraint(&self, table: &QualifiedName, constraint: &Constraint) -> Result<()> {
        refuse_constraint_features(
            Dialect::Mysql,
            table,
            constraint,
            &["DEFERRABLE", "MATCH FULL", "NOT VALID"],
        )
    }

    /// Indexes belong to their table: `DROP INDEX name ON table`. (`IF EXISTS` is MariaDB's;
    /// MySQL 8 has none.)
    fn drop_index(&self, table: &QualifiedName, name: &str, if_exists: bool) -> Vec<String> {
        vec![format!(
            "DROP INDEX {}{} ON {}",
            if if_exists { "IF EXISTS " } else { "" },
            self.quote(name),
            self.table_name(table)
        )]
    }

    /// Each kind of constraint has its own `DROP` clause; a unique constraint is an index.
    fn drop_constraint(
        &self,
        table: &QualifiedName,
        name: &str,
        kind: Option<ConstraintKind>,
    ) -> Result<Vec<String>> {
        let clause = match kind {
            Some(ConstraintKind::PrimaryKey) => "DROP PRIMARY KEY".to_owned(),
            Some(ConstraintKind::ForeignKey) => format!("DROP FOREIGN KEY {}", self.quote(name)),
            Some(ConstraintKind::Unique) => format!("DROP INDEX {}", self.quote(name)),
            Some(ConstraintKind::Check) | None => {
                format!("DROP CONSTRAINT {}", self.quote(name))
            }
        };
        Ok(vec![format!(
            "ALTER TABLE {} {clause}",
            self.table_name(table)
        )])
    }

    /// The version and applied tables are InnoDB whatever the server's default engine: their
    /// writes run in a transaction of their own (no transactional DDL here), which only a
    /// transactional engine makes atomic
    /// (<https://dev.mysql.com/doc/refman/8.0/en/innodb-introduction.html>).
    fn bookkeeping_table_options(&self) -> &'static str {
        " ENGINE=InnoDB"
    }

    /// `DATETIME`: a `TIMESTAMP` column is rewritten on update and bound to 2038
    /// (<https://dev.mysql.com/doc/refman/8.0/en/timestamp-initialization.html>).
    fn applied_at_type(&self) -> &'static str {
        "DATETIME"
    }

    /// `CAST(.. AS TEXT)` does not exist; `CHAR` is MySQL's text cast.
    fn text_cast(&self, expr: &str) -> String {
        format!("CAST({expr} AS CHAR)")
    }

    /// The lock is named after the database: `GET_LOCK` names are server-wide
    /// (<https://dev.mysql.com/doc/refman/8.0/en/locking-functions.html>).
    fn lock_scope_query(&self) -> Option<&'static str> {
        Some("SELECT DATABASE() AS scope")
    }

    /// A named lock (`GET_LOCK`, tried without waiting), hashed past MySQL's 64 characters;
    /// `IS_USED_LOCK` names the connection holding it, the process list its user and state.
    fn migration_lock(&self, scope: &str, version_table: &str) -> Option<SessionLock> {
        let name = self.literal(&lock::mysql_lock_name(scope, version_table));
        Some(SessionLock {
            setup: None,
            try_lock: format!("SELECT CAST(COALESCE(GET_LOCK({name}, 0), 0) AS SIGNED) AS n"),
            unlock: format!("SELECT CAST(COALESCE(RELEASE_LOCK({name}), 0) AS SIGNED) AS n"),
            holder: format!(
                "SELECT CONCAT('connection ', l.id, COALESCE(CONCAT(' (', p.USER, '@', p.HOST, \
                 ', ', p.COMMAND, ' for ', p.TIME, ' s)'), '')) AS holder \
                 FROM (SELECT IS_USED_LOCK({name}) AS id) AS l \
                 LEFT JOIN information_schema.PROCESSLIST AS p ON p.ID = l.id \
                 WHERE l.id IS NOT NULL"
            ),
        })
    }

    fn table_exists_query(&self, name: &str) -> String {
        format!(
            "SELECT count(*) AS n FROM information_schema.tables \
             WHERE table_schema = DATABASE() AND table_name = {}",
            self.literal(name)
        )
    }
}

/// MySQL's size variants of TEXT and BLOB as the type they vary: reflection reports them so
/// (information_schema's `COLUMN_TYPE` is read that way), and `MODIFY COLUMN` restates the
/// size from the catalog, so a model's `sql_type = "mediumtext"` and a reflected one compare
/// equal and the size is never lost.
fn sized_variant(spelling: &str) -> Option<SqlType> {
    match spelling {
        "tinytext" | "mediumtext" | "longtext" => Some(SqlType::Text),
        "tinyblob" | "mediumblob" | "longblob" => Some(SqlType::Blob),
        _ => None,
    }
}

/// A type retort has no variant for, spelled one way: lower case, single spaces, and without
/// the display width of integer and YEAR types, which changes nothing stored (MariaDB reports
/// `int(10) unsigned` and `year(4)` where a model says `INT UNSIGNED` and `YEAR`;
/// <https://dev.mysql.com/doc/refman/8.0/en/numeric-type-attributes.html>).
fn canonical_custom(spelling: &str) -> SqlType {
    let lower = spelling
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase();
    if let Some(sized) = sized_variant(&lower) {
        return sized;
    }
    // MySQL's BOOL is TINYINT(1), as reflection reads it (https://mariadb.com/kb/en/boolean/).
    if lower == "tinyint(1)" {
        return SqlType::Boolean;
    }
    let name_end = lower
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .unwrap_or(lower.len());
    let (name, rest) = lower.split_at(name_end);
    let widthless = [
        "tinyint",
        "smallint",
        "mediumint",
        "int",
        "integer",
        "bigint",
        "year",
    ];
    let rest = match rest
        .trim_start()
        .strip_prefix('(')
        .and_then(|r| r.split_once(')'))
    {
        Some((width, after))
            if widthless.contains(&name) && width.trim().parse::<u32>().is_ok() =>
        {
            after
        }
        _ => rest,
    };
    let name = if name == "integer" { "int" } else { name };
    SqlType::Custom(format!("{name}{}", rest.trim_end()).trim().to_owned())
}

/// ` ENGINE = x DEFAULT CHARSET = y COLLATE = z`, of the options given. Engine, character set
/// and collation names are identifiers of the server's own (`InnoDB`, `utf8mb4_bin`), written
/// as they are: quoting them is not accepted in every position.
fn storage_options(engine: Option<&str>, charset: Option<&str>, collate: Option<&str>) -> String {
    let mut options = String::new();
    for (keyword, value) in [
        ("ENGINE", engine),
        ("DEFAULT CHARSET", charset),
        ("COLLATE", collate),
    ] {
        if let Some(value) = value {
            options.push_str(&format!(" {keyword} = {value}"));
        }
    }
    options
}
