//! The applied table beside the version table: `<version_table>_applied`, one row per applied
//! revision with the checksum of its file (`Script::checksum`) and when it was applied. The
//! version table stays Alembic's (one row per head); this one is written in the same atomic
//! step as it on every upgrade, downgrade and stamp, and read by `current -v` and `check` to
//! find applied revisions whose file changed since ([`MigrationContext::checksum_report`]).
//!
//! Every write brings the table to exactly the ancestors of the new heads: revisions it lacks
//! get the current checksum, with `applied_at` NULL unless the step ran them, and rows of
//! revisions no longer applied go. That one rule applies a step, adopts the version table of a
//! database last written by a retort without this table (created on the first write, filled
//! from the heads' ancestors), and repairs a table that another run or an older build left
//! behind. A database without the table reads as "no checksum recorded", never as an error.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use diesel::sql_types::{Nullable, Text};

use super::{MigrationContext, MigrationError};
use crate::error::Result;
use crate::revision::RevisionMap;
use crate::script::{Script, ScriptDirectory};

#[derive(diesel::QueryableByName)]
struct AppliedRow {
    #[diesel(sql_type = Text)]
    revision: String,
    #[diesel(sql_type = Text)]
    checksum: String,
    #[diesel(sql_type = Nullable<Text>)]
    applied_at: Option<String>,
}

/// One row of the applied table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedRevision {
    pub checksum: String,
    /// When an upgrade ran it, as the database prints it; `None` when it was recorded without
    /// running (stamped, or adopted from a version table without an applied table).
    pub applied_at: Option<String>,
}

/// An applied revision whose file changed since it was applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditedRevision {
    pub revision: String,
    /// The file name inside the versions directory.
    pub path: &'static str,
    /// The checksum recorded when it was applied.
    pub recorded: String,
    /// The checksum of the file the runner was built from.
    pub current: &'static str,
}

impl fmt::Display for EditedRevision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "revision `{}` ({}) changed since it was applied (recorded {}, now {})",
            self.revision, self.path, self.recorded, self.current
        )
    }
}

/// What the applied table says about the files of the applied revisions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChecksumReport {
    /// `false` for a database last written by a retort without the applied table: then
    /// nothing is recorded and every other field is empty.
    pub table_exists: bool,
    /// How many applied revisions match their recorded checksum.
    pub matching: usize,
    /// Applied revisions without a row (heads moved by an older build); the next write records
    /// them.
    pub unrecorded: Vec<String>,
    /// Applied revisions whose file changed since.
    pub edited: Vec<EditedRevision>,
}

impl MigrationContext {
    /// The applied table's name: the version table's with `_applied`.
    pub fn applied_table(&self) -> String {
        format!("{}_applied", self.version_table)
    }

    /// The rows of the applied table by revision; `None` offline or when the table does not
    /// exist (a database last written by a retort without it: no checksum recorded).
    pub fn applied_revisions(&mut self) -> Result<Option<BTreeMap<String, AppliedRevision>>> {
        if self.executor.is_offline() || !self.has_table(&self.applied_table())? {
            return Ok(None);
        }
        let query = format!(
            "SELECT revision, checksum, {} AS applied_at FROM {}",
            self.ddl.text_cast("applied_at"),
            self.ddl.quote(&self.applied_table())
        );
        let rows: Vec<AppliedRow> = self.executor.load(&query)?;
        Ok(Some(
            rows.into_iter()
                .map(|row| {
                    let applied = AppliedRevision {
                        checksum: row.checksum,
                        applied_at: row.applied_at,
                    };
                    (row.revision, applied)
                })
                .collect(),
        ))
    }

    /// Compares the checksum recorded for each revision applied at `heads` with its file's.
    pub fn checksum_report(
        &mut self,
        map: &RevisionMap,
        scripts: &BTreeMap<&str, &Script>,
        heads: &[String],
    ) -> Result<ChecksumReport> {
        let Some(recorded) = self.applied_revisions()? else {
            return Ok(ChecksumReport::default());
        };
        let mut report = ChecksumReport {
            table_exists: true,
            ..ChecksumReport::default()
        };
        for revision in map.ancestors(heads) {
            let Some(script) = scripts.get(revision.as_str()) else {
                continue;
            };
            match recorded.get(&revision) {
                None => report.unrecorded.push(revision),
                Some(row) if row.checksum == script.checksum => report.matching += 1,
                Some(row) => report.edited.push(EditedRevision {
                    revision,
                    path: script.path,
                    recorded: row.checksum.clone(),
                    current: script.checksum,
                }),
            }
        }
        Ok(report)
    }

    /// Creates the applied table if it is missing (before the atomic write: MySQL commits DDL
    /// at once). Scripts create it `IF NOT EXISTS`: they cannot tell whether the database has
    /// one.
    pub(super) fn ensure_applied_table(&mut self) -> Result<()> {
        if self.applied_table_ready {
            return Ok(());
        }
        let offline = self.executor.is_offline();
        if offline || !self.has_table(&self.applied_table())? {
            let sql = self
                .ddl
                .create_applied_table(&self.applied_table(), offline);
            self.executor.execute(&sql)?;
        }
        self.applied_table_ready = true;
        Ok(())
    }

    /// Brings the applied table from what the heads `before` left to the ancestors of `after`.
    /// Online the rows are read (inside the step's transaction, so a concurrent run's rows are
    /// seen); a script assumes they match `before`. `ran` is the revision this step upgraded,
    /// the one row that gets `applied_at`.
    pub(super) fn write_applied(
        &mut self,
        map: &RevisionMap,
        scripts: &BTreeMap<&str, &Script>,
        before: &BTreeSet<String>,
        after: &BTreeSet<String>,
        ran: Option<&str>,
    ) -> Result<()> {
        let rows: BTreeSet<String> = match self.applied_revisions()? {
            Some(rows) => rows.into_keys().collect(),
            None => map.ancestors(before),
        };
        let wanted = map.ancestors(after);
        let table = self.ddl.quote(&self.applied_table());
        for gone in rows.difference(&wanted) {
            let sql = format!(
                "DELETE FROM {table} WHERE revision = {}",
                self.ddl.literal(gone)
            );
            self.executor.execute(&sql)?;
        }
        for new in wanted.difference(&rows) {
            let script = scripts
                .get(new.as_str())
                .ok_or_else(|| MigrationError::NoScript {
                    revision: new.clone(),
                })?;
            let applied_at = if ran == Some(new.as_str()) {
                "CURRENT_TIMESTAMP"
            } else {
                "NULL"
            };
            let sql = format!(
                "INSERT INTO {table} (revision, checksum, applied_at) VALUES ({}, {}, {applied_at})",
                self.ddl.literal(new),
                self.ddl.literal(script.checksum)
            );
            self.executor.execute(&sql)?;
        }
        Ok(())
    }

    /// `stamp --repair`: records the current checksum of each of `revisions`, applied
    /// revisions whose file was changed on purpose. The version table does not change. A script
    /// (`--sql`) cannot check that they are applied and writes the updates as asked.
    pub fn repair(&mut self, scripts: &ScriptDirectory, revisions: &[String]) -> Result<()> {
        let heads: BTreeSet<String> = self.current_heads()?.into_iter().collect();
        let applied = scripts.map().ancestors(&heads);
        let mut chosen = Vec::new();
        for revision in revisions {
            let script = scripts
                .script(revision)
                .ok_or_else(|| MigrationError::NoScript {
                    revision: revision.clone(),
                })?;
            if !self.executor.is_offline() && !applied.contains(revision) {
                return Err(MigrationError::NotApplied {
                    revision: revision.clone(),
                    heads: heads.iter().cloned().collect(),
                }
                .into());
            }
            chosen.push(*script);
        }
        let recorded = self.applied_revisions()?.unwrap_or_default();
        let all = scripts.scripts();
        // The version table is there already: the revisions are applied.
        self.run_in_transaction(|ctx| {
            ctx.ensure_applied_table()?;
            ctx.atomically(|ctx| {
                ctx.write_applied(scripts.map(), &all, &heads, &heads, None)?;
                let table = ctx.ddl.quote(&ctx.applied_table());
                for script in &chosen {
                    let sql = format!(
                        "UPDATE {table} SET checksum = {} WHERE revision = {}",
                        ctx.ddl.literal(script.checksum),
                        ctx.ddl.literal(script.revision)
                    );
                    ctx.executor.execute(&sql)?;
                }
                Ok(())
            })
        })?;
        for script in chosen {
            let line = match recorded.get(script.revision) {
                Some(row) if row.checksum == script.checksum => format!(
                    "Revision {} already matches its file ({})",
                    script.revision, script.checksum
                ),
                Some(row) => format!(
                    "Accepted the file of revision {} as it is now: {} (was {})",
                    script.revision, script.checksum, row.checksum
                ),
                None => format!(
                    "Recorded the file of revision {} as it is now: {}",
                    script.revision, script.checksum
                ),
            };
            (self.log)(&line);
        }
        Ok(())
    }
}
