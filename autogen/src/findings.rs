//! Findings: what each op of a revision would destroy or hold up, with a stable code per kind
//! (`RT101 drop table`, as Atlas and squawk number theirs), so a reviewer reads in the file
//! and in `check` what data goes before it goes.
//!
//! [`classify`] looks at ops alone; [`count_rows`] asks the live database how many rows the
//! findings touch, with a bounded count so a huge table costs at most [`COUNT_LIMIT`] rows.
//! Destructive findings lose data or enforcement; blocking ones rewrite, rebuild, copy or scan
//! a table of [`LARGE_TABLE`] rows or more under a lock. Every other op is safe.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use diesel::sql_types::BigInt;
use retort_core::context::MigrationContext;
use retort_core::ddl::{DdlImpl, TableCost};
use retort_core::ops::{Constraint, Op};
use retort_core::schema::{quote_labels, QualifiedName, SqlType};

/// A table counts as large, for blocking findings, from this many rows.
pub const LARGE_TABLE: i64 = 10_000;

/// Row counts stop here: past it the count says "at least".
pub const COUNT_LIMIT: i64 = 100_000;

/// How bad a finding is, in increasing order (`--fail-on blocking` fails on both).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Holds a large table up (a rewrite, rebuild, copy or locked scan), losing nothing.
    Blocking,
    /// Loses rows, values or the enforcement of a rule.
    Destructive,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Blocking => "blocking",
            Severity::Destructive => "destructive",
        })
    }
}

/// The kind of a finding. Codes are stable: documented in the README, matched by CI scripts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// RT101: a table and its rows are dropped.
    DropTable,
    /// RT102: a column and its values are dropped.
    DropColumn,
    /// RT103: a primary key, unique, check or foreign-key constraint stops being enforced.
    DropConstraint,
    /// RT104: a unique index stops being enforced.
    DropUniqueIndex,
    /// RT105: a type or length narrows (VARCHAR(100) to VARCHAR(50), BIGINT to INTEGER).
    NarrowType,
    /// RT106: a numeric's precision or scale is lowered.
    LowerPrecision,
    /// RT107: a type changes across families, through a cast that can fail or lose data.
    LossyCast,
    /// RT201: PostgreSQL rewrites the table under an exclusive lock.
    TableRewrite,
    /// RT202: SQLite rebuilds the table, copying every row.
    TableRebuild,
    /// RT203: MySQL copies the table, blocking writes.
    TableCopy,
    /// RT204: every row is read under a lock that blocks writes.
    LockedScan,
}

impl Code {
    /// Every code, in order, for documentation and tests.
    pub const ALL: [Code; 11] = [
        Code::DropTable,
        Code::DropColumn,
        Code::DropConstraint,
        Code::DropUniqueIndex,
        Code::NarrowType,
        Code::LowerPrecision,
        Code::LossyCast,
        Code::TableRewrite,
        Code::TableRebuild,
        Code::TableCopy,
        Code::LockedScan,
    ];

    /// `RT101`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Code::DropTable => "RT101",
            Code::DropColumn => "RT102",
            Code::DropConstraint => "RT103",
            Code::DropUniqueIndex => "RT104",
            Code::NarrowType => "RT105",
            Code::LowerPrecision => "RT106",
            Code::LossyCast => "RT107",
            Code::TableRewrite => "RT201",
            Code::TableRebuild => "RT202",
            Code::TableCopy => "RT203",
            Code::LockedScan => "RT204",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Code::DropTable
            | Code::DropColumn
            | Code::DropConstraint
            | Code::DropUniqueIndex
            | Code::NarrowType
            | Code::LowerPrecision
            | Code::LossyCast => Severity::Destructive,
            Code::TableRewrite | Code::TableRebuild | Code::TableCopy | Code::LockedScan => {
                Severity::Blocking
            }
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a row count said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rows {
    Exactly(i64),
    /// [`COUNT_LIMIT`] or more.
    AtLeast(i64),
}

impl Rows {
    fn at_least(self, n: i64) -> bool {
        match self {
            Rows::Exactly(count) | Rows::AtLeast(count) => count >= n,
        }
    }
}

impl fmt::Display for Rows {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rows::Exactly(1) => f.write_str("1 row"),
            Rows::Exactly(n) => write!(f, "{n} rows"),
            Rows::AtLeast(n) => write!(f, "{n}+ rows"),
        }
    }
}

/// What must be counted for the findings of some ops: rows of tables, and rows holding a value
/// in columns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub tables: BTreeMap<QualifiedName, Rows>,
    pub columns: BTreeMap<(QualifiedName, String), Rows>,
}

/// One finding about one op.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub code: Code,
    /// The op's position in the list it was found in.
    pub op: usize,
    /// What happens, for people: `drops table "users" and its 12 rows`.
    pub message: String,
}

impl Finding {
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }
}

/// `RT101 drops table "users" and its 12 rows`.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.message)
    }
}

/// The tables and columns whose rows the findings of `ops` would name.
pub fn needed_counts(
    ops: &[Op],
    ddl: &dyn DdlImpl,
) -> (BTreeSet<QualifiedName>, BTreeSet<(QualifiedName, String)>) {
    let mut tables = BTreeSet::new();
    let mut columns = BTreeSet::new();
    for op in ops {
        match op {
            Op::DropTable(drop) => {
                tables.insert(drop.name.clone());
            }
            Op::DropColumn(drop) => {
                columns.insert((drop.table.clone(), drop.name.clone()));
            }
            Op::AlterColumn(alter) if alter.sql_type.is_some() => {
                tables.insert(alter.table.clone());
            }
            _ => {}
        }
        if let (Some(_), Some(table)) = (ddl.table_cost(op), table_of(op)) {
            tables.insert(table.clone());
        }
    }
    (tables, columns)
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Counts, bounded by [`COUNT_LIMIT`], the rows the findings of `ops` would name. A table that
/// cannot be counted (it does not exist yet) is left out, and its findings say "its rows".
pub fn count_rows(ctx: &mut MigrationContext, ops: &[Op]) -> Counts {
    let ddl = ctx.ddl();
    let (tables, columns) = needed_counts(ops, ddl);
    let mut counts = Counts::default();
    let bounded = |rows: i64| {
        if rows > COUNT_LIMIT {
            Rows::AtLeast(COUNT_LIMIT)
        } else {
            Rows::Exactly(rows)
        }
    };
    let limit = COUNT_LIMIT + 1;
    for table in tables {
        let sql = format!(
            "SELECT count(*) AS n FROM (SELECT 1 AS x FROM {} LIMIT {limit}) AS t",
            ddl.table_name(&table)
        );
        if let Ok(rows) = load_count(ctx, &sql) {
            counts.tables.insert(table, bounded(rows));
        }
    }
    for (table, column) in columns {
        let sql = format!(
            "SELECT count(*) AS n FROM (SELECT 1 AS x FROM {} WHERE {} IS NOT NULL \
             LIMIT {limit}) AS t",
            ddl.table_name(&table),
            ddl.quote(&column)
        );
        if let Ok(rows) = load_count(ctx, &sql) {
            counts.columns.insert((table, column), bounded(rows));
        }
    }
    counts
}

fn load_count(ctx: &mut MigrationContext, sql: &str) -> retort_core::error::Result<i64> {
    let rows: Vec<Count> = ctx.executor().load(sql)?;
    Ok(rows.first().map_or(0, |r| r.n))
}

/// The table an op changes, if it changes one that exists.
fn table_of(op: &Op) -> Option<&QualifiedName> {
    match op {
        Op::AlterColumn(op) => Some(&op.table),
        Op::AddConstraint(op) => Some(&op.table),
        Op::DropConstraint(op) => Some(&op.table),
        Op::CreateIndex(op) => Some(&op.table),
        Op::DropIndex(op) => Some(&op.table),
        Op::AddColumn(op) => Some(&op.table),
        Op::DropColumn(op) => Some(&op.table),
        Op::DropTable(op) => Some(&op.name),
        Op::RenameTable(op) => Some(&op.table),
        Op::RenameColumn(op) => Some(&op.table),
        Op::TableComment(op) => Some(&op.table),
        Op::AlterTableStorage(op) => Some(&op.table),
        Op::BulkInsert(op) => Some(&op.table),
        Op::CreateTable(_)
        | Op::Execute(_)
        | Op::CreateEnum(_)
        | Op::DropEnum(_)
        | Op::AlterEnum(_)
        | Op::CreateDomain(_)
        | Op::DropDomain(_)
        | Op::AlterDomain(_) => None,
    }
}

/// The findings of `ops` on `ddl`'s database, given the row counts (empty for a downgrade,
/// whose tables do not hold their rows yet).
pub fn classify(ops: &[Op], ddl: &dyn DdlImpl, counts: &Counts) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (position, op) in ops.iter().enumerate() {
        let mut found = |code: Code, message: String| {
            findings.push(Finding {
                code,
                op: position,
                message,
            })
        };
        let rows_of = |table: &QualifiedName| counts.tables.get(table).copied();
        match op {
            Op::DropTable(drop) => found(
                Code::DropTable,
                match rows_of(&drop.name) {
                    Some(rows) => format!("drops table \"{}\" and its {rows}", drop.name),
                    None => format!("drops table \"{}\" and its rows", drop.name),
                },
            ),
            Op::DropColumn(drop) => {
                let key = (drop.table.clone(), drop.name.clone());
                found(
                    Code::DropColumn,
                    match counts.columns.get(&key) {
                        Some(rows) => format!(
                            "drops column \"{}.{}\" and its values in {rows}",
                            drop.table, drop.name
                        ),
                        None => {
                            format!(
                                "drops column \"{}.{}\" and its values",
                                drop.table, drop.name
                            )
                        }
                    },
                )
            }
            Op::DropConstraint(drop) if !re_added(ops, position) => {
                let kind = drop
                    .constraint
                    .as_ref()
                    .map_or("constraint", Constraint::kind);
                found(
                    Code::DropConstraint,
                    format!(
                        "drops {kind} \"{}\" on \"{}\": its rule is no longer enforced",
                        drop.name, drop.table
                    ),
                )
            }
            Op::DropIndex(drop)
                if drop.index.as_ref().is_some_and(|i| i.unique) && !re_added(ops, position) =>
            {
                found(
                    Code::DropUniqueIndex,
                    format!(
                        "drops unique index \"{}\" on \"{}\": duplicates become possible",
                        drop.name, drop.table
                    ),
                )
            }
            Op::AlterColumn(alter) => {
                if let Some(change) = &alter.sql_type {
                    let from = ddl.canonical_type(&change.from);
                    let to = ddl.canonical_type(&change.to);
                    if let Some(code) = type_change(&from, &to) {
                        let rows = rows_of(&alter.table)
                            .map(|rows| format!(" in {rows}"))
                            .unwrap_or_default();
                        found(
                            code,
                            format!(
                                "changes \"{}.{}\" from {} to {}: {}{rows}",
                                alter.table,
                                alter.existing.name,
                                change.from,
                                change.to,
                                match code {
                                    Code::NarrowType => "longer or larger values fail or are cut",
                                    Code::LowerPrecision => "digits are rounded away",
                                    _ => "values that do not convert fail or change",
                                },
                            ),
                        );
                    }
                }
            }
            // A label only goes with a new type: every column converts, and a row holding a
            // removed label stops the upgrade.
            Op::AlterEnum(alter) if alter.additions().is_none() => {
                let removed = alter.removed();
                let tables: Vec<String> = alter
                    .columns
                    .iter()
                    .map(|c| {
                        let rows = rows_of(&c.table)
                            .map(|rows| format!(" ({rows})"))
                            .unwrap_or_default();
                        format!("\"{}.{}\"{rows}", c.table, c.column)
                    })
                    .collect();
                let what = if removed.is_empty() {
                    "reorders its labels".to_owned()
                } else {
                    format!(
                        "removes {} (rows holding one stop the upgrade)",
                        quote_labels(&removed)
                    )
                };
                found(
                    if removed.is_empty() {
                        Code::TableRewrite
                    } else {
                        Code::NarrowType
                    },
                    format!(
                        "enum type \"{}\" {what}: the type is replaced and {} rewritten",
                        alter.name,
                        if tables.is_empty() {
                            "no column".to_owned()
                        } else {
                            tables.join(", ")
                        }
                    ),
                );
            }
            Op::CreateTable(_)
            | Op::AddColumn(_)
            | Op::CreateIndex(_)
            | Op::DropIndex(_)
            | Op::AddConstraint(_)
            | Op::DropConstraint(_)
            | Op::RenameTable(_)
            | Op::RenameColumn(_)
            | Op::TableComment(_)
            | Op::AlterTableStorage(_)
            | Op::CreateEnum(_)
            | Op::DropEnum(_)
            | Op::AlterEnum(_)
            | Op::CreateDomain(_)
            | Op::DropDomain(_)
            | Op::AlterDomain(_)
            | Op::Execute(_)
            | Op::BulkInsert(_) => {}
        }
        if let (Some(cost), Some(table)) = (ddl.table_cost(op), table_of(op)) {
            if let Some(rows) = rows_of(table).filter(|rows| rows.at_least(LARGE_TABLE)) {
                let (code, what) = match cost {
                    TableCost::Rewrite => (
                        Code::TableRewrite,
                        "rewrites every row under an exclusive lock",
                    ),
                    TableCost::Rebuild => {
                        (Code::TableRebuild, "rebuilds the table, copying every row")
                    }
                    TableCost::Copy => (Code::TableCopy, "copies the table, blocking writes"),
                    TableCost::Scan => (
                        Code::LockedScan,
                        "reads every row under a lock that blocks writes",
                    ),
                };
                found(code, format!("{op} {what} of \"{table}\" ({rows})"));
            }
        }
    }
    findings
}

/// Whether the constraint or index dropped at `position` is created again, with the same
/// columns, later in the same ops: then it is a change, not a loss.
fn re_added(ops: &[Op], position: usize) -> bool {
    let later = &ops[position + 1..];
    match &ops[position] {
        Op::DropConstraint(drop) => {
            let Some(dropped) = &drop.constraint else {
                return false;
            };
            later.iter().any(|op| match op {
                Op::AddConstraint(add) => {
                    add.table == drop.table && same_rule(&add.constraint, dropped)
                }
                _ => false,
            })
        }
        Op::DropIndex(drop) => {
            let Some(dropped) = &drop.index else {
                return false;
            };
            later.iter().any(|op| match op {
                Op::CreateIndex(create) => {
                    create.table == drop.table
                        && create.index.unique == dropped.unique
                        && create.index.columns == dropped.columns
                }
                // MySQL keeps a unique index as a unique constraint.
                Op::AddConstraint(add) => {
                    add.table == drop.table
                        && matches!(&add.constraint, Constraint::Unique(u) if u.columns == dropped.columns)
                }
                _ => false,
            })
        }
        _ => false,
    }
}

/// Whether two constraints enforce a rule on the same columns (their other details may differ).
fn same_rule(a: &Constraint, b: &Constraint) -> bool {
    match (a, b) {
        (Constraint::PrimaryKey(a), Constraint::PrimaryKey(b)) => a.columns == b.columns,
        (Constraint::Unique(a), Constraint::Unique(b)) => a.columns == b.columns,
        (Constraint::ForeignKey(a), Constraint::ForeignKey(b)) => a.columns == b.columns,
        (Constraint::Check(a), Constraint::Check(b)) => a.name == b.name,
        _ => false,
    }
}

/// The finding of a type change, or `None` when every value of `from` fits `to` unchanged.
fn type_change(from: &SqlType, to: &SqlType) -> Option<Code> {
    use SqlType as T;
    fn int_width(t: &SqlType) -> Option<u8> {
        match t {
            SqlType::SmallInt => Some(2),
            SqlType::Integer => Some(4),
            SqlType::BigInt => Some(8),
            _ => None,
        }
    }
    if from == to {
        return None;
    }
    if let (Some(a), Some(b)) = (int_width(from), int_width(to)) {
        return (b < a).then_some(Code::NarrowType);
    }
    Some(match (from, to) {
        // Fewer labels narrow an enum; new ones and a new order keep every value.
        (T::Enum(a), T::Enum(b)) => {
            return a
                .labels
                .iter()
                .any(|l| !b.labels.contains(l))
                .then_some(Code::NarrowType)
        }
        (T::Enum(_), T::Text | T::Varchar(_)) => return None,
        (T::Varchar(a) | T::Char(a), T::Varchar(b)) if b >= a => return None,
        (T::Char(a), T::Char(b)) if b >= a => return None,
        (T::Varchar(_) | T::Char(_), T::Varchar(_) | T::Char(_)) => Code::NarrowType,
        (T::Text, T::Varchar(_) | T::Char(_)) => Code::NarrowType,
        // Every value has a text form.
        (
            T::Varchar(_)
            | T::Char(_)
            | T::SmallInt
            | T::Integer
            | T::BigInt
            | T::Real
            | T::Double
            | T::Numeric { .. }
            | T::Boolean
            | T::Date
            | T::Time
            | T::Timestamp
            | T::TimestampTz
            | T::Uuid
            | T::Json
            | T::Jsonb,
            T::Text,
        ) => return None,
        (T::Real, T::Double) => return None,
        (T::Double, T::Real) => Code::NarrowType,
        (T::SmallInt | T::Integer, T::Double) => return None,
        (T::SmallInt | T::Integer | T::BigInt, T::Numeric { precision, scale }) => {
            let digits = match from {
                T::SmallInt => 5,
                T::Integer => 10,
                _ => 19,
            };
            let integer_digits = precision.map(|p| p.saturating_sub(scale.unwrap_or(0)));
            return integer_digits
                .filter(|d| *d < digits)
                .map(|_| Code::NarrowType);
        }
        (
            T::Numeric {
                precision: p1,
                scale: s1,
            },
            T::Numeric {
                precision: p2,
                scale: s2,
            },
        ) => {
            let (s1, s2) = (s1.unwrap_or(0), s2.unwrap_or(0));
            let integer = |p: &Option<u32>, s: u32| p.map(|p| p.saturating_sub(s));
            let narrower_integer = match (integer(p1, s1), integer(p2, s2)) {
                (_, None) => false,
                (None, Some(_)) => true,
                (Some(a), Some(b)) => b < a,
            };
            if s2 < s1 || narrower_integer {
                Code::LowerPrecision
            } else {
                return None;
            }
        }
        (T::Date, T::Timestamp | T::TimestampTz) | (T::Timestamp, T::TimestampTz) => return None,
        (T::Json, T::Jsonb) | (T::Jsonb, T::Json) => return None,
        _ => Code::LossyCast,
    })
}

#[cfg(test)]
mod tests;
