//! Test support: [`TestDb`], a fresh uniquely named database on a real server (or a temporary
//! SQLite file), dropped again when the value goes out of scope. Not part of the public API.
//!
//! Servers are found at `RETORT_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432`)
//! and `RETORT_TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306`). A test whose server
//! cannot be reached is skipped with a message, unless `RETORT_TEST_REQUIRE_ALL=1` (set by CI),
//! which makes it fail: a missing server must never look like a pass.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;

use crate::config::DatabaseUrl;
use crate::context::MigrationContext;
use crate::ddl::{ddl_impl, Dialect};
use crate::error::Error;
use crate::executor::Executor;

/// A database that exists for one test.
#[derive(Debug)]
pub struct TestDb {
    pub url: DatabaseUrl,
    pub dialect: Dialect,
    name: String,
    server: Option<String>,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "retort_test_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

fn required() -> bool {
    std::env::var("RETORT_TEST_REQUIRE_ALL").is_ok_and(|v| v == "1")
}

impl TestDb {
    /// A fresh database, or `None` (after printing why) when the dialect's server or driver is
    /// unavailable and not required.
    pub fn new(dialect: Dialect) -> Option<TestDb> {
        let name = unique_name();
        let (server, url) = match dialect {
            Dialect::Sqlite => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                return Some(TestDb {
                    url: DatabaseUrl::Sqlite(path.display().to_string()),
                    dialect,
                    name: path.display().to_string(),
                    server: None,
                });
            }
            Dialect::Postgres => {
                let server = std::env::var("RETORT_TEST_POSTGRES_URL")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
                let url = DatabaseUrl::Postgres(format!("{server}/{name}"));
                (DatabaseUrl::Postgres(format!("{server}/postgres")), url)
            }
            Dialect::Mysql => {
                let server = std::env::var("RETORT_TEST_MYSQL_URL")
                    .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".into());
                let url = DatabaseUrl::Mysql(format!("{server}/{name}"));
                (DatabaseUrl::Mysql(format!("{server}/mysql")), url)
            }
        };
        let created = Executor::connect(&server)
            .and_then(|mut admin| admin.execute(&format!("CREATE DATABASE {name}")));
        match created {
            Ok(()) => Some(TestDb {
                url,
                dialect,
                name,
                server: Some(server_string(&server)),
            }),
            Err(e) if required() => {
                panic!("RETORT_TEST_REQUIRE_ALL=1 but the {dialect} test database cannot be created: {e}")
            }
            Err(e) => {
                eprintln!("skipping: no {dialect} test database ({e}); set RETORT_TEST_REQUIRE_ALL=1 to fail instead");
                None
            }
        }
    }

    /// A new connection to this database.
    pub fn executor(&self) -> Executor {
        Executor::connect(&self.url).expect("connect to the test database")
    }

    /// A migration context on a new connection, with progress lines silenced.
    pub fn context(&self) -> MigrationContext {
        MigrationContext::new(self.executor(), ddl_impl(self.dialect), "retort_version")
            .with_log(|_| {})
    }

    /// Holds this database's migration lock (of `retort_version`) from a connection of its own
    /// until the value is dropped, as another run would: the session lock on PostgreSQL and
    /// MySQL, an open `BEGIN IMMEDIATE` on SQLite.
    pub fn hold_migration_lock(&self) -> HeldLock {
        let (url, dialect) = (self.url.clone(), self.dialect);
        let (locked, taken) = mpsc::channel::<()>();
        let (release, released) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let executor = Executor::connect(&url).expect("connect to the test database");
            let mut ctx = MigrationContext::new(executor, ddl_impl(dialect), "retort_version")
                .with_log(|_| {});
            if dialect == Dialect::Sqlite {
                ctx.executor()
                    .execute("BEGIN IMMEDIATE")
                    .expect("write lock");
                let _ = locked.send(());
                let _ = released.recv();
                let _ = ctx.executor().execute("ROLLBACK");
                return;
            }
            let held = ctx.with_migration_lock(|_| {
                let _ = locked.send(());
                let _ = released.recv();
                Ok::<(), Error>(())
            });
            held.expect("the migration lock is taken and released");
        });
        taken.recv().expect("the holding thread took the lock");
        HeldLock {
            release: Some(release),
            thread: Some(thread),
        }
    }

    /// The URL as users write it.
    pub fn url_string(&self) -> String {
        match &self.url {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{path}"),
            DatabaseUrl::Postgres(url) | DatabaseUrl::Mysql(url) => url.clone(),
        }
    }
}

fn server_string(url: &DatabaseUrl) -> String {
    match url {
        DatabaseUrl::Sqlite(s) | DatabaseUrl::Postgres(s) | DatabaseUrl::Mysql(s) => s.clone(),
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match (&self.server, self.dialect) {
            (None, _) => {
                let _ = std::fs::remove_file(&self.name);
            }
            (Some(server), dialect) => {
                let url = match dialect {
                    Dialect::Postgres => DatabaseUrl::Postgres(server.clone()),
                    _ => DatabaseUrl::Mysql(server.clone()),
                };
                // PostgreSQL refuses to drop a database with open connections; WITH (FORCE)
                // closes those the test leaked.
                let sql = match dialect {
                    Dialect::Postgres => {
                        format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)
                    }
                    _ => format!("DROP DATABASE IF EXISTS {}", self.name),
                };
                if let Ok(mut admin) = Executor::connect(&url) {
                    let _ = admin.execute(&sql);
                }
            }
        }
    }
}

/// A migration lock held by [`TestDb::hold_migration_lock`]; dropping it releases the lock.
#[derive(Debug)]
pub struct HeldLock {
    release: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for HeldLock {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            let _ = release.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// `TestDb::new` for each dialect this build can connect to.
pub fn all_dialects() -> Vec<TestDb> {
    let mut dbs = Vec::new();
    if cfg!(feature = "sqlite") {
        dbs.extend(TestDb::new(Dialect::Sqlite));
    }
    if cfg!(feature = "postgres") {
        dbs.extend(TestDb::new(Dialect::Postgres));
    } else if required() {
        panic!("RETORT_TEST_REQUIRE_ALL=1 but this test build lacks the postgres feature");
    }
    if cfg!(feature = "mysql") {
        dbs.extend(TestDb::new(Dialect::Mysql));
    } else if required() {
        panic!("RETORT_TEST_REQUIRE_ALL=1 but this test build lacks the mysql feature");
    }
    dbs
}
