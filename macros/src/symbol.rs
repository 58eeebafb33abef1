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
pub const LENGTH: Symbol = Symbol("length");
pub const DEFAULT: Symbol = Symbol("default");
pub const UNIQUE: Symbol = Symbol("unique");
pub const INDEX: Symbol = Symbol("index");
pub const SKIP: Symbol = Symbol("skip");

/// The keys `#[table(...)]` accepts, in the order error messages list them.
pub const TABLE_KEYS: &[Symbol] = &[NAME, SCHEMA, COMMENT];
/// The keys `#[column(...)]` accepts, in the order error messages list them.
pub const COLUMN_KEYS: &[Symbol] = &[
    NAME,
    PRIMARY_KEY,
    LENGTH,
    DEFAULT,
    UNIQUE,
    INDEX,
    COMMENT,
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
