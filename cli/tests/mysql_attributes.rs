//! MySQL's `MODIFY COLUMN` restates a whole column: on a table written by hand in MariaDB's own
//! idiom, a change of one attribute (here each column's comment) keeps every other attribute the
//! models do not describe, through the rendered file, up and down.

use retort::core::ddl::Dialect;

use crate::support::Project;

const DDL: &str = "CREATE TABLE events (
    id BIGINT NOT NULL AUTO_INCREMENT,
    changed_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
    body MEDIUMTEXT NULL,
    code VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    amount INT NOT NULL DEFAULT 0,
    doubled INT AS (amount * 2) VIRTUAL,
    CONSTRAINT pk_events PRIMARY KEY (id)
) ENGINE = InnoDB";

const MODELS: &str = r#"#![allow(dead_code)]
use retort::prelude::*;

#[derive(Table)]
#[table(name = "events")]
pub struct Event {
    #[column(primary_key)]
    pub id: i64,
    #[column(default = "CURRENT_TIMESTAMP(6)"/*C1*/)]
    pub changed_at: chrono::NaiveDateTime,
    #[column(sql_type = "mediumtext"/*C2*/)]
    pub body: Option<String>,
    #[column(length = 20/*C3*/)]
    pub code: String,
    #[column(default = 0)]
    pub amount: i32,
    #[column(computed = "amount * 2"/*C4*/)]
    pub doubled: Option<i32>,
}
"#;

#[derive(diesel::QueryableByName, Debug, PartialEq)]
struct Attributes {
    #[diesel(sql_type = diesel::sql_types::Text)]
    column_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    column_type: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    extra: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    collation: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    comment: String,
}

fn attributes(project: &Project) -> Vec<Attributes> {
    project
        .db
        .executor()
        .load(
            "SELECT COLUMN_NAME AS column_name, COLUMN_TYPE AS column_type, EXTRA AS extra, \
             COLLATION_NAME AS collation, COLUMN_COMMENT AS comment \
             FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
             AND TABLE_NAME = 'events' ORDER BY ORDINAL_POSITION",
        )
        .expect("catalog")
}

fn of<'a>(all: &'a [Attributes], column: &str) -> &'a Attributes {
    all.iter()
        .find(|a| a.column_name == column)
        .unwrap_or_else(|| panic!("column {column} in {all:?}"))
}

/// Every attribute the models do not hold, as MariaDB reports it.
fn assert_attributes_kept(project: &Project, when: &str) {
    let all = attributes(project);
    assert!(
        of(&all, "id").extra.contains("auto_increment"),
        "{when}: AUTO_INCREMENT: {all:?}"
    );
    let changed_at = of(&all, "changed_at");
    assert_eq!(
        changed_at.column_type, "datetime(6)",
        "{when}: fractions: {all:?}"
    );
    assert!(
        changed_at
            .extra
            .to_lowercase()
            .contains("on update current_timestamp(6)"),
        "{when}: ON UPDATE: {all:?}"
    );
    assert_eq!(
        of(&all, "body").column_type,
        "mediumtext",
        "{when}: {all:?}"
    );
    assert_eq!(
        of(&all, "code").collation.as_deref(),
        Some("utf8mb4_bin"),
        "{when}: collation: {all:?}"
    );
    assert!(
        of(&all, "doubled").extra.contains("VIRTUAL GENERATED"),
        "{when}: virtual generated: {all:?}"
    );
}

#[test]
fn a_comment_change_keeps_every_other_column_attribute() {
    let Some(project) = Project::on(Dialect::Mysql) else {
        return;
    };
    project.init();
    project.sql(DDL);
    project.sql("INSERT INTO events (body, code, amount) VALUES ('long text', 'AbC', 21)");
    project.write("migrations/src/models.rs", MODELS);
    project
        .migrate(&["revision", "-m", "adopt", "--rev-id", "aaaa00000001"])
        .expect(0);
    project.migrate(&["stamp", "head"]).expect(0);
    let run = project.migrate(&["check"]).expect(0);
    assert!(run.stdout.contains("No new upgrade operations"), "{run:#?}");

    let commented = ["C1", "C2", "C3", "C4"]
        .iter()
        .fold(MODELS.to_owned(), |m, c| {
            m.replace(&format!("/*{c}*/"), &format!(", comment = \"note {c}\""))
        });
    project.write("migrations/src/models.rs", &commented);
    project
        .migrate(&["revision", "--autogenerate", "-m", "comments"])
        .expect(0);
    project.migrate(&["upgrade", "head"]).expect(0);
    assert_attributes_kept(&project, "after upgrade");
    let all = attributes(&project);
    assert_eq!(of(&all, "changed_at").comment, "note C1");
    assert_eq!(of(&all, "doubled").comment, "note C4");
    project.migrate(&["check"]).expect(0);

    // The row is intact, and ON UPDATE and the generated column still work.
    project.sql("UPDATE events SET amount = 30 WHERE id = 1");
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        doubled: i32,
        #[diesel(sql_type = diesel::sql_types::Text)]
        code: String,
    }
    let rows: Vec<Row> = project
        .db
        .executor()
        .load("SELECT doubled, code FROM events")
        .expect("rows");
    assert_eq!((rows[0].doubled, rows[0].code.as_str()), (60, "AbC"));

    project.migrate(&["downgrade", "-1"]).expect(0);
    assert_attributes_kept(&project, "after downgrade");
    assert_eq!(of(&attributes(&project), "changed_at").comment, "");
    assert_eq!(project.count("events"), 1);
}
