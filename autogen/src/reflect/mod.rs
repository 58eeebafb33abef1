//! Reflection: reads a live database's schema into the same [`MetaData`] model the derive
//! produces. One module per dialect holds that database's catalog queries and quirks; each reads
//! the whole schema with a fixed number of bulk queries, whatever the number of tables.

#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

use retort_core::context::MigrationContext;
use retort_core::ddl::Dialect;
#[allow(unused_imports)]
use retort_core::error::{ConfigError, Result};
use retort_core::schema::MetaData;

/// A reflected database and what reflection had to skip.
#[derive(Debug, Default)]
pub struct Reflected {
    pub metadata: MetaData,
    /// Objects retort cannot model yet (expression indexes, ...), one line each.
    pub warnings: Vec<String>,
}

/// Reflects every user table of the context's database, leaving out the version table.
pub fn reflect(ctx: &mut MigrationContext) -> Result<Reflected> {
    let version_table = ctx.version_table().to_owned();
    match ctx.ddl().dialect() {
        #[cfg(feature = "sqlite")]
        Dialect::Sqlite => sqlite::reflect(ctx.executor(), &version_table),
        #[cfg(feature = "postgres")]
        Dialect::Postgres => postgres::reflect(ctx.executor(), &version_table),
        #[cfg(feature = "mysql")]
        Dialect::Mysql => mysql::reflect(ctx.executor(), &version_table),
        #[allow(unreachable_patterns)]
        other => Err(ConfigError::NoDriver {
            dialect: other,
            feature: other.feature(),
        }
        .into()),
    }
}
