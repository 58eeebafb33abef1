//! Data migrations: what a revision records besides schema ops ([`Step`]), and the live
//! [`Connection`] that `op.run(|conn| ..)` closures get, inside the revision's transaction, to
//! read rows and write them back (Alembic's `op.get_bind()`).

use std::fmt;

use crate::ddl::{DdlImpl, Dialect};
use crate::error::Result;
use crate::executor::{Executor, Row};
use crate::ops::Op;
use crate::value::Value;

/// One recorded step of a revision, run in call order.
#[expect(
    clippy::large_enum_variant,
    reason = "a revision records a handful of steps; boxing every op buys nothing"
)]
pub enum Step {
    /// A schema or SQL op.
    Op(Op),
    /// A closure over the live connection.
    Run(RunStep),
    /// Steps that run outside the revision's transaction (`op.autocommit_block`), for
    /// statements a transaction refuses (`CREATE INDEX CONCURRENTLY`).
    Autocommit(Vec<Step>),
}

impl fmt::Debug for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Op(op) => f.debug_tuple("Op").field(op).finish(),
            Step::Run(run) => f.debug_tuple("Run").field(run).finish(),
            Step::Autocommit(steps) => f.debug_tuple("Autocommit").field(steps).finish(),
        }
    }
}

type RunBody = Box<dyn FnOnce(&mut Connection<'_>) -> Result<()>>;

/// `op.run(|conn| ..)`: code that reads and writes rows through the live connection. It cannot
/// run offline; `.offline_sql(..)` gives the statements a `--sql` script writes instead.
pub struct RunStep {
    pub body: RunBody,
    /// What `--sql` writes in its place; `None`: the revision cannot run offline.
    pub offline_sql: Option<Vec<String>>,
}

impl fmt::Debug for RunStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunStep")
            .field("offline_sql", &self.offline_sql)
            .finish_non_exhaustive()
    }
}

impl Step {
    /// `steps` with each `create_index` that directly follows the `create_table` of its table
    /// moved into that table, where `ddl` declares indexes inside `CREATE TABLE` (MySQL): one
    /// statement per table instead of one per index. Indexing a table created empty a statement
    /// earlier is the same schema either way.
    pub fn fuse_created_indexes(steps: Vec<Step>, ddl: &dyn DdlImpl) -> Vec<Step> {
        let mut fused: Vec<Step> = Vec::with_capacity(steps.len());
        for step in steps {
            if let (Step::Op(Op::CreateIndex(create)), Some(Step::Op(Op::CreateTable(table)))) =
                (&step, fused.last_mut())
            {
                // An `IF NOT EXISTS` table may be there already, and then its inline indexes
                // would be skipped with it: those stay statements of their own.
                if table.table.qualified_name() == create.table
                    && !table.table.if_not_exists
                    && ddl.inline_index_sql(&create.index).is_some()
                {
                    table.table.indexes.push(create.index.clone());
                    continue;
                }
            }
            fused.push(step);
        }
        fused
    }

    /// The ops among `steps`, in order (closures left out).
    pub fn ops(steps: &[Step]) -> Vec<&Op> {
        let mut ops = Vec::new();
        for step in steps {
            match step {
                Step::Op(op) => ops.push(op),
                Step::Run(_) => {}
                Step::Autocommit(inner) => ops.extend(Step::ops(inner)),
            }
        }
        ops
    }

    /// The ops among `steps`, in order, taken out of them (closures dropped).
    pub fn into_ops(steps: Vec<Step>) -> Vec<Op> {
        let mut ops = Vec::new();
        for step in steps {
            match step {
                Step::Op(op) => ops.push(op),
                Step::Run(_) => {}
                Step::Autocommit(inner) => ops.extend(Step::into_ops(inner)),
            }
        }
        ops
    }
}

/// The live database, as a data migration's closure uses it: statements with `?` placeholders
/// and bound values, queries loading `#[derive(QueryableByName)]` rows. Every statement goes
/// through the migration's executor, in its transaction.
pub struct Connection<'a> {
    executor: &'a mut Executor,
    ddl: &'static dyn DdlImpl,
}

impl fmt::Debug for Connection<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("dialect", &self.ddl.dialect())
            .finish_non_exhaustive()
    }
}

impl<'a> Connection<'a> {
    pub(crate) fn new(executor: &'a mut Executor, ddl: &'static dyn DdlImpl) -> Self {
        Connection { executor, ddl }
    }

    /// Runs one statement; `?` placeholders take `params` in order:
    /// `conn.execute("UPDATE users SET handle = ? WHERE id = ?", &[handle.into(), id.into()])`.
    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<()> {
        self.executor.execute_with(sql, params, self.ddl)
    }

    /// Loads the rows of a query into `T`, a `#[derive(diesel::QueryableByName)]` struct whose
    /// fields are named as the query's columns (`retort::diesel` is re-exported for it).
    pub fn load<T: Row>(&mut self, sql: &str, params: &[Value]) -> Result<Vec<T>> {
        self.executor.load_with(sql, params, self.ddl)
    }

    /// The database's dialect, for SQL that differs between them.
    pub fn dialect(&self) -> Dialect {
        self.ddl.dialect()
    }

    /// An identifier quoted for this database.
    pub fn quote(&self, ident: &str) -> String {
        self.ddl.quote(ident)
    }
}
