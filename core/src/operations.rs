//! `Operations`, the `op` that migration files call (Alembic's `op.*`).
//!
//! Calls record [`Op`]s; the migration context then runs them through the dialect's `DdlImpl`
//! and the executor. Recording first lets a call be refined after it returns
//! (`op.create_index(..).unique()?`) and lets `--sql` mode run the same code with no database.

use crate::data::{Connection, RunStep, Step};
use crate::error::Result;
use crate::ops::{
    AddColumn, AddConstraint, AlterColumn, AlterDomain, AlterEnum, AlterTableStorage, BulkInsert,
    Change, Constraint, ConstraintKind, CreateDomain, CreateEnum, CreateIndex, CreateTable,
    DropColumn, DropConstraint, DropDomain, DropEnum, DropIndex, DropTable, Execute, Op,
    RenameColumn, RenameTable, TableComment,
};
use crate::schema::{
    CheckConstraint, Column, DomainType, EnumType, ForeignKey, Index, PrimaryKey, QualifiedName,
    Table, TypeColumn, UniqueConstraint,
};
use crate::value::Value;

/// The operations a migration's `upgrade`/`downgrade` records.
#[derive(Debug, Default)]
pub struct Operations {
    steps: Vec<Step>,
}

impl Operations {
    pub fn new() -> Self {
        Self::default()
    }

    /// The recorded ops, in call order; `op.run(..)` closures are left out.
    pub fn into_ops(self) -> Vec<Op> {
        Step::into_ops(self.steps)
    }

    /// Every recorded step, closures included, in call order.
    pub fn into_steps(self) -> Vec<Step> {
        self.steps
    }

    /// The recorded ops, in call order.
    pub fn ops(&self) -> Vec<&Op> {
        Step::ops(&self.steps)
    }

    fn record(&mut self, op: Op) -> &mut Op {
        self.steps.push(Step::Op(op));
        match self.steps.last_mut() {
            Some(Step::Op(op)) => op,
            _ => unreachable!("just recorded an op"),
        }
    }

    /// `CREATE TABLE`; columns marked `.primary_key()` form the primary key.
    pub fn create_table(
        &mut self,
        name: impl Into<QualifiedName>,
        columns: impl IntoIterator<Item = Column>,
    ) -> Result<&mut Table> {
        let name = name.into();
        let mut table = Table::with_columns(name.name, columns);
        table.schema = name.schema;
        match self.record(Op::CreateTable(CreateTable { table })) {
            Op::CreateTable(op) => Ok(&mut op.table),
            _ => unreachable!("just recorded a CreateTable"),
        }
    }

    /// `DROP TABLE`; chain `.if_exists()` for `DROP TABLE IF EXISTS`.
    pub fn drop_table(&mut self, name: impl Into<QualifiedName>) -> Result<&mut DropTable> {
        match self.record(Op::DropTable(DropTable {
            name: name.into(),
            table: None,
            if_exists: false,
        })) {
            Op::DropTable(op) => Ok(op),
            _ => unreachable!("just recorded a DropTable"),
        }
    }

    /// `ALTER TABLE .. ADD COLUMN`.
    pub fn add_column(&mut self, table: impl Into<QualifiedName>, column: Column) -> Result<()> {
        self.record(Op::AddColumn(AddColumn {
            table: table.into(),
            column,
        }));
        Ok(())
    }

    /// `ALTER TABLE .. DROP COLUMN`.
    pub fn drop_column(&mut self, table: impl Into<QualifiedName>, name: &str) -> Result<()> {
        self.record(Op::DropColumn(DropColumn {
            table: table.into(),
            name: name.to_owned(),
            column: None,
        }));
        Ok(())
    }

    /// `CREATE INDEX`; chain `.unique()` for a unique index.
    pub fn create_index<S: Into<String>>(
        &mut self,
        name: &str,
        table: impl Into<QualifiedName>,
        columns: impl IntoIterator<Item = S>,
    ) -> Result<&mut Index> {
        let index = Index::new(name, columns);
        match self.record(Op::CreateIndex(CreateIndex {
            table: table.into(),
            index,
        })) {
            Op::CreateIndex(op) => Ok(&mut op.index),
            _ => unreachable!("just recorded a CreateIndex"),
        }
    }

    /// `DROP INDEX`; chain `.concurrently()` for PostgreSQL's `DROP INDEX CONCURRENTLY`.
    pub fn drop_index(
        &mut self,
        name: &str,
        table: impl Into<QualifiedName>,
    ) -> Result<&mut DropIndex> {
        match self.record(Op::DropIndex(DropIndex {
            table: table.into(),
            name: name.to_owned(),
            index: None,
            concurrently: false,
            if_exists: false,
        })) {
            Op::DropIndex(op) => Ok(op),
            _ => unreachable!("just recorded a DropIndex"),
        }
    }

    fn add_constraint(
        &mut self,
        table: QualifiedName,
        constraint: Constraint,
    ) -> Result<&mut Constraint> {
        match self.record(Op::AddConstraint(AddConstraint { table, constraint })) {
            Op::AddConstraint(op) => Ok(&mut op.constraint),
            _ => unreachable!("just recorded an AddConstraint"),
        }
    }

    /// `ALTER TABLE .. ADD CONSTRAINT name PRIMARY KEY (columns)`.
    pub fn create_primary_key<S: Into<String>>(
        &mut self,
        name: &str,
        table: impl Into<QualifiedName>,
        columns: impl IntoIterator<Item = S>,
    ) -> Result<()> {
        self.add_constraint(
            table.into(),
            Constraint::PrimaryKey(PrimaryKey::new(columns).named(name)),
        )
        .map(drop)
    }

    /// `ALTER TABLE .. ADD CONSTRAINT name UNIQUE (columns)`.
    pub fn create_unique_constraint<S: Into<String>>(
        &mut self,
        name: &str,
        table: impl Into<QualifiedName>,
        columns: impl IntoIterator<Item = S>,
    ) -> Result<()> {
        self.add_constraint(
            table.into(),
            Constraint::Unique(UniqueConstraint::new(columns).named(name)),
        )
        .map(drop)
    }

    /// `ALTER TABLE source ADD CONSTRAINT name FOREIGN KEY (local) REFERENCES referent (remote)`,
    /// Alembic's argument order; chain `.on_delete(..)`/`.on_update(..)` before `?`.
    pub fn create_foreign_key<S: Into<String>, R: Into<String>>(
        &mut self,
        name: &str,
        source: impl Into<QualifiedName>,
        referent: impl Into<QualifiedName>,
        local_columns: impl IntoIterator<Item = S>,
        remote_columns: impl IntoIterator<Item = R>,
    ) -> Result<&mut ForeignKey> {
        let referent = referent.into();
        let mut fk = ForeignKey::new(local_columns, referent.name, remote_columns).named(name);
        fk.referred_schema = referent.schema;
        match self.add_constraint(source.into(), Constraint::ForeignKey(fk))? {
            Constraint::ForeignKey(fk) => Ok(fk),
            _ => unreachable!("just recorded a foreign key"),
        }
    }

    /// `ALTER TABLE .. ADD CONSTRAINT name CHECK (expr)`.
    pub fn create_check_constraint(
        &mut self,
        name: &str,
        table: impl Into<QualifiedName>,
        expr: &str,
    ) -> Result<&mut CheckConstraint> {
        match self.add_constraint(
            table.into(),
            Constraint::Check(CheckConstraint::new(expr).named(name)),
        )? {
            Constraint::Check(check) => Ok(check),
            _ => unreachable!("just recorded a check"),
        }
    }

    /// `ALTER TABLE .. DROP CONSTRAINT name`; chain `.kind(ConstraintKind::Unique)` (Alembic's
    /// `type_=`) where the database needs to know what it drops (MySQL, SQLite).
    pub fn drop_constraint(
        &mut self,
        name: &str,
        table: impl Into<QualifiedName>,
    ) -> Result<&mut DropConstraint> {
        match self.record(Op::DropConstraint(DropConstraint {
            table: table.into(),
            name: name.to_owned(),
            constraint: None,
            kind: None,
        })) {
            Op::DropConstraint(op) => Ok(op),
            _ => unreachable!("just recorded a DropConstraint"),
        }
    }

    /// `ALTER TABLE old RENAME TO new`.
    pub fn rename_table(
        &mut self,
        old_name: impl Into<QualifiedName>,
        new_name: &str,
    ) -> Result<()> {
        self.record(Op::RenameTable(RenameTable {
            table: old_name.into(),
            new_name: new_name.to_owned(),
        }));
        Ok(())
    }

    /// `ALTER TABLE .. RENAME COLUMN old TO new`.
    pub fn rename_column(
        &mut self,
        table: impl Into<QualifiedName>,
        old_name: &str,
        new_name: &str,
    ) -> Result<()> {
        self.record(Op::RenameColumn(RenameColumn {
            table: table.into(),
            name: old_name.to_owned(),
            new_name: new_name.to_owned(),
        }));
        Ok(())
    }

    /// Changes a column given as it exists now; chain `.type_(..)`, `.nullable(..)`,
    /// `.server_default(..)`, `.comment(..)` before `?`.
    pub fn alter_column(
        &mut self,
        table: impl Into<QualifiedName>,
        existing: Column,
    ) -> Result<&mut AlterColumn> {
        match self.record(Op::AlterColumn(AlterColumn::new(table.into(), existing))) {
            Op::AlterColumn(op) => Ok(op),
            _ => unreachable!("just recorded an AlterColumn"),
        }
    }

    fn table_comment(
        &mut self,
        table: QualifiedName,
        to: Option<String>,
    ) -> Result<&mut TableComment> {
        match self.record(Op::TableComment(TableComment {
            table,
            from: None,
            to,
        })) {
            Op::TableComment(op) => Ok(op),
            _ => unreachable!("just recorded a TableComment"),
        }
    }

    /// Sets a table's comment; chain `.existing_comment(..)` so the op can be reversed.
    pub fn create_table_comment(
        &mut self,
        table: impl Into<QualifiedName>,
        comment: &str,
    ) -> Result<&mut TableComment> {
        self.table_comment(table.into(), Some(comment.to_owned()))
    }

    /// Removes a table's comment; chain `.existing_comment(..)` so the op can be reversed.
    pub fn drop_table_comment(
        &mut self,
        table: impl Into<QualifiedName>,
    ) -> Result<&mut TableComment> {
        self.table_comment(table.into(), None)
    }

    /// Changes a table's storage options, each chained and named after the database it applies
    /// to: `op.alter_table_storage("events").mysql_engine("InnoDB", Some("MyISAM"))?`.
    pub fn alter_table_storage(
        &mut self,
        table: impl Into<QualifiedName>,
    ) -> Result<&mut AlterTableStorage> {
        match self.record(Op::AlterTableStorage(AlterTableStorage::new(table.into()))) {
            Op::AlterTableStorage(op) => Ok(op),
            _ => unreachable!("just recorded an AlterTableStorage"),
        }
    }

    /// `CREATE TYPE mood AS ENUM ('happy', 'sad')` on PostgreSQL, before the tables that use
    /// it: `op.create_enum("mood", ["happy", "sad"])?`. Nothing on MySQL and SQLite, whose
    /// columns carry their labels.
    pub fn create_enum<L: Into<String>>(
        &mut self,
        name: impl Into<QualifiedName>,
        labels: impl IntoIterator<Item = L>,
    ) -> Result<()> {
        let enum_type = enum_type(name.into(), labels);
        self.record(Op::CreateEnum(CreateEnum { enum_type }));
        Ok(())
    }

    /// `DROP TYPE mood` on PostgreSQL, after the tables that use it; the labels let the op be
    /// reversed: `op.drop_enum("mood", ["happy", "sad"])?`. Nothing on MySQL and SQLite.
    pub fn drop_enum<L: Into<String>>(
        &mut self,
        name: impl Into<QualifiedName>,
        labels: impl IntoIterator<Item = L>,
    ) -> Result<()> {
        let enum_type = enum_type(name.into(), labels);
        self.record(Op::DropEnum(DropEnum { enum_type }));
        Ok(())
    }

    /// Changes a PostgreSQL enum type's labels from `existing` to `labels`, converting the
    /// columns chained with `.column(..)` (every column that uses the type):
    /// `op.alter_enum("mood", ["happy", "ok", "sad"], ["happy", "sad"]).column("person",
    /// "mood")?`. Labels only added run `ALTER TYPE .. ADD VALUE`; a removed or reordered label
    /// replaces the type and refuses to run while a row holds a removed label. Nothing on MySQL
    /// and SQLite, where `op.alter_column(..).type_(..)` changes each column.
    pub fn alter_enum<L: Into<String>, E: Into<String>>(
        &mut self,
        name: impl Into<QualifiedName>,
        labels: impl IntoIterator<Item = L>,
        existing: impl IntoIterator<Item = E>,
    ) -> Result<&mut AlterEnum> {
        let op = AlterEnum {
            name: name.into(),
            labels: Change {
                from: existing.into_iter().map(Into::into).collect(),
                to: labels.into_iter().map(Into::into).collect(),
            },
            columns: Vec::new(),
        };
        match self.record(Op::AlterEnum(op)) {
            Op::AlterEnum(op) => Ok(op),
            _ => unreachable!("just recorded an AlterEnum"),
        }
    }

    /// `CREATE DOMAIN` on PostgreSQL, before the tables that use it:
    /// `op.create_domain(DomainType::new("year", SqlType::Integer).check("year_check",
    /// "VALUE >= 1901 AND VALUE <= 2155"))?`. Nothing on MySQL and SQLite, where a column of
    /// the domain is a column of its base type.
    pub fn create_domain(&mut self, domain: DomainType) -> Result<()> {
        self.record(Op::CreateDomain(CreateDomain { domain }));
        Ok(())
    }

    /// `DROP DOMAIN` on PostgreSQL, after the tables that use it; the definition lets the op
    /// be reversed. Nothing on MySQL and SQLite.
    pub fn drop_domain(&mut self, domain: DomainType) -> Result<()> {
        self.record(Op::DropDomain(DropDomain { domain }));
        Ok(())
    }

    /// `ALTER DOMAIN` on PostgreSQL, from the definition `existing` to `domain`: NOT NULL, the
    /// default and the CHECKs (by name) that differ. Nothing on MySQL and SQLite.
    pub fn alter_domain(&mut self, domain: DomainType, existing: DomainType) -> Result<()> {
        self.record(Op::AlterDomain(AlterDomain {
            from: existing,
            to: domain,
        }));
        Ok(())
    }

    /// Runs raw SQL as written: `op.execute("UPDATE users SET active = TRUE")?`, or with values
    /// bound to its `?` placeholders (by the driver online, as literals with `--sql`):
    /// `op.execute(sql("UPDATE users SET active = ? WHERE id < ?").bind(true).bind(100))?`.
    pub fn execute(&mut self, statement: impl Into<Sql>) -> Result<()> {
        let statement = statement.into();
        self.record(Op::Execute(Execute {
            sql: statement.text,
            params: statement.params,
        }));
        Ok(())
    }

    /// Inserts rows (Alembic's `bulk_insert`), batched per dialect, values as literals:
    /// `op.bulk_insert("roles", ["id", "name"], [vec![1.into(), "admin".into()]])?`.
    pub fn bulk_insert<C: Into<String>>(
        &mut self,
        table: impl Into<QualifiedName>,
        columns: impl IntoIterator<Item = C>,
        rows: impl IntoIterator<Item = Vec<Value>>,
    ) -> Result<()> {
        let columns: Vec<String> = columns.into_iter().map(Into::into).collect();
        let rows: Vec<Vec<Value>> = rows.into_iter().collect();
        if let Some(row) = rows.iter().find(|row| row.len() != columns.len()) {
            return Err(crate::error::Error::msg(format!(
                "bulk_insert: a row has {} value(s) for {} column(s) ({})",
                row.len(),
                columns.len(),
                columns.join(", ")
            )));
        }
        self.record(Op::BulkInsert(BulkInsert {
            table: table.into(),
            columns,
            rows,
        }));
        Ok(())
    }

    /// Runs `body` with the live connection, in order with the ops around it and inside the
    /// revision's transaction: read rows and write them back (a backfill before a `NOT NULL`).
    /// An error fails the revision like a failed statement. Offline (`--sql`) the revision is
    /// refused unless `.offline_sql([..])` gives the statements to write instead.
    pub fn run(
        &mut self,
        body: impl FnOnce(&mut Connection<'_>) -> Result<()> + 'static,
    ) -> Result<&mut RunStep> {
        self.steps.push(Step::Run(RunStep {
            body: Box::new(body),
            offline_sql: None,
        }));
        match self.steps.last_mut() {
            Some(Step::Run(run)) => Ok(run),
            _ => unreachable!("just recorded a run step"),
        }
    }

    /// Records the ops of `body` to run outside the revision's transaction (Alembic's
    /// `autocommit_block`): the transaction is committed before them and a new one begun
    /// after, for statements a transaction refuses (`CREATE INDEX CONCURRENTLY`, `ALTER TYPE
    /// .. ADD VALUE` on old PostgreSQL). Where DDL is not transactional (MySQL) nothing changes.
    pub fn autocommit_block(
        &mut self,
        body: impl FnOnce(&mut Operations) -> Result<()>,
    ) -> Result<()> {
        let mut inner = Operations::new();
        body(&mut inner)?;
        self.steps.push(Step::Autocommit(inner.steps));
        Ok(())
    }
}

/// A statement with values for its `?` placeholders: `sql("DELETE FROM t WHERE id = ?").bind(7)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sql {
    pub text: String,
    pub params: Vec<Value>,
}

/// A statement for `op.execute(..)`, to chain `.bind(value)` on, once per `?` placeholder.
pub fn sql(text: impl Into<String>) -> Sql {
    Sql {
        text: text.into(),
        params: Vec::new(),
    }
}

impl Sql {
    /// The value of the next `?` placeholder.
    pub fn bind(mut self, value: impl Into<Value>) -> Self {
        self.params.push(value.into());
        self
    }
}

impl From<&str> for Sql {
    fn from(text: &str) -> Self {
        sql(text)
    }
}

impl From<String> for Sql {
    fn from(text: String) -> Self {
        sql(text)
    }
}

/// Refines a recorded `run` before `?`.
pub trait RunOptions: Sized {
    /// The statements a `--sql` script writes in place of the closure.
    fn offline_sql<S: Into<String>>(self, statements: impl IntoIterator<Item = S>) -> Self;
}

impl RunOptions for Result<&mut RunStep> {
    fn offline_sql<S: Into<String>>(self, statements: impl IntoIterator<Item = S>) -> Self {
        let statements: Vec<String> = statements.into_iter().map(Into::into).collect();
        refine(self, |run| run.offline_sql = Some(statements))
    }
}

/// Applies `change` to a recorded op, if recording it succeeded: what every option call on a
/// `Result<&mut ..>` does.
fn refine<T>(mut recorded: Result<&mut T>, change: impl FnOnce(&mut T)) -> Result<&mut T> {
    if let Ok(item) = &mut recorded {
        change(item);
    }
    recorded
}

/// Lets a recorded `create_index` be refined before `?`: `op.create_index(..).unique()?`,
/// `.desc("created_at")`, `.where_("deleted_at IS NULL")`, `.using("gin")`, `.include([..])`,
/// `.concurrently()`. What each means is on [`Index`]'s builder of the same name.
pub trait IndexOptions: Sized {
    fn unique(self) -> Self;
    fn desc(self, key: &str) -> Self;
    fn nulls_first(self, key: &str, first: bool) -> Self;
    fn using(self, method: &str) -> Self;
    fn where_(self, predicate: &str) -> Self;
    fn include<S: Into<String>>(self, columns: impl IntoIterator<Item = S>) -> Self;
    fn concurrently(self) -> Self;
    /// `CREATE INDEX IF NOT EXISTS` (PostgreSQL, SQLite, MariaDB).
    fn if_not_exists(self) -> Self;
    /// Indexes only the first `length` characters of `key` (MySQL's `title(20)`).
    fn prefix(self, key: &str, length: u32) -> Self;
}

impl IndexOptions for Result<&mut Index> {
    fn unique(self) -> Self {
        refine(self, |index| index.unique = true)
    }

    fn desc(self, key: &str) -> Self {
        refine(self, |index| {
            index.order.entry(key.into()).or_default().descending = true
        })
    }

    fn nulls_first(self, key: &str, first: bool) -> Self {
        refine(self, |index| {
            index.order.entry(key.into()).or_default().nulls_first = Some(first);
        })
    }

    fn using(self, method: &str) -> Self {
        refine(self, |index| index.method = Some(method.into()))
    }

    fn where_(self, predicate: &str) -> Self {
        refine(self, |index| index.predicate = Some(predicate.into()))
    }

    fn include<S: Into<String>>(self, columns: impl IntoIterator<Item = S>) -> Self {
        let columns: Vec<String> = columns.into_iter().map(Into::into).collect();
        refine(self, |index| index.include = columns)
    }

    fn concurrently(self) -> Self {
        refine(self, |index| index.concurrently = true)
    }

    fn if_not_exists(self) -> Self {
        refine(self, |index| index.if_not_exists = true)
    }

    fn prefix(self, key: &str, length: u32) -> Self {
        refine(self, |index| {
            index.prefix.insert(key.into(), length);
        })
    }
}

/// Lets a recorded `drop_index` be refined before `?`: `op.drop_index(..).concurrently()?`.
pub trait DropIndexOptions: Sized {
    fn concurrently(self) -> Self;
    /// `DROP INDEX IF EXISTS` (PostgreSQL, SQLite, MariaDB).
    fn if_exists(self) -> Self;
}

impl DropIndexOptions for Result<&mut DropIndex> {
    fn concurrently(self) -> Self {
        refine(self, |drop| drop.concurrently = true)
    }

    fn if_exists(self) -> Self {
        refine(self, |drop| drop.if_exists = true)
    }
}

/// Lets a recorded `drop_table` be refined before `?`: `op.drop_table("t").if_exists()?`.
pub trait DropTableOptions: Sized {
    fn if_exists(self) -> Self;
}

impl DropTableOptions for Result<&mut DropTable> {
    fn if_exists(self) -> Self {
        refine(self, |drop| drop.if_exists = true)
    }
}

/// Refines a recorded `create_table` before `?`:
/// `op.create_table("t", [..]).foreign_key(ForeignKey::new(..))?`.
pub trait TableOptions: Sized {
    fn unique(self, unique: UniqueConstraint) -> Self;
    fn foreign_key(self, foreign_key: ForeignKey) -> Self;
    fn check(self, check: CheckConstraint) -> Self;
    fn primary_key(self, primary_key: PrimaryKey) -> Self;
    fn comment(self, comment: &str) -> Self;
    /// `CREATE TABLE IF NOT EXISTS`, its indexes `IF NOT EXISTS` too.
    fn if_not_exists(self) -> Self;
    /// MySQL's `ENGINE = ..`; other databases ignore it.
    fn mysql_engine(self, engine: &str) -> Self;
    /// MySQL's `DEFAULT CHARSET = ..`; other databases ignore it.
    fn mysql_charset(self, charset: &str) -> Self;
    /// MySQL's `COLLATE = ..`; other databases ignore it.
    fn mysql_collate(self, collation: &str) -> Self;
    /// PostgreSQL's `CREATE UNLOGGED TABLE`; other databases ignore it.
    fn postgresql_unlogged(self) -> Self;
    /// PostgreSQL's `PARTITION BY RANGE (created_at)`; other databases ignore it.
    fn postgresql_partition_by(self, key: &str) -> Self;
}

impl TableOptions for Result<&mut Table> {
    fn unique(self, unique: UniqueConstraint) -> Self {
        refine(self, |table| {
            table.unique_constraints.push(unique);
        })
    }

    fn foreign_key(self, foreign_key: ForeignKey) -> Self {
        refine(self, |table| {
            table.foreign_keys.push(foreign_key);
        })
    }

    fn check(self, check: CheckConstraint) -> Self {
        refine(self, |table| {
            table.check_constraints.push(check);
        })
    }

    fn primary_key(self, primary_key: PrimaryKey) -> Self {
        refine(self, |table| {
            *table = std::mem::take(table).primary_key(primary_key);
        })
    }

    fn comment(self, comment: &str) -> Self {
        refine(self, |table| {
            table.comment = Some(comment.to_owned());
        })
    }

    fn if_not_exists(self) -> Self {
        refine(self, |table| table.if_not_exists = true)
    }

    fn mysql_engine(self, engine: &str) -> Self {
        refine(self, |table| {
            table.storage.mysql_engine = Some(engine.to_owned())
        })
    }

    fn mysql_charset(self, charset: &str) -> Self {
        refine(self, |table| {
            table.storage.mysql_charset = Some(charset.to_owned())
        })
    }

    fn mysql_collate(self, collation: &str) -> Self {
        refine(self, |table| {
            table.storage.mysql_collate = Some(collation.to_owned())
        })
    }

    fn postgresql_unlogged(self) -> Self {
        refine(self, |table| table.storage.postgresql_unlogged = true)
    }

    fn postgresql_partition_by(self, key: &str) -> Self {
        refine(self, |table| {
            table.storage.postgresql_partition_by = Some(key.to_owned())
        })
    }
}

/// The op's identity change, from the existing column's options to (so far) the same.
fn identity_change(op: &mut AlterColumn) -> &mut Change<crate::schema::IdentityOptions> {
    op.identity.get_or_insert(Change {
        from: op.existing.identity,
        to: op.existing.identity,
    })
}

fn enum_type<L: Into<String>>(
    name: QualifiedName,
    labels: impl IntoIterator<Item = L>,
) -> EnumType {
    EnumType {
        schema: name.schema,
        name: name.name,
        labels: labels.into_iter().map(Into::into).collect(),
    }
}

/// Names, before `?`, the columns a recorded `alter_enum` converts.
pub trait AlterEnumOptions: Sized {
    /// A column of the type, without a default.
    fn column(self, table: impl Into<QualifiedName>, column: &str) -> Self;
    /// A column of the type with its default, which is dropped and set again around the
    /// conversion (PostgreSQL cannot convert it): `"'happy'::mood"`.
    fn column_with_default(
        self,
        table: impl Into<QualifiedName>,
        column: &str,
        default: &str,
    ) -> Self;
}

impl AlterEnumOptions for Result<&mut AlterEnum> {
    fn column(self, table: impl Into<QualifiedName>, column: &str) -> Self {
        let table = table.into();
        refine(self, |op| {
            op.columns.push(TypeColumn {
                table,
                column: column.to_owned(),
                default: None,
            });
        })
    }

    fn column_with_default(
        self,
        table: impl Into<QualifiedName>,
        column: &str,
        default: &str,
    ) -> Self {
        let table = table.into();
        refine(self, |op| {
            op.columns.push(TypeColumn {
                table,
                column: column.to_owned(),
                default: Some(default.to_owned()),
            });
        })
    }
}

/// Refines a recorded `alter_table_storage` before `?`: each call states the new value and the
/// one the table has now (`None` when unknown: the downgrade then leaves that option as it is).
pub trait AlterTableStorageOptions: Sized {
    /// `ALTER TABLE .. ENGINE = ..` on MySQL.
    fn mysql_engine(self, engine: &str, existing: Option<&str>) -> Self;
    /// `ALTER TABLE .. DEFAULT CHARSET = ..` on MySQL: the character set of columns added later.
    fn mysql_charset(self, charset: &str, existing: Option<&str>) -> Self;
    /// `ALTER TABLE .. COLLATE = ..` on MySQL: the collation of columns added later.
    fn mysql_collate(self, collation: &str, existing: Option<&str>) -> Self;
    /// `ALTER TABLE .. SET UNLOGGED` (`true`) or `SET LOGGED` on PostgreSQL.
    fn postgresql_unlogged(self, unlogged: bool) -> Self;
}

fn name_change(to: &str, existing: Option<&str>) -> Option<Change<Option<String>>> {
    Some(Change {
        from: existing.map(str::to_owned),
        to: Some(to.to_owned()),
    })
}

impl AlterTableStorageOptions for Result<&mut AlterTableStorage> {
    fn mysql_engine(self, engine: &str, existing: Option<&str>) -> Self {
        refine(self, |op| op.mysql_engine = name_change(engine, existing))
    }

    fn mysql_charset(self, charset: &str, existing: Option<&str>) -> Self {
        refine(self, |op| op.mysql_charset = name_change(charset, existing))
    }

    fn mysql_collate(self, collation: &str, existing: Option<&str>) -> Self {
        refine(self, |op| {
            op.mysql_collate = name_change(collation, existing)
        })
    }

    fn postgresql_unlogged(self, unlogged: bool) -> Self {
        refine(self, |op| {
            op.postgresql_unlogged = Some(Change {
                from: !unlogged,
                to: unlogged,
            });
        })
    }
}

/// Refines a recorded `alter_column` before `?`: each call states the new value, the old one
/// comes from the existing column.
pub trait AlterColumnOptions: Sized {
    /// `COLLATE name`, or (`None`) the table's or database's default collation.
    fn collation(self, collation: Option<&str>) -> Self;
    /// An identity's first value (`SET START WITH`, PostgreSQL): where a `RESTART` goes.
    fn identity_start(self, start: i64) -> Self;
    /// An identity's step (`SET INCREMENT BY`, PostgreSQL), from the next value on.
    fn identity_increment(self, increment: i64) -> Self;
    fn type_(self, sql_type: crate::schema::SqlType) -> Self;
    fn nullable(self, nullable: bool) -> Self;
    fn server_default(self, default: Option<&str>) -> Self;
    fn comment(self, comment: Option<&str>) -> Self;
}

impl AlterColumnOptions for Result<&mut AlterColumn> {
    fn identity_start(self, start: i64) -> Self {
        refine(self, |op| identity_change(op).to.start = Some(start))
    }

    fn identity_increment(self, increment: i64) -> Self {
        refine(self, |op| {
            identity_change(op).to.increment = Some(increment)
        })
    }

    fn collation(self, collation: Option<&str>) -> Self {
        refine(self, |op| {
            op.collation = Some(Change {
                from: op.existing.collation.clone(),
                to: collation.map(str::to_owned),
            });
        })
    }

    fn type_(self, sql_type: crate::schema::SqlType) -> Self {
        refine(self, |op| {
            op.sql_type = Some(Change {
                from: op.existing.sql_type.clone(),
                to: sql_type,
            });
        })
    }

    fn nullable(self, nullable: bool) -> Self {
        refine(self, |op| {
            op.nullable = Some(Change {
                from: op.existing.nullable,
                to: nullable,
            });
        })
    }

    fn server_default(self, default: Option<&str>) -> Self {
        refine(self, |op| {
            op.default = Some(Change {
                from: op.existing.default.clone(),
                to: default.map(str::to_owned),
            });
        })
    }

    fn comment(self, comment: Option<&str>) -> Self {
        refine(self, |op| {
            op.comment = Some(Change {
                from: op.existing.comment.clone(),
                to: comment.map(str::to_owned),
            });
        })
    }
}

/// Refines a recorded table comment op before `?`.
pub trait TableCommentOptions: Sized {
    /// The comment the table has now, so the op can be reversed.
    fn existing_comment(self, comment: &str) -> Self;
}

impl TableCommentOptions for Result<&mut TableComment> {
    fn existing_comment(self, comment: &str) -> Self {
        refine(self, |op| {
            op.from = Some(comment.to_owned());
        })
    }
}

/// Refines a recorded `drop_constraint` before `?`: `op.drop_constraint("uq_x", "t").kind(..)?`.
pub trait DropConstraintOptions: Sized {
    /// What the constraint is: MySQL drops each kind with its own clause.
    fn kind(self, kind: ConstraintKind) -> Self;
}

impl DropConstraintOptions for Result<&mut DropConstraint> {
    fn kind(self, kind: ConstraintKind) -> Self {
        refine(self, |op| {
            op.kind = Some(kind);
        })
    }
}

/// Refines a recorded `create_foreign_key` before `?`.
pub trait ForeignKeyOptions: Sized {
    fn on_delete(self, action: crate::schema::ForeignKeyAction) -> Self;
    fn on_update(self, action: crate::schema::ForeignKeyAction) -> Self;
    /// `DEFERRABLE` (PostgreSQL, SQLite).
    fn deferrable(self) -> Self;
    /// `DEFERRABLE INITIALLY DEFERRED`.
    fn initially_deferred(self) -> Self;
    /// `MATCH FULL` (PostgreSQL).
    fn match_full(self) -> Self;
    /// `NOT VALID` (PostgreSQL): the rows already there are not checked; `VALIDATE CONSTRAINT`
    /// later, with `op.execute`, checks them without blocking writes.
    fn not_valid(self) -> Self;
}

impl ForeignKeyOptions for Result<&mut ForeignKey> {
    fn on_delete(self, action: crate::schema::ForeignKeyAction) -> Self {
        refine(self, |fk| {
            fk.on_delete = Some(action);
        })
    }

    fn on_update(self, action: crate::schema::ForeignKeyAction) -> Self {
        refine(self, |fk| {
            fk.on_update = Some(action);
        })
    }

    fn deferrable(self) -> Self {
        refine(self, |fk| fk.deferrable = true)
    }

    fn initially_deferred(self) -> Self {
        refine(self, |fk| {
            fk.deferrable = true;
            fk.initially_deferred = true;
        })
    }

    fn match_full(self) -> Self {
        refine(self, |fk| fk.match_full = true)
    }

    fn not_valid(self) -> Self {
        refine(self, |fk| fk.not_valid = true)
    }
}

/// Refines a recorded `create_check_constraint` before `?`: `.not_valid()` (PostgreSQL).
pub trait CheckOptions: Sized {
    fn not_valid(self) -> Self;
}

impl CheckOptions for Result<&mut CheckConstraint> {
    fn not_valid(self) -> Self {
        refine(self, |check| check.not_valid = true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::SqlType;

    fn record(f: impl FnOnce(&mut Operations) -> Result<()>) -> Vec<Op> {
        let mut op = Operations::new();
        f(&mut op).expect("records");
        op.into_ops()
    }

    #[test]
    fn records_calls_in_order_with_refinements() {
        let ops = record(|op| {
            op.create_table(
                "users",
                [
                    Column::new("id", SqlType::BigInt)
                        .primary_key()
                        .autoincrement(),
                    Column::new("email", SqlType::Varchar(255)).not_null(),
                ],
            )?;
            op.create_index("ix_users_email", "users", ["email"])
                .unique()?;
            op.drop_column("users", "email")?;
            Ok(())
        });
        assert_eq!(ops.len(), 3);
        match &ops[0] {
            Op::CreateTable(ct) => {
                assert_eq!(
                    ct.table.primary_key.as_ref().map(|pk| pk.columns.clone()),
                    Some(vec!["id".to_string()])
                );
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(&ops[1], Op::CreateIndex(ci) if ci.index.unique));
        assert!(matches!(&ops[2], Op::DropColumn(dc) if dc.name == "email" && dc.column.is_none()));
    }

    #[test]
    fn constraints_and_table_options() {
        use crate::schema::ForeignKeyAction;
        let ops = record(|op| {
            op.create_table(
                "posts",
                [
                    Column::new("id", SqlType::BigInt),
                    Column::new("a", SqlType::BigInt),
                ],
            )
            .primary_key(PrimaryKey::new(["id"]).named("pk_posts"))
            .foreign_key(
                ForeignKey::new(["a"], "users", ["id"]).on_delete(ForeignKeyAction::Cascade),
            )
            .comment("all posts")?;
            op.create_foreign_key("fk_x", "posts", "users", ["a"], ["id"])
                .on_delete(ForeignKeyAction::SetNull)?;
            op.drop_constraint("fk_x", "posts")?;
            Ok(())
        });
        let Op::CreateTable(ct) = &ops[0] else {
            panic!("{ops:?}")
        };
        assert!(ct.table.in_primary_key("id") && !ct.table.columns[0].nullable);
        assert_eq!(ct.table.foreign_keys.len(), 1);
        assert_eq!(ct.table.comment.as_deref(), Some("all posts"));
        let Op::AddConstraint(ac) = &ops[1] else {
            panic!("{ops:?}")
        };
        assert!(
            matches!(&ac.constraint, Constraint::ForeignKey(fk) if fk.on_delete == Some(ForeignKeyAction::SetNull))
        );
        assert!(matches!(&ops[2], Op::DropConstraint(dc) if dc.name == "fk_x"));
    }
}
