//! Compile-fail cases of `#[derive(Table)]`, one error per file, grouped by kind of mistake
//! (`tests/ui/<kind>/<case>.rs`); each `.stderr` holds the message and the tokens it points at.
//!
//! rustc lists the types that implement `SqlTypeOf` in one message, and the type features add
//! to that list, so the expected output is written for the feature set the test command uses
//! (`--all-features`) and the cases run only there.
#![cfg(all(
    feature = "chrono",
    feature = "time",
    feature = "uuid",
    feature = "serde_json",
    feature = "rust_decimal"
))]

#[test]
fn ui() {
    trybuild::TestCases::new().compile_fail("tests/ui/*/*.rs");
}
