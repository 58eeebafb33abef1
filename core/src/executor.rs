//! The one executor: every SQL statement retort sends, online to a connection or offline to a
//! script (`--sql`), goes through [`Executor`].
//!
//! Statements are plain SQL text with literals inlined, so the online and offline paths run the
//! same strings. Catalog queries for reflection use [`Executor::load`] with diesel
//! `QueryableByName` rows.

use std::io::Write;

#[cfg(feature = "sqlite")]
use diesel::Connection as _;
use diesel::RunQueryDsl as _;

use crate::config::DatabaseUrl;
use crate::error::{Error, Result};

/// A live connection to one of the supported backends.
pub enum DbConn {
    #[cfg(feature = "sqlite")]
    Sqlite(diesel::SqliteConnection),
}

impl std::fmt::Debug for DbConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            #[cfg(feature = "sqlite")]
            DbConn::Sqlite(_) => f.write_str("DbConn::Sqlite"),
        }
    }
}

impl DbConn {
    /// Connects; `postgres://` and `mysql://` are refused until those backends are built.
    pub fn establish(url: &DatabaseUrl) -> Result<DbConn> {
        match url {
            #[cfg(feature = "sqlite")]
            DatabaseUrl::Sqlite(path) => diesel::SqliteConnection::establish(path)
                .map(DbConn::Sqlite)
                .map_err(|e| Error::Database {
                    message: format!("cannot open SQLite database `{path}`: {e}"),
                }),
            other => Err(Error::Config(format!(
                "{} databases are not supported yet: this build of retort connects to SQLite \
                 only (sqlite://path); PostgreSQL and MySQL backends are planned",
                other.dialect()
            ))),
        }
    }
}

/// Rows a catalog query can load on every enabled backend.
#[cfg(feature = "sqlite")]
pub trait Row: diesel::QueryableByName<diesel::sqlite::Sqlite> + 'static {}
#[cfg(feature = "sqlite")]
impl<T: diesel::QueryableByName<diesel::sqlite::Sqlite> + 'static> Row for T {}
#[cfg(not(feature = "sqlite"))]
pub trait Row: 'static {}
#[cfg(not(feature = "sqlite"))]
impl<T: 'static> Row for T {}

/// Where statements go.
pub enum Executor {
    Online(DbConn),
    /// `--sql`: statements are written as a script, each ended with `;`.
    Offline(Box<dyn Write>),
}

impl std::fmt::Debug for Executor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Executor::Online(conn) => f.debug_tuple("Online").field(conn).finish(),
            Executor::Offline(_) => f.write_str("Offline"),
        }
    }
}

impl Executor {
    pub fn connect(url: &DatabaseUrl) -> Result<Executor> {
        DbConn::establish(url).map(Executor::Online)
    }

    pub fn offline(out: impl Write + 'static) -> Executor {
        Executor::Offline(Box::new(out))
    }

    pub fn is_offline(&self) -> bool {
        matches!(self, Executor::Offline(_))
    }

    /// Runs (or, offline, writes) one statement.
    pub fn execute(&mut self, sql: &str) -> Result<()> {
        match self {
            Executor::Offline(out) => writeln!(out, "{sql};\n").map_err(|e| Error::Database {
                message: format!("cannot write the SQL script: {e}"),
            }),
            #[cfg(feature = "sqlite")]
            Executor::Online(DbConn::Sqlite(conn)) => diesel::sql_query(sql)
                .execute(conn)
                .map(drop)
                .map_err(|e| statement_error(&e, sql)),
            #[cfg(not(feature = "sqlite"))]
            Executor::Online(_) => unreachable!("no backend is enabled"),
        }
    }

    /// Runs a query and loads its rows. Offline there is no database to ask.
    pub fn load<T: Row>(&mut self, sql: &str) -> Result<Vec<T>> {
        match self {
            Executor::Offline(_) => Err(Error::Config(
                "this needs a live database and cannot run with --sql".to_owned(),
            )),
            #[cfg(feature = "sqlite")]
            Executor::Online(DbConn::Sqlite(conn)) => diesel::sql_query(sql)
                .load::<T>(conn)
                .map_err(|e| statement_error(&e, sql)),
            #[cfg(not(feature = "sqlite"))]
            Executor::Online(_) => unreachable!("no backend is enabled"),
        }
    }
}

fn statement_error(error: &diesel::result::Error, sql: &str) -> Error {
    Error::Database {
        message: format!("{error}\n  statement: {sql}"),
    }
}
