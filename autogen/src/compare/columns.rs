//! The column part of comparing one table: type, nullability, server default and comment,
//! each compared the way the dialect stores it (`DdlImpl::canonical_type`,
//! `DdlImpl::canonical_default`), so a database created from the models compares clean.

use retort_core::ddl::DdlImpl;
use retort_core::ops::{AlterColumn, Change};
use retort_core::schema::{Column, QualifiedName};

/// The `AlterColumn` that turns `db` into `target`, or `None` when they already agree.
pub(super) fn alter(
    ddl: &dyn DdlImpl,
    table: &QualifiedName,
    db: &Column,
    target: &Column,
) -> Option<AlterColumn> {
    let mut op = AlterColumn::new(table.clone(), db.clone());
    if ddl.canonical_type(&db.sql_type) != ddl.canonical_type(&target.sql_type) {
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
    // and an identity or rowid key has no user default either.
    let canonical =
        |d: &Option<String>, c: &Column| d.as_deref().map(|d| ddl.canonical_default(d, c));
    if target.computed.is_none()
        && !(target.autoincrement && target.default.is_none())
        && canonical(&db.default, db) != canonical(&target.default, target)
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
    (!op.is_empty()).then_some(op)
}
