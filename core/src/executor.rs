//! The one executor: every SQL statement retort sends, online to a connection or offline to a
//! script (`--sql`), goes through [`Executor`].
//!
//! Statements are plain SQL text with literals inlined, so the online and offline paths run the
//! same strings. Catalog queries for reflection use [`Executor::load`] with diesel
//! `QueryableByName` rows, and [`Executor::concurrently`] to read on a second connection while
//! this one reads too. Each backend is behind its cargo feature; the offline path needs none.

use std::io::Write;

#[allow(unused_imports)]
use diesel::connection::SimpleConnection as _;
#[allow(unused_imports)]
use diesel::{Connection as _, RunQueryDsl as _};

use crate::config::{redact, scrub, ConfigError, DatabaseUrl};
use crate::ddl::DdlImpl;
use crate::error::{Error, Result};
use crate::value::{fill_placeholders, Value};

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

/// Connecting or running a statement failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DatabaseError {
    /// The server refused or could not be reached. `url` is redacted and `message` is the
    /// driver's with every secret of the URL removed: libpq quotes parts of the URL, so the
    /// driver's error is not kept as the source (a reporter walking sources would print it).
    #[error("cannot connect to `{url}`: {message}; check the URL and that the server is running")]
    Connect { url: String, message: String },
    #[error("cannot open SQLite database `{path}`: {source}")]
    OpenSqlite {
        path: String,
        #[source]
        source: diesel::ConnectionError,
    },
    /// A statement failed; its text is part of the message.
    #[error("{source}\n  statement: {statement}")]
    Statement {
        statement: String,
        #[source]
        source: diesel::result::Error,
    },
    #[error("cannot write the SQL script: {source}")]
    WriteScript {
        #[source]
        source: std::io::Error,
    },
    /// A statement's `?` placeholders and its values do not match.
    #[error(
        "the statement has {placeholders} `?` placeholder(s) and {values} value(s) were bound; \
         give one value per placeholder\n  statement: {statement}"
    )]
    Parameters {
        statement: String,
        placeholders: usize,
        values: usize,
    },
    /// A query was asked of the offline (`--sql`) executor.
    #[error("this needs a live database and cannot run with --sql")]
    Offline,
}

#[cfg_attr(not(any(feature = "postgres", feature = "mysql")), allow(dead_code))]
fn connect_error(url: &str, e: impl std::fmt::Display) -> Error {
    DatabaseError::Connect {
        url: redact(url),
        message: scrub(&e.to_string(), url),
    }
    .into()
}

/// The error for a backend this build was compiled without.
#[cfg_attr(
    all(feature = "sqlite", feature = "postgres", feature = "mysql"),
    allow(dead_code)
)]
fn not_built(url: &DatabaseUrl) -> Error {
    ConfigError::NoDriver {
        dialect: url.dialect(),
        feature: url.dialect().feature(),
    }
    .into()
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
                .map_err(|source| {
                    DatabaseError::OpenSqlite {
                        path: path.clone(),
                        source,
                    }
                    .into()
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

/// Where statements go: a live connection, or (`--sql`) a script.
pub struct Executor {
    target: Target,
}

enum Target {
    /// `url` is kept to open a second connection to the same database
    /// ([`Executor::concurrently`]).
    Online { conn: DbConn, url: DatabaseUrl },
    /// `--sql`: statements are written as a script, each ended with `;`.
    Offline(Box<dyn Write>),
}

impl std::fmt::Debug for Executor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.target {
            Target::Online { conn, .. } => f.debug_tuple("Online").field(conn).finish(),
            Target::Offline(_) => f.write_str("Offline"),
        }
    }
}

/// Runs `$body` on the connection of whichever backend `$conn` holds, with `$c` bound to it
/// and `$backend` naming its diesel backend, counted (and timed) as one statement.
macro_rules! on_backend {
    ($conn:expr, |$c:ident, $backend:ident| $body:expr) => {
        crate::timing::statement(|| match *$conn {
            #[cfg(feature = "sqlite")]
            DbConn::Sqlite(ref mut $c) => {
                #[allow(dead_code)]
                type $backend = diesel::sqlite::Sqlite;
                $body
            }
            #[cfg(feature = "postgres")]
            DbConn::Postgres(ref mut $c) => {
                #[allow(dead_code)]
                type $backend = diesel::pg::Pg;
                $body
            }
            #[cfg(feature = "mysql")]
            DbConn::Mysql(ref mut $c) => {
                #[allow(dead_code)]
                type $backend = diesel::mysql::Mysql;
                $body
            }
        })
    };
}

impl Executor {
    pub fn connect(url: &DatabaseUrl) -> Result<Executor> {
        let conn = DbConn::establish(url)?;
        Ok(Executor {
            target: Target::Online {
                conn,
                url: url.clone(),
            },
        })
    }

    pub fn offline(out: impl Write + 'static) -> Executor {
        Executor {
            target: Target::Offline(Box::new(out)),
        }
    }

    pub fn is_offline(&self) -> bool {
        matches!(self.target, Target::Offline(_))
    }

    /// Runs `beside` on a second connection to the same database while `here` runs on this
    /// one, and returns both results: independent catalog queries then take the time of the
    /// slower half rather than the sum, since the server works on each connection in a process
    /// or thread of its own. `session.0` runs first on the second connection, to give it the
    /// session state the queries depend on (PostgreSQL's search path, MySQL's current
    /// database), and `session.1` after `beside` (ending a transaction `session.0` began);
    /// either may be empty. `session` is `None` where a second connection would not see what
    /// this one does (this one's uncommitted changes, an in-memory SQLite database): then, as
    /// where one cannot be opened or set up (a server at its connection limit, say), `beside`
    /// runs here, after `here`: slower, never different.
    pub fn concurrently<A: Send, B>(
        &mut self,
        session: Option<(&str, &str)>,
        beside: impl FnOnce(&mut Executor) -> Result<A> + Send,
        here: impl FnOnce(&mut Executor) -> Result<B>,
    ) -> Result<(A, B)> {
        let (Target::Online { url, .. }, Some((setup, teardown))) = (&self.target, session) else {
            let here = here(self)?;
            return Ok((beside(self)?, here));
        };
        let url = url.clone();
        std::thread::scope(|scope| {
            let side = scope.spawn(move || {
                let opened = Executor::connect(&url).and_then(|mut side| {
                    if !setup.is_empty() {
                        side.execute(setup)?;
                    }
                    Ok(side)
                });
                match opened {
                    Ok(mut side) => Ok(beside(&mut side).and_then(|done| {
                        if !teardown.is_empty() {
                            side.execute(teardown)?;
                        }
                        Ok(done)
                    })),
                    Err(_) => Err(beside),
                }
            });
            let here = here(self)?;
            let beside = match side.join() {
                Ok(Ok(done)) => done,
                Ok(Err(beside)) => beside(self),
                Err(panic) => std::panic::resume_unwind(panic),
            };
            Ok((beside?, here))
        })
    }

    /// Runs (or, offline, writes) one statement.
    pub fn execute(&mut self, sql: &str) -> Result<()> {
        let conn = match &mut self.target {
            Target::Offline(out) => {
                return writeln!(out, "{sql};\n")
                    .map_err(|source| DatabaseError::WriteScript { source }.into())
            }
            Target::Online { conn, .. } => conn,
        };
        // batch_execute runs every statement of the text: a prepared statement would run only
        // the first, silently, on SQLite.
        let result: diesel::QueryResult<()> = on_backend!(conn, |c, B| c.batch_execute(sql));
        result.map_err(|source| statement_error(source, sql))
    }

    /// Runs a query and loads its rows. Offline there is no database to ask.
    pub fn load<T: Row>(&mut self, sql: &str) -> Result<Vec<T>> {
        let Target::Online { conn, .. } = &mut self.target else {
            return Err(DatabaseError::Offline.into());
        };
        let result: diesel::QueryResult<Vec<T>> =
            on_backend!(conn, |c, B| diesel::sql_query(sql).load::<T>(c));
        result.map_err(|source| statement_error(source, sql))
    }
}

/// A boxed `sql_query` on `$backend` with each value bound with its SQL type.
#[allow(unused_macros)]
macro_rules! bound {
    ($backend:ty, $sql:expr, $values:expr) => {{
        use diesel::sql_types as st;
        let mut query = diesel::sql_query($sql).into_boxed::<$backend>();
        for value in $values.iter() {
            query = match value {
                Value::Bool(b) => query.bind::<st::Bool, _>(*b),
                Value::Int(i) => query.bind::<st::BigInt, _>(*i),
                Value::Float(x) => query.bind::<st::Double, _>(*x),
                Value::Text(s) => query.bind::<st::Text, _>(s.clone()),
                Value::Bytes(b) => query.bind::<st::Binary, _>(b.clone()),
                // `prepare` writes NULLs as literals.
                Value::Null => query,
            };
        }
        query
    }};
}

/// `?`-placeholder statements with values (data migrations).
impl Executor {
    /// Runs one statement with `params` bound to its `?` placeholders (outside quotes), in
    /// order. Offline the values are written into the script as `ddl`'s literals. A NULL is
    /// always written as `NULL`: a bound NULL needs a type the statement may not agree with.
    pub fn execute_with(&mut self, sql: &str, params: &[Value], ddl: &dyn DdlImpl) -> Result<()> {
        let Target::Online { conn, .. } = &mut self.target else {
            let text = ddl.with_literals(sql, params)?;
            return self.execute(&text);
        };
        let (text, bound) = prepare(sql, params, ddl)?;
        let result: diesel::QueryResult<usize> =
            on_backend!(conn, |c, B| bound!(B, &text, &bound).execute(c));
        result
            .map(drop)
            .map_err(|source| statement_error(source, sql))
    }

    /// Runs a query with `params` bound (as [`execute_with`](Self::execute_with)) and loads its
    /// rows into `T` (`#[derive(QueryableByName)]`).
    pub fn load_with<T: Row>(
        &mut self,
        sql: &str,
        params: &[Value],
        ddl: &dyn DdlImpl,
    ) -> Result<Vec<T>> {
        let (text, bound) = prepare(sql, params, ddl)?;
        let Target::Online { conn, .. } = &mut self.target else {
            return Err(DatabaseError::Offline.into());
        };
        let result: diesel::QueryResult<Vec<T>> =
            on_backend!(conn, |c, B| bound!(B, &text, &bound).load::<T>(c));
        result.map_err(|source| statement_error(source, sql))
    }
}

/// `sql` with its placeholders in the dialect's style, and the values to bind to them; NULLs
/// are written as literals instead (every value is, offline: [`DdlImpl::with_literals`]).
fn prepare<'v>(
    sql: &str,
    params: &'v [Value],
    ddl: &dyn DdlImpl,
) -> Result<(String, Vec<&'v Value>)> {
    let mut bound = Vec::new();
    let (text, found) = fill_placeholders(sql, |position| match params.get(position) {
        Some(Value::Null) => ddl.value_literal(&Value::Null),
        Some(value) => {
            bound.push(value);
            ddl.placeholder(bound.len())
        }
        None => "?".to_owned(),
    });
    if found != params.len() {
        return Err(DatabaseError::Parameters {
            statement: sql.to_owned(),
            placeholders: found,
            values: params.len(),
        }
        .into());
    }
    Ok((text, bound))
}

fn statement_error(source: diesel::result::Error, sql: &str) -> Error {
    DatabaseError::Statement {
        statement: sql.to_owned(),
        source,
    }
    .into()
}
