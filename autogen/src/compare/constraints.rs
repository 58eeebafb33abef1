//! The constraint part of comparing one table: primary key, unique constraints, foreign keys
//! and named checks.
//!
//! Constraints are matched by name; a reflected constraint without a name (SQLite keeps none
//! unless the DDL gave one) is matched by its columns instead. Unnamed reflected checks cannot
//! be told apart or dropped by name, so they are left alone.

use retort_core::ddl::DdlImpl;
use retort_core::naming::NamingConvention;
use retort_core::ops::{AddConstraint, Constraint, DropConstraint, Op};
use retort_core::schema::{ForeignKey, QualifiedName, Table};

/// The ops of one table's constraint changes, grouped by where they go in the table's ops.
#[derive(Default)]
pub(super) struct ConstraintDiff {
    /// Before index and column changes: a constraint may use a column being dropped.
    pub drops: Vec<Op>,
    pub adds: Vec<Op>,
    /// Last: a new key may refer to a column or unique constraint added just before.
    pub foreign_key_adds: Vec<Op>,
}

pub(super) fn diff(
    (ddl, naming): (&dyn DdlImpl, &NamingConvention),
    table: &QualifiedName,
    db: &Table,
    target: &Table,
) -> ConstraintDiff {
    let same_foreign_key = |db: &ForeignKey, target: &ForeignKey| same_foreign_key(ddl, db, target);
    let mut out = ConstraintDiff::default();
    let mut drop = |c: Constraint, fallback: String| {
        out.drops.push(Op::DropConstraint(DropConstraint {
            table: table.clone(),
            name: c.name().map(str::to_owned).unwrap_or(fallback),
            constraint: Some(c),
            kind: None,
        }))
    };
    let add = |c: Constraint| {
        Op::AddConstraint(AddConstraint {
            table: table.clone(),
            constraint: c,
        })
    };
    let mut adds = Vec::new();
    let mut fk_adds = Vec::new();

    // Primary key: only its columns count; names differ between databases. A key the database
    // keeps no name for (SQLite, MySQL) is dropped under the name the convention gives it.
    let columns = |t: &Table| t.primary_key.as_ref().map(|pk| pk.columns.clone());
    if columns(db) != columns(target) {
        if let Some(pk) = &db.primary_key {
            let conventional =
                naming.primary_key_name(&db.name, &pk.columns, ddl.max_identifier_length());
            drop(Constraint::PrimaryKey(pk.clone()), conventional);
        }
        if let Some(pk) = &target.primary_key {
            adds.push(add(Constraint::PrimaryKey(pk.clone())));
        }
    }

    for unique in &db.unique_constraints {
        let kept = target.unique_constraints.iter().any(|t| {
            t.columns == unique.columns && (unique.name.is_none() || unique.name == t.name)
        });
        if !kept {
            drop(Constraint::Unique(unique.clone()), String::new());
        }
    }
    for unique in &target.unique_constraints {
        let exists = db
            .unique_constraints
            .iter()
            .any(|d| d.columns == unique.columns && (d.name.is_none() || d.name == unique.name));
        if !exists {
            adds.push(add(Constraint::Unique(unique.clone())));
        }
    }

    for fk in &db.foreign_keys {
        if !target.foreign_keys.iter().any(|t| same_foreign_key(fk, t)) {
            drop(Constraint::ForeignKey(fk.clone()), String::new());
        }
    }
    for fk in &target.foreign_keys {
        if !db.foreign_keys.iter().any(|d| same_foreign_key(d, fk)) {
            fk_adds.push(add(Constraint::ForeignKey(fk.clone())));
        }
    }

    for check in db.check_constraints.iter().filter(|c| c.name.is_some()) {
        if !target
            .check_constraints
            .iter()
            .any(|t| t.name == check.name)
        {
            drop(Constraint::Check(check.clone()), String::new());
        }
    }
    for check in &target.check_constraints {
        if !db.check_constraints.iter().any(|d| d.name == check.name) {
            adds.push(add(Constraint::Check(check.clone())));
        }
    }
    out.adds = adds;
    out.foreign_key_adds = fk_adds;
    out
}

/// The same key: same name (or the reflected one unnamed), columns, referent, actions as the
/// database reports them, deferral and `MATCH FULL` (`NOT VALID` is how an op ran, not a
/// property of the key).
fn same_foreign_key(ddl: &dyn DdlImpl, db: &ForeignKey, target: &ForeignKey) -> bool {
    (db.name.is_none() || db.name == target.name)
        && db.columns == target.columns
        && db.referred_table == target.referred_table
        && db.referred_columns == target.referred_columns
        && ddl.canonical_action(db.on_delete) == ddl.canonical_action(target.on_delete)
        && ddl.canonical_action(db.on_update) == ddl.canonical_action(target.on_update)
        && db.deferrable == target.deferrable
        && db.initially_deferred == target.initially_deferred
        && db.match_full == target.match_full
}
