//! Integration tests of autogenerate against real SQLite files.

mod applied_table;
mod backends;
mod cases;
mod migration_lock;
#[cfg(feature = "mysql")]
mod mysql_reflect;
#[cfg(feature = "postgres")]
mod postgres_reflect;
mod scope;
mod sqlite_rebuild;
mod sqlite_round_trip;
mod support;
mod version_table;
