//! The one executor: every SQL statement retort sends, online to a connection or offline to a
//! script (`--sql`), goes through [`Executor`].
//!
//! Statements are plain SQL text with literals inlined, so the online and offline paths run the
//! same strings. Catalog queries for reflection use [`Executor::load`] with diesel
//! `QueryableByName` rows. Each backend is behind its cargo feature; the offline path needs
//! none.

use std::io::Write;

#[allow(unused_imports)]
use diesel::connection::SimpleConnection as _;
#[allow(unused_imports)]
use diesel::{Connection as _, RunQueryDsl as _};

use crate::config::{redact, DatabaseUrl};
use crate::error::{Error, Result};

/// A live connection to one of the enabled backends.
#[non_exhaustive]
pub enum DbConn {
    #[cfg(feature = "sqlite")]
    Sqlite(diesel::SqliteConnection),
    #[cfg(feature = "postgres")]
    Postgres(diesel::PgConnection),
    #[cfg(feature = "mysql")]
    Mysql(diesel::MysqlConnection),
}

impl std::fmt::Debug for DbConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            #[cfg(feature = "sqlite")]
            DbConn::Sqlite(_) => f.write_str("DbConn::Sqlite"),
            #[cfg(feature = "postgres")]
            DbConn::Postgres(_) => f.write_str("DbConn::Postgres"),
            #[cfg(feature = "mysql")]
            DbConn::Mysql(_) => f.write_str("DbConn::Mysql"),
        }
    }
}

#[cfg_attr(not(any(feature = "postgres", feature = "mysql")), allow(dead_code))]
fn connect_error(url: &str, e: impl std::fmt::Display) -> Error {
    Error::Database {
        message: format!(
            "cannot connect to `{}`: {e}; check the URL and that the server is running",
            redact(url)
        ),
    }
}

/// The error for a backend this build was compiled without.
#[cfg_attr(
    all(feature = "sqlite", feature = "postgres", feature = "mysql"),
    allow(dead_code)
)]
fn not_built(url: &DatabaseUrl) -> Error {
    let feature = match url {
        DatabaseUrl::Sqlite(_) => "sqlite",
        DatabaseUrl::Postgres(_) => "postgres",
        DatabaseUrl::Mysql(_) => "mysql",
    };
    Error::Config(format!(
        "this build of retort has no {} driver: enable the `{feature}` feature of the `retort` \
         dependency (`--sql` output works without it)",
        url.dialect()
    ))
}

impl DbConn {
    pub fn establish(url: &DatabaseUrl) -> Result<DbConn> {
        match url {
            #[cfg(feature = "sqlite")]
            DatabaseUrl::Sqlite(path) => diesel::SqliteConnection::establish(path)
                // A concurrent upgrade holds the write lock for a revision at a time: wait for
                // it rather than fail with "database is locked".
                .and_then(|mut conn| {
                    conn.batch_execute("PRAGMA busy_timeout = 60000")
                        .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                    Ok(conn)
                })
                .map(DbConn::Sqlite)
                .map_err(|e| Error::Database {
                    message: format!("cannot open SQLite database `{path}`: {e}"),
                }),
            #[cfg(feature = "postgres")]
            DatabaseUrl::Postgres(url) => diesel::PgConnection::establish(url)
                .map(DbConn::Postgres)
                .map_err(|e| connect_error(url, e)),
            #[cfg(feature = "mysql")]
            DatabaseUrl::Mysql(url) => {
                // libmysqlclient only knows mysql://.
                let url = match url.strip_prefix("mariadb://") {
                    Some(rest) => format!("mysql://{rest}"),
                    None => url.clone(),
                };
                diesel::MysqlConnection::establish(&url)
                    .map(DbConn::Mysql)
                    .map_err(|e| connect_error(&url, e))
            }
            #[allow(unreachable_patterns)]
            other => Err(not_built(other)),
        }
    }
}

macro_rules! backend_row {
    ($name:ident, $feature:literal, $backend:ty) => {
        #[cfg(feature = $feature)]
        #[doc(hidden)]
        pub trait $name: diesel::QueryableByName<$backend> {}
        #[cfg(feature = $feature)]
        impl<T: diesel::QueryableByName<$backend>> $name for T {}
        #[cfg(not(feature = $feature))]
        #[doc(hidden)]
        pub trait $name {}
        #[cfg(not(feature = $feature))]
        impl<T> $name for T {}
    };
}

backend_row!(SqliteRow, "sqlite", diesel::sqlite::Sqlite);
backend_row!(PgRow, "postgres", diesel::pg::Pg);
backend_row!(MysqlRow, "mysql", diesel::mysql::Mysql);

/// Rows a catalog query can load on every enabled backend (`#[derive(QueryableByName)]`).
pub trait Row: SqliteRow + PgRow + MysqlRow + 'static {}
impl<T: SqliteRow + PgRow + MysqlRow + 'static> Row for T {}

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
        let result = match self {
            Executor::Offline(out) => {
                return writeln!(out, "{sql};\n").map_err(|e| Error::Database {
                    message: format!("cannot write the SQL script: {e}"),
                })
            }
            // batch_execute runs every statement of the text: a prepared statement would run only
            // the first, silently, on SQLite.
            #[cfg(feature = "sqlite")]
            Executor::Online(DbConn::Sqlite(conn)) => conn.batch_execute(sql),
            #[cfg(feature = "postgres")]
            Executor::Online(DbConn::Postgres(conn)) => conn.batch_execute(sql),
            #[cfg(feature = "mysql")]
            Executor::Online(DbConn::Mysql(conn)) => conn.batch_execute(sql),
        };
        result.map_err(|e| statement_error(&e, sql))
    }

    /// Runs a query and loads its rows. Offline there is no database to ask.
    pub fn load<T: Row>(&mut self, sql: &str) -> Result<Vec<T>> {
        let result = match self {
            Executor::Offline(_) => {
                return Err(Error::Config(
                    "this needs a live database and cannot run with --sql".to_owned(),
                ))
            }
            #[cfg(feature = "sqlite")]
            Executor::Online(DbConn::Sqlite(conn)) => diesel::sql_query(sql).load::<T>(conn),
            #[cfg(feature = "postgres")]
            Executor::Online(DbConn::Postgres(conn)) => diesel::sql_query(sql).load::<T>(conn),
            #[cfg(feature = "mysql")]
            Executor::Online(DbConn::Mysql(conn)) => diesel::sql_query(sql).load::<T>(conn),
        };
        result.map_err(|e| statement_error(&e, sql))
    }
}

fn statement_error(error: &diesel::result::Error, sql: &str) -> Error {
    Error::Database {
        message: format!("{error}\n  statement: {sql}"),
    }
}
