//! Configuration (Alembic's `Config`): `Migrate.toml`, the database URL and the paths derived
//! from them, resolved once before any command runs.
//!
//! The database URL is taken from, first found: `--database-url`, the `DATABASE_URL`
//! environment variable (also read from a `.env` file, as diesel does), `database_url` in
//! `Migrate.toml`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::ddl::Dialect;
use crate::error::{Error, Result};

/// The configuration file's name.
pub const CONFIG_FILE: &str = "Migrate.toml";

/// The default name of the version table.
pub const DEFAULT_VERSION_TABLE: &str = "retort_version";

/// Resolved configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The `Migrate.toml` this came from.
    pub config_file: PathBuf,
    /// The migrations crate (runner) directory, absolute.
    pub script_location: PathBuf,
    /// The database URL, if any source gave one.
    pub database_url: Option<String>,
    pub version_table: String,
}

/// The keys `Migrate.toml` accepts.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    script_location: Option<String>,
    database_url: Option<String>,
    version_table: Option<String>,
}

impl Config {
    /// Finds `Migrate.toml` in `start` or its nearest parent.
    pub fn find(start: &Path) -> Result<PathBuf> {
        start
            .ancestors()
            .map(|dir| dir.join(CONFIG_FILE))
            .find(|candidate| candidate.is_file())
            .ok_or_else(|| {
                Error::Config(format!(
                    "no {CONFIG_FILE} in `{}` or any parent directory; run `cargo migrate init` \
                     to create one",
                    start.display()
                ))
            })
    }

    /// Reads `Migrate.toml` and resolves the database URL with `url_override` (the
    /// `--database-url` flag) taking precedence over the environment.
    pub fn load(config_file: &Path, url_override: Option<&str>) -> Result<Config> {
        let text =
            std::fs::read_to_string(config_file).map_err(Error::io("cannot read", config_file))?;
        let file: FileConfig = toml::from_str(&text).map_err(|e| {
            Error::Config(format!(
                "{}: {}accepted keys: script_location, database_url, version_table",
                config_file.display(),
                e.to_string().trim_end().to_owned() + "\n"
            ))
        })?;
        let root = config_file.parent().unwrap_or(Path::new("."));
        let script_location = root.join(file.script_location.as_deref().unwrap_or("migrations"));
        let database_url = url_override
            .map(str::to_owned)
            .or_else(database_url_from_env)
            .or(file.database_url);
        Ok(Config {
            config_file: config_file.to_path_buf(),
            script_location,
            database_url,
            version_table: file
                .version_table
                .unwrap_or_else(|| DEFAULT_VERSION_TABLE.to_owned()),
        })
    }

    /// Where revision files live.
    pub fn versions_dir(&self) -> PathBuf {
        self.script_location.join("versions")
    }

    /// The parsed database URL, or an error saying where to set one.
    pub fn database_url(&self) -> Result<DatabaseUrl> {
        match &self.database_url {
            Some(url) => DatabaseUrl::parse(url),
            None => Err(Error::Config(format!(
                "no database URL: pass --database-url, set DATABASE_URL (or put it in .env), or \
                 set database_url in `{}`",
                self.config_file.display()
            ))),
        }
    }
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

/// A database URL, by scheme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A SQLite file (relative paths are relative to the working directory) or `:memory:`.
    Sqlite(String),
    Postgres(String),
    Mysql(String),
}

/// The schemes users may write.
pub const ACCEPTED_SCHEMES: &str =
    "sqlite://path, sqlite::memory:, postgres://, postgresql://, mysql://, mariadb://";

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<DatabaseUrl> {
        if url == "sqlite::memory:" || url == "sqlite://:memory:" {
            return Ok(DatabaseUrl::Sqlite(":memory:".to_owned()));
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err(Error::Config(format!(
                    "database URL `{url}` names no file; write sqlite://path/to/file.db"
                )));
            }
            return Ok(DatabaseUrl::Sqlite(path.to_owned()));
        }
        let scheme = url.split_once("://").map(|(s, _)| s);
        match scheme {
            Some("postgres" | "postgresql") => Ok(DatabaseUrl::Postgres(url.to_owned())),
            Some("mysql" | "mariadb") => Ok(DatabaseUrl::Mysql(url.to_owned())),
            _ => Err(Error::Config(format!(
                "database URL `{}` has an unknown scheme; accepted: {ACCEPTED_SCHEMES}",
                redact(url)
            ))),
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            DatabaseUrl::Sqlite(_) => Dialect::Sqlite,
            DatabaseUrl::Postgres(_) => Dialect::Postgres,
            DatabaseUrl::Mysql(_) => Dialect::Mysql,
        }
    }
}

/// The URL with any password replaced, for messages.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) if userinfo.contains(':') => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_scheme() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://app.db").ok(),
            Some(DatabaseUrl::Sqlite("app.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/x.db").ok(),
            Some(DatabaseUrl::Sqlite("/tmp/x.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite::memory:").ok(),
            Some(DatabaseUrl::Sqlite(":memory:".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://u@h/db")
                .map(|u| u.dialect())
                .ok(),
            Some(Dialect::Postgres)
        );
        assert_eq!(
            DatabaseUrl::parse("mariadb://root@h/db")
                .map(|u| u.dialect())
                .ok(),
            Some(Dialect::Mysql)
        );
    }

    #[test]
    fn unknown_scheme_names_the_accepted_ones_and_hides_passwords() {
        let err = DatabaseUrl::parse("oracle://scott:tiger@db/x").expect_err("unknown");
        let msg = err.to_string();
        assert!(msg.contains("oracle://scott:***@db/x"), "{msg}");
        assert!(
            msg.contains("sqlite://path") && msg.contains("mariadb://"),
            "{msg}"
        );
    }

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
}
