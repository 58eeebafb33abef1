//! The revision graph (Alembic's `RevisionMap`): a pure DAG of revision ids, with no filesystem.
//!
//! It resolves what users type (`head`, `heads`, `base`, an id prefix, `+N`, `-N`, `<rev>+N`,
//! `label@head`) into revisions, plans the steps of an upgrade or downgrade between the heads
//! recorded in the version table and a target, and keeps that set of heads up to date step by
//! step, so branches and merges move the version table the way Alembic's does.

use std::collections::{BTreeMap, BTreeSet};

/// One node of the graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    pub id: String,
    /// Parents; empty for a base, two or more for a merge.
    pub down_revisions: Vec<String>,
    pub branch_labels: Vec<String>,
    /// Extra ancestors that must be applied first, without being parents.
    pub depends_on: Vec<String>,
}

impl Revision {
    pub fn new(id: &str, down_revisions: &[&str]) -> Self {
        Revision {
            id: id.to_owned(),
            down_revisions: down_revisions.iter().map(|s| (*s).to_owned()).collect(),
            branch_labels: Vec::new(),
            depends_on: Vec::new(),
        }
    }
}

/// Everything that can go wrong resolving revisions. Each message says what to do next.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RevisionError {
    #[error("revision `{0}` not found; run `cargo migrate history` to list revisions")]
    Unknown(String),
    #[error("revision prefix `{prefix}` is ambiguous: it matches {}; type more characters", candidates.join(", "))]
    Ambiguous {
        prefix: String,
        candidates: Vec<String>,
    },
    #[error(
        "there are multiple heads ({}); name one, use `heads` to upgrade all, or run `cargo migrate merge heads -m \"...\"`",
        heads.join(", ")
    )]
    MultipleHeads { heads: Vec<String> },
    #[error("revision `{id}` appears in two files; give one of them a new id")]
    Duplicate { id: String },
    #[error("revision `{revision}` names down revision `{parent}`, which does not exist")]
    MissingParent { revision: String, parent: String },
    #[error("the revisions {} form a cycle; fix their DOWN_REVISION", ids.join(", "))]
    Cycle { ids: Vec<String> },
    #[error("cannot move {steps} step(s) {direction} from `{from}`: {reason}")]
    Relative {
        from: String,
        steps: usize,
        direction: &'static str,
        reason: String,
    },
    #[error("`{0}` is not a revision, `head`, `heads`, `base` or relative step (`+N`, `-N`)")]
    BadSpec(String),
    /// The version table holds revisions this project does not contain: a deploy of an older
    /// build, or a deleted revision file. Planning from it would re-run migrations.
    #[error(
        "the version table `{version_table}` holds {}, which this project does not contain (an \
         older build, or a deleted revision file); restore the file, or reset the version table \
         with `cargo migrate stamp --purge <rev>`",
        revisions.iter().map(|r| format!("revision `{r}`")).collect::<Vec<_>>().join(" and ")
    )]
    NotInProject {
        revisions: Vec<String>,
        version_table: String,
    },
    #[error("revision `{target}` is not an ancestor of the current revision(s) {}; a downgrade only moves down", current.join(", "))]
    NotAnAncestor {
        target: String,
        current: Vec<String>,
    },
}

/// A planned step: apply (`upgrade`) or undo (`downgrade`) one revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub revision: String,
    pub upgrade: bool,
}

/// The graph of all revisions.
#[derive(Clone, Debug, Default)]
pub struct RevisionMap {
    revisions: BTreeMap<String, Revision>,
    children: BTreeMap<String, BTreeSet<String>>,
}

type Result<T> = std::result::Result<T, RevisionError>;

mod graph;
mod plan;
mod spec;

#[cfg(test)]
mod tests;
