//! The error type of retort's library and of migration files (`Result<()>` in a revision).

use std::path::PathBuf;

/// Any failure of a retort operation. Messages name the object and the next step.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A configuration or usage mistake (exit code 2).
    #[error("{0}")]
    Config(String),
    /// A revision id, label or range that does not resolve (exit code 2).
    #[error(transparent)]
    Revision(#[from] crate::revision::RevisionError),
    /// A database statement failed.
    #[error("{message}")]
    Database { message: String },
    /// A migration step failed; the database was rolled back to where the message says.
    #[error("{0}")]
    Migration(String),
    /// The version table moved while a run was planned against it: another upgrade ran at the
    /// same time.
    #[error(
        "the version table changed during the run (it is now at {}): another upgrade ran at the \
         same time; run the command again",
        if now.is_empty() { "base".to_owned() } else { now.join(", ") }
    )]
    Concurrent { now: Vec<String> },
    /// An op this dialect cannot run as written.
    #[error("{0}")]
    Unsupported(String),
    #[error(transparent)]
    Irreversible(#[from] crate::ops::Irreversible),
    #[error(transparent)]
    DuplicateTable(#[from] crate::registry::DuplicateTable),
    #[error("{action} `{path}`: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// An error raised by user code inside a migration file.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// Wraps an I/O error with what was being done and to which path.
    pub fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io {
            action,
            path,
            source,
        }
    }

    /// Whether the user, not the database or a migration, is at fault (exit code 2). Multiple
    /// heads where one is needed is a state to act on (exit code 1), as DESIGN §4.2 says.
    pub fn is_usage(&self) -> bool {
        match self {
            Error::Revision(crate::revision::RevisionError::MultipleHeads { .. }) => false,
            Error::Config(_) | Error::Revision(_) | Error::DuplicateTable(_) => true,
            _ => false,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
