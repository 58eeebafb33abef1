//! Integration tests of `cargo migrate`: the built binary driven on temporary projects.

mod bad_input;
mod branches;
mod checksums;
mod end_to_end;
mod exit_codes;
mod findings;
mod migration_lock;
mod support;
