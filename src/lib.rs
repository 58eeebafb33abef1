//! Retort: Alembic-style schema migrations for Rust.
//!
//! Declare tables with `#[derive(Table)]`, let `cargo migrate revision --autogenerate` write a
//! reviewable Rust migration from the difference between the models and the database, and run
//! it with `cargo migrate upgrade head`. This crate is the facade users depend on: it re-exports
//! the schema model, the operations and the derive, and holds the [`command`] functions, the
//! [`Environment`] that a project's migration runner configures and the [`runner`] that is its
//! `main`.
//!
//! Modules depend downward only: [`runner`] on [`command`], [`cli`] and `environment`;
//! [`command`] on `environment`, [`cli`]'s option types and [`error`]; `environment` and
//! [`cli`] on the lower crates alone.

pub mod cli;
pub mod command;
mod environment;
pub mod error;
mod init;
pub mod runner;

pub use environment::{Environment, RevisionScript};
pub use error::{CommandError, RunnerError, UsageError};
pub use retort_autogen as autogen;
pub use retort_autogen::render::RenderedType;
pub use retort_autogen::{
    ColumnPair, Comparison, Include, IncludeSchemas, Item, Object, ObjectKind,
};
pub use retort_core::config::{Config, DatabaseUrl};
pub use retort_core::context::MigrationContext;
pub use retort_core::error::{Error, Result};
pub use retort_core::operations::{IndexOptions, Operations};
pub use retort_core::ops::{self, Op};
pub use retort_core::schema::{self, Column, Index, MetaData, QualifiedName, SqlType};
pub use retort_core::script::Script;
pub use retort_core::types::SqlTypeOf;
pub use retort_core::{registered_tables, Registration, TableModel};
pub use retort_macros::{embed_migrations, SqlDomain, SqlEnum, Table};
pub use runner::{exit_code, load_config, x_argument, CONFIG_ENV};

/// Lower layers, for tools built on retort.
pub use retort_core as core;

/// diesel, for data migrations that load rows (`#[derive(retort::diesel::QueryableByName)]`)
/// through `op.run(|conn| conn.load::<Row>(..))`.
pub use diesel;

/// What migration files and model modules import: `use retort::prelude::*;`.
///
/// With a type feature enabled it also re-exports that crate (`chrono`, `time`, `uuid`,
/// `serde_json`, `rust_decimal`), so a model can name `chrono::NaiveDateTime` without a
/// dependency of its own.
pub mod prelude {
    pub use crate::{
        Column, Index, IndexOptions, Operations, Result, SqlDomain, SqlEnum, SqlType, SqlTypeOf,
        Table, TableModel,
    };
    pub use retort_core::data::Connection;
    pub use retort_core::operations::{sql, RunOptions, Sql};
    pub use retort_core::operations::{
        AlterColumnOptions, AlterEnumOptions, AlterTableStorageOptions, CheckOptions,
        DropConstraintOptions, DropIndexOptions, DropTableOptions, ForeignKeyOptions,
        TableCommentOptions, TableOptions,
    };
    pub use retort_core::ops::ConstraintKind;
    pub use retort_core::schema::{
        CheckConstraint, DomainType, EnumType, ForeignKey, ForeignKeyAction, KeyOrder, PrimaryKey,
        UniqueConstraint,
    };
    pub use retort_core::value::Value;

    #[cfg(feature = "chrono")]
    pub use ::chrono;
    #[cfg(feature = "rust_decimal")]
    pub use ::rust_decimal;
    #[cfg(feature = "serde_json")]
    pub use ::serde_json;
    #[cfg(feature = "time")]
    pub use ::time;
    #[cfg(feature = "uuid")]
    pub use ::uuid;
}

#[doc(hidden)]
pub mod __private {
    pub use retort_core::__private::*;
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    /// The facade's modules form no import circle (STYLE: the entry path, the CLI definition,
    /// the commands and the environment each depend downward only).
    #[test]
    fn facade_modules_depend_downward_only() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let modules = ["cli", "command", "environment", "error", "init", "runner"];
        let mut uses: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for module in modules {
            let text = std::fs::read_to_string(src.join(format!("{module}.rs"))).expect("read");
            let used = modules
                .into_iter()
                .filter(|other| *other != module && text.contains(&format!("crate::{other}")))
                .collect();
            uses.insert(module, used);
        }
        assert!(
            uses["cli"].is_empty(),
            "cli.rs is definitions only: {uses:?}"
        );
        assert!(uses["environment"].is_empty(), "{uses:?}");
        // Kahn's algorithm: every module must come out, or there is a circle.
        let mut pending = uses.clone();
        while let Some(ready) = pending
            .iter()
            .find(|(_, deps)| deps.is_empty())
            .map(|(m, _)| *m)
        {
            pending.remove(ready);
            for deps in pending.values_mut() {
                deps.remove(ready);
            }
        }
        assert!(pending.is_empty(), "import circle among {pending:?}");
    }
}
