//! Reflection: reads a live database's schema into the same [`MetaData`] model the derive
//! produces. One module per dialect holds that database's catalog queries and quirks; each reads
//! the whole schema with a fixed number of bulk queries, whatever the number of tables.
//!
//! What counts as the user's tables: on PostgreSQL the ordinary and partitioned tables of the
//! schemas asked for ([`Schemas`]), never those an extension owns (PostGIS's
//! `spatial_ref_sys`); on MySQL the base tables of the current database; on SQLite the `main`
//! database's ordinary tables, not virtual tables (FTS5, R*Tree) nor their shadow tables. The
//! version table is never reflected.

#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

#[cfg(test)]
mod canonical;

use retort_core::context::MigrationContext;
use retort_core::ddl::Dialect;
#[allow(unused_imports)]
use retort_core::error::{ConfigError, Result};
use std::collections::BTreeSet;

use retort_core::schema::{MetaData, SqlType};

/// The PostgreSQL schemas reflection reads. MySQL reads the current database and SQLite its
/// `main` database whatever this says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Schemas {
    /// Every schema but PostgreSQL's own.
    All,
    /// The connection's default schema (`current_schema()`) and these.
    Current(BTreeSet<String>),
}

/// A reflected database and what reflection had to skip.
#[derive(Debug, Default)]
pub struct Reflected {
    pub metadata: MetaData,
    /// Objects retort cannot model yet (expression indexes, ...), one line each.
    pub warnings: Vec<String>,
}

/// `text` parsed by `parse`, once per distinct text: a schema spells a few dozen types over
/// thousands of columns, and parsing them was a tenth of reflection's time.
#[cfg_attr(
    not(any(feature = "sqlite", feature = "postgres", feature = "mysql")),
    allow(dead_code)
)]
fn parsed_once(
    cache: &mut std::collections::BTreeMap<String, SqlType>,
    text: &str,
    parse: impl FnOnce(&str) -> SqlType,
) -> SqlType {
    if let Some(parsed) = cache.get(text) {
        return parsed.clone();
    }
    let parsed = parse(text);
    cache.insert(text.to_owned(), parsed.clone());
    parsed
}

/// Reflects every user table of the context's database, in every schema.
pub fn reflect(ctx: &mut MigrationContext) -> Result<Reflected> {
    reflect_schemas(ctx, &Schemas::All)
}

/// Reflects the user tables of the context's database in `schemas`.
pub fn reflect_schemas(ctx: &mut MigrationContext, schemas: &Schemas) -> Result<Reflected> {
    // Only PostgreSQL has schemas to choose from.
    #[cfg(not(feature = "postgres"))]
    let _ = schemas;
    // retort's own tables are not the user's schema.
    let bookkeeping = [ctx.version_table().to_owned(), ctx.applied_table()];
    match ctx.ddl().dialect() {
        #[cfg(feature = "sqlite")]
        Dialect::Sqlite => sqlite::reflect(ctx.executor(), &bookkeeping),
        #[cfg(feature = "postgres")]
        Dialect::Postgres => postgres::reflect(ctx.executor(), &bookkeeping, schemas),
        #[cfg(feature = "mysql")]
        Dialect::Mysql => mysql::reflect(ctx.executor(), &bookkeeping),
        #[allow(unreachable_patterns)]
        other => Err(ConfigError::NoDriver {
            dialect: other,
            feature: other.feature(),
        }
        .into()),
    }
}
