//! The schema model: one set of plain types for both the tables users derive and the tables
//! reflection reads from a live database (SQLAlchemy's `MetaData`/`Table`/`Column`).
//!
//! Autogenerate compares two [`MetaData`] values; because both sides are the same type, the
//! comparison is set arithmetic over their `BTreeMap`s and its order is deterministic. The
//! builder methods (`Column::new(..).not_null()`) are also what rendered migration files call.

use std::collections::BTreeMap;
use std::fmt;

pub use crate::types::SqlType;

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

    pub fn add_table(&mut self, table: Table) {
        self.tables.insert(table.qualified_name(), table);
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
    pub comment: Option<String>,
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

    /// Appends a column, keeping `primary_key` in step with the column's flag.
    pub fn push_column(&mut self, column: Column) {
        if column.primary_key {
            self.primary_key
                .get_or_insert_with(PrimaryKey::default)
                .columns
                .push(column.name.clone());
        }
        self.columns.push(column);
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub sql_type: SqlType,
    /// Columns are nullable unless marked otherwise, as in SQLAlchemy.
    pub nullable: bool,
    /// The server default, as SQL expression text (`0`, `'x'`, `CURRENT_TIMESTAMP`).
    pub default: Option<String>,
    pub primary_key: bool,
    pub autoincrement: bool,
    pub comment: Option<String>,
}

impl Column {
    pub fn new(name: impl Into<String>, sql_type: SqlType) -> Self {
        Column {
            name: name.into(),
            sql_type,
            nullable: true,
            default: None,
            primary_key: false,
            autoincrement: false,
            comment: None,
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

    /// Part of the primary key; implies NOT NULL.
    pub fn primary_key(mut self) -> Self {
        self.primary_key = true;
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
}

/// The primary key constraint; `name` is `None` where the database does not keep one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrimaryKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

/// An index over columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Index {
    pub name: String,
    pub columns: Vec<String>,
    pub unique: bool,
}

impl Index {
    pub fn new<S: Into<String>>(
        name: impl Into<String>,
        columns: impl IntoIterator<Item = S>,
    ) -> Self {
        Index {
            name: name.into(),
            columns: columns.into_iter().map(Into::into).collect(),
            unique: false,
        }
    }

    pub fn unique(mut self) -> Self {
        self.unique = true;
        self
    }
}
