//! retort-autogen: autogenerate. [`reflect`] reads a live database into the schema model,
//! [`compare`] diffs it against the target metadata into ops, and [`render`] writes those ops as
//! a Rust revision file. [`produce_migration`] runs the first two against a migration context.

pub mod compare;
pub mod reflect;
pub mod render;

use retort_core::context::MigrationContext;
use retort_core::error::Result;
use retort_core::ops::Op;
use retort_core::schema::MetaData;

pub use compare::compare;
pub use reflect::{reflect, Reflected};

/// The upgrade ops from the context's database to `target`, and reflection's warnings.
pub fn produce_migration(
    ctx: &mut MigrationContext,
    target: &MetaData,
) -> Result<(Vec<Op>, Vec<String>)> {
    let reflected = reflect(ctx)?;
    let mut warnings = reflected.warnings;
    warnings.extend(compare::rename_hints(
        &reflected.metadata,
        target,
        ctx.ddl(),
    ));
    Ok((compare(&reflected.metadata, target, ctx.ddl()), warnings))
}
