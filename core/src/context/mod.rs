//! The migration context (Alembic's `MigrationContext`): runs revision steps against one
//! executor with the dialect's DDL, one transaction per revision where the database has
//! transactional DDL, and keeps the version table (one row per head) in step. The migration
//! lock around runs that write is in [`lock`].

use std::collections::{BTreeMap, BTreeSet};

use diesel::sql_types::{BigInt, Text};

use crate::config::LockConfig;
use crate::data::{Connection, Step as DataStep};
use crate::ddl::{DdlImpl, ForeignKeyGuard, SchemaObject};
use crate::error::{Error, Result};
use crate::executor::Executor;
use crate::naming::NamingConvention;
use crate::operations::Operations;
use crate::ops::Op;
use crate::revision::{RevisionMap, Step};
use crate::script::{Script, ScriptDirectory};

mod applied;
mod lock;

pub use applied::{AppliedRevision, ChecksumReport, EditedRevision};

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// A row of `DdlImpl::catalog_query`.
#[derive(diesel::QueryableByName)]
struct CatalogRow {
    #[diesel(sql_type = Text)]
    sql: String,
}

#[derive(diesel::QueryableByName)]
struct SchemaRow {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    sql: String,
}

#[derive(diesel::QueryableByName)]
struct ViolationRow {
    #[diesel(sql_type = Text)]
    child: String,
    #[diesel(sql_type = Text)]
    parent: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Rows of a child table whose foreign key finds no row in the parent table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub child: String,
    pub parent: String,
    pub rows: i64,
}

#[derive(diesel::QueryableByName)]
struct VersionRow {
    #[diesel(sql_type = Text)]
    version_num: String,
}

/// A migration step, or the bookkeeping around one, failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MigrationError {
    /// A revision's statements failed; `at` is where the version table stands now.
    #[error(
        "{} of revision `{revision}` ({path}) failed: {source}\n{}; the database is at {at}.\n\
         Fix the migration or the data, then run the command again.",
        direction(*upgrade),
        if *rolled_back {
            "its changes were rolled back"
        } else {
            "statements before the failing one were NOT rolled back (no transactional DDL)"
        }
    )]
    StepFailed {
        upgrade: bool,
        revision: String,
        path: String,
        at: String,
        rolled_back: bool,
        #[source]
        source: Box<Error>,
    },
    /// The revision's `upgrade`/`downgrade` function returned an error before anything ran.
    #[error(
        "revision `{revision}` ({path}) returned an error while recording its {}: {source}",
        direction(*upgrade)
    )]
    Recording {
        upgrade: bool,
        revision: String,
        path: String,
        #[source]
        source: Box<Error>,
    },
    /// The revision's `upgrade`/`downgrade` function panicked before anything ran.
    #[error(
        "revision `{revision}` ({path}) failed with a panic while recording its {}: {message}; \
         fix the migration file (nothing was run)",
        direction(*upgrade)
    )]
    Panicked {
        upgrade: bool,
        revision: String,
        path: String,
        message: String,
    },
    /// An `op.run(..)` closure met an offline (`--sql`) run.
    #[error(
        "it runs code against the live database (`op.run`), which a SQL script cannot hold; \
         run it online, or give the step `.offline_sql([..])` with the statements to write"
    )]
    RunOffline,
    /// A whole run in one transaction (`transaction_per_migration = false`) failed: nothing
    /// of it stays.
    #[error(
        "{source}\nThe run was one transaction (transaction_per_migration = false): every \
         revision of it was rolled back; the database is at {at}."
    )]
    RunFailed {
        at: String,
        #[source]
        source: Box<Error>,
    },
    /// The plan names a revision no compiled file provides.
    #[error("no script for revision `{revision}`; rebuild the migrations crate")]
    NoScript { revision: String },
    /// Rebuilding or dropping tables would leave rows whose foreign key finds no parent.
    #[error(
        "{} would break a foreign key; nothing was changed. Delete or update those rows, or \
         drop the referring table or its foreign key in the same revision",
        describe_violations(violations)
    )]
    ForeignKeyViolations { violations: Vec<Violation> },
    /// Another run held the migration lock for longer than the lock timeout.
    #[error(
        "gave up after {} s waiting for the migration lock of `{lock}`{}: another run is \
         migrating this database. Wait for it to finish and run the command again, or wait \
         longer with --lock-timeout SECONDS (lock_timeout in Migrate.toml); if that run is stuck, \
         end its connection",
        timeout.as_secs(),
        holder.as_deref().map(|h| format!(", held by {h}")).unwrap_or_default()
    )]
    LockTimeout {
        /// `<database>.<version table>` (PostgreSQL: `<database>.<schema>.<version table>`).
        lock: String,
        holder: Option<String>,
        timeout: std::time::Duration,
    },
    /// `stamp --repair` named a revision the database is not at or beyond.
    #[error(
        "revision `{revision}` is not applied (the database is at {}), so it has no recorded \
         checksum to repair; run `cargo migrate current -v`",
        if heads.is_empty() { "base".to_owned() } else { heads.join(", ") }
    )]
    NotApplied {
        revision: String,
        heads: Vec<String>,
    },
    /// The version table moved while a run was planned against it.
    #[error(
        "the version table changed during the run (it is now at {}): another upgrade ran at the \
         same time; run the command again",
        if now.is_empty() { "base".to_owned() } else { now.join(", ") }
    )]
    Concurrent { now: Vec<String> },
}

fn describe_violations(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| {
            format!(
                "{} row(s) of `{}` referring to `{}`",
                v.rows, v.child, v.parent
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn direction(upgrade: bool) -> &'static str {
    if upgrade {
        "upgrade"
    } else {
        "downgrade"
    }
}

/// Runs migrations and reads or writes the version table.
pub struct MigrationContext {
    executor: Executor,
    ddl: &'static dyn DdlImpl,
    version_table: String,
    /// Offline: the heads the script starts from (`START:END`), since there is no table to read.
    offline_start: Vec<String>,
    version_table_ready: bool,
    applied_table_ready: bool,
    /// Names the objects that ops leave unnamed, as the target metadata's are named.
    naming: NamingConvention,
    /// Whether and how long runs that write wait for the migration lock.
    lock: LockConfig,
    /// `false`: one transaction for the whole run instead of one per revision.
    transaction_per_migration: bool,
    /// Inside the whole run's transaction, per-revision transactions are not opened.
    in_run_transaction: bool,
    log: Box<dyn FnMut(&str)>,
}

impl std::fmt::Debug for MigrationContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MigrationContext")
            .field("executor", &self.executor)
            .field("dialect", &self.ddl.dialect())
            .field("version_table", &self.version_table)
            .finish_non_exhaustive()
    }
}

impl MigrationContext {
    pub fn new(executor: Executor, ddl: &'static dyn DdlImpl, version_table: &str) -> Self {
        MigrationContext {
            executor,
            ddl,
            version_table: version_table.to_owned(),
            offline_start: Vec::new(),
            version_table_ready: false,
            applied_table_ready: false,
            naming: NamingConvention::default(),
            lock: LockConfig::default(),
            transaction_per_migration: true,
            in_run_transaction: false,
            log: Box::new(|line| eprintln!("{line}")),
        }
    }

    /// `false` runs every revision of a run in one transaction (Alembic's
    /// `transaction_per_migration = False`), where DDL is transactional: a failure rolls the
    /// whole run back. The default, `true`, commits each revision on its own.
    pub fn with_transaction_per_migration(mut self, each: bool) -> Self {
        self.transaction_per_migration = each;
        self
    }

    /// Where progress lines go (stderr by default).
    pub fn with_log(mut self, log: impl FnMut(&str) + 'static) -> Self {
        self.log = Box::new(log);
        self
    }

    /// Names unnamed constraints and indexes of the ops it runs with this convention (the
    /// environment's), instead of DESIGN §4.1's.
    pub fn with_naming_convention(mut self, naming: NamingConvention) -> Self {
        self.naming = naming;
        self
    }

    /// Takes the migration lock as `lock` says (`Config::lock`): whether, and how long to wait.
    pub fn with_lock(mut self, lock: LockConfig) -> Self {
        self.lock = lock;
        self
    }

    /// The naming convention in effect.
    pub fn naming(&self) -> &NamingConvention {
        &self.naming
    }

    /// For `--sql` with `START:END`: the heads the script assumes.
    pub fn with_offline_start(mut self, heads: Vec<String>) -> Self {
        self.offline_start = heads;
        self
    }

    pub fn ddl(&self) -> &'static dyn DdlImpl {
        self.ddl
    }

    pub fn executor(&mut self) -> &mut Executor {
        &mut self.executor
    }

    pub fn version_table(&self) -> &str {
        &self.version_table
    }

    /// Whether a table exists (online only).
    pub fn has_table(&mut self, name: &str) -> Result<bool> {
        let query = self.ddl.table_exists_query(name);
        let rows: Vec<Count> = self.executor.load(&query)?;
        Ok(rows.first().is_some_and(|row| row.n > 0))
    }

    /// The heads recorded in the version table, sorted; empty at base.
    pub fn current_heads(&mut self) -> Result<Vec<String>> {
        if self.executor.is_offline() {
            return Ok(self.offline_start.clone());
        }
        if !self.has_table(&self.version_table.clone())? {
            return Ok(Vec::new());
        }
        let query = format!(
            "SELECT version_num FROM {} ORDER BY version_num",
            self.ddl.quote(&self.version_table)
        );
        let rows: Vec<VersionRow> = self.executor.load(&query)?;
        Ok(rows.into_iter().map(|r| r.version_num).collect())
    }

    fn ensure_version_table(&mut self) -> Result<()> {
        if self.version_table_ready {
            return Ok(());
        }
        let exists = !self.executor.is_offline() && self.has_table(&self.version_table.clone())?;
        if !exists && (!self.executor.is_offline() || self.offline_start.is_empty()) {
            let sql = self.ddl.create_version_table(&self.version_table);
            self.executor.execute(&sql)?;
        }
        self.version_table_ready = true;
        Ok(())
    }

    fn write_heads(&mut self, before: &BTreeSet<String>, after: &BTreeSet<String>) -> Result<()> {
        let table = self.ddl.quote(&self.version_table);
        for gone in before.difference(after) {
            let sql = format!(
                "DELETE FROM {table} WHERE version_num = {}",
                self.ddl.literal(gone)
            );
            self.executor.execute(&sql)?;
        }
        for new in after.difference(before) {
            let sql = format!(
                "INSERT INTO {table} (version_num) VALUES ({})",
                self.ddl.literal(new)
            );
            self.executor.execute(&sql)?;
        }
        Ok(())
    }

    /// Runs `steps` in order, each revision in its own transaction. On failure the failed
    /// revision is rolled back and the error says which revision, which statement, and where the
    /// version table stands.
    pub fn run_steps(
        &mut self,
        map: &RevisionMap,
        scripts: &BTreeMap<&str, &Script>,
        steps: &[Step],
    ) -> Result<()> {
        let whole_run = !self.transaction_per_migration && self.ddl.transactional_ddl();
        if !whole_run {
            return self.run_each_step(map, scripts, steps);
        }
        let start = self.current_heads()?;
        self.executor.execute(self.ddl.begin())?;
        self.in_run_transaction = true;
        let result = self.run_each_step(map, scripts, steps);
        self.in_run_transaction = false;
        match result {
            Ok(()) => self.executor.execute(self.ddl.commit()),
            Err(e) => {
                if !self.executor.is_offline() {
                    let _ = self.executor.execute(self.ddl.rollback());
                }
                let at = if start.is_empty() {
                    "base (no revision applied)".to_owned()
                } else {
                    start.join(", ")
                };
                Err(MigrationError::RunFailed {
                    at,
                    source: Box::new(e),
                }
                .into())
            }
        }
    }

    fn run_each_step(
        &mut self,
        map: &RevisionMap,
        scripts: &BTreeMap<&str, &Script>,
        steps: &[Step],
    ) -> Result<()> {
        let mut heads: BTreeSet<String> = self.current_heads()?.into_iter().collect();
        for step in steps {
            let script =
                scripts
                    .get(step.revision.as_str())
                    .ok_or_else(|| MigrationError::NoScript {
                        revision: step.revision.clone(),
                    })?;
            // After another run moved the version table, steps it already made are skipped.
            let applied = map.ancestors(&heads).contains(&step.revision);
            let done = if step.upgrade { applied } else { !applied };
            if done {
                continue;
            }
            let after = map.heads_after(&heads, step);
            (self.log)(&describe(step, script, &heads));
            let recorded = record_steps(script, step.upgrade)?;
            let ran = step.upgrade.then_some(step.revision.as_str());
            let result = self.run_data_steps_then(recorded, Some(&heads), |ctx| {
                ctx.ensure_version_table()?;
                ctx.ensure_applied_table()?;
                ctx.atomically(|ctx| {
                    ctx.write_heads(&heads, &after)?;
                    ctx.write_applied(map, scripts, &heads, &after, ran)
                })
            });
            match result {
                Ok(()) => heads = after,
                // Another run applied this revision since the plan was made: skip it.
                Err(Error::Migration(MigrationError::Concurrent { now }))
                    if step.upgrade && map.ancestors(&now).contains(&step.revision) =>
                {
                    (self.log)(&format!(
                        "Skipping {}: another run applied it",
                        step.revision
                    ));
                    heads = now.into_iter().collect();
                }
                Err(e) => return Err(self.step_failed(step, script, &heads, e)),
            }
        }
        Ok(())
    }

    /// Sets the version table to `heads` without running migrations, and the applied table to
    /// their ancestors (recorded with the files' current checksums, without `applied_at`).
    /// `purge` empties both tables first, rows of unknown revisions included
    /// (`stamp --purge`).
    pub fn stamp(
        &mut self,
        scripts: &ScriptDirectory,
        heads: &[String],
        purge: bool,
    ) -> Result<()> {
        let before: BTreeSet<String> = if purge {
            BTreeSet::new()
        } else {
            self.current_heads()?.into_iter().collect()
        };
        let after: BTreeSet<String> = heads.iter().cloned().collect();
        if purge && self.executor.is_offline() {
            // A script that purges the version table expects it to be there.
            self.version_table_ready = true;
        }
        let all = scripts.scripts();
        self.run_in_transaction(|ctx| {
            ctx.ensure_version_table()?;
            ctx.ensure_applied_table()?;
            ctx.atomically(|ctx| {
                if purge {
                    for table in [ctx.version_table.clone(), ctx.applied_table()] {
                        let sql = format!("DELETE FROM {}", ctx.ddl.quote(&table));
                        ctx.executor.execute(&sql)?;
                    }
                }
                ctx.write_heads(&before, &after)?;
                ctx.write_applied(scripts.map(), &all, &before, &after, None)
            })
        })
    }

    /// Runs one op's statements; an op the dialect does by rebuilding its table reads the
    /// table's current definition first.
    pub fn run_op(&mut self, op: &Op) -> Result<()> {
        // What the op leaves unnamed gets the name autogenerate expects for it.
        let mut op = op.clone();
        self.naming
            .apply_to_op(&mut op, self.ddl.max_identifier_length());
        let op = &op;
        // Identity options a database does not apply: no rebuild, no restated column.
        if self.ddl.changes_nothing(op) {
            return Ok(());
        }
        let statements = match self.ddl.rebuild_support(op) {
            Some(support) if !self.executor.is_offline() => {
                let rows: Vec<SchemaRow> = self.executor.load(&support.definition_query)?;
                let definition: Vec<SchemaObject> = rows
                    .into_iter()
                    .map(|r| SchemaObject {
                        kind: r.kind,
                        name: r.name,
                        table: r.table_name,
                        sql: r.sql,
                    })
                    .collect();
                self.ddl.rebuild(op, &definition)?
            }
            _ => match self.ddl.catalog_query(op) {
                Some(query) if !self.executor.is_offline() => {
                    let rows: Vec<CatalogRow> = self.executor.load(&query)?;
                    let rows: Vec<String> = rows.into_iter().map(|r| r.sql).collect();
                    self.ddl.statements_from_catalog(op, &rows)?
                }
                _ => self.ddl.statements(op)?,
            },
        };
        for sql in statements {
            self.executor.execute(&sql)?;
        }
        Ok(())
    }

    /// Runs `ops` as one migration step does: in one transaction where the database has
    /// transactional DDL, with tables rebuilt where needed and foreign keys checked after.
    pub fn run_ops(&mut self, ops: &[Op]) -> Result<()> {
        let steps = ops.iter().cloned().map(DataStep::Op).collect();
        self.run_data_steps_then(steps, None, |_| Ok(()))
    }

    /// Runs a revision's recorded steps (ops, `op.run` closures, autocommit blocks) as one
    /// migration step does.
    pub fn run_recorded(&mut self, steps: Vec<DataStep>) -> Result<()> {
        self.run_data_steps_then(steps, None, |_| Ok(()))
    }

    /// Runs `steps` then `then` in one transaction, first checking (when `expected` is given)
    /// that the version table still holds the heads the run was planned from.
    fn run_data_steps_then(
        &mut self,
        steps: Vec<DataStep>,
        expected: Option<&BTreeSet<String>>,
        then: impl FnOnce(&mut Self) -> Result<()>,
    ) -> Result<()> {
        let steps = DataStep::fuse_created_indexes(steps, self.ddl);
        let guard = DataStep::ops(&steps)
            .into_iter()
            .find_map(|op| self.ddl.foreign_key_guard(op));
        let guard = guard.filter(|_| !self.executor.is_offline());
        self.with_foreign_key_guard(guard.as_ref(), |ctx| {
            ctx.run_in_transaction(|ctx| {
                if let Some(expected) = expected.filter(|_| !ctx.executor.is_offline()) {
                    let now: BTreeSet<String> = ctx.current_heads()?.into_iter().collect();
                    if &now != expected {
                        return Err(MigrationError::Concurrent {
                            now: now.into_iter().collect(),
                        }
                        .into());
                    }
                }
                let before = match &guard {
                    Some(guard) => ctx.violations(guard)?,
                    None => Vec::new(),
                };
                for step in steps {
                    ctx.run_data_step(step)?;
                }
                if let Some(guard) = &guard {
                    ctx.check_foreign_keys(guard, &before)?;
                }
                then(ctx)
            })
        })
    }

    /// Runs one recorded step inside the revision's transaction.
    fn run_data_step(&mut self, step: DataStep) -> Result<()> {
        match step {
            DataStep::Op(op) => self.run_op(&op),
            DataStep::Run(run) if self.executor.is_offline() => match run.offline_sql {
                Some(statements) => statements
                    .iter()
                    .try_for_each(|sql| self.executor.execute(sql)),
                None => Err(MigrationError::RunOffline.into()),
            },
            DataStep::Run(run) => {
                let mut conn = Connection::new(&mut self.executor, self.ddl);
                (run.body)(&mut conn)
            }
            DataStep::Autocommit(steps) => {
                // Outside the transaction: commit what came before, begin again after.
                let transactional = self.ddl.transactional_ddl() && !self.in_run_transaction;
                if transactional {
                    self.executor.execute(self.ddl.commit())?;
                }
                for step in steps {
                    self.run_data_step(step)?;
                }
                if transactional {
                    self.executor.execute(self.ddl.begin())?;
                }
                Ok(())
            }
        }
    }

    /// Runs `body` with foreign-key enforcement suspended when the ops need it (`guard`) and
    /// the database enforces keys, restoring it afterwards whatever happened: SQLite cannot
    /// change that setting inside a transaction, and dropping a table must cascade nothing.
    fn with_foreign_key_guard(
        &mut self,
        guard: Option<&ForeignKeyGuard>,
        body: impl FnOnce(&mut Self) -> Result<()>,
    ) -> Result<()> {
        let Some(guard) = guard else {
            return body(self);
        };
        let enforced: Vec<Count> = self.executor.load(guard.enforcement_query)?;
        if enforced.first().is_none_or(|r| r.n <= 0) {
            return body(self);
        }
        self.executor.execute(guard.disable)?;
        let result = body(self);
        let restored = self.executor.execute(guard.enable);
        result.and(restored)
    }

    /// The rows that break a foreign key now, per child and parent table.
    fn violations(&mut self, guard: &ForeignKeyGuard) -> Result<Vec<Violation>> {
        let rows: Vec<ViolationRow> = self.executor.load(guard.violations_query)?;
        Ok(rows
            .into_iter()
            .map(|r| Violation {
                child: r.child,
                parent: r.parent,
                rows: r.n,
            })
            .collect())
    }

    /// After the ops, every foreign key must hold as well as it did before (rows that broke one
    /// already are not the migration's doing); otherwise the transaction rolls back.
    fn check_foreign_keys(&mut self, guard: &ForeignKeyGuard, before: &[Violation]) -> Result<()> {
        let new: Vec<Violation> = self
            .violations(guard)?
            .into_iter()
            .filter_map(|v| {
                let had = before
                    .iter()
                    .find(|b| b.child == v.child && b.parent == v.parent)
                    .map_or(0, |b| b.rows);
                (v.rows > had).then(|| Violation {
                    rows: v.rows - had,
                    ..v
                })
            })
            .collect();
        if new.is_empty() {
            Ok(())
        } else {
            Err(MigrationError::ForeignKeyViolations { violations: new }.into())
        }
    }

    /// Runs `body` (a revision's ops and its version-table writes) in one transaction where
    /// the database has transactional DDL.
    fn run_in_transaction(&mut self, body: impl FnOnce(&mut Self) -> Result<()>) -> Result<()> {
        self.transaction(self.ddl.transactional_ddl(), body)
    }

    /// Runs `body`, the version-table writes of one step, as one atomic change. Where DDL is
    /// transactional the revision's transaction is open already. Elsewhere (MySQL) `body` gets a
    /// transaction of its own: InnoDB DML is transactional even though DDL commits implicitly,
    /// so a step that deletes one head and inserts another, or changes several rows (a branch,
    /// a merge, a stamp), never leaves the table half written. A crash before `COMMIT` rolls
    /// the rows back when the server drops the connection.
    fn atomically(&mut self, body: impl FnOnce(&mut Self) -> Result<()>) -> Result<()> {
        self.transaction(!self.ddl.transactional_ddl(), body)
    }

    /// Runs `body` between `BEGIN` and `COMMIT` when `open`, rolling back on failure; runs it
    /// as is otherwise.
    fn transaction(
        &mut self,
        open: bool,
        body: impl FnOnce(&mut Self) -> Result<()>,
    ) -> Result<()> {
        // Inside a whole run's transaction every revision's statements join it.
        let open = open && !self.in_run_transaction;
        if open {
            self.executor.execute(self.ddl.begin())?;
        }
        match body(self) {
            Ok(()) if open => self.executor.execute(self.ddl.commit()),
            Ok(()) => Ok(()),
            Err(e) => {
                if open && !self.executor.is_offline() {
                    // The original error matters more than a failed rollback.
                    let _ = self.executor.execute(self.ddl.rollback());
                }
                Err(e)
            }
        }
    }

    fn step_failed(
        &self,
        step: &Step,
        script: &Script,
        heads: &BTreeSet<String>,
        source: Error,
    ) -> Error {
        let at = if heads.is_empty() {
            "base (no revision applied)".to_owned()
        } else {
            heads.iter().cloned().collect::<Vec<_>>().join(", ")
        };
        MigrationError::StepFailed {
            upgrade: step.upgrade,
            revision: script.revision.to_owned(),
            path: script.path.to_owned(),
            at,
            rolled_back: self.ddl.transactional_ddl(),
            source: Box::new(source),
        }
        .into()
    }
}

fn describe(step: &Step, script: &Script, heads: &BTreeSet<String>) -> String {
    let from = if heads.is_empty() {
        String::new()
    } else {
        heads.iter().cloned().collect::<Vec<_>>().join(", ")
    };
    if step.upgrade {
        format!(
            "Running upgrade {from} -> {}, {}",
            script.revision, script.message
        )
    } else {
        format!(
            "Running downgrade {} -> {}, {}",
            script.revision,
            script.down_revisions.join(", "),
            script.message
        )
    }
}

/// Records the ops of a script's upgrade or downgrade (`op.run` closures left out).
pub fn record(script: &Script, upgrade: bool) -> Result<Vec<Op>> {
    Ok(DataStep::into_ops(record_steps(script, upgrade)?))
}

/// Records every step of a script's upgrade or downgrade. A panic in the migration file is
/// caught and reported as that revision's failure: nothing has run yet.
pub fn record_steps(script: &Script, upgrade: bool) -> Result<Vec<DataStep>> {
    let mut op = Operations::new();
    let f = if upgrade {
        script.upgrade
    } else {
        script.downgrade
    };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut op)));
    match outcome {
        Ok(Ok(())) => Ok(op.into_steps()),
        Ok(Err(source)) => Err(MigrationError::Recording {
            upgrade,
            revision: script.revision.to_owned(),
            path: script.path.to_owned(),
            source: Box::new(source),
        }
        .into()),
        Err(payload) => Err(MigrationError::Panicked {
            upgrade,
            revision: script.revision.to_owned(),
            path: script.path.to_owned(),
            message: panic_message(payload.as_ref()),
        }
        .into()),
    }
}

/// The text a panic was raised with (`panic!("..")` gives a `&str` or a `String`).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}
