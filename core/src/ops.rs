//! The built-in operations (Alembic's operation objects) as plain data.
//!
//! An [`Op`] holds no SQL and no tokens: `DdlImpl::statements` turns it into SQL for a dialect,
//! the autogenerate renderer turns it into Rust. Both match on `Op` exhaustively, so a new
//! variant does not compile until both handle it. Downgrades are [`Op::reverse`]: drop ops carry
//! the object they drop (when known) so that they can be reversed.

use std::fmt;

use crate::schema::{
    CheckConstraint, Column, DomainType, EnumType, ForeignKey, IdentityOptions, Index, PrimaryKey,
    QualifiedName, SqlType, Table, TypeColumn, UniqueConstraint,
};
use crate::value::Value;

/// One schema operation.
///
/// Not `#[non_exhaustive]`, on purpose: the DDL impls, the naming convention and the renderer
/// (another crate) match it without a wildcard arm, so a new op does not compile until each of
/// them handles it (DESIGN §2).
// An `AlterColumn` holds three column types; ops are made a few hundred at a time, so their
// size does not matter, and boxing the variant would put a `Box` into every match on it.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    CreateTable(CreateTable),
    DropTable(DropTable),
    AddColumn(AddColumn),
    DropColumn(DropColumn),
    CreateIndex(CreateIndex),
    DropIndex(DropIndex),
    AddConstraint(AddConstraint),
    DropConstraint(DropConstraint),
    RenameTable(RenameTable),
    RenameColumn(RenameColumn),
    AlterColumn(AlterColumn),
    TableComment(TableComment),
    AlterTableStorage(AlterTableStorage),
    CreateEnum(CreateEnum),
    DropEnum(DropEnum),
    AlterEnum(AlterEnum),
    CreateDomain(CreateDomain),
    DropDomain(DropDomain),
    AlterDomain(AlterDomain),
    Execute(Execute),
    BulkInsert(BulkInsert),
}

/// `ALTER TABLE from RENAME TO to` (the schema stays).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameTable {
    pub table: QualifiedName,
    pub new_name: String,
}

/// `ALTER TABLE .. RENAME COLUMN from TO to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameColumn {
    pub table: QualifiedName,
    pub name: String,
    pub new_name: String,
}

/// A value before and after an `AlterColumn`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change<T> {
    pub from: T,
    pub to: T,
}

impl<T: Clone> Change<T> {
    fn reverse(&self) -> Change<T> {
        Change {
            from: self.to.clone(),
            to: self.from.clone(),
        }
    }
}

/// Changes to one column's type, nullability, server default or comment. `existing` is the
/// whole column before the change: MySQL's `MODIFY COLUMN` must restate it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlterColumn {
    pub table: QualifiedName,
    pub existing: Column,
    pub sql_type: Option<Change<SqlType>>,
    pub nullable: Option<Change<bool>>,
    pub default: Option<Change<Option<String>>>,
    pub comment: Option<Change<Option<String>>>,
    /// A change to `None` is the table's or database's default collation.
    pub collation: Option<Change<Option<String>>>,
    /// An identity's sequence options (PostgreSQL; other databases run nothing for it).
    pub identity: Option<Change<IdentityOptions>>,
}

impl AlterColumn {
    /// No change yet to `existing` in `table`.
    pub fn new(table: QualifiedName, existing: Column) -> Self {
        AlterColumn {
            table,
            existing,
            sql_type: None,
            nullable: None,
            default: None,
            comment: None,
            collation: None,
            identity: None,
        }
    }

    /// The column as it is after the change.
    pub fn altered(&self) -> Column {
        let mut column = self.existing.clone();
        self.apply_to(&mut column);
        column
    }

    /// Makes this op's changes to `column`, leaving what it does not change.
    pub fn apply_to(&self, column: &mut Column) {
        if let Some(c) = &self.sql_type {
            column.sql_type = c.to.clone();
        }
        if let Some(c) = &self.nullable {
            column.nullable = c.to;
        }
        if let Some(c) = &self.default {
            column.default = c.to.clone();
        }
        if let Some(c) = &self.comment {
            column.comment = c.to.clone();
        }
        if let Some(c) = &self.collation {
            column.collation = c.to.clone();
        }
        if let Some(c) = &self.identity {
            column.identity = c.to;
        }
    }

    /// Whether the identity's options are all that changes.
    pub fn changes_only_identity(&self) -> bool {
        self.identity.is_some() && !self.changes_definition()
    }

    /// Whether anything changes.
    pub fn is_empty(&self) -> bool {
        self.identity.is_none() && !self.changes_definition()
    }

    /// Whether anything but the identity's sequence options changes.
    fn changes_definition(&self) -> bool {
        self.sql_type.is_some()
            || self.nullable.is_some()
            || self.default.is_some()
            || self.comment.is_some()
            || self.collation.is_some()
    }
}

/// Sets (`to: Some`) or removes (`to: None`) a table's comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableComment {
    pub table: QualifiedName,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Changes to a table's storage options ([`TableStorage`](crate::schema::TableStorage)): MySQL's
/// engine and default character set and collation, PostgreSQL's `UNLOGGED`. Each runs only on
/// the database it is named after. A change to `None` leaves the option as it is (a server has
/// no "no engine"), so a downgrade restores what the op names as `from`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlterTableStorage {
    pub table: QualifiedName,
    pub mysql_engine: Option<Change<Option<String>>>,
    pub mysql_charset: Option<Change<Option<String>>>,
    pub mysql_collate: Option<Change<Option<String>>>,
    pub postgresql_unlogged: Option<Change<bool>>,
    /// PostgreSQL cannot change a table's partitioning in place: this change is refused.
    pub postgresql_partition_by: Option<Change<Option<String>>>,
}

impl AlterTableStorage {
    /// No change yet to `table`'s storage.
    pub fn new(table: QualifiedName) -> Self {
        AlterTableStorage {
            table,
            mysql_engine: None,
            mysql_charset: None,
            mysql_collate: None,
            postgresql_unlogged: None,
            postgresql_partition_by: None,
        }
    }

    /// Whether anything changes.
    pub fn is_empty(&self) -> bool {
        self.mysql_engine.is_none()
            && self.mysql_charset.is_none()
            && self.mysql_collate.is_none()
            && self.postgresql_unlogged.is_none()
            && self.postgresql_partition_by.is_none()
    }

    fn reverse(&self) -> AlterTableStorage {
        AlterTableStorage {
            table: self.table.clone(),
            mysql_engine: self.mysql_engine.as_ref().map(Change::reverse),
            mysql_charset: self.mysql_charset.as_ref().map(Change::reverse),
            mysql_collate: self.mysql_collate.as_ref().map(Change::reverse),
            postgresql_unlogged: self.postgresql_unlogged.as_ref().map(Change::reverse),
            postgresql_partition_by: self.postgresql_partition_by.as_ref().map(Change::reverse),
        }
    }
}

/// `CREATE TYPE .. AS ENUM (..)` on PostgreSQL, before the tables that use it. MySQL and SQLite
/// keep an enum's labels in each column, so there the op runs nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateEnum {
    pub enum_type: EnumType,
}

/// `DROP TYPE ..` on PostgreSQL, after the tables that use it; the labels make it reversible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropEnum {
    pub enum_type: EnumType,
}

/// A change of a PostgreSQL enum type's labels. New labels alone are `ALTER TYPE .. ADD VALUE`;
/// a removed or reordered label replaces the type, converting every column in `columns` (all
/// that use it: the old type cannot be dropped while one does), after checking that no row
/// holds a removed label. MySQL and SQLite change each column's type instead (`AlterColumn`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlterEnum {
    pub name: QualifiedName,
    pub labels: Change<Vec<String>>,
    pub columns: Vec<TypeColumn>,
}

impl AlterEnum {
    /// The labels to add, each with the label it goes after (`None`: first), when the change
    /// only adds labels and keeps the old ones in their order; `None` when it removes or
    /// reorders one.
    pub fn additions(&self) -> Option<Vec<(&str, Option<&str>)>> {
        let (old, new) = (&self.labels.from, &self.labels.to);
        let kept: Vec<&String> = new.iter().filter(|l| old.contains(l)).collect();
        if kept.len() != old.len() || kept.iter().zip(old).any(|(k, o)| *k != o) {
            return None;
        }
        Some(
            new.iter()
                .enumerate()
                .filter(|(_, label)| !old.contains(label))
                .map(|(i, label)| (label.as_str(), i.checked_sub(1).map(|p| new[p].as_str())))
                .collect(),
        )
    }

    /// The old labels the change removes.
    pub fn removed(&self) -> Vec<&str> {
        self.labels
            .from
            .iter()
            .filter(|l| !self.labels.to.contains(l))
            .map(String::as_str)
            .collect()
    }
}

/// `CREATE DOMAIN .. AS ..` on PostgreSQL, before the tables that use it. Elsewhere a column of
/// a domain is a column of its base type, and the op runs nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateDomain {
    pub domain: DomainType,
}

/// `DROP DOMAIN ..` on PostgreSQL, after the tables that use it; the definition makes it
/// reversible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropDomain {
    pub domain: DomainType,
}

/// A change of a PostgreSQL domain's NOT NULL, default or CHECKs (`ALTER DOMAIN`), from its
/// definition `from` to `to`. A domain's base type cannot change in place: that is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlterDomain {
    pub from: DomainType,
    pub to: DomainType,
}

/// A table constraint that can be added to or dropped from an existing table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Constraint {
    PrimaryKey(PrimaryKey),
    Unique(UniqueConstraint),
    ForeignKey(ForeignKey),
    Check(CheckConstraint),
}

impl Constraint {
    pub fn name(&self) -> Option<&str> {
        match self {
            Constraint::PrimaryKey(c) => c.name.as_deref(),
            Constraint::Unique(c) => c.name.as_deref(),
            Constraint::ForeignKey(c) => c.name.as_deref(),
            Constraint::Check(c) => c.name.as_deref(),
        }
    }

    /// `primary key`, `unique constraint`, ... for messages.
    pub fn kind(&self) -> &'static str {
        self.constraint_kind().describe()
    }

    pub fn constraint_kind(&self) -> ConstraintKind {
        match self {
            Constraint::PrimaryKey(_) => ConstraintKind::PrimaryKey,
            Constraint::Unique(_) => ConstraintKind::Unique,
            Constraint::ForeignKey(_) => ConstraintKind::ForeignKey,
            Constraint::Check(_) => ConstraintKind::Check,
        }
    }
}

/// What kind of constraint a `drop_constraint` drops (Alembic's `type_=`): MySQL has a `DROP`
/// clause per kind, and SQLite's rebuild must know a primary key from the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConstraintKind {
    PrimaryKey,
    Unique,
    ForeignKey,
    Check,
}

impl ConstraintKind {
    /// `primary key`, `unique constraint`, ... for messages.
    pub fn describe(self) -> &'static str {
        match self {
            ConstraintKind::PrimaryKey => "primary key",
            ConstraintKind::Unique => "unique constraint",
            ConstraintKind::ForeignKey => "foreign key",
            ConstraintKind::Check => "check constraint",
        }
    }
}

/// `ALTER TABLE .. ADD CONSTRAINT`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddConstraint {
    pub table: QualifiedName,
    pub constraint: Constraint,
}

/// `ALTER TABLE .. DROP CONSTRAINT`; `constraint` is the dropped definition when known, else
/// `kind` may say what it is (a hand-written `.kind(..)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropConstraint {
    pub table: QualifiedName,
    pub name: String,
    pub constraint: Option<Constraint>,
    pub kind: Option<ConstraintKind>,
}

impl DropConstraint {
    /// The dropped constraint's kind, from its definition or as the migration gave it.
    pub fn kind(&self) -> Option<ConstraintKind> {
        self.constraint
            .as_ref()
            .map(Constraint::constraint_kind)
            .or(self.kind)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateTable {
    pub table: Table,
}

/// `table` is the dropped definition, known to autogenerate; a hand-written
/// `op.drop_table("t")` leaves it `None` and cannot be reversed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropTable {
    pub name: QualifiedName,
    pub table: Option<Table>,
    /// `DROP TABLE IF EXISTS`: a table that is not there is no error.
    pub if_exists: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddColumn {
    pub table: QualifiedName,
    pub column: Column,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropColumn {
    pub table: QualifiedName,
    pub name: String,
    pub column: Option<Column>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateIndex {
    pub table: QualifiedName,
    pub index: Index,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropIndex {
    pub table: QualifiedName,
    pub name: String,
    pub index: Option<Index>,
    /// `DROP INDEX CONCURRENTLY` (PostgreSQL), inside an `autocommit_block`.
    pub concurrently: bool,
    /// `DROP INDEX IF EXISTS` (PostgreSQL, SQLite, MariaDB).
    pub if_exists: bool,
}

/// Raw SQL from `op.execute(...)`, with the values bound to its `?` placeholders; it has no
/// inverse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Execute {
    pub sql: String,
    pub params: Vec<Value>,
}

/// Rows from `op.bulk_insert(..)`: `INSERT INTO table (columns) VALUES ..`, batched per
/// dialect; it has no inverse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkInsert {
    pub table: QualifiedName,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// Why an op has no inverse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot reverse {op}: {reason}")]
pub struct Irreversible {
    pub op: String,
    pub reason: &'static str,
}

impl Op {
    /// The op that undoes this one.
    pub fn reverse(&self) -> Result<Op, Irreversible> {
        let irreversible = |reason| Irreversible {
            op: self.to_string(),
            reason,
        };
        Ok(match self {
            // Alembic's rule: an `IF NOT EXISTS` create is undone by an `IF EXISTS` drop.
            Op::CreateTable(op) => Op::DropTable(DropTable {
                name: op.table.qualified_name(),
                table: Some(Table {
                    if_not_exists: false,
                    ..op.table.clone()
                }),
                if_exists: op.table.if_not_exists,
            }),
            Op::DropTable(op) => match &op.table {
                Some(table) => Op::CreateTable(CreateTable {
                    table: Table {
                        if_not_exists: op.if_exists,
                        ..table.clone()
                    },
                }),
                None => return Err(irreversible("the dropped table's definition is unknown")),
            },
            Op::AddColumn(op) => Op::DropColumn(DropColumn {
                table: op.table.clone(),
                name: op.column.name.clone(),
                column: Some(op.column.clone()),
            }),
            Op::DropColumn(op) => match &op.column {
                Some(column) => Op::AddColumn(AddColumn {
                    table: op.table.clone(),
                    column: column.clone(),
                }),
                None => return Err(irreversible("the dropped column's definition is unknown")),
            },
            Op::CreateIndex(op) => Op::DropIndex(DropIndex {
                table: op.table.clone(),
                name: op.index.name().to_owned(),
                index: Some(Index {
                    if_not_exists: false,
                    ..op.index.clone()
                }),
                concurrently: op.index.concurrently,
                if_exists: op.index.if_not_exists,
            }),
            Op::DropIndex(op) => match &op.index {
                Some(index) => Op::CreateIndex(CreateIndex {
                    table: op.table.clone(),
                    index: Index {
                        concurrently: op.concurrently,
                        if_not_exists: op.if_exists,
                        ..index.clone()
                    },
                }),
                None => return Err(irreversible("the dropped index's definition is unknown")),
            },
            Op::AddConstraint(op) => match op.constraint.name() {
                Some(name) => Op::DropConstraint(DropConstraint {
                    table: op.table.clone(),
                    name: name.to_owned(),
                    constraint: Some(op.constraint.clone()),
                    kind: None,
                }),
                None => {
                    return Err(irreversible(
                        "an unnamed constraint cannot be dropped by name",
                    ))
                }
            },
            Op::DropConstraint(op) => match &op.constraint {
                Some(constraint) => Op::AddConstraint(AddConstraint {
                    table: op.table.clone(),
                    constraint: constraint.clone(),
                }),
                None => {
                    return Err(irreversible(
                        "the dropped constraint's definition is unknown",
                    ))
                }
            },
            Op::RenameTable(op) => Op::RenameTable(RenameTable {
                table: QualifiedName {
                    schema: op.table.schema.clone(),
                    name: op.new_name.clone(),
                },
                new_name: op.table.name.clone(),
            }),
            Op::RenameColumn(op) => Op::RenameColumn(RenameColumn {
                table: op.table.clone(),
                name: op.new_name.clone(),
                new_name: op.name.clone(),
            }),
            Op::AlterColumn(op) => Op::AlterColumn(AlterColumn {
                table: op.table.clone(),
                existing: op.altered(),
                sql_type: op.sql_type.as_ref().map(Change::reverse),
                nullable: op.nullable.as_ref().map(Change::reverse),
                default: op.default.as_ref().map(Change::reverse),
                comment: op.comment.as_ref().map(Change::reverse),
                collation: op.collation.as_ref().map(Change::reverse),
                identity: op.identity.as_ref().map(Change::reverse),
            }),
            Op::TableComment(op) => Op::TableComment(TableComment {
                table: op.table.clone(),
                from: op.to.clone(),
                to: op.from.clone(),
            }),
            Op::AlterTableStorage(op) => Op::AlterTableStorage(op.reverse()),
            Op::CreateEnum(op) => Op::DropEnum(DropEnum {
                enum_type: op.enum_type.clone(),
            }),
            Op::DropEnum(op) => Op::CreateEnum(CreateEnum {
                enum_type: op.enum_type.clone(),
            }),
            Op::AlterEnum(op) => Op::AlterEnum(AlterEnum {
                name: op.name.clone(),
                labels: op.labels.reverse(),
                columns: op.columns.clone(),
            }),
            Op::CreateDomain(op) => Op::DropDomain(DropDomain {
                domain: op.domain.clone(),
            }),
            Op::DropDomain(op) => Op::CreateDomain(CreateDomain {
                domain: op.domain.clone(),
            }),
            Op::AlterDomain(op) => Op::AlterDomain(AlterDomain {
                from: op.to.clone(),
                to: op.from.clone(),
            }),
            Op::Execute(_) => return Err(irreversible("raw SQL has no known inverse")),
            Op::BulkInsert(_) => return Err(irreversible("inserted rows have no known inverse")),
        })
    }

    /// Reverses a list of ops: each op reversed, in the opposite order.
    pub fn reverse_all(ops: &[Op]) -> Result<Vec<Op>, Irreversible> {
        ops.iter().rev().map(Op::reverse).collect()
    }
}

/// A one-line description, used in `check` output and error messages.
impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Op::CreateTable(op) => write!(f, "add table `{}`", op.table.qualified_name()),
            Op::DropTable(op) => write!(f, "remove table `{}`", op.name),
            Op::AddColumn(op) => write!(f, "add column `{}.{}`", op.table, op.column.name),
            Op::DropColumn(op) => write!(f, "remove column `{}.{}`", op.table, op.name),
            Op::CreateIndex(op) => write!(
                f,
                "add {}index `{}` on `{}` ({})",
                if op.index.unique { "unique " } else { "" },
                op.index.name(),
                op.table,
                op.index.columns.join(", ")
            ),
            Op::DropIndex(op) => write!(f, "remove index `{}` on `{}`", op.name, op.table),
            Op::AddConstraint(op) => write!(
                f,
                "add {} `{}` on `{}`",
                op.constraint.kind(),
                op.constraint.name().unwrap_or("(unnamed)"),
                op.table
            ),
            Op::DropConstraint(op) => write!(
                f,
                "remove {} `{}` on `{}`",
                op.kind().map_or("constraint", ConstraintKind::describe),
                if op.name.is_empty() {
                    "(unnamed)"
                } else {
                    &op.name
                },
                op.table
            ),
            Op::RenameTable(op) => write!(f, "rename table `{}` to `{}`", op.table, op.new_name),
            Op::RenameColumn(op) => write!(
                f,
                "rename column `{}.{}` to `{}`",
                op.table, op.name, op.new_name
            ),
            Op::AlterColumn(op) => {
                write!(f, "alter column `{}.{}`:", op.table, op.existing.name)?;
                if let Some(c) = &op.sql_type {
                    write!(f, " type {} -> {}", c.from, c.to)?;
                }
                if let Some(c) = &op.nullable {
                    let word = |n: bool| if n { "NULL" } else { "NOT NULL" };
                    write!(f, " {} -> {}", word(c.from), word(c.to))?;
                }
                if let Some(c) = &op.default {
                    let text =
                        |d: &Option<String>| d.clone().unwrap_or_else(|| "no default".into());
                    write!(f, " default {} -> {}", text(&c.from), text(&c.to))?;
                }
                if op.comment.is_some() {
                    f.write_str(" comment changed")?;
                }
                if let Some(c) = &op.collation {
                    let text = |d: &Option<String>| d.clone().unwrap_or_else(|| "default".into());
                    write!(f, " collation {} -> {}", text(&c.from), text(&c.to))?;
                }
                if let Some(c) = &op.identity {
                    let text = |i: &IdentityOptions| {
                        format!(
                            "start {} increment {}",
                            i.start.unwrap_or(1),
                            i.increment.unwrap_or(1)
                        )
                    };
                    write!(f, " identity {} -> {}", text(&c.from), text(&c.to))?;
                }
                Ok(())
            }
            Op::TableComment(op) => match &op.to {
                Some(_) => write!(f, "set comment of table `{}`", op.table),
                None => write!(f, "remove comment of table `{}`", op.table),
            },
            Op::AlterTableStorage(op) => {
                write!(f, "alter storage of table `{}`:", op.table)?;
                let text = |o: &Option<String>| o.clone().unwrap_or_else(|| "default".into());
                for (what, change) in [
                    ("engine", &op.mysql_engine),
                    ("charset", &op.mysql_charset),
                    ("collate", &op.mysql_collate),
                    ("partition by", &op.postgresql_partition_by),
                ] {
                    if let Some(c) = change {
                        write!(f, " {what} {} -> {}", text(&c.from), text(&c.to))?;
                    }
                }
                if let Some(c) = &op.postgresql_unlogged {
                    let word = |u: bool| if u { "UNLOGGED" } else { "LOGGED" };
                    write!(f, " {} -> {}", word(c.from), word(c.to))?;
                }
                Ok(())
            }
            Op::CreateEnum(op) => write!(
                f,
                "add enum type `{}` ({})",
                QualifiedName::from(&op.enum_type),
                op.enum_type.label_list()
            ),
            Op::DropEnum(op) => {
                write!(
                    f,
                    "remove enum type `{}`",
                    QualifiedName::from(&op.enum_type)
                )
            }
            Op::AlterEnum(op) => write!(
                f,
                "change labels of enum type `{}`: ({}) -> ({})",
                op.name,
                crate::schema::quote_labels(&op.labels.from),
                crate::schema::quote_labels(&op.labels.to)
            ),
            Op::CreateDomain(op) => write!(
                f,
                "add domain `{}` ({})",
                QualifiedName::from(&op.domain),
                crate::schema::describe(&op.domain)
            ),
            Op::DropDomain(op) => write!(f, "remove domain `{}`", QualifiedName::from(&op.domain)),
            Op::AlterDomain(op) => write!(
                f,
                "change domain `{}`: {} -> {}",
                QualifiedName::from(&op.to),
                crate::schema::describe(&op.from),
                crate::schema::describe(&op.to)
            ),
            Op::Execute(op) => write!(f, "execute `{}`", op.sql),
            Op::BulkInsert(op) => write!(f, "insert {} row(s) into `{}`", op.rows.len(), op.table),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::SqlType;

    fn users() -> Table {
        Table::with_columns(
            "users",
            [
                Column::new("id", SqlType::BigInt)
                    .primary_key()
                    .autoincrement(),
                Column::new("email", SqlType::Varchar(255)).not_null(),
            ],
        )
    }

    fn every_reversible_op() -> Vec<Op> {
        let users_name = QualifiedName::from("users");
        vec![
            Op::CreateTable(CreateTable { table: users() }),
            Op::DropTable(DropTable {
                name: users_name.clone(),
                table: Some(users()),
                if_exists: false,
            }),
            Op::AddColumn(AddColumn {
                table: users_name.clone(),
                column: Column::new("nickname", SqlType::Text),
            }),
            Op::DropColumn(DropColumn {
                table: users_name.clone(),
                name: "nickname".into(),
                column: Some(Column::new("nickname", SqlType::Text)),
            }),
            Op::CreateIndex(CreateIndex {
                table: users_name.clone(),
                index: Index::new("ix_users_email", ["email"]).unique(),
            }),
            Op::DropIndex(DropIndex {
                table: users_name.clone(),
                name: "ix_users_email".into(),
                index: Some(Index::new("ix_users_email", ["email"])),
                concurrently: false,
                if_exists: false,
            }),
            Op::RenameTable(RenameTable {
                table: users_name.clone(),
                new_name: "people".into(),
            }),
            Op::RenameColumn(RenameColumn {
                table: users_name.clone(),
                name: "email".into(),
                new_name: "mail".into(),
            }),
            Op::AlterColumn(AlterColumn {
                sql_type: Some(Change {
                    from: SqlType::Varchar(50),
                    to: SqlType::Varchar(100),
                }),
                nullable: Some(Change {
                    from: true,
                    to: false,
                }),
                default: Some(Change {
                    from: None,
                    to: Some("'x'".into()),
                }),
                ..AlterColumn::new(
                    users_name.clone(),
                    Column::new("email", SqlType::Varchar(50)),
                )
            }),
            Op::TableComment(TableComment {
                table: users_name.clone(),
                from: None,
                to: Some("people".into()),
            }),
            Op::AlterTableStorage(AlterTableStorage {
                mysql_engine: Some(Change {
                    from: Some("MyISAM".into()),
                    to: Some("InnoDB".into()),
                }),
                postgresql_unlogged: Some(Change {
                    from: true,
                    to: false,
                }),
                ..AlterTableStorage::new(users_name.clone())
            }),
            Op::AddConstraint(AddConstraint {
                table: users_name.clone(),
                constraint: Constraint::Check(CheckConstraint::new("id > 0").named("ck_users_id")),
            }),
            Op::DropConstraint(DropConstraint {
                table: users_name,
                name: "fk_users_org_id_orgs".into(),
                constraint: Some(Constraint::ForeignKey(
                    ForeignKey::new(["org_id"], "orgs", ["id"]).named("fk_users_org_id_orgs"),
                )),
                kind: None,
            }),
            Op::CreateEnum(CreateEnum {
                enum_type: EnumType::new("mood", ["happy", "sad"]),
            }),
            Op::DropEnum(DropEnum {
                enum_type: EnumType::new("mood", ["happy", "sad"]).schema("app"),
            }),
            Op::AlterEnum(AlterEnum {
                name: "mood".into(),
                labels: Change {
                    from: vec!["happy".into(), "sad".into()],
                    to: vec!["sad".into(), "ok".into()],
                },
                columns: vec![TypeColumn {
                    table: "people".into(),
                    column: "mood".into(),
                    default: Some("'sad'::mood".into()),
                }],
            }),
            Op::CreateDomain(CreateDomain {
                domain: DomainType::new("year", SqlType::Integer).check("year_check", "VALUE > 0"),
            }),
            Op::DropDomain(DropDomain {
                domain: DomainType::new("code", SqlType::Text).not_null(),
            }),
            Op::AlterDomain(AlterDomain {
                from: DomainType::new("code", SqlType::Text),
                to: DomainType::new("code", SqlType::Text).default("'x'"),
            }),
        ]
    }

    /// Only added labels, with the old ones in order, change a type in place.
    #[test]
    fn enum_additions_and_removals() {
        let alter = |from: &[&str], to: &[&str]| AlterEnum {
            name: "mood".into(),
            labels: Change {
                from: from.iter().map(|l| l.to_string()).collect(),
                to: to.iter().map(|l| l.to_string()).collect(),
            },
            columns: Vec::new(),
        };
        assert_eq!(
            alter(&["b", "d"], &["a", "b", "c", "d", "e"]).additions(),
            Some(vec![("a", None), ("c", Some("b")), ("e", Some("d"))])
        );
        assert_eq!(alter(&["a", "b"], &["b", "a"]).additions(), None);
        assert_eq!(
            alter(&["a", "b"], &["b", "a"]).removed(),
            Vec::<&str>::new()
        );
        assert_eq!(alter(&["a", "b", "c"], &["a", "x"]).additions(), None);
        assert_eq!(alter(&["a", "b", "c"], &["a", "x"]).removed(), ["b", "c"]);
        assert_eq!(alter(&["a"], &["a"]).additions(), Some(Vec::new()));
    }

    #[test]
    fn reverse_twice_is_identity() {
        for op in every_reversible_op() {
            let back = op.reverse().and_then(|r| r.reverse());
            assert_eq!(back.as_ref(), Ok(&op), "{op}");
        }
    }

    #[test]
    fn reverse_pairs_create_with_drop() {
        let create = Op::CreateTable(CreateTable { table: users() });
        assert!(
            matches!(create.reverse(), Ok(Op::DropTable(DropTable { table: Some(t), .. })) if t == users())
        );
    }

    #[test]
    fn reverse_all_reverses_order() {
        let ops = every_reversible_op();
        let reversed = Op::reverse_all(&ops).expect("all reversible");
        assert_eq!(reversed.len(), ops.len());
        let last = ops.len() - 1;
        assert_eq!(reversed[0], ops[last].reverse().expect("reversible"));
        assert_eq!(reversed[last], ops[0].reverse().expect("reversible"));
    }

    #[test]
    fn drops_without_definition_say_why_they_cannot_reverse() {
        let op = Op::DropTable(DropTable {
            name: "users".into(),
            table: None,
            if_exists: false,
        });
        let err = op.reverse().expect_err("no definition");
        assert_eq!(
            err.to_string(),
            "cannot reverse remove table `users`: the dropped table's definition is unknown"
        );
        let raw = Op::Execute(Execute {
            params: Vec::new(),
            sql: "SELECT 1".into(),
        });
        assert!(raw.reverse().is_err());
    }

    /// Alembic's rule: an `IF NOT EXISTS` create is undone by an `IF EXISTS` drop, and back.
    #[test]
    fn if_not_exists_creates_reverse_to_if_exists_drops() {
        let table = Table {
            if_not_exists: true,
            ..users()
        };
        let create = Op::CreateTable(CreateTable { table });
        let Ok(Op::DropTable(drop)) = create.reverse() else {
            panic!("a drop");
        };
        assert!(drop.if_exists);
        assert!(!drop.table.as_ref().is_some_and(|t| t.if_not_exists));
        let Ok(Op::CreateTable(again)) = Op::DropTable(drop).reverse() else {
            panic!("a create");
        };
        assert!(again.table.if_not_exists);

        let mut index = Index::new("ix_users_email", ["email"]);
        index.if_not_exists = true;
        let create = Op::CreateIndex(CreateIndex {
            table: "users".into(),
            index,
        });
        let Ok(Op::DropIndex(drop)) = create.reverse() else {
            panic!("a drop");
        };
        assert!(drop.if_exists);
    }
}
