//! Configuration (Alembic's `Config`): `Migrate.toml`, the database URL and the paths derived
//! from them, resolved once before any command runs.
//!
//! The database URL is taken from, first found: `--database-url`, the `DATABASE_URL`
//! environment variable (also read from a `.env` file, as diesel does), `database_url` in
//! `Migrate.toml`. [`url`] parses it and keeps its secrets out of every message.

mod url;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::ddl::Dialect;
use crate::error::{Error, Result};

pub use self::url::{redact, scrub, DatabaseUrl, ACCEPTED_SCHEMES};

/// The configuration file's name.
pub const CONFIG_FILE: &str = "Migrate.toml";

/// The default name of the version table.
pub const DEFAULT_VERSION_TABLE: &str = "retort_version";

/// The keys `Migrate.toml` accepts, for messages.
const ACCEPTED_KEYS: &str = "script_location, database_url, version_table, lock, lock_timeout, \
                             format, post_write_hooks, transaction_per_migration, \
                             [environments.NAME]";

/// How long a run waits for the migration lock unless `lock_timeout` or `--lock-timeout` says.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(300);

/// A configuration mistake: the file, the URL or the build's features.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error(
        "no {CONFIG_FILE} in `{}` or any parent directory; run `cargo migrate init` to create one",
        start.display()
    )]
    NotFound { start: PathBuf },
    /// `Migrate.toml` is not valid TOML or has an unknown key. The message is the parser's
    /// without the quoted source line, which could be the `database_url` line.
    #[error("{}:{line}:{column}: {message}\naccepted keys: {ACCEPTED_KEYS}", file.display())]
    Parse {
        file: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "no database URL: pass --database-url, set DATABASE_URL (or put it in .env), or set \
         database_url in `{}`",
        config_file.display()
    )]
    NoDatabaseUrl { config_file: PathBuf },
    /// `url` is already redacted.
    #[error("database URL `{url}` has an unknown scheme; accepted: {ACCEPTED_SCHEMES}")]
    UnknownScheme { url: String },
    #[error("the database URL names no SQLite file; write sqlite://path/to/file.db")]
    NoSqlitePath,
    #[error(
        "this build of retort has no {dialect} driver: enable the `{feature}` feature of the \
         `retort` dependency (`--sql` output works without it)"
    )]
    NoDriver {
        dialect: Dialect,
        feature: &'static str,
    },
    #[error(
        "`{name}` is not an environment of `{}`; it has {}",
        config_file.display(),
        if known.is_empty() { "none ([environments.NAME] sections)".to_owned() } else { known.join(", ") }
    )]
    UnknownEnvironment {
        name: String,
        config_file: PathBuf,
        known: Vec<String>,
    },
    #[error(
        "no MySQL database is selected: put the database name in the URL \
         (mysql://user@host/database)"
    )]
    NoDatabaseSelected,
    #[error(
        "no migrations crate at `{}` (script_location in {}); run `cargo migrate init` or fix \
         script_location",
        script_location.display(),
        config_file.display()
    )]
    NoMigrationsCrate {
        script_location: PathBuf,
        config_file: PathBuf,
    },
}

/// Resolved configuration.
#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    /// The `Migrate.toml` this came from.
    pub config_file: PathBuf,
    /// The migrations crate (runner) directory, absolute.
    pub script_location: PathBuf,
    /// The database URL, if any source gave one.
    pub database_url: Option<String>,
    pub version_table: String,
    /// The migration lock of the runs that write.
    pub lock: LockConfig,
    /// How new revision files are formatted.
    pub format: Format,
    /// Commands run on each new revision file (`{path}` stands for it), after formatting.
    pub post_write_hooks: Vec<Vec<String>>,
    /// The environment chosen with `-n`, if any.
    pub name: Option<String>,
    /// `false`: one transaction for a whole run (where DDL is transactional).
    pub transaction_per_migration: bool,
}

/// How `revision` formats the files it writes (`format` in `Migrate.toml`), as Alembic's
/// post-write hooks run a formatter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// rustfmt's layout, when rustfmt is installed (`RUSTFMT` names another); prettyplease's
    /// otherwise.
    #[default]
    Rustfmt,
    /// prettyplease's layout, as rendered.
    None,
}

/// How a run that writes (`upgrade`, `downgrade`, `stamp`) takes the migration lock (DESIGN
/// §4.4): `lock` and `lock_timeout` in `Migrate.toml`, `--no-lock` and `--lock-timeout` on the
/// command line, which win.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LockConfig {
    /// `false` skips the lock, for connection poolers that cannot hold a session lock
    /// (PgBouncer in transaction mode); concurrent runs are then not serialised.
    pub enabled: bool,
    /// How long to wait for a lock another run holds before giving up.
    pub timeout: Duration,
}

impl Default for LockConfig {
    fn default() -> Self {
        LockConfig {
            enabled: true,
            timeout: DEFAULT_LOCK_TIMEOUT,
        }
    }
}

/// Shows the database URL redacted, so a `{:?}` in a log cannot leak its password.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("config_file", &self.config_file)
            .field("script_location", &self.script_location)
            .field("database_url", &self.database_url.as_deref().map(redact))
            .field("version_table", &self.version_table)
            .field("lock", &self.lock)
            .field("format", &self.format)
            .field("post_write_hooks", &self.post_write_hooks)
            .field("name", &self.name)
            .field("transaction_per_migration", &self.transaction_per_migration)
            .finish()
    }
}

/// The keys `Migrate.toml` accepts.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    script_location: Option<String>,
    database_url: Option<String>,
    version_table: Option<String>,
    lock: Option<bool>,
    /// Seconds.
    lock_timeout: Option<u64>,
    format: Option<Format>,
    post_write_hooks: Option<Vec<Vec<String>>>,
    transaction_per_migration: Option<bool>,
    /// `[environments.NAME]`: the same keys, for `-n NAME` (Alembic's multidb).
    environments: Option<std::collections::BTreeMap<String, FileConfig>>,
}

impl FileConfig {
    /// This file's keys with `name`'s section laid over them.
    fn environment(self, name: &str, config_file: &Path) -> Result<FileConfig, ConfigError> {
        let mut environments = self.environments.clone().unwrap_or_default();
        let Some(section) = environments.remove(name) else {
            return Err(ConfigError::UnknownEnvironment {
                name: name.to_owned(),
                config_file: config_file.to_path_buf(),
                known: environments.into_keys().collect(),
            });
        };
        Ok(FileConfig {
            script_location: section.script_location.or(self.script_location),
            // Each environment has its own database: the top-level URL is not inherited.
            database_url: section.database_url,
            version_table: section.version_table.or(self.version_table),
            lock: section.lock.or(self.lock),
            lock_timeout: section.lock_timeout.or(self.lock_timeout),
            format: section.format.or(self.format),
            post_write_hooks: section.post_write_hooks.or(self.post_write_hooks),
            transaction_per_migration: section
                .transaction_per_migration
                .or(self.transaction_per_migration),
            environments: None,
        })
    }
}

impl Config {
    /// Finds `Migrate.toml` in `start` or its nearest parent.
    pub fn find(start: &Path) -> Result<PathBuf> {
        start
            .ancestors()
            .map(|dir| dir.join(CONFIG_FILE))
            .find(|candidate| candidate.is_file())
            .ok_or_else(|| {
                ConfigError::NotFound {
                    start: start.to_path_buf(),
                }
                .into()
            })
    }

    /// Reads `Migrate.toml` and resolves the database URL with `url_override` (the
    /// `--database-url` flag) taking precedence over the environment.
    pub fn load(config_file: &Path, url_override: Option<&str>) -> Result<Config> {
        Config::load_named(config_file, url_override, None)
    }

    /// [`load`](Self::load) for the environment `name` (`-n NAME`): its `[environments.NAME]`
    /// keys over the top-level ones, and its URL from `--database-url`, then
    /// `<NAME>_DATABASE_URL` (upper case, `-` as `_`), then its own `database_url` (never the
    /// shared `DATABASE_URL`, which would point every environment at one database).
    pub fn load_named(
        config_file: &Path,
        url_override: Option<&str>,
        name: Option<&str>,
    ) -> Result<Config> {
        let text =
            std::fs::read_to_string(config_file).map_err(Error::io("cannot read", config_file))?;
        let mut file = parse_file(config_file, &text)?;
        if let Some(name) = name {
            file = file.environment(name, config_file)?;
        }
        let root = config_file.parent().unwrap_or(Path::new("."));
        let script_location = root.join(file.script_location.as_deref().unwrap_or("migrations"));
        let from_env = || match name {
            Some(name) => {
                let variable = format!("{}_DATABASE_URL", name.to_uppercase().replace('-', "_"));
                std::env::var(variable).ok()
            }
            None => database_url_from_env(),
        };
        let database_url = url_override
            .map(str::to_owned)
            .or_else(from_env)
            .or(file.database_url);
        Ok(Config {
            config_file: config_file.to_path_buf(),
            script_location,
            database_url,
            version_table: file
                .version_table
                .unwrap_or_else(|| DEFAULT_VERSION_TABLE.to_owned()),
            lock: LockConfig {
                enabled: file.lock.unwrap_or(true),
                timeout: file
                    .lock_timeout
                    .map_or(DEFAULT_LOCK_TIMEOUT, Duration::from_secs),
            },
            format: file.format.unwrap_or_default(),
            post_write_hooks: file.post_write_hooks.unwrap_or_default(),
            name: name.map(str::to_owned),
            transaction_per_migration: file.transaction_per_migration.unwrap_or(true),
        })
    }

    /// Where revision files live.
    pub fn versions_dir(&self) -> PathBuf {
        self.script_location.join("versions")
    }

    /// The parsed database URL, or an error saying where to set one.
    pub fn database_url(&self) -> Result<DatabaseUrl> {
        match &self.database_url {
            Some(url) => Ok(DatabaseUrl::parse(url)?),
            None => Err(ConfigError::NoDatabaseUrl {
                config_file: self.config_file.clone(),
            }
            .into()),
        }
    }
}

/// Reads `Migrate.toml`'s text. The TOML parser's own message quotes the offending source line,
/// which may hold the database password, so only its message and position are kept.
fn parse_file(file: &Path, text: &str) -> Result<FileConfig, ConfigError> {
    toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |span| span.start).min(text.len());
        let before = text.get(..offset).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let column = before
            .rfind('\n')
            .map_or(before.len(), |nl| before.len() - nl - 1)
            + 1;
        ConfigError::Parse {
            file: file.to_path_buf(),
            line,
            column,
            message: e.message().trim_end().to_owned(),
        }
    })
}

/// `DATABASE_URL` from the environment, else from the nearest `.env` file.
fn database_url_from_env() -> Option<String> {
    if let Ok(url) = std::env::var("DATABASE_URL") {
        return Some(url);
    }
    dotenvy::dotenv_iter()
        .ok()?
        .filter_map(|item| item.ok())
        .find(|(key, _)| key == "DATABASE_URL")
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_config_upward_and_reads_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "script_location = \"db\"\ndatabase_url = \"sqlite://x.db\"\n",
        )
        .expect("write");
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).expect("mkdir");
        let found = Config::find(&nested).expect("found");
        let config = Config::load(&found, Some("sqlite://flag.db")).expect("load");
        assert_eq!(config.script_location, dir.path().join("db"));
        assert_eq!(config.database_url.as_deref(), Some("sqlite://flag.db"));
        assert_eq!(config.version_table, DEFAULT_VERSION_TABLE);
        assert_eq!(config.lock, LockConfig::default());
    }

    #[test]
    fn lock_keys_are_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join(CONFIG_FILE);
        std::fs::write(&file, "lock = false\nlock_timeout = 20\n").expect("write");
        let config = Config::load(&file, None).expect("load");
        assert_eq!(
            config.lock,
            LockConfig {
                enabled: false,
                timeout: Duration::from_secs(20)
            }
        );
        std::fs::write(&file, "lock_timeout = -1\n").expect("write");
        let err = Config::load(&file, None).expect_err("negative");
        assert!(err.to_string().contains(":1:"), "{err}");
    }

    #[test]
    fn unknown_keys_and_missing_file_are_clear_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = Config::find(dir.path()).expect_err("missing");
        assert!(
            err.to_string().contains("run `cargo migrate init`"),
            "{err}"
        );
        let file = dir.path().join(CONFIG_FILE);
        std::fs::write(&file, "scriptlocation = \"x\"\n").expect("write");
        let err = Config::load(&file, None).expect_err("unknown key");
        assert!(
            err.to_string().contains("accepted keys: script_location"),
            "{err}"
        );
    }

    #[test]
    fn a_broken_file_is_reported_without_its_database_url_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join(CONFIG_FILE);
        // An unterminated string on the URL line: the parser would quote that line.
        std::fs::write(
            &file,
            "script_location = \"migrations\"\ndatabase_url = \"postgres://app:hunter2@db/app\n",
        )
        .expect("write");
        let err = Config::load(&file, None).expect_err("not TOML");
        let msg = err.to_string();
        assert!(!msg.contains("hunter2"), "{msg}");
        assert!(msg.contains(":2:"), "names the line: {msg}");
        let debug = format!("{err:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
    }

    #[test]
    fn debug_output_hides_the_password() {
        let config = Config {
            config_file: CONFIG_FILE.into(),
            script_location: "migrations".into(),
            database_url: Some("postgres://app:hunter2@db/app?password=hunter3".into()),
            version_table: DEFAULT_VERSION_TABLE.into(),
            lock: LockConfig::default(),
            format: Format::default(),
            post_write_hooks: Vec::new(),
            name: None,
            transaction_per_migration: true,
        };
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("hunter3"),
            "{shown}"
        );
        assert!(shown.contains("postgres://app:***@db/app"), "{shown}");
    }

    #[test]
    fn named_environments_lay_their_keys_over_the_top_level() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join(CONFIG_FILE);
        std::fs::write(
            &file,
            "script_location = \"migrations\"\nlock_timeout = 9\n\
             [environments.analytics]\nscript_location = \"analytics\"\n\
             database_url = \"sqlite://analytics.db\"\n",
        )
        .expect("write");
        let config = Config::load_named(&file, None, Some("analytics")).expect("load");
        assert_eq!(config.script_location, dir.path().join("analytics"));
        assert_eq!(
            config.database_url.as_deref(),
            Some("sqlite://analytics.db")
        );
        assert_eq!(config.lock.timeout, Duration::from_secs(9));
        let err = Config::load_named(&file, None, Some("billing")).expect_err("unknown");
        assert!(err.to_string().contains("it has analytics"), "{err}");
    }
}
