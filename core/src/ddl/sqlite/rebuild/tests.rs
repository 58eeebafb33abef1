//! The whole rebuild of a table with views, triggers and a sequence: what is dropped, in which
//! order, and what comes back.

use super::*;
use crate::ops::{AlterColumn, Change};
use crate::schema::{Column, SqlType};

fn object(kind: &str, name: &str, table: &str, sql: &str) -> SchemaObject {
    SchemaObject {
        kind: kind.into(),
        name: name.into(),
        table: table.into(),
        sql: sql.into(),
    }
}

fn schema() -> Vec<SchemaObject> {
    vec![
        object(
            "table",
            "film",
            "film",
            "CREATE TABLE film (film_id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT, \
             last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)",
        ),
        object(
            "index",
            "ix_film_title",
            "film",
            "CREATE INDEX ix_film_title ON film (title)",
        ),
        object(
            "trigger",
            "film_last_update",
            "film",
            "CREATE TRIGGER film_last_update AFTER UPDATE ON film BEGIN UPDATE film SET \
             last_update = CURRENT_TIMESTAMP WHERE film_id = new.film_id; END",
        ),
        object(
            "view",
            "film_list",
            "film_list",
            "CREATE VIEW film_list AS SELECT * FROM film",
        ),
        object(
            "view",
            "film_titles",
            "film_titles",
            "CREATE VIEW film_titles AS SELECT title FROM film_list",
        ),
        object(
            "trigger",
            "rental_log",
            "rental",
            "CREATE TRIGGER rental_log AFTER INSERT ON rental BEGIN INSERT INTO log SELECT title \
             FROM FILM WHERE film_id = new.film_id; END",
        ),
        object(
            "view",
            "customers",
            "customers",
            "CREATE VIEW customers AS SELECT * FROM customer",
        ),
        object(
            "trigger",
            "customer_log",
            "customer",
            "CREATE TRIGGER customer_log AFTER INSERT ON customer BEGIN SELECT 1; END",
        ),
    ]
}

#[test]
fn rebuild_saves_and_recreates_views_triggers_and_the_sequence() {
    let op = Op::AlterColumn(AlterColumn {
        nullable: Some(Change {
            from: true,
            to: false,
        }),
        ..AlterColumn::new("film".into(), Column::new("title", SqlType::Text))
    });
    let statements = rebuild(&SqliteImpl, "film", &op, &schema()).expect("rebuilds");
    insta::assert_snapshot!(statements.join(";\n"));
}

#[test]
fn a_missing_table_is_refused() {
    let op = Op::AlterColumn(AlterColumn::new(
        "nope".into(),
        Column::new("a", SqlType::Text),
    ));
    let err = rebuild(&SqliteImpl, "nope", &op, &schema()).expect_err("no table");
    assert!(
        err.to_string().contains("`nope`, which does not exist"),
        "{err}"
    );
}
