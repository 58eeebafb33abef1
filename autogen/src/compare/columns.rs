//! The column part of comparing one table: type, nullability, server default and comment,
//! each compared the way the dialect stores it (`DdlImpl::canonical_type`,
//! `DdlImpl::canonical_default`), so a database created from the models compares clean.

use std::fmt;
use std::sync::Arc;

use retort_core::ddl::DdlImpl;
use retort_core::ops::{AlterColumn, Change};
use retort_core::schema::{Column, QualifiedName};

/// One column on both sides, as a comparison hook sees it.
#[derive(Clone, Copy, Debug)]
pub struct ColumnPair<'a> {
    pub table: &'a QualifiedName,
    /// As the database has it.
    pub reflected: &'a Column,
    /// As the models declare it.
    pub target: &'a Column,
}

type ColumnHook = dyn Fn(&ColumnPair<'_>) -> Option<bool> + Send + Sync;

/// Whether autogenerate compares an attribute of columns (Alembic's `compare_type`,
/// `compare_server_default`): on (the default), off, or a hook that decides per column:
/// `Some(true)` for a difference, `Some(false)` for none, `None` for the default comparison.
#[derive(Clone, Default)]
pub enum Comparison {
    #[default]
    On,
    Off,
    With(Arc<ColumnHook>),
}

impl Comparison {
    /// A hook that decides per column.
    pub fn with(hook: impl Fn(&ColumnPair<'_>) -> Option<bool> + Send + Sync + 'static) -> Self {
        Comparison::With(Arc::new(hook))
    }

    /// Whether the pair differs, given what the default comparison says.
    fn differs(&self, pair: &ColumnPair<'_>, by_default: impl FnOnce() -> bool) -> bool {
        match self {
            Comparison::On => by_default(),
            Comparison::Off => false,
            Comparison::With(hook) => hook(pair).unwrap_or_else(by_default),
        }
    }
}

impl From<bool> for Comparison {
    fn from(on: bool) -> Self {
        if on {
            Comparison::On
        } else {
            Comparison::Off
        }
    }
}

impl fmt::Debug for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Comparison::On => "On",
            Comparison::Off => "Off",
            Comparison::With(_) => "With(..)",
        })
    }
}

/// How columns are compared.
#[derive(Clone, Debug, Default)]
pub struct CompareOptions {
    pub compare_type: Comparison,
    pub compare_server_default: Comparison,
}

/// The `AlterColumn` that turns `db` into `target`, or `None` when they already agree.
pub(super) fn alter(
    ddl: &dyn DdlImpl,
    options: &CompareOptions,
    table: &QualifiedName,
    db: &Column,
    target: &Column,
) -> Option<AlterColumn> {
    let mut op = AlterColumn::new(table.clone(), db.clone());
    let pair = ColumnPair {
        table,
        reflected: db,
        target,
    };
    let type_differs = || !ddl.same_type(&db.sql_type, &target.sql_type);
    if options.compare_type.differs(&pair, type_differs) {
        op.sql_type = Some(Change {
            from: db.sql_type.clone(),
            to: target.sql_type.clone(),
        });
    }
    if db.nullable != target.nullable {
        op.nullable = Some(Change {
            from: db.nullable,
            to: target.nullable,
        });
    }
    // A generated column's value is its expression; the database reports no default for it,
    // and an identity or rowid key has no user default either. `DEFAULT NULL` (Sakila writes it
    // on every nullable column) gives an omitted column the value no default gives it.
    let canonical = |d: &Option<String>, c: &Column| {
        d.as_deref()
            .map(|d| ddl.canonical_default(d, c))
            .filter(|d| d != "NULL")
    };
    let default_differs = || {
        target.computed.is_none()
            && !(target.autoincrement && target.default.is_none())
            && canonical(&db.default, db) != canonical(&target.default, target)
    };
    if options
        .compare_server_default
        .differs(&pair, default_differs)
    {
        op.default = Some(Change {
            from: db.default.clone(),
            to: target.default.clone(),
        });
    }
    if ddl.supports_comments() && db.comment != target.comment {
        op.comment = Some(Change {
            from: db.comment.clone(),
            to: target.comment.clone(),
        });
    }
    // A collation the model leaves out is the table's or database's default: not compared.
    let collation = |c: &Column| c.collation.as_deref().map(|n| ddl.canonical_collation(n));
    if target.collation.is_some() && collation(target) != collation(db) {
        op.collation = Some(Change {
            from: db.collation.clone(),
            to: target.collation.clone(),
        });
    }
    // Identity options the model declares, of those the database applies.
    let (have, want) = (
        ddl.comparable_identity(&db.identity),
        ddl.comparable_identity(&target.identity),
    );
    let start_differs = target.identity.start.is_some() && have.start != want.start;
    let increment_differs = target.identity.increment.is_some() && have.increment != want.increment;
    if target.autoincrement && db.autoincrement && (start_differs || increment_differs) {
        op.identity = Some(Change {
            from: db.identity,
            to: target.identity,
        });
    }
    (!op.is_empty()).then_some(op)
}
