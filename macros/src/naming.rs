//! The names the derive gives the indexes it creates ([`index_name`]).
//!
//! Kept in one function because DESIGN.md §4.1 will replace it with configurable naming
//! conventions (`ix_%(table)s_%(columns)s`, truncated per dialect); the generated code only
//! ever sees the resulting string.

/// What a derived index is for; decides the name prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexKind {
    /// `#[column(index)]`.
    Index,
    /// `#[column(unique)]`.
    Unique,
}

/// `ix_<table>_<column>` or `uq_<table>_<column>`; the schema is not part of the name
/// because index names are per schema.
pub fn index_name(kind: IndexKind, table: &str, column: &str) -> String {
    let prefix = match kind {
        IndexKind::Index => "ix",
        IndexKind::Unique => "uq",
    };
    format!("{prefix}_{table}_{column}")
}
