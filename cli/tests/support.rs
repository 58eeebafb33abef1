//! A temporary user project and a way to run `cargo migrate` in it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use diesel::connection::SimpleConnection as _;
use diesel::{Connection as _, RunQueryDsl as _};

/// The retort checkout these tests run from.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cli/ has a parent")
        .to_path_buf()
}

/// A temporary directory holding a user's project.
pub struct Project {
    pub dir: tempfile::TempDir,
}

/// What one `cargo migrate` run did.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Asserts the exit code and that nothing panicked.
    #[track_caller]
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(self.code, Some(code), "unexpected exit code:\n{self:#?}");
        assert!(
            !self.stderr.contains("panicked"),
            "a panic reached the user:\n{}",
            self.stderr
        );
        self
    }
}

impl Project {
    pub fn new() -> Project {
        Project {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn database_url(&self) -> String {
        format!("sqlite://{}", self.path().join("app.db").display())
    }

    /// Runs `cargo migrate ARGS` (as cargo does: `cargo-migrate migrate ARGS`) in the project.
    pub fn migrate(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_cargo-migrate"))
            .arg("migrate")
            .args(args)
            .current_dir(self.path())
            .env("DATABASE_URL", self.database_url())
            // One target directory for every test's runner, so retort compiles once.
            .env(
                "CARGO_TARGET_DIR",
                workspace_root().join("target/e2e-runner"),
            )
            .output()
            .expect("run cargo-migrate");
        Run::from(output)
    }

    /// `init --retort-path <this checkout>`, with this workspace's lock file so the runner
    /// resolves the same dependency versions.
    pub fn init(&self) {
        self.migrate(&[
            "init",
            "--retort-path",
            workspace_root().to_str().expect("utf-8 path"),
        ])
        .expect(0);
        std::fs::copy(
            workspace_root().join("Cargo.lock"),
            self.path().join("migrations/Cargo.lock"),
        )
        .expect("copy Cargo.lock");
    }

    pub fn write(&self, relative: &str, text: &str) {
        std::fs::write(self.path().join(relative), text).expect("write file");
    }

    pub fn read(&self, relative: impl AsRef<Path>) -> String {
        std::fs::read_to_string(self.path().join(relative)).expect("read file")
    }

    /// Revision files, sorted by name.
    pub fn versions(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.path().join("migrations/versions"))
            .expect("versions dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect();
        files.sort();
        files
    }

    fn connection(&self) -> diesel::SqliteConnection {
        diesel::SqliteConnection::establish(&self.path().join("app.db").display().to_string())
            .expect("open app.db")
    }

    pub fn sql(&self, sql: &str) {
        self.connection().batch_execute(sql).expect("sql runs");
    }

    /// Names of user tables (the version table included), sorted.
    pub fn tables(&self) -> Vec<String> {
        self.strings(
            "SELECT name AS value FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
    }

    /// Column names of a table, in order.
    pub fn columns(&self, table: &str) -> Vec<String> {
        self.strings(&format!(
            "SELECT name AS value FROM pragma_table_info('{table}') ORDER BY cid"
        ))
    }

    pub fn count(&self, table: &str) -> usize {
        self.strings(&format!(
            "SELECT CAST(count(*) AS TEXT) AS value FROM \"{table}\""
        ))[0]
            .parse()
            .expect("a count")
    }

    fn strings(&self, sql: &str) -> Vec<String> {
        #[derive(diesel::QueryableByName)]
        struct Value {
            #[diesel(sql_type = diesel::sql_types::Text)]
            value: String,
        }
        diesel::sql_query(sql)
            .load::<Value>(&mut self.connection())
            .expect("query runs")
            .into_iter()
            .map(|v| v.value)
            .collect()
    }
}
