//! The error type of retort's library and of migration files (`Result<()>` in a revision).
//!
//! Each area has its own enum next to the code that raises it ([`ConfigError`] in `config`,
//! [`DatabaseError`] in `executor`, [`MigrationError`] in `context`, [`RevisionError`] in
//! `revision`, [`Unsupported`] in `ddl`, ...); [`Error`] gathers them so a migration file and
//! every library call can use one `Result`. Sources are kept (a diesel error stays a diesel
//! error); what exit code an error means is decided by the command line from its variant, not
//! here.

use std::path::PathBuf;

pub use crate::config::ConfigError;
pub use crate::context::MigrationError;
pub use crate::ddl::Unsupported;
pub use crate::executor::DatabaseError;
pub use crate::ops::Irreversible;
pub use crate::registry::DuplicateTable;
pub use crate::revision::RevisionError;
pub use crate::schema::ConflictingType;

/// Any failure of a retort operation. Messages name the object and the next step.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `Migrate.toml`, the database URL or the build's features are wrong.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A revision id, label or range that does not resolve, or a graph that is not valid.
    #[error(transparent)]
    Revision(#[from] RevisionError),
    /// Connecting, or a statement, failed.
    #[error(transparent)]
    Database(#[from] DatabaseError),
    /// A migration step failed; the message says where the version table stands.
    #[error(transparent)]
    Migration(#[from] MigrationError),
    /// An op this dialect cannot run as written.
    #[error(transparent)]
    Unsupported(#[from] Unsupported),
    #[error(transparent)]
    Irreversible(#[from] Irreversible),
    #[error(transparent)]
    DuplicateTable(#[from] DuplicateTable),
    #[error(transparent)]
    ConflictingType(#[from] ConflictingType),
    #[error(transparent)]
    Io(#[from] IoError),
    /// An error raised by user code inside a migration file ([`Error::other`], [`Error::msg`]).
    #[error(transparent)]
    Other(Box<dyn std::error::Error + Send + Sync + 'static>),
}

/// A file or directory could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("{action} `{}`: {source}", path.display())]
pub struct IoError {
    pub action: &'static str,
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// A message from user code, as an error.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Message(String);

impl Error {
    /// Wraps an I/O error with what was being done and to which path.
    pub fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| {
            Error::Io(IoError {
                action,
                path,
                source,
            })
        }
    }

    /// Any error of user code in a migration file: `.map_err(Error::other)?`.
    pub fn other(error: impl std::error::Error + Send + Sync + 'static) -> Error {
        Error::Other(Box::new(error))
    }

    /// A failure described by a message: `return Err(Error::msg("no admin user"))`.
    pub fn msg(message: impl std::fmt::Display) -> Error {
        Error::Other(Box::new(Message(message.to_string())))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
