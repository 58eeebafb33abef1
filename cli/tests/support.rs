//! A temporary user project, a database for it on one backend, and a way to run
//! `cargo migrate` in it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use retort::core::ddl::Dialect;
use retort::core::testing::TestDb;

/// The retort checkout these tests run from.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cli/ has a parent")
        .to_path_buf()
}

/// A temporary directory holding a user's project, and its database.
pub struct Project {
    pub dir: tempfile::TempDir,
    pub db: TestDb,
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

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

impl Project {
    /// A project on SQLite.
    pub fn new() -> Project {
        Project::on(Dialect::Sqlite).expect("SQLite is always there")
    }

    /// A project on a fresh database of `dialect`, or `None` when its server is not there (and
    /// not required).
    pub fn on(dialect: Dialect) -> Option<Project> {
        Some(Project {
            dir: tempfile::tempdir().expect("tempdir"),
            db: TestDb::new(dialect)?,
        })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `cargo migrate ARGS` (as cargo does: `cargo-migrate migrate ARGS`) in the project.
    pub fn migrate(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_cargo-migrate"))
            .arg("migrate")
            .args(args)
            .current_dir(self.path())
            .env("DATABASE_URL", self.db.url_string())
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
        let root = workspace_root();
        self.migrate(&["init", "--retort-path", root.to_str().expect("utf-8 path")])
            .expect(0);
        std::fs::copy(
            root.join("Cargo.lock"),
            self.path().join("migrations/Cargo.lock"),
        )
        .expect("copy Cargo.lock");
        // Tests share one target directory; a package name of its own keeps each project's
        // runner binary from overwriting another's while tests run in parallel.
        let manifest = self.read("migrations/Cargo.toml");
        let unique: String = self
            .path()
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("x")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        self.write(
            "migrations/Cargo.toml",
            &manifest.replace(
                "name = \"migrations\"",
                &format!("name = \"migrations{unique}\""),
            ),
        );
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

    pub fn sql(&self, sql: &str) {
        self.db.executor().execute(sql).expect("sql runs");
    }

    /// The database as reflection sees it (the version table left out).
    pub fn schema(&self) -> retort::MetaData {
        retort::autogen::reflect(&mut self.db.context())
            .expect("reflect")
            .metadata
    }

    /// User table names, sorted.
    pub fn tables(&self) -> Vec<String> {
        self.schema()
            .tables
            .keys()
            .map(|k| k.name.clone())
            .collect()
    }

    /// Column names of a table, in order.
    pub fn columns(&self, table: &str) -> Vec<String> {
        self.schema().tables[&table.into()]
            .columns
            .iter()
            .map(|c| c.name.clone())
            .collect()
    }

    pub fn count(&self, table: &str) -> i64 {
        let mut ctx = self.db.context();
        let sql = format!("SELECT count(*) AS n FROM {}", ctx.ddl().quote(table));
        let rows: Vec<Count> = ctx.executor().load(&sql).expect("count");
        rows[0].n
    }
}
