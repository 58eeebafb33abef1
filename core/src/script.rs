//! The script directory (Alembic's `ScriptDirectory`): the revision files compiled into the
//! runner by `embed_migrations!`, their revision graph, and the writing of new files.

use crate::error::Result;
use crate::operations::Operations;

/// A migration step function of a revision file.
pub type MigrationFn = fn(&mut Operations) -> Result<()>;

/// One revision file as compiled into the runner by `embed_migrations!`.
#[derive(Clone, Copy, Debug)]
pub struct Script {
    pub revision: &'static str,
    /// Empty for a base; two or more for a merge.
    pub down_revisions: &'static [&'static str],
    pub branch_labels: &'static [&'static str],
    pub depends_on: &'static [&'static str],
    /// The first line of the file's `//!` doc comment.
    pub message: &'static str,
    /// The file name inside the versions directory.
    pub path: &'static str,
    pub upgrade: MigrationFn,
    pub downgrade: MigrationFn,
}
