//! The command line shared by `cargo migrate` and a project's runner: one clap definition, so
//! both accept exactly the same arguments (DESIGN §4.2). Definitions only: what each command
//! does is in `command`, how the runner dispatches them in `runner`.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Alembic-style schema migrations for Rust.
#[derive(Parser)]
#[command(name = "cargo migrate", version, about, disable_help_subcommand = true)]
pub struct Cli {
    /// Database URL; overrides DATABASE_URL, .env and Migrate.toml.
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,

    /// More detail: paths and checksums in `current`, `heads`, `history` and `branches`, and
    /// the compiler's output when `cargo migrate` builds the runner.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// The environment of `Migrate.toml` to use (`[environments.NAME]`), for projects with
    /// several databases (Alembic's `-n`).
    #[arg(short = 'n', long = "name", global = true, value_name = "NAME")]
    pub name: Option<String>,

    /// An argument for the environment (`migrations/src/main.rs`), read with
    /// `retort::x_argument("key")` (Alembic's `-x`); repeatable.
    #[arg(short = 'x', global = true, value_name = "KEY=VALUE")]
    pub x: Vec<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Debug, Subcommand)]
pub enum Command {
    /// Create Migrate.toml and the migrations crate.
    Init(InitOptions),
    /// Create a new revision file.
    Revision(RevisionOptions),
    /// Upgrade to a later revision.
    Upgrade {
        /// `head`, `heads`, a revision id or prefix, `+N`, `<rev>+N`, `label@head`; with
        /// --sql also `START:END`.
        revision: String,
        /// Print the SQL instead of running it.
        #[arg(long)]
        sql: bool,
        #[command(flatten)]
        lock: LockOptions,
    },
    /// Revert to an earlier revision.
    Downgrade {
        /// `base`, `-N`, a revision id or prefix, `<rev>-N`; with --sql `START:END`.
        #[arg(allow_hyphen_values = true)]
        revision: String,
        /// Print the SQL instead of running it.
        #[arg(long)]
        sql: bool,
        #[command(flatten)]
        lock: LockOptions,
    },
    /// Show the revision(s) the database is at.
    Current,
    /// Show the head revisions.
    Heads,
    /// List revisions, newest first.
    History {
        /// Only revisions in `START:END` (either side may be empty; `current` is the database's
        /// revision).
        #[arg(short = 'r', long = "rev-range", value_name = "RANGE")]
        range: Option<String>,
        /// Mark the revisions the database is at (`(current)`).
        #[arg(short = 'i', long = "indicate-current")]
        indicate_current: bool,
    },
    /// Show the branch points.
    Branches,
    /// Show one revision.
    Show {
        /// A revision id, prefix, label, `head`, `current` or `base`.
        revision: String,
    },
    /// Create a revision that joins two or more heads (`merge heads -m MSG`).
    Merge {
        /// The revisions to join; `heads` for all of them.
        #[arg(required = true)]
        revisions: Vec<String>,
        /// The revision's message.
        #[arg(short, long)]
        message: String,
        /// Use this id instead of a random one.
        #[arg(long, value_name = "ID")]
        rev_id: Option<String>,
    },
    /// Set the version table without running migrations.
    Stamp {
        /// The new heads; with --repair, the applied revisions whose files to accept.
        #[arg(required = true)]
        revisions: Vec<String>,
        /// Print the SQL instead of running it.
        #[arg(long)]
        sql: bool,
        /// Replace every row of the version table (and of the applied table), even rows of
        /// unknown revisions.
        #[arg(long, conflicts_with = "repair")]
        purge: bool,
        /// Accept the files of these applied revisions as they are now: record their current
        /// checksums, leaving the version table as it is.
        #[arg(long)]
        repair: bool,
        #[command(flatten)]
        lock: LockOptions,
    },
    /// Exit 0 when the database matches the models, 1 listing the differences otherwise.
    Check(CheckOptions),
}

/// How `upgrade`, `downgrade` and `stamp` take the migration lock; these win over `lock` and
/// `lock_timeout` in Migrate.toml.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct LockOptions {
    /// Give up after waiting this long for the migration lock another run holds (default 300,
    /// or lock_timeout in Migrate.toml).
    #[arg(long, value_name = "SECONDS")]
    pub lock_timeout: Option<u64>,
    /// Run without the migration lock, for poolers that cannot hold a session lock (PgBouncer
    /// in transaction mode): concurrent runs are then NOT serialised.
    #[arg(long)]
    pub no_lock: bool,
}

/// Options of `revision`.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct RevisionOptions {
    /// The revision's message.
    #[arg(short, long)]
    pub message: String,
    /// Fill the revision with the difference between the models and the database.
    #[arg(long)]
    pub autogenerate: bool,
    /// Use this id instead of a random one.
    #[arg(long, value_name = "ID")]
    pub rev_id: Option<String>,
    /// The revision to build on (default: the single head); `base` starts a new root.
    #[arg(long, value_name = "REV")]
    pub head: Option<String>,
    /// Allow `--head` to name a revision that is not a head, starting a branch there.
    #[arg(long)]
    pub splice: bool,
    /// A label for the new revision's branch (`label@head` then names its head).
    #[arg(long = "branch-label", value_name = "LABEL")]
    pub branch_labels: Vec<String>,
    /// A revision that must be applied before this one without being its parent.
    #[arg(long = "depends-on", value_name = "REV")]
    pub depends_on: Vec<String>,
    #[command(flatten)]
    pub safety: SafetyOptions,
}

/// Options of `check`.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct CheckOptions {
    #[command(flatten)]
    pub safety: SafetyOptions,
}

/// How autogenerate treats what would destroy data (`revision --autogenerate` and `check`).
#[derive(Clone, Debug, Default, clap::Args)]
pub struct SafetyOptions {
    /// Fail (exit 1) on findings of this severity or worse: `revision` then writes no file,
    /// and `check` fails on them only, listing other differences with exit 0.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Allow models with no table at all, against a database that has tables: every table would
    /// be dropped. Without it that is refused, as the likely cause is models not linked in.
    #[arg(long)]
    pub allow_empty_target: bool,
}

/// The severities `--fail-on` takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Findings that lose data or enforcement (RT1xx).
    Destructive,
    /// Those, and findings that hold a large table up (RT2xx).
    Blocking,
}

/// Options of `init`.
#[derive(Clone, Debug, clap::Args)]
pub struct InitOptions {
    /// Directory of the migrations crate.
    #[arg(default_value = "migrations")]
    pub dir: PathBuf,
    /// Depend on a local checkout of retort instead of the published crate.
    #[arg(long, value_name = "PATH")]
    pub retort_path: Option<PathBuf>,
    /// The retort features the runner enables (default: every backend and type mapping).
    #[arg(long, value_delimiter = ',', value_name = "FEATURES")]
    pub features: Vec<String>,
}

impl Cli {
    /// Parses `cargo migrate ...`, `cargo-migrate migrate ...` or the runner's own arguments.
    /// Arguments that are not UTF-8 are a usage error, not a panic.
    pub fn parse_args<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString>,
    {
        Cli::try_parse_from(without_cargo_subcommand(args))
    }
}

/// The arguments with the `migrate` that cargo inserts removed: cargo runs
/// `cargo-migrate migrate ARGS` for `cargo migrate ARGS`.
pub fn without_cargo_subcommand<I, T>(args: I) -> Vec<OsString>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let mut args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    if args.get(1).is_some_and(|a| a == "migrate") {
        args.remove(1);
    }
    args
}

/// Shows `--database-url` redacted, so a `{:?}` in a log cannot leak its password.
impl fmt::Debug for Cli {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cli")
            .field(
                "database_url",
                &self
                    .database_url
                    .as_deref()
                    .map(retort_core::config::redact),
            )
            .field("command", &self.command)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_database_password() {
        let cli = Cli::parse_args([
            "cargo-migrate",
            "migrate",
            "--database-url",
            "postgres://app:hunter2@db/app",
            "current",
        ])
        .expect("parses");
        let shown = format!("{cli:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("postgres://app:***@db/app"), "{shown}");
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_arguments_are_a_usage_error() {
        use std::os::unix::ffi::OsStringExt;
        let bad = OsString::from_vec(vec![b'h', 0xff, b'd']);
        let err = Cli::parse_args([OsString::from("cargo-migrate"), "upgrade".into(), bad])
            .expect_err("not UTF-8");
        assert!(err.use_stderr());
    }
}
