//! Enumerated types through the rendered file on the real servers: a `#[derive(SqlEnum)]`
//! field is a PostgreSQL enum type (created before its table, dropped after it), a MySQL
//! `ENUM(..)` column or a SQLite TEXT column with a CHECK, and `check` finds nothing; each
//! refuses a value that is not a label. A new label is one `op.alter_enum` on PostgreSQL
//! (`ADD VALUE`) and an `op.alter_column` per column elsewhere, applied with the rows kept; a
//! removed label stops the upgrade while a row holds it (reported, nothing changed) and runs
//! once the rows allow it; downgrades restore each step. Hand-written enums in each database's
//! idiom, with rows, a view and another application's enum in another schema, compare clean.

use retort::core::ddl::Dialect;

use crate::support::{
    adopt, assert_clean, client, create_from_models, revert, revision_text, run, succeeds, Project,
};

const FIRST: &str = r#"Happy, SoSo, #[sql_enum(rename = "very sad")] VerySad"#;
const ADDED: &str = r#"Happy, Meh, SoSo, #[sql_enum(rename = "very sad")] VerySad"#;
const REMOVED: &str = "Happy, Meh, SoSo";

fn models(variants: &str, default: &str) -> String {
    format!(
        r#"#![allow(dead_code)]
use retort::prelude::*;

#[derive(SqlEnum)]
#[sql_enum(name = "mood", rename_all = "snake_case")]
pub enum Mood {{ {variants} }}

#[derive(Table)]
#[table(name = "people")]
pub struct Person {{
    #[column(primary_key, autoincrement = false)]
    pub id: i64,
    #[column(default = "'{default}'")]
    pub mood: Mood,
    pub previous: Option<Mood>,
}}
"#
    )
}

/// The upgrade half of a revision file.
fn upgrade_of(file: &str) -> &str {
    &file[file.find("fn upgrade").expect("upgrade")..file.find("fn downgrade").expect("down")]
}

fn enum_types(project: &Project) -> String {
    run(
        client(project),
        "SELECT typname FROM pg_type WHERE typtype = 'e' ORDER BY typname;",
    )
}

fn round_trip(project: &Project) {
    let dialect = project.db.dialect;
    let postgres = dialect == Dialect::Postgres;
    let initial = models(FIRST, "happy");
    let mut expected =
        vec![r#"SqlType::Enum(EnumType::new("mood", ["happy", "so_so", "very sad"]))"#];
    if postgres {
        expected.push(r#"op.create_enum("mood", ["happy", "so_so", "very sad"])?;"#);
        expected.push(r#"op.drop_enum("mood", ["happy", "so_so", "very sad"])?;"#);
    }
    create_from_models(project, &initial, "create", &expected);
    let file = revision_text(project, "create");
    assert_eq!(file.contains("op.create_enum"), postgres, "{file}");
    if postgres {
        // The type before the table in the upgrade, after it in the downgrade.
        assert!(
            file.find("op.create_enum") < file.find("op.create_table"),
            "{file}"
        );
        assert!(
            file.find("op.drop_table") < file.find("op.drop_enum"),
            "{file}"
        );
        assert!(enum_types(project).contains("mood"));
    }
    run(
        client(project),
        "INSERT INTO people (id, previous) VALUES (1, 'so_so');\n\
         INSERT INTO people (id, mood) VALUES (2, 'very sad');",
    );
    assert!(!succeeds(
        project,
        "INSERT INTO people (id, mood) VALUES (9, 'angry')"
    ));

    // A new label, between two others, and the default of `mood` set to it: on PostgreSQL
    // the label is added in an autocommit block, committed before the default uses it.
    project.write("migrations/src/models.rs", &models(ADDED, "meh"));
    project
        .migrate(&["revision", "--autogenerate", "-m", "add label"])
        .expect(0);
    let file = revision_text(project, "add_label");
    let upgrade = upgrade_of(&file);
    if postgres {
        assert_eq!(upgrade.matches("op.alter_column(").count(), 1, "{upgrade}");
        assert!(
            upgrade.find("op.autocommit_block(") < upgrade.find("op.alter_enum(")
                && upgrade.find("op.alter_enum(") < upgrade.find("op.alter_column("),
            "{upgrade}"
        );
        assert!(
            upgrade.contains("op.alter_enum(")
                && upgrade.contains(r#"["happy", "meh", "so_so", "very sad"],"#)
                && upgrade.contains(r#"["happy", "so_so", "very sad"],"#)
                && upgrade.contains(r#".column_with_default("people", "mood", "'happy'::mood")"#)
                && upgrade.contains(r#".column("people", "previous")"#),
            "{upgrade}"
        );
    } else {
        assert_eq!(upgrade.matches("op.alter_column(").count(), 2, "{upgrade}");
        assert_eq!(upgrade.matches("op.").count(), 2, "{upgrade}");
        assert!(!upgrade.contains("autocommit"), "{upgrade}");
    }
    project.migrate(&["upgrade", "head"]).expect(0);
    assert_clean(project);
    assert!(succeeds(project, "INSERT INTO people (id) VALUES (3)"));
    assert_eq!(
        run(client(project), "SELECT mood FROM people WHERE id = 3;").trim(),
        "meh"
    );
    assert_eq!(project.count("people"), 3);

    // A removed label: row 2 holds it, so the upgrade stops and changes nothing.
    project.write("migrations/src/models.rs", &models(REMOVED, "meh"));
    project
        .migrate(&["revision", "--autogenerate", "-m", "drop label"])
        .expect(0);
    let file = revision_text(project, "drop_label");
    // The file warns that a label goes, above its op.
    assert!(file.contains("RT105"), "{file}");
    if postgres {
        assert_eq!(upgrade_of(&file).matches("op.").count(), 1, "{file}");
    }
    let failed = project.migrate(&["upgrade", "head"]).expect(1);
    assert!(
        failed.stderr.contains("drop_label") || failed.stderr.contains("drop label"),
        "{failed:#?}"
    );
    if postgres {
        assert!(
            failed.stderr.contains("rows of people.mood hold labels"),
            "{failed:#?}"
        );
    }
    assert_eq!(project.count("people"), 3);
    let current = project.migrate(&["current"]).expect(0);
    let add_label = revision_text(project, "add_label");
    let add_label_id = add_label
        .lines()
        .find_map(|l| l.strip_prefix("//! Revision ID: "))
        .expect("revision id");
    assert!(current.stdout.contains(add_label_id), "{current:#?}");
    run(
        client(project),
        "UPDATE people SET mood = 'happy' WHERE id = 2;",
    );
    project.migrate(&["upgrade", "head"]).expect(0);
    assert_clean(project);
    assert_eq!(project.count("people"), 3);
    assert!(!succeeds(
        project,
        "INSERT INTO people (id, mood) VALUES (4, 'very sad')"
    ));

    // Downgrades: the removed label comes back; then, once no row holds it, the added one goes.
    revert(project, "drop_label", &models(ADDED, "meh"));
    assert!(succeeds(
        project,
        "INSERT INTO people (id, mood) VALUES (4, 'very sad')"
    ));
    run(client(project), "DELETE FROM people WHERE id = 3;");
    revert(project, "add_label", &initial);
    assert!(!succeeds(
        project,
        "INSERT INTO people (id, mood) VALUES (5, 'meh')"
    ));
    assert_eq!(project.count("people"), 3);

    // The first revision's downgrade drops the table, then the type.
    project.migrate(&["downgrade", "base"]).expect(0);
    if postgres {
        assert!(!enum_types(project).contains("mood"), "mood is dropped");
    }
}

#[test]
fn postgres_enums() {
    if let Some(project) = Project::on(Dialect::Postgres) {
        round_trip(&project);
    }
}

#[test]
fn mysql_enums() {
    if let Some(project) = Project::on(Dialect::Mysql) {
        round_trip(&project);
    }
}

#[test]
fn sqlite_enums() {
    round_trip(&Project::new());
}

/// Each database's own enum idiom, with rows and objects the models do not declare (a view;
/// on PostgreSQL another application's enum type and table in another schema), adopted by the
/// models after `stamp head`: `check` finds nothing; other labels in the models are a
/// difference.
#[test]
fn hand_written_enums_compare_clean() {
    for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
        let Some(project) = Project::on(dialect) else {
            continue;
        };
        let ddl = match dialect {
            Dialect::Postgres => {
                "CREATE TYPE mood AS ENUM ('happy', 'so_so', 'very sad');
                 CREATE TABLE people (id bigint PRIMARY KEY,
                   mood mood NOT NULL DEFAULT 'happy', previous mood);
                 CREATE SCHEMA billing;
                 CREATE TYPE billing.level AS ENUM ('low', 'high');
                 CREATE TABLE billing.plans (id int PRIMARY KEY, level billing.level);
                 INSERT INTO billing.plans VALUES (1, 'high');"
            }
            Dialect::Mysql => {
                "CREATE TABLE people (id BIGINT NOT NULL PRIMARY KEY,
                   mood ENUM('happy','so_so','very sad') NOT NULL DEFAULT 'happy',
                   previous ENUM('happy','so_so','very sad'));"
            }
            Dialect::Sqlite => {
                "CREATE TABLE people (id BIGINT NOT NULL PRIMARY KEY,
                   mood TEXT NOT NULL DEFAULT 'happy' CHECK (mood IN ('happy','so_so','very sad')),
                   previous text check (\"previous\" in ('happy', 'so_so', 'very sad')));"
            }
        };
        run(
            client(&project),
            &format!(
                "{ddl}\nINSERT INTO people (id, mood, previous) VALUES (1, 'very sad', 'happy');\n\
                 CREATE VIEW sad_people AS SELECT id FROM people WHERE mood = 'very sad';"
            ),
        );
        adopt(&project, &models(FIRST, "happy"));
        project.write("migrations/src/models.rs", &models(ADDED, "happy"));
        let check = project.migrate(&["check"]).expect(1);
        assert!(check.stdout.contains("mood"), "{check:#?}");
        assert!(!check.stdout.contains("level"), "{check:#?}");
        assert_eq!(project.count("people"), 1);
    }
}
