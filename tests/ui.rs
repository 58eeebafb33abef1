//! Compile-fail cases of `#[derive(Table)]`, one error per file, grouped by kind of mistake
//! (`tests/ui/<kind>/<case>.rs`); each `.stderr` holds the message and the tokens it points at.

#[test]
fn ui() {
    trybuild::TestCases::new().compile_fail("tests/ui/*/*.rs");
}
