//! retort-autogen: autogenerate. [`reflect`] reads a live database into the schema model,
//! [`compare`] diffs it against the target metadata into ops, and [`render`] writes those ops as
//! a Rust revision file. [`produce_migration`] runs the first two against a migration context.

pub mod compare;
pub mod findings;
pub mod include;
mod parallel;
pub mod reflect;
pub mod render;

use retort_core::context::MigrationContext;
use retort_core::error::Result;
use retort_core::ops::{Constraint, Op};
use retort_core::schema::MetaData;
use retort_core::timing;

pub use compare::{compare, ColumnPair, CompareOptions, Comparison};
pub use include::{Include, IncludeSchemas, Item, Object, ObjectKind};
pub use reflect::{reflect, Reflected};

/// The upgrade ops from the context's database to `target`, and reflection's warnings.
pub fn produce_migration(
    ctx: &mut MigrationContext,
    target: &MetaData,
) -> Result<(Vec<Op>, Vec<String>)> {
    produce_migration_with(ctx, target, &Include::default())
}

/// [`produce_migration`] leaving out what the include hooks exclude, on both sides.
pub fn produce_migration_with(
    ctx: &mut MigrationContext,
    target: &MetaData,
    include: &Include,
) -> Result<(Vec<Op>, Vec<String>)> {
    produce_migration_compared(ctx, target, include, &CompareOptions::default())
}

/// [`produce_migration_with`], comparing columns as `compare` says (Alembic's `compare_type`
/// and `compare_server_default`).
pub fn produce_migration_compared(
    ctx: &mut MigrationContext,
    target: &MetaData,
    include: &Include,
    compare: &CompareOptions,
) -> Result<(Vec<Op>, Vec<String>)> {
    let reflected = timing::phase("reflect", || {
        reflect::reflect_schemas(ctx, &include.included_schemas().scope(target))
    })?;
    let (mut database, mut target) = (reflected.metadata, target.clone());
    include.apply_both(&mut database, &mut target);
    let mut warnings = reflected.warnings;
    warnings.extend(compare::rename_hints(&database, &target, ctx.ddl()));
    let ops = timing::phase("compare", || {
        compare::compare_with(&database, &target, ctx.ddl(), ctx.naming(), compare)
    });
    check_ops(ctx.ddl(), &ops)?;
    Ok((ops, warnings))
}

/// Refuses, before a file is written, an index or key the database cannot create (a partial
/// index or a deferrable key on MySQL): the revision would fail halfway through on a server
/// without transactional DDL.
fn check_ops(ddl: &dyn retort_core::ddl::DdlImpl, ops: &[Op]) -> Result<()> {
    for op in ops {
        match op {
            Op::CreateIndex(create) => ddl.check_index(&create.table, &create.index)?,
            Op::AddConstraint(add) => ddl.check_constraint(&add.table, &add.constraint)?,
            Op::CreateTable(create) => {
                let name = create.table.qualified_name();
                for index in &create.table.indexes {
                    ddl.check_index(&name, index)?;
                }
                for fk in &create.table.foreign_keys {
                    ddl.check_constraint(&name, &Constraint::ForeignKey(fk.clone()))?;
                }
            }
            // Refused by the dialect (a partitioning change, a domain's new base type): refused
            // before a file is written.
            Op::AlterTableStorage(_) | Op::AlterDomain(_) => {
                ddl.statements(op)?;
            }
            _ => {}
        }
    }
    Ok(())
}
