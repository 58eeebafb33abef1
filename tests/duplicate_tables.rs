//! Two structs that declare the same table are a runtime error at registry read, naming both
//! (a separate test binary, so that the registry holds just these two).
#![allow(dead_code)]

use retort::prelude::*;

mod billing {
    use retort::prelude::*;

    #[derive(Table)]
    #[table(name = "accounts")]
    pub struct Account {
        #[column(primary_key)]
        pub id: i64,
    }
}

#[derive(Table)]
struct Accounts {
    #[column(primary_key)]
    id: i64,
}

#[test]
fn the_error_names_the_table_and_both_structs() {
    let err = retort::registered_tables().expect_err("two structs declare `accounts`");
    let message = err.to_string();
    assert!(
        message.contains("table `accounts` is declared twice"),
        "{message}"
    );
    assert!(message.contains("duplicate_tables::Accounts"), "{message}");
    assert!(
        message.contains("duplicate_tables::billing::Account"),
        "{message}"
    );
    assert!(message.contains("#[table(name = \"...\")]"), "{message}");
}
