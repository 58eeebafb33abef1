//! retort-core: the schema model, operations, per-dialect DDL, the revision graph, the script
//! directory, the migration context and configuration of retort.
//!
//! Users reach all of this through the `retort` facade crate; this crate has no knowledge of
//! autogenerate (see `retort-autogen`) or of the command line.

pub mod config;
pub mod context;
pub mod data;
pub mod ddl;
pub mod error;
pub mod executor;
pub mod naming;
pub mod operations;
pub mod ops;
pub mod registry;
pub mod revision;
pub mod schema;
pub mod script;
#[doc(hidden)]
pub mod testing;
pub mod timing;
pub mod types;
pub mod value;

pub use registry::{registered_tables, Registration, TableModel};

/// Items the derive's expansion names; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use inventory;
}

#[cfg(test)]
mod properties;
