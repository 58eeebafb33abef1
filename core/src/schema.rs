//! The schema model: one set of plain types for both the tables users derive and the tables
//! reflection reads from a live database (SQLAlchemy's `MetaData`/`Table`/`Column`).
//!
//! Autogenerate compares two [`MetaData`] values; because both sides are the same type, the
//! comparison is set arithmetic over their `BTreeMap`s and its order is deterministic. The
//! builder methods (`Column::new(..).not_null()`) are also what rendered migration files call.

use std::collections::BTreeMap;
use std::fmt;

pub use crate::types::{quote_labels, DomainCheck, DomainType, EnumType, SqlType};
// Defined in retort-syntax, beside its parser, so the derive reads `on_delete = "..."` with
// the same function as reflection; re-exported so `retort_core::schema::ForeignKeyAction`
// keeps naming it.
pub use retort_syntax::ForeignKeyAction;

/// A table's name with its optional schema (PostgreSQL schema, MySQL database).
/// Sorts unqualified names first, then by schema and name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QualifiedName {
    pub schema: Option<String>,
    pub name: String,
}

impl QualifiedName {
    pub fn new(schema: Option<&str>, name: &str) -> Self {
        QualifiedName {
            schema: schema.map(str::to_owned),
            name: name.to_owned(),
        }
    }
}

impl From<&str> for QualifiedName {
    fn from(name: &str) -> Self {
        QualifiedName::new(None, name)
    }
}

/// `("app", "users")`: a table in a schema, as migration files name one.
impl From<(&str, &str)> for QualifiedName {
    fn from((schema, name): (&str, &str)) -> Self {
        QualifiedName::new(Some(schema), name)
    }
}

/// An enum type's name with its schema.
impl From<&EnumType> for QualifiedName {
    fn from(enum_type: &EnumType) -> Self {
        QualifiedName::new(enum_type.schema.as_deref(), &enum_type.name)
    }
}

/// A domain's name with its schema.
impl From<&DomainType> for QualifiedName {
    fn from(domain: &DomainType) -> Self {
        QualifiedName::new(domain.schema.as_deref(), &domain.name)
    }
}

/// `INTEGER NOT NULL DEFAULT 1 CHECK (..)`: a domain's definition, for messages.
pub fn describe(domain: &DomainType) -> String {
    let mut text = domain.base.to_string();
    if domain.not_null {
        text.push_str(" NOT NULL");
    }
    if let Some(default) = &domain.default {
        text.push_str(&format!(" DEFAULT {default}"));
    }
    for check in &domain.checks {
        text.push_str(&format!(
            " CONSTRAINT {} CHECK ({})",
            check.name, check.expr
        ));
    }
    text
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.schema {
            Some(schema) => write!(f, "{schema}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// A set of tables keyed by qualified name: the target metadata or a reflected database.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MetaData {
    pub tables: BTreeMap<QualifiedName, Table>,
    /// The enumerated types by qualified name: those the tables' columns use (gathered by
    /// [`MetaData::add_table`]) and, reflected from PostgreSQL, every enum type of the
    /// schemas read. Only PostgreSQL creates and drops them as types of their own.
    pub enums: BTreeMap<QualifiedName, EnumType>,
    /// The PostgreSQL domains by qualified name, gathered and reflected as `enums` are.
    pub domains: BTreeMap<QualifiedName, DomainType>,
    /// Reflected from PostgreSQL: every column of the database that uses each enum type or
    /// domain, in any table or schema, with its default. Changing a type's labels converts
    /// them all; a type is dropped only once none is left.
    pub type_columns: BTreeMap<QualifiedName, Vec<TypeColumn>>,
}

/// A column of an enum type or domain, as a change of the type's labels must convert it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TypeColumn {
    pub table: QualifiedName,
    pub column: String,
    /// The column's default, which PostgreSQL cannot convert with it: it is dropped and set
    /// again around the conversion.
    pub default: Option<String>,
}

/// Two declarations of one enum type or domain that differ.
#[derive(Debug, thiserror::Error)]
#[error(
    "{kind} `{name}` is declared twice, as {first} and as {second}; give one Rust type its \
     own #[{attribute}(name = \"...\")] or make the two agree"
)]
pub struct ConflictingType {
    /// `enum type` or `domain`.
    pub kind: &'static str,
    /// `sql_enum` or `sql_domain`.
    pub attribute: &'static str,
    pub name: String,
    pub first: String,
    pub second: String,
}

impl MetaData {
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds metadata from tables; a later table with the same qualified name replaces an
    /// earlier one (the registry reports duplicates before this point).
    pub fn from_tables(tables: impl IntoIterator<Item = Table>) -> Self {
        let mut metadata = MetaData::new();
        for table in tables {
            metadata.add_table(table);
        }
        metadata
    }

    /// Adds a table, and the enum types and domains of its columns where no type of that
    /// name is known.
    pub fn add_table(&mut self, table: Table) {
        for column in &table.columns {
            match &column.sql_type {
                SqlType::Enum(enum_type) => {
                    self.enums
                        .entry(QualifiedName::from(enum_type))
                        .or_insert_with(|| enum_type.clone());
                }
                SqlType::Domain(domain) => {
                    self.domains
                        .entry(QualifiedName::from(domain))
                        .or_insert_with(|| domain.clone());
                }
                _ => {}
            }
        }
        self.tables.insert(table.qualified_name(), table);
    }

    /// Refuses two columns whose enum types (or domains) have one name and differ: the type
    /// could be created only one way.
    pub fn check_types(&self) -> Result<(), ConflictingType> {
        for table in self.tables.values() {
            for column in &table.columns {
                let conflict = match &column.sql_type {
                    SqlType::Enum(used) => self
                        .enums
                        .get(&QualifiedName::from(used))
                        .filter(|known| known.labels != used.labels)
                        .map(|known| {
                            let labels = |e: &EnumType| format!("[{}]", e.label_list());
                            let name = QualifiedName::from(used);
                            ("enum type", "sql_enum", name, labels(known), labels(used))
                        }),
                    SqlType::Domain(used) => self
                        .domains
                        .get(&QualifiedName::from(used))
                        .filter(|known| *known != used)
                        .map(|known| {
                            let name = QualifiedName::from(used);
                            (
                                "domain",
                                "sql_domain",
                                name,
                                describe(known),
                                describe(used),
                            )
                        }),
                    _ => None,
                };
                if let Some((kind, attribute, name, first, second)) = conflict {
                    return Err(ConflictingType {
                        kind,
                        attribute,
                        name: name.to_string(),
                        first,
                        second,
                    });
                }
            }
        }
        Ok(())
    }

    pub fn table(&self, name: &QualifiedName) -> Option<&Table> {
        self.tables.get(name)
    }
}

/// A table: columns in declaration order plus its constraints and indexes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub schema: Option<String>,
    pub name: String,
    pub columns: Vec<Column>,
    pub primary_key: Option<PrimaryKey>,
    pub indexes: Vec<Index>,
    pub unique_constraints: Vec<UniqueConstraint>,
    pub foreign_keys: Vec<ForeignKey>,
    pub check_constraints: Vec<CheckConstraint>,
    pub comment: Option<String>,
    /// `#[table(renamed_from = "old")]`: autogenerate renames instead of drop + create.
    pub renamed_from: Option<String>,
    /// `CREATE TABLE IF NOT EXISTS` (and its indexes likewise), from
    /// `op.create_table(..).if_not_exists()`: how the op runs, neither reflected nor compared.
    pub if_not_exists: bool,
    /// How the server stores the table: MySQL's engine and default character set and
    /// collation, PostgreSQL's `UNLOGGED`. Each applies on its own database only.
    pub storage: TableStorage,
}

/// A table's storage options (SQLAlchemy's `mysql_engine`, `mysql_charset`, `mysql_collate`
/// and `prefixes=["UNLOGGED"]`). Each is named after the one database it applies to, and the
/// others ignore it, as SQLAlchemy's dialect options are ignored by other dialects: a model
/// that runs its tests on SQLite and production on MySQL declares the engine once. `None` is
/// the server's default and is not compared.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableStorage {
    /// `ENGINE = InnoDB`.
    pub mysql_engine: Option<String>,
    /// `DEFAULT CHARSET = utf8mb4`: the character set of columns that declare none.
    pub mysql_charset: Option<String>,
    /// `COLLATE = utf8mb4_bin`: the collation of columns that declare none.
    pub mysql_collate: Option<String>,
    /// `CREATE UNLOGGED TABLE`: not written to PostgreSQL's WAL, emptied after a crash.
    pub postgresql_unlogged: bool,
    /// `PARTITION BY RANGE (created_at)`: a PostgreSQL partitioned table. Its partitions are
    /// tables of their own that migrations create (`op.execute`); they are not compared.
    pub postgresql_partition_by: Option<String>,
}

impl Table {
    pub fn new(name: impl Into<String>) -> Self {
        Table {
            name: name.into(),
            ..Table::default()
        }
    }

    /// A table with these columns; columns marked `.primary_key()` form its primary key, in
    /// column order.
    pub fn with_columns(
        name: impl Into<String>,
        columns: impl IntoIterator<Item = Column>,
    ) -> Self {
        let mut table = Table::new(name);
        for column in columns {
            table.push_column(column);
        }
        table
    }

    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }

    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    pub fn index(mut self, index: Index) -> Self {
        self.indexes.push(index);
        self
    }

    pub fn unique(mut self, unique: UniqueConstraint) -> Self {
        self.unique_constraints.push(unique);
        self
    }

    pub fn foreign_key(mut self, foreign_key: ForeignKey) -> Self {
        self.foreign_keys.push(foreign_key);
        self
    }

    pub fn check(mut self, check: CheckConstraint) -> Self {
        self.check_constraints.push(check);
        self
    }

    /// Sets the primary key explicitly (composite keys in any column order), making its columns
    /// NOT NULL; replaces keys given by `Column::primary_key`.
    pub fn primary_key(mut self, primary_key: PrimaryKey) -> Self {
        for column in &mut self.columns {
            if primary_key.columns.contains(&column.name) {
                column.nullable = false;
            }
        }
        self.primary_key = Some(primary_key);
        self
    }

    pub fn renamed_from(mut self, old_name: impl Into<String>) -> Self {
        self.renamed_from = Some(old_name.into());
        self
    }

    pub fn mysql_engine(mut self, engine: impl Into<String>) -> Self {
        self.storage.mysql_engine = Some(engine.into());
        self
    }

    pub fn mysql_charset(mut self, charset: impl Into<String>) -> Self {
        self.storage.mysql_charset = Some(charset.into());
        self
    }

    pub fn mysql_collate(mut self, collation: impl Into<String>) -> Self {
        self.storage.mysql_collate = Some(collation.into());
        self
    }

    pub fn postgresql_unlogged(mut self) -> Self {
        self.storage.postgresql_unlogged = true;
        self
    }

    pub fn postgresql_partition_by(mut self, key: impl Into<String>) -> Self {
        self.storage.postgresql_partition_by = Some(key.into());
        self
    }

    /// Appends a column; one built with `.primary_key()` joins the table's primary key, which
    /// is then the only place that fact is kept.
    pub fn push_column(&mut self, mut column: Column) {
        if std::mem::take(&mut column.primary_key_mark) {
            self.primary_key
                .get_or_insert_with(PrimaryKey::default)
                .columns
                .push(column.name.clone());
        }
        self.columns.push(column);
    }

    /// Whether `column` is part of the primary key.
    pub fn in_primary_key(&self, column: &str) -> bool {
        self.primary_key
            .as_ref()
            .is_some_and(|pk| pk.columns.iter().any(|c| c == column))
    }

    pub fn qualified_name(&self) -> QualifiedName {
        QualifiedName {
            schema: self.schema.clone(),
            name: self.name.clone(),
        }
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A column. The builder methods are the ones migration files use:
/// `Column::new("email", SqlType::Varchar(255)).not_null()`.
#[derive(Clone, Debug, Eq)]
pub struct Column {
    pub name: String,
    pub sql_type: SqlType,
    /// Columns are nullable unless marked otherwise, as in SQLAlchemy.
    pub nullable: bool,
    /// The server default, as SQL expression text (`0`, `'x'`, `CURRENT_TIMESTAMP`).
    pub default: Option<String>,
    /// Set by `.primary_key()` and taken by `Table::push_column` into the table's
    /// `primary_key`: the key is kept on the table only, so a column inside a table never
    /// holds this mark.
    primary_key_mark: bool,
    pub autoincrement: bool,
    pub comment: Option<String>,
    /// A generated column's expression (`GENERATED ALWAYS AS (expr)`).
    pub computed: Option<String>,
    /// `#[column(renamed_from = "old")]`: autogenerate renames instead of drop + add.
    pub renamed_from: Option<String>,
    /// `COLLATE name`: how the column's text compares and sorts (`"C"` on PostgreSQL,
    /// `"utf8mb4_bin"` on MySQL, `"NOCASE"` on SQLite). `None` is the table's or database's
    /// default, and is not compared.
    pub collation: Option<String>,
    /// An autoincrementing column's sequence options (PostgreSQL's identity).
    pub identity: IdentityOptions,
}

/// The options of the sequence behind an identity column (SQLAlchemy's `Identity(start=,
/// increment=)`): applied by PostgreSQL, ignored by databases whose autoincrement has none per
/// column. `None` is the database's default (1), and is not compared.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct IdentityOptions {
    /// `START WITH n`: the first value.
    pub start: Option<i64>,
    /// `INCREMENT BY n`: the step between values.
    pub increment: Option<i64>,
}

/// Two columns are equal when they describe the same column: the `.primary_key()` mark is an
/// instruction to the table the column is put in, not part of the column.
impl PartialEq for Column {
    fn eq(&self, other: &Self) -> bool {
        let Column {
            name,
            sql_type,
            nullable,
            default,
            primary_key_mark: _,
            autoincrement,
            comment,
            computed,
            renamed_from,
            collation,
            identity,
        } = self;
        *name == other.name
            && *sql_type == other.sql_type
            && *nullable == other.nullable
            && *default == other.default
            && *autoincrement == other.autoincrement
            && *comment == other.comment
            && *computed == other.computed
            && *renamed_from == other.renamed_from
            && *collation == other.collation
            && *identity == other.identity
    }
}

impl Column {
    pub fn new(name: impl Into<String>, sql_type: SqlType) -> Self {
        Column {
            name: name.into(),
            sql_type,
            nullable: true,
            default: None,
            primary_key_mark: false,
            autoincrement: false,
            comment: None,
            computed: None,
            renamed_from: None,
            collation: None,
            identity: IdentityOptions::default(),
        }
    }

    pub fn not_null(mut self) -> Self {
        self.nullable = false;
        self
    }

    pub fn nullable(mut self, nullable: bool) -> Self {
        self.nullable = nullable;
        self
    }

    /// Part of the primary key of the table it is created in (`Table::with_columns`,
    /// `op.create_table`); implies NOT NULL.
    pub fn primary_key(mut self) -> Self {
        self.primary_key_mark = true;
        self.nullable = false;
        self
    }

    pub fn autoincrement(mut self) -> Self {
        self.autoincrement = true;
        self
    }

    /// Server default as a SQL expression: `.default("0")`, `.default("'draft'")`.
    pub fn default(mut self, sql: impl Into<String>) -> Self {
        self.default = Some(sql.into());
        self
    }

    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// A generated column: `.computed("price * quantity")`.
    pub fn computed(mut self, sql: impl Into<String>) -> Self {
        self.computed = Some(sql.into());
        self
    }

    pub fn renamed_from(mut self, old_name: impl Into<String>) -> Self {
        self.renamed_from = Some(old_name.into());
        self
    }

    /// The identity's first value: `.autoincrement().identity_start(1000)`.
    pub fn identity_start(mut self, start: i64) -> Self {
        self.identity.start = Some(start);
        self
    }

    /// The identity's step: `.autoincrement().identity_increment(10)`.
    pub fn identity_increment(mut self, increment: i64) -> Self {
        self.identity.increment = Some(increment);
        self
    }

    /// `COLLATE name`: `.collation("C")`.
    pub fn collation(mut self, name: impl Into<String>) -> Self {
        self.collation = Some(name.into());
        self
    }
}

/// The primary key constraint; `name` is `None` where the database does not keep one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrimaryKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

impl PrimaryKey {
    pub fn new<S: Into<String>>(columns: impl IntoIterator<Item = S>) -> Self {
        PrimaryKey {
            name: None,
            columns: strings(columns),
        }
    }

    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}

fn strings<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Vec<String> {
    items.into_iter().map(Into::into).collect()
}

/// An index over columns. Every index has a name by the time it reaches the database: an
/// unnamed one gets it from the naming convention (`ix_<table>_<columns>`).
///
/// Beyond columns, PostgreSQL and SQLite indexes may have expression keys (a key part in
/// parentheses, `(lower(email))`, as both databases write one), a sort order per key part and
/// a predicate (a partial index); PostgreSQL also an access method (`gin`, `gist`, `brin`,
/// `hash`) and `INCLUDE` columns; MySQL key prefixes and `FULLTEXT` (as the method
/// `fulltext`). The DDL of a database that lacks one refuses it by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Index {
    pub name: Option<String>,
    /// Key parts, in order: column names, or SQL expressions in parentheses.
    pub columns: Vec<String>,
    pub unique: bool,
    /// Key parts that do not sort ascending with the database's own NULL placement, by key part.
    pub order: BTreeMap<String, KeyOrder>,
    /// The access method (`USING gin`); `None` is the database's default (btree).
    pub method: Option<String>,
    /// The `WHERE` of a partial index.
    pub predicate: Option<String>,
    /// Columns stored in the index without being keys (PostgreSQL's `INCLUDE`).
    pub include: Vec<String>,
    /// Key columns indexed by their first characters only, by key part (MySQL's `title(20)`,
    /// required for a `TEXT` or `BLOB` key).
    pub prefix: BTreeMap<String, u32>,
    /// `CREATE INDEX CONCURRENTLY` (PostgreSQL): how the op runs, not part of the schema, so it
    /// is neither reflected nor compared. Such an op must run in an `autocommit_block`.
    pub concurrently: bool,
    /// `CREATE INDEX IF NOT EXISTS` (PostgreSQL, SQLite, MariaDB): how the op runs, too.
    pub if_not_exists: bool,
}

/// How an index sorts one key part.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyOrder {
    pub descending: bool,
    /// `NULLS FIRST` (`Some(true)`) or `NULLS LAST`; `None` is the database's default for the
    /// direction (PostgreSQL: last ascending, first descending).
    pub nulls_first: Option<bool>,
}

impl KeyOrder {
    /// `DESC`.
    pub const DESC: KeyOrder = KeyOrder {
        descending: true,
        nulls_first: None,
    };

    /// The same order with the NULL placement written out only where it is not the default
    /// for the direction (PostgreSQL's rule), so two spellings of one order are equal.
    pub fn canonical(self) -> KeyOrder {
        KeyOrder {
            descending: self.descending,
            nulls_first: self.nulls_first.filter(|first| *first != self.descending),
        }
    }

    /// The SQL after a key part: ` DESC`, ` NULLS FIRST`, or both; empty for the default.
    pub fn sql(self) -> String {
        let mut out = String::new();
        if self.descending {
            out.push_str(" DESC");
        }
        match self.nulls_first {
            Some(true) => out.push_str(" NULLS FIRST"),
            Some(false) => out.push_str(" NULLS LAST"),
            None => {}
        }
        out
    }
}

impl Index {
    pub fn new<S: Into<String>>(
        name: impl Into<String>,
        columns: impl IntoIterator<Item = S>,
    ) -> Self {
        Index {
            name: Some(name.into()),
            ..Index::unnamed(columns)
        }
    }

    /// An index named later by the naming convention.
    pub fn unnamed<S: Into<String>>(columns: impl IntoIterator<Item = S>) -> Self {
        Index {
            name: None,
            columns: strings(columns),
            unique: false,
            order: BTreeMap::new(),
            method: None,
            predicate: None,
            include: Vec::new(),
            prefix: BTreeMap::new(),
            concurrently: false,
            if_not_exists: false,
        }
    }

    pub fn unique(mut self) -> Self {
        self.unique = true;
        self
    }

    /// Sorts `key` (a column or a parenthesised expression of the index) descending.
    pub fn desc(mut self, key: impl Into<String>) -> Self {
        self.order.entry(key.into()).or_default().descending = true;
        self
    }

    /// Places NULLs of `key` first (`true`) or last.
    pub fn nulls_first(mut self, key: impl Into<String>, first: bool) -> Self {
        self.order.entry(key.into()).or_default().nulls_first = Some(first);
        self
    }

    /// `USING method` (PostgreSQL: `gin`, `gist`, `brin`, `hash`, `spgist`).
    pub fn using(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }

    /// Makes the index partial: only rows where `predicate` holds.
    pub fn where_(mut self, predicate: impl Into<String>) -> Self {
        self.predicate = Some(predicate.into());
        self
    }

    /// `INCLUDE (columns)` (PostgreSQL).
    pub fn include<S: Into<String>>(mut self, columns: impl IntoIterator<Item = S>) -> Self {
        self.include = strings(columns);
        self
    }

    /// Indexes only the first `length` characters of `key` (MySQL).
    pub fn prefix(mut self, key: impl Into<String>, length: u32) -> Self {
        self.prefix.insert(key.into(), length);
        self
    }

    /// `CREATE INDEX CONCURRENTLY` (PostgreSQL), inside `op.autocommit_block`.
    pub fn concurrently(mut self) -> Self {
        self.concurrently = true;
        self
    }

    /// The name, or `""` before the naming convention ran.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or_default()
    }

    /// Whether `key` is an expression rather than a column name.
    pub fn is_expression(key: &str) -> bool {
        key.starts_with('(')
    }

    /// The order of `key`, ascending when not listed.
    pub fn key_order(&self, key: &str) -> KeyOrder {
        self.order.get(key).copied().unwrap_or_default()
    }

    /// Whether the index is more than plain columns in ascending order with the default method.
    pub fn is_plain(&self) -> bool {
        self.order.values().all(|o| *o == KeyOrder::default())
            && self.method.is_none()
            && self.predicate.is_none()
            && self.include.is_empty()
            && self.prefix.is_empty()
            && !self.columns.iter().any(|c| Index::is_expression(c))
    }
}

/// `UNIQUE (columns)` as a constraint (as opposed to a unique index).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UniqueConstraint {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

impl UniqueConstraint {
    pub fn new<S: Into<String>>(columns: impl IntoIterator<Item = S>) -> Self {
        UniqueConstraint {
            name: None,
            columns: strings(columns),
        }
    }

    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}

/// `FOREIGN KEY (columns) REFERENCES table (columns)`. `None` actions are the database's
/// default (NO ACTION).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub referred_schema: Option<String>,
    pub referred_table: String,
    pub referred_columns: Vec<String>,
    pub on_delete: Option<ForeignKeyAction>,
    pub on_update: Option<ForeignKeyAction>,
    /// `DEFERRABLE` (PostgreSQL, SQLite): checked at commit when deferred.
    pub deferrable: bool,
    /// `INITIALLY DEFERRED` (with `deferrable`): deferred unless a transaction says otherwise.
    pub initially_deferred: bool,
    /// `MATCH FULL` (PostgreSQL): a NULL in some but not all key columns is refused. The
    /// default, `MATCH SIMPLE`, lets any NULL through.
    pub match_full: bool,
    /// `NOT VALID` (PostgreSQL): `op.create_foreign_key` skips checking the rows already there.
    /// How the op runs, not part of the schema: neither reflected nor compared.
    pub not_valid: bool,
}

impl ForeignKey {
    pub fn new<S: Into<String>, R: Into<String>>(
        columns: impl IntoIterator<Item = S>,
        referred_table: impl Into<String>,
        referred_columns: impl IntoIterator<Item = R>,
    ) -> Self {
        ForeignKey {
            name: None,
            columns: strings(columns),
            referred_schema: None,
            referred_table: referred_table.into(),
            referred_columns: strings(referred_columns),
            on_delete: None,
            on_update: None,
            deferrable: false,
            initially_deferred: false,
            match_full: false,
            not_valid: false,
        }
    }

    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// `DEFERRABLE`.
    pub fn deferrable(mut self) -> Self {
        self.deferrable = true;
        self
    }

    /// `DEFERRABLE INITIALLY DEFERRED`.
    pub fn initially_deferred(mut self) -> Self {
        self.deferrable = true;
        self.initially_deferred = true;
        self
    }

    /// `MATCH FULL`.
    pub fn match_full(mut self) -> Self {
        self.match_full = true;
        self
    }

    pub fn referred_schema(mut self, schema: impl Into<String>) -> Self {
        self.referred_schema = Some(schema.into());
        self
    }

    pub fn on_delete(mut self, action: ForeignKeyAction) -> Self {
        self.on_delete = Some(action);
        self
    }

    pub fn on_update(mut self, action: ForeignKeyAction) -> Self {
        self.on_update = Some(action);
        self
    }
}

/// `CHECK (expr)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckConstraint {
    pub name: Option<String>,
    pub expr: String,
    /// `NOT VALID` (PostgreSQL): `op.create_check_constraint` skips checking the rows already
    /// there. How the op runs: neither reflected nor compared.
    pub not_valid: bool,
}

impl CheckConstraint {
    pub fn new(expr: impl Into<String>) -> Self {
        CheckConstraint {
            name: None,
            expr: expr.into(),
            not_valid: false,
        }
    }

    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}
