//! The attribute names and keys the derive understands, in one place (serde's `symbol.rs`).
//!
//! Parsing compares paths against these constants, and error messages list them, so adding a
//! key here and in the parser is what makes it accepted and advertised.

use std::fmt::{self, Display};

use syn::{Ident, Path};

/// A name in an attribute, compared against `syn` identifiers and paths.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Symbol(&'static str);

/// `#[table(...)]` on the struct.
pub const TABLE: Symbol = Symbol("table");
/// `#[column(...)]` on a field.
pub const COLUMN: Symbol = Symbol("column");

pub const NAME: Symbol = Symbol("name");
pub const SCHEMA: Symbol = Symbol("schema");
pub const COMMENT: Symbol = Symbol("comment");
pub const PRIMARY_KEY: Symbol = Symbol("primary_key");
pub const AUTOINCREMENT: Symbol = Symbol("autoincrement");
pub const NULLABLE: Symbol = Symbol("nullable");
pub const LENGTH: Symbol = Symbol("length");
pub const PRECISION: Symbol = Symbol("precision");
pub const SCALE: Symbol = Symbol("scale");
pub const SQL_TYPE: Symbol = Symbol("sql_type");
pub const DEFAULT: Symbol = Symbol("default");
pub const UNIQUE: Symbol = Symbol("unique");
pub const INDEX: Symbol = Symbol("index");
pub const CHECK: Symbol = Symbol("check");
pub const FOREIGN_KEY: Symbol = Symbol("foreign_key");
pub const ON_DELETE: Symbol = Symbol("on_delete");
pub const ON_UPDATE: Symbol = Symbol("on_update");
pub const COMPUTED: Symbol = Symbol("computed");
/// `identity(start = 1000, increment = 10)` on an autoincrementing column.
pub const IDENTITY: Symbol = Symbol("identity");
pub const START: Symbol = Symbol("start");
pub const INCREMENT: Symbol = Symbol("increment");
/// The keys `#[column(identity(...))]` accepts.
pub const IDENTITY_KEYS: &[Symbol] = &[START, INCREMENT];
/// `collation = "C"` on a column.
pub const COLLATION: Symbol = Symbol("collation");
pub const RENAMED_FROM: Symbol = Symbol("renamed_from");
pub const SKIP: Symbol = Symbol("skip");
/// `columns(a, b)` inside a table-level index, unique, or foreign key.
pub const COLUMNS: Symbol = Symbol("columns");
/// `references = "orgs(id)"` inside a table-level foreign key.
pub const REFERENCES: Symbol = Symbol("references");
/// `expr = "age >= 0"` inside a table-level check.
pub const EXPR: Symbol = Symbol("expr");
/// `expressions("lower(email)")` inside a table-level index: SQL key parts after the columns.
pub const EXPRESSIONS: Symbol = Symbol("expressions");
/// `desc(a)`, `nulls_first(a)`, `nulls_last(a)` inside an index: how its key columns sort.
pub const DESC: Symbol = Symbol("desc");
pub const NULLS_FIRST: Symbol = Symbol("nulls_first");
pub const NULLS_LAST: Symbol = Symbol("nulls_last");
/// `using = "gin"` inside an index: its access method.
pub const USING: Symbol = Symbol("using");
/// `where = "deleted_at IS NULL"` inside an index: a partial index's predicate.
pub const WHERE: Symbol = Symbol("where");
/// `deferrable`, `initially = "deferred"`, `match = "full"` inside a table-level foreign key.
pub const DEFERRABLE: Symbol = Symbol("deferrable");
pub const INITIALLY: Symbol = Symbol("initially");
pub const MATCH: Symbol = Symbol("match");
/// `prefix(title = 20)` inside an index: key columns indexed by their first characters.
pub const PREFIX: Symbol = Symbol("prefix");
/// `include(a)` inside an index: columns stored but not keys.
pub const INCLUDE: Symbol = Symbol("include");

/// Table storage options, each named after the one database it applies to.
pub const MYSQL_ENGINE: Symbol = Symbol("mysql_engine");
pub const MYSQL_CHARSET: Symbol = Symbol("mysql_charset");
pub const MYSQL_COLLATE: Symbol = Symbol("mysql_collate");
pub const POSTGRESQL_UNLOGGED: Symbol = Symbol("postgresql_unlogged");
pub const POSTGRESQL_PARTITION_BY: Symbol = Symbol("postgresql_partition_by");

/// The keys `#[table(...)]` accepts, in the order error messages list them.
pub const TABLE_KEYS: &[Symbol] = &[
    NAME,
    SCHEMA,
    COMMENT,
    PRIMARY_KEY,
    INDEX,
    UNIQUE,
    CHECK,
    FOREIGN_KEY,
    RENAMED_FROM,
    MYSQL_ENGINE,
    MYSQL_CHARSET,
    MYSQL_COLLATE,
    POSTGRESQL_UNLOGGED,
    POSTGRESQL_PARTITION_BY,
];
/// The keys `#[table(index(...))]` accepts.
pub const INDEX_KEYS: &[Symbol] = &[
    NAME,
    COLUMNS,
    EXPRESSIONS,
    UNIQUE,
    DESC,
    NULLS_FIRST,
    NULLS_LAST,
    USING,
    WHERE,
    INCLUDE,
    PREFIX,
];
/// The index methods `using = ".."` accepts (PostgreSQL's built-in access methods).
/// `fulltext` is MySQL's FULLTEXT index.
pub const INDEX_METHODS: &[&str] = &["btree", "hash", "gin", "gist", "brin", "spgist", "fulltext"];
/// The keys `#[table(unique(...))]` accepts.
pub const UNIQUE_KEYS: &[Symbol] = &[NAME, COLUMNS];
/// The keys `#[table(check(...))]` accepts.
pub const CHECK_KEYS: &[Symbol] = &[NAME, EXPR];
/// The keys `#[table(foreign_key(...))]` accepts.
pub const FOREIGN_KEY_KEYS: &[Symbol] = &[
    NAME, COLUMNS, REFERENCES, ON_DELETE, ON_UPDATE, DEFERRABLE, INITIALLY, MATCH,
];
/// The keys `#[column(...)]` accepts, in the order error messages list them.
pub const COLUMN_KEYS: &[Symbol] = &[
    NAME,
    PRIMARY_KEY,
    AUTOINCREMENT,
    NULLABLE,
    LENGTH,
    PRECISION,
    SCALE,
    SQL_TYPE,
    DEFAULT,
    UNIQUE,
    INDEX,
    FOREIGN_KEY,
    ON_DELETE,
    ON_UPDATE,
    COMMENT,
    COMPUTED,
    COLLATION,
    IDENTITY,
    RENAMED_FROM,
    SKIP,
];

impl Symbol {
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

/// "`a`, `b`, `c`": how error messages list the accepted keys.
pub fn list(symbols: &[Symbol]) -> String {
    symbols
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl PartialEq<Symbol> for Ident {
    fn eq(&self, word: &Symbol) -> bool {
        self == word.0
    }
}

impl PartialEq<Symbol> for &Ident {
    fn eq(&self, word: &Symbol) -> bool {
        *self == word.0
    }
}

impl PartialEq<Symbol> for Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl PartialEq<Symbol> for &Path {
    fn eq(&self, word: &Symbol) -> bool {
        self.is_ident(word.0)
    }
}

impl Display for Symbol {
    fn fmt(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(self.0)
    }
}
