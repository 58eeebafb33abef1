//! The errors of the commands and of the runner's main path: [`CommandError`] gathers the
//! library's [`Error`](retort_core::error::Error), rendering failures, mistakes in how a command
//! was called ([`UsageError`]) and failures to build or run the migrations crate
//! ([`RunnerError`]). The exit code each one means is decided in `runner::exit_code`, from the
//! variant alone.

use std::path::PathBuf;

use retort_autogen::findings::Severity;
use retort_autogen::render::RenderError;
use retort_core::error::{ConfigError, Error, RevisionError};

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CommandError {
    #[error(transparent)]
    Core(#[from] Error),
    #[error(transparent)]
    Usage(#[from] UsageError),
    #[error(transparent)]
    Render(#[from] RenderError),
    /// `revision --autogenerate` or `check` against a database behind the heads.
    #[error(
        "the database is not up to date (at {}, heads are {}); run `cargo migrate upgrade head` \
         first",
        list_or_base(current),
        heads.join(", ")
    )]
    NotUpToDate {
        current: Vec<String>,
        heads: Vec<String>,
    },
    /// `--fail-on` met findings of its severity (they are listed above the error).
    #[error(
        "{count} finding(s) are {severity} or worse (listed above){}; review them, then run the \
         command without --fail-on",
        if *wrote_nothing { "; no revision file was written" } else { "" }
    )]
    Findings {
        count: usize,
        severity: Severity,
        wrote_nothing: bool,
    },
    #[error(transparent)]
    Runner(#[from] RunnerError),
    #[error("cannot write output: {0}")]
    Output(#[source] std::io::Error),
}

impl From<RevisionError> for CommandError {
    fn from(error: RevisionError) -> Self {
        CommandError::Core(error.into())
    }
}

impl From<ConfigError> for CommandError {
    fn from(error: ConfigError) -> Self {
        CommandError::Core(error.into())
    }
}

fn list_or_base(revisions: &[String]) -> String {
    if revisions.is_empty() {
        "base".to_owned()
    } else {
        revisions.join(", ")
    }
}

/// A command called in a way it cannot run: the arguments, not the database, are at fault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UsageError {
    #[error(
        "`{spec}`: a START:END range needs --sql; online, {command} starts from the database's \
         current revision"
    )]
    RangeNeedsSql { spec: String, command: &'static str },
    #[error(
        "downgrade --sql needs a range START:END (e.g. `{head}:base`): there is no database to \
         read the current revision from"
    )]
    SqlDowngradeNeedsRange { head: String },
    #[error("revision `{revision}` is not a head; pass --splice to start a branch from it")]
    NotAHead { revision: String },
    #[error("`{label}` already names a revision or branch; choose another label")]
    LabelTaken { label: String },
    #[error("revision id `{id}` is already used; pick another")]
    RevisionIdTaken { id: String },
    #[error(
        "a merge joins two or more revisions, and `{spec}` names {found}; run `cargo migrate \
         heads`"
    )]
    MergeNeedsTwo { spec: String, found: usize },
    #[error("history range `{range}` is not START:END")]
    BadRange { range: String },
    #[error("there are no revisions yet; create one with `cargo migrate revision -m MSG`")]
    NoRevisions,
    #[error(
        "directory `{}` already exists and is not empty; choose another: `cargo migrate init \
         <DIR>`",
        dir.display()
    )]
    InitDirNotEmpty { dir: PathBuf },
    /// The models hold no table, the database does: autogenerate would drop every table.
    #[error(
        "the models are empty (no #[derive(Table)] is linked into the migrations runner) but the \
         database holds {tables} table(s), which autogenerate would drop; if the models live in \
         your application, add it as a dependency of the migrations crate and write `use \
         your_app as _;` in its src/main.rs; to drop every table on purpose, pass \
         --allow-empty-target"
    )]
    EmptyTarget { tables: usize },
    #[error(
        "{file} already exists in this directory; this project is initialised (edit \
         script_location there to move the migrations crate)"
    )]
    AlreadyInitialised { file: &'static str },
}

/// `cargo migrate` could not build or run the project's migrations crate, or the runner
/// panicked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunnerError {
    #[error("cannot run cargo to build the migrations crate: {source}")]
    Cargo {
        #[source]
        source: std::io::Error,
    },
    /// The build failed; `hint` names the likely cause when the compiler's output shows it.
    #[error(
        "the migrations crate `{}` failed to build; fix the errors above and run the command \
         again{}",
        manifest.display(),
        hint.map(|h| format!(" ({h})")).unwrap_or_default()
    )]
    Build {
        manifest: PathBuf,
        hint: Option<&'static str>,
    },
    #[error("the migrations runner `{}` exited with unexpected status {status}", program.display())]
    Status { program: PathBuf, status: String },
    /// A bug in retort or in code it called: reported with its message instead of a backtrace.
    #[error(
        "internal error (a panic): {message}{}; please report this with the command you ran",
        location.as_deref().map(|l| format!(" (at {l})")).unwrap_or_default()
    )]
    Panicked {
        message: String,
        location: Option<String>,
    },
}
