//! The migration lock (DESIGN §4.4): [`MigrationContext::with_migration_lock`] holds the
//! dialect's session lock (PostgreSQL advisory lock, MySQL `GET_LOCK`) while a run that writes
//! plans and applies, so concurrent runs go one after the other. The lock belongs to one
//! version table of one database (and schema), so runs on other databases of the same server
//! never wait for it. A run that finds it held says once who holds it, polls until it is free
//! and gives up after the configured timeout. SQLite has no session lock: `BEGIN IMMEDIATE`
//! and the version-table check of each revision do it, waiting up to the same timeout.

use std::time::{Duration, Instant};

use diesel::sql_types::{Nullable, Text};

use super::{Count, MigrationContext, MigrationError};
use crate::config::ConfigError;
use crate::ddl::SessionLock;
use crate::error::{Error, Result};

/// How often a waiting run tries the lock again.
const POLL: Duration = Duration::from_millis(200);

#[derive(diesel::QueryableByName)]
struct ScopeRow {
    #[diesel(sql_type = Nullable<Text>)]
    scope: Option<String>,
}

#[derive(diesel::QueryableByName)]
struct HolderRow {
    #[diesel(sql_type = Nullable<Text>)]
    holder: Option<String>,
}

impl MigrationContext {
    /// Runs `body` holding the migration lock, so concurrent runs plan and apply one after the
    /// other (DESIGN §4.4). Offline, or with the lock disabled (`lock = false`, `--no-lock`),
    /// `body` runs without it.
    pub fn with_migration_lock<T, E: From<Error>>(
        &mut self,
        body: impl FnOnce(&mut Self) -> Result<T, E>,
    ) -> Result<T, E> {
        if self.executor.is_offline() {
            return body(self);
        }
        if let Some(sql) = self.ddl.lock_wait_statement(self.lock.timeout) {
            self.executor.execute(&sql)?;
        }
        if !self.lock.enabled {
            return body(self);
        }
        let Some(lock) = self.acquire_lock()? else {
            return body(self);
        };
        let result = body(self);
        let released: Result<Vec<Count>> = self.executor.load(&lock.unlock);
        result.and_then(|value| released.map(|_| value).map_err(E::from))
    }

    /// Takes the dialect's session lock, waiting up to the lock timeout; `None` when the
    /// dialect has none.
    fn acquire_lock(&mut self) -> Result<Option<SessionLock>> {
        let Some(scope_query) = self.ddl.lock_scope_query() else {
            return Ok(None);
        };
        let rows: Vec<ScopeRow> = self.executor.load(scope_query)?;
        let scope = rows
            .into_iter()
            .next()
            .and_then(|row| row.scope)
            .ok_or(ConfigError::NoDatabaseSelected)?;
        let Some(lock) = self.ddl.migration_lock(&scope, &self.version_table) else {
            return Ok(None);
        };
        if let Some(setup) = &lock.setup {
            self.executor.execute(setup)?;
        }
        let name = format!("{scope}.{}", self.version_table);
        let timeout = self.lock.timeout;
        let started = Instant::now();
        let mut said = false;
        loop {
            let taken: Vec<Count> = self.executor.load(&lock.try_lock)?;
            if taken.first().is_some_and(|row| row.n == 1) {
                return Ok(Some(lock));
            }
            let waited = started.elapsed();
            if waited >= timeout {
                return Err(MigrationError::LockTimeout {
                    lock: name,
                    holder: self.lock_holder(&lock),
                    timeout,
                }
                .into());
            }
            if !said {
                let held = self
                    .lock_holder(&lock)
                    .map(|h| format!(", held by {h}"))
                    .unwrap_or_default();
                (self.log)(&format!(
                    "waiting for the migration lock of {name}{held}; giving up after {} s",
                    timeout.as_secs()
                ));
                said = true;
            }
            std::thread::sleep(POLL.min(timeout - waited));
        }
    }

    /// Who holds the lock, as far as the server tells. A failed lookup (a server that hides
    /// other sessions) leaves the holder unknown rather than failing the run.
    fn lock_holder(&mut self, lock: &SessionLock) -> Option<String> {
        let rows: Vec<HolderRow> = self.executor.load(&lock.holder).ok()?;
        rows.into_iter().next().and_then(|row| row.holder)
    }
}
