//! A temporary user project, a database for it on one backend, and a way to run
//! `cargo migrate` in it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

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

/// A runner binary is 60-200 MB and every project builds its own: what its packages left in
/// the shared target directory goes with the project, so a whole test run needs a few GB of
/// disk, not tens (the dependencies they share stay).
impl Drop for Project {
    fn drop(&mut self) {
        let unique = self.unique();
        let debug = workspace_root().join("target/e2e-runner/debug");
        for dir in ["", "deps", "incremental", ".fingerprint", "build"] {
            let Ok(entries) = std::fs::read_dir(debug.join(dir)) else {
                continue;
            };
            for entry in entries.flatten() {
                if entry.file_name().to_string_lossy().contains(&unique) {
                    let path = entry.path();
                    // Best effort: a file still open elsewhere is left for the next run.
                    let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
                }
            }
        }
    }
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
        self.migrate_with(args, &[])
    }

    /// [`migrate`](Self::migrate) with more environment variables.
    pub fn migrate_with(&self, args: &[&str], vars: &[(&str, &str)]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_cargo-migrate"))
            .envs(vars.iter().copied())
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
        let unique = self.unique();
        self.write(
            "migrations/Cargo.toml",
            &manifest.replace(
                "name = \"migrations\"",
                &format!("name = \"migrations{unique}\""),
            ),
        );
    }

    /// What makes this project's package names its own: its directory's name, as a crate
    /// name's tail (`.tmpAb12` is `_tmpab12`).
    fn unique(&self) -> String {
        self.path()
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
            .collect()
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

/// A MySQL URL's parts, percent-decoded, as the `mariadb` client takes them.
struct MysqlUrl {
    user: String,
    password: Option<String>,
    host: String,
    port: Option<String>,
    database: String,
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn mysql_url(url: &str) -> MysqlUrl {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.split_once('?').map_or(rest, |(rest, _)| rest);
    let (authority, database) = rest.rsplit_once('/').unwrap_or((rest, ""));
    let (userinfo, hostport) = authority.rsplit_once('@').unwrap_or(("root", authority));
    let (user, password) = match userinfo.split_once(':') {
        Some((user, password)) => (user, Some(decode(password))),
        None => (userinfo, None),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((host, port)) => (host, Some(port.to_owned())),
        None => (hostport, None),
    };
    MysqlUrl {
        user: decode(user),
        password,
        host: host.to_owned(),
        port,
        database: decode(database),
    }
}

/// The first of `names` on the PATH.
pub fn program(names: &[&'static str]) -> &'static str {
    let path = std::env::var_os("PATH").unwrap_or_default();
    names
        .iter()
        .copied()
        .find(|name| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()))
        .unwrap_or_else(|| panic!("none of {names:?} is installed: the test needs the client"))
}

/// The database's own command-line client, connected to the project's database and reading
/// SQL from its standard input.
pub fn client(project: &Project) -> Command {
    let url = project.db.url_string();
    match project.db.dialect {
        Dialect::Postgres => {
            let mut command = Command::new(program(&["psql"]));
            command.args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", &url]);
            command
        }
        Dialect::Mysql => {
            let url = mysql_url(&url);
            let mut command = Command::new(program(&["mariadb", "mysql"]));
            command.args(["--batch", "--raw", "--skip-column-names"]);
            command.args(["-h", &url.host, "-u", &url.user]);
            if let Some(port) = &url.port {
                command.args(["-P", port]);
            }
            // The password through the environment, not the command line.
            if let Some(password) = &url.password {
                command.env("MYSQL_PWD", password);
            }
            command.arg(&url.database);
            command
        }
        Dialect::Sqlite => {
            let path = url.strip_prefix("sqlite://").unwrap_or(&url).to_owned();
            let mut command = Command::new(program(&["sqlite3"]));
            command.args(["-bail", "-batch", "-noheader", "-separator", "|", &path]);
            command
        }
    }
}

/// Whether the client ran `sql` without an error.
pub fn succeeds(project: &Project, sql: &str) -> bool {
    let mut client = client(project);
    match project.db.dialect {
        Dialect::Postgres => client.args(["-c", sql]),
        Dialect::Mysql => client.args(["-e", sql]),
        Dialect::Sqlite => client.arg(sql),
    };
    client.output().expect("run the client").status.success()
}

/// Runs `command` with `input` on its standard input; its standard output.
#[track_caller]
pub fn run(mut command: Command, input: &str) -> String {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = input.to_owned();
    // From a thread, so a client that answers while it reads cannot fill its pipe and stall.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("wait for the client");
    writer
        .join()
        .expect("stdin writer")
        .expect("write the client's input");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{:?} failed ({}):\n{stderr}",
        command.get_program(),
        output.status
    );
    if !stderr.trim().is_empty() {
        eprintln!("{:?}: {stderr}", command.get_program());
    }
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `#[test] fn sqlite`, `postgres` and `mysql`, each running `$walk(&Project)` on a fresh project
/// of its backend (a server's test is skipped, or fails under `RETORT_TEST_REQUIRE_ALL`, as
/// [`Project::on`] decides).
macro_rules! test_on_every_backend {
    ($walk:ident) => {
        #[test]
        fn sqlite() {
            $walk(&crate::support::Project::new());
        }

        #[test]
        fn postgres() {
            if let Some(project) = crate::support::Project::on(retort::core::ddl::Dialect::Postgres)
            {
                $walk(&project);
            }
        }

        #[test]
        fn mysql() {
            if let Some(project) = crate::support::Project::on(retort::core::ddl::Dialect::Mysql) {
                $walk(&project);
            }
        }
    };
}

/// A revision written by hand: `revision -m MESSAGE --rev-id ID`, its `upgrade` and `downgrade`
/// bodies replaced by `up` and `down`.
pub fn hand_written(project: &Project, message: &str, id: &str, up: &str, down: &str) {
    project
        .migrate(&["revision", "-m", message, "--rev-id", id])
        .expect(0);
    let path = project
        .versions()
        .into_iter()
        .find(|p| p.to_string_lossy().contains(id))
        .expect("written");
    let text = project
        .read(&path)
        .replacen("let _ = op;", up, 1)
        .replacen("let _ = op;", down, 1);
    project.write(path.to_str().expect("utf-8"), &text);
}

/// `check` exits 0 and says the database matches the models.
#[track_caller]
pub fn assert_clean(project: &Project) {
    let run = project.migrate(&["check"]).expect(0);
    assert!(
        run.stdout.contains("No new upgrade operations detected."),
        "{run:#?}"
    );
}

/// The revision file at `path` is as `cargo fmt` would leave it (format = "rustfmt", the
/// default, lays out part of it without rustfmt).
#[track_caller]
pub fn assert_rustfmt_clean(path: &Path) {
    let fmt = Command::new(std::env::var("RUSTFMT").unwrap_or("rustfmt".into()))
        .args(["--check", "--edition", "2021"])
        .arg(path)
        .output()
        .expect("run rustfmt");
    assert!(
        fmt.status.success(),
        "{} is not rustfmt-clean:\n{}",
        path.display(),
        String::from_utf8_lossy(&fmt.stdout)
    );
}

/// The file of the revision whose name ends in `_<slug>.rs`.
pub fn revision_file(project: &Project, slug: &str) -> PathBuf {
    project
        .versions()
        .into_iter()
        .find(|f| f.to_string_lossy().ends_with(&format!("_{slug}.rs")))
        .unwrap_or_else(|| panic!("no revision `{slug}`"))
}

/// The text of the revision whose file name ends in `_<slug>.rs`.
pub fn revision_text(project: &Project, slug: &str) -> String {
    std::fs::read_to_string(revision_file(project, slug)).expect("read the revision")
}

/// `models` through an autogenerated revision `message` that holds each of `expect`, upgraded,
/// and `check` clean: what a test of a schema object starts from.
pub fn create_from_models(project: &Project, models: &str, message: &str, expect: &[&str]) {
    project.init();
    project.write("migrations/src/models.rs", models);
    project
        .migrate(&["revision", "--autogenerate", "-m", message])
        .expect(0);
    let slug = message.replace(' ', "_");
    assert_rustfmt_clean(&revision_file(project, &slug));
    let file = revision_text(project, &slug);
    for part in expect {
        assert!(file.contains(part), "no `{part}` in:\n{file}");
    }
    project.migrate(&["upgrade", "head"]).expect(0);
    assert_clean(project);
}

/// Adopts a database someone else wrote: the models, an empty revision marked as applied
/// (`stamp head`), and `check` finds nothing to do.
pub fn adopt(project: &Project, models: &str) {
    project.init();
    project.write("migrations/src/models.rs", models);
    project.migrate(&["revision", "-m", "adopt"]).expect(0);
    project.migrate(&["stamp", "head"]).expect(0);
    assert_clean(project);
}

/// A change rolled back and reverted: `downgrade -1`, the revision `slug` deleted, the models
/// back to `models`; then `check` is clean.
pub fn revert(project: &Project, slug: &str, models: &str) {
    project.migrate(&["downgrade", "-1"]).expect(0);
    std::fs::remove_file(revision_file(project, slug)).expect("remove the revision");
    project.write("migrations/src/models.rs", models);
    assert_clean(project);
}
