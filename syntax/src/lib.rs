//! retort-syntax: the small languages inside retort's model attributes, read once for both
//! sides. `#[derive(Table)]` (retort-macros) calls these parsers at compile time to refuse a bad
//! `sql_type`, `default`, `computed`, `check(expr = ..)`, `on_delete` or `on_update` at its
//! string literal, and retort-core calls the same ones at run time to build the schema model
//! and compare server defaults, so what the derive accepts is exactly what the runtime reads
//! (the split diesel makes with `diesel_table_macro_syntax` and `migrations_internals`).
//!
//! Entry points: [`SqlType::parse`], [`parse_expr`] and [`ForeignKeyAction::parse`]. SQL is
//! parsed by sqlparser with its generic dialect; failures are a [`SyntaxError`] whose message is
//! the one the derive shows.
//!
//! [`checksum`] is the other fact both sides share: the checksum of a revision file's text,
//! computed by `embed_migrations!` at compile time and recorded by the runtime when the
//! revision is applied.

mod action;
pub mod checksum;
mod error;
mod expr;
mod types;

pub use action::{ForeignKeyAction, ACTIONS};
pub use error::SyntaxError;
pub use expr::parse_expr;
pub use types::{quote_labels, DomainCheck, DomainType, EnumType, SqlType, CONSTRAINT_WORDS};
