//! DDL per dialect (Alembic's `DefaultImpl` and its subclasses).
//!
//! [`DdlImpl`] turns an [`Op`] into SQL statements. Its default methods write generic SQL;
//! each dialect file overrides only what its database does differently, with a doc line naming
//! the difference. Code outside `ddl/` and `reflect/` asks capability methods
//! (`transactional_ddl`, ...) rather than testing the dialect.

mod index;
pub mod lock;
mod mysql;
mod postgres;
mod server_default;
mod sqlite;

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::ops::{
    AlterColumn, AlterDomain, AlterEnum, AlterTableStorage, BulkInsert, Change, Constraint,
    ConstraintKind, Op,
};
use crate::schema::{
    CheckConstraint, Column, DomainType, EnumType, ForeignKey, ForeignKeyAction, IdentityOptions,
    Index, PrimaryKey, QualifiedName, SqlType, Table, TableStorage, UniqueConstraint,
};
use crate::value::{fill_placeholders, Value};

pub use index::canonical_expression;
pub(crate) use index::{refuse_index_features, IndexFeature};
pub use lock::SessionLock;
pub use mysql::MysqlImpl;
pub use postgres::PostgresImpl;
pub use sqlite::{
    parse_create_index as parse_sqlite_create_index,
    parse_create_table as parse_sqlite_create_table, ParseError as SqliteParseError, SqliteImpl,
};

/// The SQL dialects retort speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dialect {
    Sqlite,
    Postgres,
    Mysql,
}

impl Dialect {
    /// The cargo feature of `retort` that builds this dialect's driver.
    pub fn feature(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
            Dialect::Mysql => "mysql",
        }
    }
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

/// The DDL implementation of a dialect. Every build has all three: `--sql` needs no driver.
pub fn ddl_impl(dialect: Dialect) -> &'static dyn DdlImpl {
    match dialect {
        Dialect::Sqlite => &SqliteImpl,
        Dialect::Postgres => &PostgresImpl,
        Dialect::Mysql => &MysqlImpl,
    }
}

/// How a dialect writes DDL. Default methods produce generic SQL.
pub trait DdlImpl: Sync {
    fn dialect(&self) -> Dialect;

    /// The longest identifier the database keeps, if it has a limit.
    fn max_identifier_length(&self) -> Option<usize> {
        None
    }

    /// Whether the database stores table and column comments.
    fn supports_comments(&self) -> bool {
        true
    }

    /// The type as this database stores it, for comparing a reflected column with a model: two
    /// types that the database does not tell apart map to one value.
    fn canonical_type(&self, sql_type: &SqlType) -> SqlType {
        sql_type.clone()
    }

    /// Whether a reflected column's type is the model's, as this database stores them.
    fn same_type(&self, reflected: &SqlType, target: &SqlType) -> bool {
        self.canonical_type(reflected) == self.canonical_type(target)
    }

    /// Whether enum types and domains are objects of their own, created before and dropped
    /// after the columns that use them (PostgreSQL), rather than labels kept in each column
    /// and a domain's base type.
    fn named_types(&self) -> bool {
        false
    }

    /// `CREATE TYPE .. AS ENUM (..)`, where enum types are objects of their own.
    fn create_enum(&self, _enum_type: &EnumType) -> Vec<String> {
        Vec::new()
    }

    /// `DROP TYPE ..`, where enum types are objects of their own.
    fn drop_enum(&self, _enum_type: &EnumType) -> Vec<String> {
        Vec::new()
    }

    /// A change of an enum type's labels, where enum types are objects of their own.
    fn alter_enum(&self, _op: &AlterEnum) -> Vec<String> {
        Vec::new()
    }

    /// `CREATE DOMAIN ..`, where the database has domains.
    fn create_domain(&self, _domain: &DomainType) -> Vec<String> {
        Vec::new()
    }

    /// `DROP DOMAIN ..`, where the database has domains.
    fn drop_domain(&self, _domain: &DomainType) -> Vec<String> {
        Vec::new()
    }

    /// `ALTER DOMAIN ..`, where the database has domains; a new base type is refused.
    fn alter_domain(&self, _op: &AlterDomain) -> Result<Vec<String>> {
        Ok(Vec::new())
    }

    /// A server default as this database prints it back, for comparison (see
    /// `server_default.rs`).
    fn canonical_default(&self, sql: &str, column: &Column) -> String {
        server_default::canonical_default(sql, column)
    }

    /// How to rebuild a table for `op` where `ALTER TABLE` cannot do it (SQLite), or `None` when
    /// `statements` handles the op directly.
    fn rebuild_support(&self, _op: &Op) -> Option<RebuildSupport> {
        None
    }

    /// The statements that rebuild a table for `op`, given the rows of
    /// `RebuildSupport::definition_query`: the table, its indexes and the schema's views and
    /// triggers, as the database stores them.
    fn rebuild(&self, op: &Op, _definition: &[SchemaObject]) -> Result<Vec<String>> {
        Err(unsupported(
            self.dialect(),
            &format!("rebuild a table for {op}"),
            "this op needs no rebuild",
        ))
    }

    /// How to keep `op` from acting on other tables' rows through their foreign keys (SQLite's
    /// `DROP TABLE` and rebuilds would cascade), or `None` when the op needs no guard. The
    /// migration context suspends enforcement around the transaction and checks every key
    /// before commit.
    fn foreign_key_guard(&self, _op: &Op) -> Option<ForeignKeyGuard> {
        None
    }

    /// A foreign-key action as this database reports it back: `NO ACTION` is every database's
    /// default, so it equals an unspecified action.
    fn canonical_action(&self, action: Option<ForeignKeyAction>) -> Option<ForeignKeyAction> {
        action.filter(|a| *a != ForeignKeyAction::NoAction)
    }

    /// Whether a unique index and a unique constraint are one object here (MySQL): then the
    /// models' unique indexes compare as unique constraints.
    fn unique_index_is_constraint(&self) -> bool {
        false
    }

    /// A query whose rows (a text column `sql`) tell [`statements_from_catalog`] what `op`
    /// needs of the live table, where the dialect's statement restates more than the op knows
    /// (MySQL's `MODIFY COLUMN`). `None` when [`statements`] say it all.
    ///
    /// [`statements_from_catalog`]: DdlImpl::statements_from_catalog
    /// [`statements`]: DdlImpl::statements
    fn catalog_query(&self, _op: &Op) -> Option<String> {
        None
    }

    /// The statements of `op` given the rows of [`catalog_query`](DdlImpl::catalog_query).
    fn statements_from_catalog(&self, op: &Op, _rows: &[String]) -> Result<Vec<String>> {
        self.statements(op)
    }

    /// What `op` costs the table beyond its own change: a rewrite, a rebuild, a copy or a scan
    /// under a lock that blocks writers. `None` when the op is cheap whatever the table holds.
    /// Autogenerate reports the cost as a blocking finding on large tables.
    fn table_cost(&self, op: &Op) -> Option<TableCost> {
        self.rebuild_support(op).map(|_| TableCost::Rebuild)
    }

    /// Whether every foreign key needs an index leading with its columns (MySQL), so one must be
    /// created before the last such index is dropped.
    fn foreign_keys_need_index(&self) -> bool {
        false
    }

    /// Whether DDL runs inside a transaction that can be rolled back.
    fn transactional_ddl(&self) -> bool {
        true
    }

    /// Quotes an identifier (always, so reserved words and mixed case survive).
    fn quote(&self, ident: &str) -> String {
        format!("\"{}\"", ident.replace('"', "\"\""))
    }

    /// The `n`th (from 1) bound parameter's placeholder: `?`, PostgreSQL `$n`.
    fn placeholder(&self, _n: usize) -> String {
        "?".to_owned()
    }

    /// A value as a literal, for `--sql` scripts and bulk inserts.
    fn value_literal(&self, value: &Value) -> String {
        match value {
            Value::Null => "NULL".to_owned(),
            Value::Bool(b) => self.bool_literal(*b).to_owned(),
            Value::Int(i) => i.to_string(),
            // `{:?}` keeps a decimal point or exponent, so the literal reads back as a float.
            Value::Float(x) if x.is_finite() => format!("{x:?}"),
            Value::Float(x) => self.literal(&x.to_string()),
            Value::Text(s) => self.literal(s),
            Value::Bytes(b) => self.bytes_literal(b),
        }
    }

    /// `TRUE`/`FALSE`, or the integers where booleans are integers.
    fn bool_literal(&self, value: bool) -> &'static str {
        if value {
            "TRUE"
        } else {
            "FALSE"
        }
    }

    /// Bytes as a literal: `X'0a1b'` (SQLite, MySQL).
    fn bytes_literal(&self, bytes: &[u8]) -> String {
        format!("X'{}'", hex(bytes))
    }

    /// How many rows one `INSERT .. VALUES` of a bulk insert holds.
    fn bulk_insert_rows(&self) -> usize {
        1000
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
    /// Dialects change it through the hooks below rather than restating it.
    fn column_sql(&self, column: &Column) -> String {
        let identity = column.autoincrement && column.sql_type.is_integer();
        let mut sql = format!(
            "{} {}",
            self.quote(&column.name),
            self.type_sql(&column.sql_type, column)
        );
        if let Some(collation) = &column.collation {
            sql.push_str(&self.collate_sql(collation));
        }
        if identity {
            sql.push_str(&self.identity_after_type(&column.identity));
        }
        if let Some(expr) = &column.computed {
            sql.push_str(&format!(" GENERATED ALWAYS AS ({expr}) STORED"));
        }
        sql.push_str(self.nullability_sql(column));
        if let Some(default) = &column.default {
            sql.push_str(" DEFAULT ");
            sql.push_str(default);
        }
        if identity {
            sql.push_str(self.identity_at_end());
        }
        if let (Some(comment), true) = (&column.comment, self.inline_column_comments()) {
            sql.push_str(" COMMENT ");
            sql.push_str(&self.literal(comment));
        }
        sql
    }

    /// ` COLLATE "name"`, after a column's type. The name is an identifier, quoted as one.
    fn collate_sql(&self, collation: &str) -> String {
        format!(" COLLATE {}", self.quote(collation))
    }

    /// The collation `COLLATE` names to go back to the database's default.
    fn default_collation(&self) -> &'static str {
        "default"
    }

    /// A collation name as compared: case-insensitive unless the database says otherwise.
    fn canonical_collation(&self, collation: &str) -> String {
        collation.to_ascii_lowercase()
    }

    /// What makes an autoincrementing integer column number itself, right after its type,
    /// with its sequence options where the database applies them.
    fn identity_after_type(&self, _options: &IdentityOptions) -> String {
        String::new()
    }

    /// The identity options this database applies, `None`s read as its defaults, so that a
    /// declared option compares with the server's; by default none are (MySQL's and SQLite's
    /// autoincrement has no per-column sequence), and none is compared.
    fn comparable_identity(&self, _options: &IdentityOptions) -> IdentityOptions {
        IdentityOptions::default()
    }

    /// ` SET START WITH n SET INCREMENT BY m` for an identity's new options, or nothing where
    /// the database has none.
    fn identity_change_sql(&self, _change: &Change<IdentityOptions>) -> Option<String> {
        None
    }

    /// The same, at the end of the column definition.
    fn identity_at_end(&self) -> &'static str {
        ""
    }

    /// ` NOT NULL`, or nothing for a nullable column.
    fn nullability_sql(&self, column: &Column) -> &'static str {
        if column.nullable {
            ""
        } else {
            " NOT NULL"
        }
    }

    /// Whether column comments are part of the column definition (else `COMMENT ON`).
    fn inline_column_comments(&self) -> bool {
        false
    }

    /// `CONSTRAINT "name" ` or nothing for an unnamed constraint.
    fn constraint_prefix(&self, name: Option<&str>) -> String {
        name.map(|n| format!("CONSTRAINT {} ", self.quote(n)))
            .unwrap_or_default()
    }

    fn primary_key_sql(&self, pk: &PrimaryKey) -> String {
        format!(
            "{}PRIMARY KEY ({})",
            self.constraint_prefix(pk.name.as_deref()),
            self.quoted_list(&pk.columns)
        )
    }

    fn unique_sql(&self, unique: &UniqueConstraint) -> String {
        format!(
            "{}UNIQUE ({})",
            self.constraint_prefix(unique.name.as_deref()),
            self.quoted_list(&unique.columns)
        )
    }

    fn foreign_key_sql(&self, fk: &ForeignKey) -> String {
        let referred = QualifiedName {
            schema: fk.referred_schema.clone(),
            name: fk.referred_table.clone(),
        };
        let mut sql = format!(
            "{}FOREIGN KEY ({}) REFERENCES {}",
            self.constraint_prefix(fk.name.as_deref()),
            self.quoted_list(&fk.columns),
            self.table_name(&referred),
        );
        // No column list refers to the parent's primary key; `()` would be a syntax error.
        if !fk.referred_columns.is_empty() {
            sql.push_str(&format!(" ({})", self.quoted_list(&fk.referred_columns)));
        }
        if fk.match_full {
            sql.push_str(" MATCH FULL");
        }
        if let Some(action) = fk.on_delete {
            sql.push_str(" ON DELETE ");
            sql.push_str(action.sql());
        }
        if let Some(action) = fk.on_update {
            sql.push_str(" ON UPDATE ");
            sql.push_str(action.sql());
        }
        if fk.deferrable {
            sql.push_str(" DEFERRABLE");
        }
        if fk.initially_deferred {
            sql.push_str(" INITIALLY DEFERRED");
        }
        sql
    }

    fn check_sql(&self, check: &CheckConstraint) -> String {
        format!(
            "{}CHECK ({})",
            self.constraint_prefix(check.name.as_deref()),
            check.expr
        )
    }

    fn constraint_sql(&self, constraint: &Constraint) -> String {
        match constraint {
            Constraint::PrimaryKey(c) => self.primary_key_sql(c),
            Constraint::Unique(c) => self.unique_sql(c),
            Constraint::ForeignKey(c) => self.foreign_key_sql(c),
            Constraint::Check(c) => self.check_sql(c),
        }
    }

    /// `COMMENT ON ...` statements (PostgreSQL's form) for the table and its columns.
    fn comment_statements(&self, table: &Table) -> Vec<String> {
        if !self.supports_comments() {
            return Vec::new();
        }
        let name = self.table_name(&table.qualified_name());
        let mut statements = Vec::new();
        if let Some(comment) = &table.comment {
            statements.push(format!(
                "COMMENT ON TABLE {name} IS {}",
                self.literal(comment)
            ));
        }
        for column in &table.columns {
            if let Some(comment) = &column.comment {
                statements.push(format!(
                    "COMMENT ON COLUMN {name}.{} IS {}",
                    self.quote(&column.name),
                    self.literal(comment)
                ));
            }
        }
        statements
    }

    fn quoted_list(&self, names: &[String]) -> String {
        names
            .iter()
            .map(|n| self.quote(n))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn create_table(&self, table: &Table) -> Result<Vec<String>> {
        for fk in &table.foreign_keys {
            self.check_constraint(&table.qualified_name(), &Constraint::ForeignKey(fk.clone()))?;
        }
        let mut parts: Vec<String> = table.columns.iter().map(|c| self.column_sql(c)).collect();
        parts.extend(table.primary_key.iter().map(|c| self.primary_key_sql(c)));
        parts.extend(table.unique_constraints.iter().map(|c| self.unique_sql(c)));
        parts.extend(table.foreign_keys.iter().map(|c| self.foreign_key_sql(c)));
        parts.extend(table.check_constraints.iter().map(|c| self.check_sql(c)));
        let mut separate = Vec::new();
        for index in &table.indexes {
            // A table that may be there already may have its indexes too; only then is the
            // index copied, not for every index of every table an upgrade creates.
            let index = if table.if_not_exists && !index.if_not_exists {
                Cow::Owned(Index {
                    if_not_exists: true,
                    ..index.clone()
                })
            } else {
                Cow::Borrowed(index)
            };
            match self.inline_index_sql(&index) {
                Some(sql) => parts.push(sql),
                None => separate.extend(self.create_index(&table.qualified_name(), &index)?),
            }
        }
        let mut statements = vec![format!(
            "CREATE {}TABLE {}{} (\n    {}\n){}",
            self.create_table_prefix(table),
            if table.if_not_exists {
                "IF NOT EXISTS "
            } else {
                ""
            },
            self.table_name(&table.qualified_name()),
            parts.join(",\n    "),
            self.table_options_sql(table)
        )];
        statements.extend(self.comment_statements(table));
        statements.extend(separate);
        Ok(statements)
    }

    /// An index declared inside `CREATE TABLE` (MySQL's `INDEX name (..)`), or `None`: it is
    /// created after the table with `CREATE INDEX`. One statement per table instead of one per
    /// index matters on servers where each DDL statement costs milliseconds.
    fn inline_index_sql(&self, _index: &Index) -> Option<String> {
        None
    }

    /// What follows `CREATE TABLE name (..)`: table options such as MySQL's `COMMENT = '..'`.
    fn table_options_sql(&self, _table: &Table) -> String {
        String::new()
    }

    /// What stands between `CREATE` and `TABLE`: PostgreSQL's `UNLOGGED`.
    fn create_table_prefix(&self, _table: &Table) -> &'static str {
        ""
    }

    /// The part of a table's storage options this database applies, normalised so that a
    /// declared option compares equal to the server's spelling of it; the rest is left at its
    /// default, so autogenerate compares nothing another database's option says.
    fn comparable_storage(&self, _storage: &TableStorage) -> TableStorage {
        TableStorage::default()
    }

    /// Changes a table's storage options. Each option is named after the one database it
    /// applies to (see [`TableStorage`](crate::schema::TableStorage)); by default there are
    /// none, and the op runs no statement.
    fn alter_table_storage(&self, _op: &AlterTableStorage) -> Result<Vec<String>> {
        Ok(Vec::new())
    }

    fn drop_table(&self, name: &QualifiedName, if_exists: bool) -> Vec<String> {
        vec![format!(
            "DROP TABLE {}{}",
            if if_exists { "IF EXISTS " } else { "" },
            self.table_name(name)
        )]
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

    /// `CREATE INDEX`. The migration context names unnamed indexes by the naming convention
    /// before they get here; one without a name is refused rather than named differently.
    /// Expression keys are written as given (in their parentheses), column keys quoted; what
    /// the dialect lacks is refused by [`check_index`](Self::check_index) first.
    fn create_index(&self, table: &QualifiedName, index: &Index) -> Result<Vec<String>> {
        let Some(name) = &index.name else {
            return Err(unsupported(
                self.dialect(),
                &format!(
                    "create an index without a name on `{table}` ({})",
                    index.columns.join(", ")
                ),
                "name it, or run the op through a migration context, which names it by the \
                 naming convention",
            ));
        };
        self.check_index(table, index)?;
        let keys: Vec<String> = index
            .columns
            .iter()
            .map(|key| {
                let part = if Index::is_expression(key) {
                    key.clone()
                } else {
                    self.quote(key)
                };
                // A prefix length gets past check_index on MySQL only.
                let prefix = index
                    .prefix
                    .get(key)
                    .map(|n| format!("({n})"))
                    .unwrap_or_default();
                format!("{part}{prefix}{}", index.key_order(key).sql())
            })
            .collect();
        let (kind, using) = match &index.method {
            Some(method) => self.index_method_sql(method),
            None => (String::new(), String::new()),
        };
        let mut sql = format!(
            "CREATE {}{kind}INDEX {}{}{} ON {}",
            if index.unique { "UNIQUE " } else { "" },
            if index.concurrently {
                "CONCURRENTLY "
            } else {
                ""
            },
            if index.if_not_exists {
                "IF NOT EXISTS "
            } else {
                ""
            },
            self.quote(name),
            self.table_name(table),
        );
        sql.push_str(&using);
        sql.push_str(&format!(" ({})", keys.join(", ")));
        if !index.include.is_empty() {
            sql.push_str(&format!(" INCLUDE ({})", self.quoted_list(&index.include)));
        }
        if let Some(predicate) = &index.predicate {
            sql.push_str(&format!(" WHERE {predicate}"));
        }
        Ok(vec![sql])
    }

    /// Refuses what of `index` this dialect cannot create, naming it. The default accepts
    /// what PostgreSQL does: every key kind, method, `INCLUDE`, predicate and `CONCURRENTLY`;
    /// not MySQL's key prefixes and `FULLTEXT`.
    fn check_index(&self, table: &QualifiedName, index: &Index) -> Result<()> {
        if index
            .method
            .as_deref()
            .is_some_and(|m| m.eq_ignore_ascii_case("fulltext"))
        {
            return Err(unsupported(
                self.dialect(),
                &format!("create FULLTEXT index `{}` on `{table}`", index.name()),
                "FULLTEXT is MySQL's; on PostgreSQL index to_tsvector(..) using gin",
            ));
        }
        refuse_index_features(self.dialect(), table, index, &[IndexFeature::Prefix])
    }

    /// Where an index's method goes: the words before `INDEX` and the clause after the table
    /// (`USING gin`); MySQL writes `FULLTEXT INDEX`.
    fn index_method_sql(&self, method: &str) -> (String, String) {
        (String::new(), format!(" USING {method}"))
    }

    /// Whether two definitions of an index are the same index: expressions and predicates
    /// compared as [`canonical_expression`]s (PostgreSQL prints `lower((email)::text)` for a
    /// model's `lower(email)`), the default method and sort order however spelled.
    fn same_index(&self, a: &Index, b: &Index) -> bool {
        index::same_index(a, b)
    }

    fn drop_index(&self, table: &QualifiedName, name: &str, if_exists: bool) -> Vec<String> {
        vec![self.drop_index_sql(table, name, if_exists, "")]
    }

    /// `DROP INDEX {how}[IF EXISTS ]schema.name`, an index being named in its table's schema.
    fn drop_index_sql(
        &self,
        table: &QualifiedName,
        name: &str,
        if_exists: bool,
        how: &str,
    ) -> String {
        let qualified = QualifiedName {
            schema: table.schema.clone(),
            name: name.to_owned(),
        };
        format!(
            "DROP INDEX {how}{}{}",
            if if_exists { "IF EXISTS " } else { "" },
            self.table_name(&qualified)
        )
    }

    /// `DROP INDEX CONCURRENTLY` where the dialect has it (PostgreSQL), else refused.
    fn drop_index_concurrently(
        &self,
        table: &QualifiedName,
        name: &str,
        _if_exists: bool,
    ) -> Result<Vec<String>> {
        Err(unsupported(
            self.dialect(),
            &format!("drop index `{name}` on `{table}` concurrently"),
            "drop it without .concurrently(); only PostgreSQL has DROP INDEX CONCURRENTLY",
        ))
    }

    /// `ALTER TABLE .. ADD ..`, with `NOT VALID` where the constraint asks for it (only
    /// PostgreSQL gets one past [`check_constraint`](Self::check_constraint)).
    fn add_constraint(
        &self,
        table: &QualifiedName,
        constraint: &Constraint,
    ) -> Result<Vec<String>> {
        let not_valid = match constraint {
            Constraint::ForeignKey(fk) => fk.not_valid,
            Constraint::Check(check) => check.not_valid,
            Constraint::PrimaryKey(_) | Constraint::Unique(_) => false,
        };
        Ok(vec![format!(
            "ALTER TABLE {} ADD {}{}",
            self.table_name(table),
            self.constraint_sql(constraint),
            if not_valid { " NOT VALID" } else { "" }
        )])
    }

    /// Refuses what of `constraint` this dialect lacks, naming it: the default accepts what
    /// PostgreSQL does (deferrable keys, `MATCH FULL`, `NOT VALID`).
    fn check_constraint(&self, _table: &QualifiedName, _constraint: &Constraint) -> Result<()> {
        Ok(())
    }

    fn drop_constraint(
        &self,
        table: &QualifiedName,
        name: &str,
        _kind: Option<ConstraintKind>,
    ) -> Result<Vec<String>> {
        Ok(vec![format!(
            "ALTER TABLE {} DROP CONSTRAINT {}",
            self.table_name(table),
            self.quote(name)
        )])
    }

    /// Whether `op` changes nothing this database keeps: identity options where its
    /// autoincrement has none. Such an op runs no statement (and rebuilds no table).
    fn changes_nothing(&self, op: &Op) -> bool {
        match op {
            Op::AlterColumn(alter) => {
                alter.changes_only_identity()
                    && alter
                        .identity
                        .as_ref()
                        .is_some_and(|c| self.identity_change_sql(c).is_none())
            }
            Op::CreateEnum(_)
            | Op::DropEnum(_)
            | Op::AlterEnum(_)
            | Op::CreateDomain(_)
            | Op::DropDomain(_)
            | Op::AlterDomain(_) => !self.named_types(),
            _ => false,
        }
    }

    /// The SQL of one op, or why this dialect cannot run it. Matches exhaustively: a new op
    /// does not compile until handled here.
    fn statements(&self, op: &Op) -> Result<Vec<String>> {
        if self.changes_nothing(op) {
            return Ok(Vec::new());
        }
        Ok(match op {
            Op::CreateTable(op) => self.create_table(&op.table)?,
            Op::DropTable(op) => self.drop_table(&op.name, op.if_exists),
            Op::AddColumn(op) => self.add_column(&op.table, &op.column),
            Op::DropColumn(op) => self.drop_column(&op.table, &op.name),
            Op::CreateIndex(op) => self.create_index(&op.table, &op.index)?,
            Op::DropIndex(op) if op.concurrently => {
                self.drop_index_concurrently(&op.table, &op.name, op.if_exists)?
            }
            Op::DropIndex(op) => self.drop_index(&op.table, &op.name, op.if_exists),
            Op::AddConstraint(op) => {
                self.check_constraint(&op.table, &op.constraint)?;
                self.add_constraint(&op.table, &op.constraint)?
            }
            Op::DropConstraint(op) => self.drop_constraint(&op.table, &op.name, op.kind())?,
            Op::RenameTable(op) => self.rename_table(&op.table, &op.new_name),
            Op::RenameColumn(op) => self.rename_column(&op.table, &op.name, &op.new_name),
            Op::AlterColumn(op) => self.alter_column(op)?,
            Op::TableComment(op) => self.table_comment(&op.table, op.to.as_deref()),
            Op::AlterTableStorage(op) => self.alter_table_storage(op)?,
            Op::CreateEnum(op) => self.create_enum(&op.enum_type),
            Op::DropEnum(op) => self.drop_enum(&op.enum_type),
            Op::AlterEnum(op) => self.alter_enum(op),
            Op::CreateDomain(op) => self.create_domain(&op.domain),
            Op::DropDomain(op) => self.drop_domain(&op.domain),
            Op::AlterDomain(op) => self.alter_domain(op)?,
            // With values, the literals of `--sql` output; online the context binds them.
            Op::Execute(op) if op.params.is_empty() => vec![op.sql.clone()],
            Op::Execute(op) => vec![self.with_literals(&op.sql, &op.params)?],
            Op::BulkInsert(op) => self.bulk_insert(op),
        })
    }

    /// `sql` with each `?` placeholder replaced by its value's literal.
    fn with_literals(&self, sql: &str, params: &[Value]) -> Result<String> {
        let (text, found) = fill_placeholders(sql, |position| {
            params
                .get(position)
                .map_or_else(|| "?".to_owned(), |v| self.value_literal(v))
        });
        if found != params.len() {
            return Err(crate::executor::DatabaseError::Parameters {
                statement: sql.to_owned(),
                placeholders: found,
                values: params.len(),
            }
            .into());
        }
        Ok(text)
    }

    /// `INSERT INTO t (columns) VALUES (..), (..)`, [`bulk_insert_rows`](Self::bulk_insert_rows)
    /// rows per statement, values as literals.
    fn bulk_insert(&self, op: &BulkInsert) -> Vec<String> {
        let columns = self.quoted_list(&op.columns);
        op.rows
            .chunks(self.bulk_insert_rows().max(1))
            .map(|rows| {
                let values: Vec<String> = rows
                    .iter()
                    .map(|row| {
                        let row: Vec<String> = row.iter().map(|v| self.value_literal(v)).collect();
                        format!("({})", row.join(", "))
                    })
                    .collect();
                format!(
                    "INSERT INTO {} ({columns}) VALUES {}",
                    self.table_name(&op.table),
                    values.join(", ")
                )
            })
            .collect()
    }

    fn rename_table(&self, table: &QualifiedName, new_name: &str) -> Vec<String> {
        vec![format!(
            "ALTER TABLE {} RENAME TO {}",
            self.table_name(table),
            self.quote(new_name)
        )]
    }

    fn rename_column(&self, table: &QualifiedName, name: &str, new_name: &str) -> Vec<String> {
        vec![format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {}",
            self.table_name(table),
            self.quote(name),
            self.quote(new_name)
        )]
    }

    /// `ALTER COLUMN` clauses in PostgreSQL's (the standard's) form, one statement per change.
    fn alter_column(&self, op: &AlterColumn) -> Result<Vec<String>> {
        let prefix = format!(
            "ALTER TABLE {} ALTER COLUMN {}",
            self.table_name(&op.table),
            self.quote(&op.existing.name)
        );
        let altered = op.altered();
        let mut statements = Vec::new();
        // A new collation is `TYPE` with the same type: `ALTER COLUMN c TYPE t COLLATE x`.
        let collate = op.collation.as_ref().map(|change| {
            self.collate_sql(change.to.as_deref().unwrap_or(self.default_collation()))
        });
        if let Some(change) = &op.sql_type {
            statements.push(format!(
                "{prefix} TYPE {}{}{}",
                self.type_sql(&change.to, &altered),
                collate.unwrap_or_default(),
                self.type_cast(&op.existing.name, &change.from, &change.to, &altered)
            ));
        } else if let Some(collate) = collate {
            statements.push(format!(
                "{prefix} TYPE {}{collate}",
                self.type_sql(&altered.sql_type, &altered)
            ));
        }
        if let Some(sql) = op
            .identity
            .as_ref()
            .and_then(|c| self.identity_change_sql(c))
        {
            statements.push(format!("{prefix}{sql}"));
        }
        if let Some(change) = &op.nullable {
            statements.push(if change.to {
                format!("{prefix} DROP NOT NULL")
            } else {
                format!("{prefix} SET NOT NULL")
            });
        }
        if let Some(change) = &op.default {
            statements.push(match &change.to {
                Some(default) => format!("{prefix} SET DEFAULT {default}"),
                None => format!("{prefix} DROP DEFAULT"),
            });
        }
        if let Some(change) = &op.comment {
            if self.supports_comments() {
                statements.push(format!(
                    "COMMENT ON COLUMN {}.{} IS {}",
                    self.table_name(&op.table),
                    self.quote(&op.existing.name),
                    change
                        .to
                        .as_deref()
                        .map_or("NULL".to_owned(), |c| self.literal(c))
                ));
            }
        }
        Ok(statements)
    }

    /// The `USING` clause a type change needs, if any.
    fn type_cast(
        &self,
        _column: &str,
        _from: &SqlType,
        _to: &SqlType,
        _altered: &Column,
    ) -> String {
        String::new()
    }

    /// Sets or (with `None`) removes a table comment.
    fn table_comment(&self, table: &QualifiedName, comment: Option<&str>) -> Vec<String> {
        if !self.supports_comments() {
            return Vec::new();
        }
        vec![format!(
            "COMMENT ON TABLE {} IS {}",
            self.table_name(table),
            comment.map_or("NULL".to_owned(), |c| self.literal(c))
        )]
    }

    fn begin(&self) -> &'static str {
        "BEGIN"
    }

    /// A query returning one row with a nullable text column `scope`: where the version table
    /// lives, which names its migration lock (the database; on PostgreSQL the database and the
    /// schema). `None` where the dialect has no session lock and serialises runs another way.
    fn lock_scope_query(&self) -> Option<&'static str> {
        None
    }

    /// The queries of the session lock serialising the runs that write the version table
    /// `version_table` in `scope` (the row of `lock_scope_query`).
    fn migration_lock(&self, _scope: &str, _version_table: &str) -> Option<SessionLock> {
        None
    }

    /// A statement making this connection wait up to `timeout` for the database's own locks,
    /// where the dialect serialises runs by them (SQLite's busy timeout, which `BEGIN
    /// IMMEDIATE` waits for).
    fn lock_wait_statement(&self, _timeout: Duration) -> Option<String> {
        None
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
            "CREATE TABLE {} (\n    version_num VARCHAR(32) NOT NULL,\n    CONSTRAINT {} PRIMARY KEY (version_num)\n){}",
            self.quote(name),
            self.quote(&format!("{name}_pkc")),
            self.bookkeeping_table_options()
        )
    }

    /// `CREATE TABLE` for the applied table beside the version table: one row per applied
    /// revision with the checksum of its file and when it was applied (NULL when it was
    /// recorded without running: stamped, or adopted from a version table that had no applied
    /// table). `if_not_exists` for scripts, which cannot tell whether it is there.
    fn create_applied_table(&self, name: &str, if_not_exists: bool) -> String {
        format!(
            "CREATE TABLE {}{} (\n    revision VARCHAR(32) NOT NULL,\n    checksum VARCHAR(80) NOT NULL,\n    applied_at {} NULL,\n    CONSTRAINT {} PRIMARY KEY (revision)\n){}",
            if if_not_exists { "IF NOT EXISTS " } else { "" },
            self.quote(name),
            self.applied_at_type(),
            self.quote(&format!("{name}_pkc")),
            self.bookkeeping_table_options()
        )
    }

    /// The type of the applied table's `applied_at`, which `CURRENT_TIMESTAMP` fills.
    fn applied_at_type(&self) -> &'static str {
        "TIMESTAMP"
    }

    /// Table options of the version and applied tables.
    fn bookkeeping_table_options(&self) -> &'static str {
        ""
    }

    /// `expr` as text, for reading a value of any type into a string.
    fn text_cast(&self, expr: &str) -> String {
        format!("CAST({expr} AS TEXT)")
    }

    /// A query returning one row with an integer column `n`: 1 when the table exists.
    fn table_exists_query(&self, name: &str) -> String;
}

/// How an op holds up a table, for autogenerate's blocking findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TableCost {
    /// Every row is rewritten under an exclusive lock (PostgreSQL `ALTER COLUMN .. TYPE` without
    /// a binary-compatible cast).
    Rewrite,
    /// The table is created anew and every row copied (SQLite's rebuild).
    Rebuild,
    /// The server copies the table, blocking writes (MySQL's `ALGORITHM=COPY`).
    Copy,
    /// Every row is read under a lock that blocks writes (PostgreSQL `SET NOT NULL`, a new
    /// constraint's validation, `CREATE INDEX` without `CONCURRENTLY`).
    Scan,
}

/// Where the migration context reads what a table rebuild needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RebuildSupport {
    /// Returns rows of [`SchemaObject`] columns (`type`, `name`, `tbl_name`, `sql`): the
    /// table, its indexes, and every view and trigger of the schema.
    pub definition_query: String,
}

/// One object of the database's schema as it stores it (SQLite's `sqlite_master` row).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaObject {
    /// `table`, `index`, `view` or `trigger`.
    pub kind: String,
    pub name: String,
    /// The table an index or trigger belongs to; a table's or view's own name.
    pub table: String,
    /// The statement that created it.
    pub sql: String,
}

/// How to suspend foreign-key enforcement around a transaction and check every key before
/// commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignKeyGuard {
    /// Returns one row with an integer column `n`: 1 when foreign keys are enforced.
    pub enforcement_query: &'static str,
    /// Run before the transaction when enforcement is on, and after it to restore it.
    pub disable: &'static str,
    pub enable: &'static str,
    /// Returns a row per broken key: text columns `child` and `parent`, the count `n` of rows
    /// of `child` whose key finds no row in `parent`. Empty when every key holds.
    pub violations_query: &'static str,
}

/// An op this dialect cannot run as written: what it cannot do and what to do instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{dialect} cannot {what}; {hint}")]
pub struct Unsupported {
    pub dialect: Dialect,
    pub what: String,
    pub hint: String,
}

/// Bytes as lowercase hex digits, two per byte, for binary literals.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The error for an op a dialect cannot run directly.
/// The options of `constraint` beyond its definition that `dialect` lacks (`lacks` lists them
/// by name: `DEFERRABLE`, `MATCH FULL`, `NOT VALID`), refused with the constraint named.
pub(crate) fn refuse_constraint_features(
    dialect: Dialect,
    table: &QualifiedName,
    constraint: &Constraint,
    lacks: &[&str],
) -> Result<()> {
    let present: Vec<&str> = match constraint {
        Constraint::ForeignKey(fk) => [
            (fk.deferrable, "DEFERRABLE"),
            (fk.match_full, "MATCH FULL"),
            (fk.not_valid, "NOT VALID"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect(),
        Constraint::Check(check) => check.not_valid.then_some("NOT VALID").into_iter().collect(),
        Constraint::PrimaryKey(_) | Constraint::Unique(_) => Vec::new(),
    };
    match present.into_iter().find(|feature| lacks.contains(feature)) {
        Some(feature) => Err(unsupported(
            dialect,
            &format!(
                "create constraint `{}` on `{table}` with {feature}",
                constraint.name().unwrap_or("(unnamed)")
            ),
            &format!(
                "{dialect} has no {feature}; declare the constraint without it for this database"
            ),
        )),
        None => Ok(()),
    }
}

pub fn unsupported(dialect: Dialect, what: &str, hint: &str) -> Error {
    Unsupported {
        dialect,
        what: what.to_owned(),
        hint: hint.to_owned(),
    }
    .into()
}

#[cfg(test)]
mod tests;
