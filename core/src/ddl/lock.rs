//! The migration lock's queries (DESIGN §4.4): a session lock per version table, which the
//! migration context takes before a run that writes plans anything and releases after it.
//! PostgreSQL and MySQL override [`DdlImpl::migration_lock`](super::DdlImpl::migration_lock);
//! SQLite has no session lock (its `BEGIN IMMEDIATE` serialises runs).

use retort_syntax::checksum::fnv1a64;

/// The longest name MySQL accepts for `GET_LOCK`
/// (<https://dev.mysql.com/doc/refman/8.0/en/locking-functions.html>).
pub const MYSQL_LOCK_NAME_MAX: usize = 64;

/// The queries of one migration lock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionLock {
    /// Run once before the first attempt (PostgreSQL names the session, so that a waiting run
    /// can tell it is another retort run that holds the lock).
    pub setup: Option<String>,
    /// Returns one row `n`: 1 when the lock was taken now, 0 when another session holds it.
    /// It never waits: the context polls, so it can say who it waits for and give up in time.
    pub try_lock: String,
    /// Returns one row `n`: 1 when the lock was held and is released.
    pub unlock: String,
    /// Returns at most one row with a text column `holder`: who holds the lock, as far as the
    /// server can tell.
    pub holder: String,
}

/// The lock's name, which a user may need to find it on the server: `retort:` and where the
/// version table lives.
pub fn lock_name(scope: &str, version_table: &str) -> String {
    format!("retort:{scope}.{version_table}")
}

/// MySQL's `GET_LOCK` name: [`lock_name`], or `retort:` and its hash (16 hex digits) when it
/// is longer than MySQL's 64 characters.
pub fn mysql_lock_name(scope: &str, version_table: &str) -> String {
    let name = lock_name(scope, version_table);
    if name.chars().count() <= MYSQL_LOCK_NAME_MAX {
        name
    } else {
        format!("retort:{:016x}", fnv1a64(name.as_bytes()))
    }
}

/// PostgreSQL's advisory-lock key: the 64-bit hash of [`lock_name`], computed here rather than
/// by the server's `hashtext`, which is not documented to stay the same across releases.
pub fn postgres_lock_key(scope: &str, version_table: &str) -> i64 {
    i64::from_ne_bytes(fnv1a64(lock_name(scope, version_table).as_bytes()).to_ne_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mysql_names_are_per_database_and_fit_its_limit() {
        assert_eq!(
            mysql_lock_name("app", "retort_version"),
            "retort:app.retort_version"
        );
        assert_ne!(
            mysql_lock_name("app", "retort_version"),
            mysql_lock_name("other", "retort_version")
        );
        let long = "d".repeat(64);
        let hashed = mysql_lock_name(&long, "retort_version");
        assert!(hashed.chars().count() <= MYSQL_LOCK_NAME_MAX, "{hashed}");
        assert!(hashed.starts_with("retort:"), "{hashed}");
        assert_ne!(hashed, mysql_lock_name(&"e".repeat(64), "retort_version"));
        // Exactly 64 characters is still readable.
        let scope = "s".repeat(64 - "retort:.retort_version".len());
        assert_eq!(
            mysql_lock_name(&scope, "retort_version").chars().count(),
            64
        );
        assert!(mysql_lock_name(&scope, "retort_version").contains(&scope));
    }

    #[test]
    fn postgres_keys_are_stable_and_per_schema() {
        assert_eq!(
            postgres_lock_key("app.public", "retort_version"),
            postgres_lock_key("app.public", "retort_version")
        );
        assert_ne!(
            postgres_lock_key("app.public", "retort_version"),
            postgres_lock_key("app.billing", "retort_version")
        );
        // Pinned: a new release must take the lock an older one takes.
        assert_eq!(
            postgres_lock_key("app.public", "retort_version"),
            384646624989707048
        );
    }
}
