//! Integration tests of `cargo migrate`: the built binary driven on temporary projects.

// First: its macros are used by the modules after it.
#[macro_use]
mod support;

mod bad_input;
mod branches;
mod checksums;
mod chinook;
mod collations;
mod data_migrations;
mod deferrable_keys;
mod domains;
mod end_to_end;
mod enums;
mod exit_codes;
mod findings;
mod fresh_runner;
mod hooks;
mod identity;
mod if_exists;
mod index_kinds;
mod matrix;
mod migration_lock;
mod mysql_attributes;
mod revision_targets;
mod sakila;
mod sqlite_rebuild;
mod table_storage;
