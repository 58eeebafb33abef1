//! The walking skeleton as a user runs it, on every backend: init → models → autogenerate →
//! upgrade → check → change a model → autogenerate → upgrade → downgrade.

use crate::support::Project;

const MODELS_V1: &str = r#"#![allow(dead_code)]
use retort::prelude::*;

#[derive(Table)]
#[table(name = "users")]
pub struct User {
    #[column(primary_key)]
    pub id: i64,
    #[column(length = 255, unique)]
    pub email: String,
    #[column(default = 0)]
    pub score: i32,
}

#[derive(Table)]
#[table(name = "posts")]
pub struct Post {
    #[column(primary_key)]
    pub id: i64,
    #[column(index, foreign_key = "users.id", on_delete = "cascade")]
    pub user_id: i64,
    #[column(length = 200)]
    pub title: String,
    pub body: Option<String>,
}
"#;

/// The body of a rendered function, for asserting which ops it holds.
fn body<'a>(file: &'a str, function: &str) -> &'a str {
    let start = file
        .find(&format!("pub fn {function}("))
        .unwrap_or_else(|| panic!("no fn {function} in:\n{file}"));
    let rest = &file[start..];
    let end = rest.find("\n}\n").unwrap_or(rest.len());
    &rest[..end]
}

/// The op calls of a body, each as one line of text.
fn op_calls(body: &str) -> Vec<String> {
    let mut calls = Vec::new();
    for line in body.lines().map(str::trim) {
        if line.starts_with("op.") {
            calls.push(line.to_owned());
        } else if let Some(last) = calls.last_mut().filter(|c| !c.ends_with(';')) {
            last.push_str(line);
        }
    }
    calls
}

fn walk(project: &Project) {
    project.init();
    for file in [
        "Migrate.toml",
        "migrations/Cargo.toml",
        "migrations/build.rs",
        "migrations/src/main.rs",
        "migrations/src/models.rs",
    ] {
        assert!(project.path().join(file).is_file(), "init created {file}");
    }
    project.write("migrations/src/models.rs", MODELS_V1);

    // The first revision creates both tables, users first (posts refers to it).
    let run = project
        .migrate(&["revision", "--autogenerate", "-m", "create users and posts"])
        .expect(0);
    assert!(run.stdout.contains("Generating"), "{run:#?}");
    let versions = project.versions();
    assert_eq!(versions.len(), 1);
    let first = project.read(&versions[0]);
    let upgrade = body(&first, "upgrade");
    let users_at = upgrade.find("\"users\",").expect("users created");
    let posts_at = upgrade.find("\"posts\",").expect("posts created");
    assert!(users_at < posts_at, "{first}");
    assert!(
        upgrade.contains(".unique(UniqueConstraint::new([\"email\"]).named(\"uq_users_email\"))"),
        "{first}"
    );
    assert!(upgrade.contains("ForeignKeyAction::Cascade"), "{first}");
    assert!(
        upgrade.contains("op.create_index(\"ix_posts_user_id\", \"posts\", [\"user_id\"])?"),
        "{first}"
    );
    assert_eq!(
        op_calls(body(&first, "downgrade")),
        ["op.drop_table(\"posts\")?;", "op.drop_table(\"users\")?;"]
    );
    syn::parse_file(&first).expect("the rendered file is Rust");
    crate::support::assert_rustfmt_clean(&versions[0]);

    project.migrate(&["upgrade", "head"]).expect(0);
    assert_eq!(project.tables(), ["posts", "users"]);
    let run = project.migrate(&["check"]).expect(0);
    assert!(
        run.stdout.contains("No new upgrade operations detected."),
        "{run:#?}"
    );
    let first_id = versions[0]
        .file_name()
        .and_then(|n| n.to_str())
        .expect("name")[..12]
        .to_owned();
    let run = project.migrate(&["current"]).expect(0);
    assert!(
        run.stdout.contains(&format!("{first_id} (head)")),
        "{run:#?}"
    );
    let run = project.migrate(&["upgrade", "deadbeef"]).expect(2);
    assert!(
        run.stderr.contains("revision `deadbeef` not found"),
        "{run:#?}"
    );

    project.sql("INSERT INTO users (email) VALUES ('a@example.com'), ('b@example.com')");
    project.sql("INSERT INTO posts (user_id, title) VALUES (1, 'hello')");

    // A new nullable column: check sees it, autogenerate writes exactly one add_column.
    project.write(
        "migrations/src/models.rs",
        &MODELS_V1.replace(
            "    pub score: i32,\n",
            "    pub score: i32,\n    pub nickname: Option<String>,\n",
        ),
    );
    let run = project.migrate(&["check"]).expect(1);
    assert!(
        run.stdout.contains("add column `users.nickname`"),
        "{run:#?}"
    );
    project
        .migrate(&["revision", "--autogenerate", "-m", "add nickname"])
        .expect(0);
    let versions = project.versions();
    assert_eq!(versions.len(), 2);
    let second_path = versions
        .iter()
        .find(|p| !project.read(p).contains("create users"))
        .expect("second file");
    let second = project.read(second_path);
    assert_eq!(
        op_calls(body(&second, "upgrade")),
        ["op.add_column(\"users\", Column::new(\"nickname\", SqlType::Text))?;"],
        "{second}"
    );
    assert_eq!(
        op_calls(body(&second, "downgrade")),
        ["op.drop_column(\"users\", \"nickname\")?;"]
    );
    assert!(
        second.contains(&format!(
            "pub const DOWN_REVISION: &[&str] = &[\"{first_id}\"];"
        )),
        "{second}"
    );

    project.migrate(&["upgrade", "head"]).expect(0);
    assert_eq!(
        project.columns("users"),
        ["id", "email", "score", "nickname"]
    );
    assert_eq!(project.count("users"), 2);
    project.migrate(&["check"]).expect(0);
    let run = project.migrate(&["history"]).expect(0);
    assert_eq!(run.stdout.lines().count(), 2, "{run:#?}");
    assert!(
        run.stdout
            .lines()
            .next()
            .is_some_and(|l| l.contains("(head), add nickname")),
        "{run:#?}"
    );

    project.migrate(&["downgrade", "-1"]).expect(0);
    assert_eq!(project.columns("users"), ["id", "email", "score"]);
    assert_eq!(project.count("users"), 2);
    assert_eq!(project.count("posts"), 1);

    project.migrate(&["downgrade", "base"]).expect(0);
    assert_eq!(project.tables(), Vec::<String>::new());
    assert_eq!(project.count("retort_version"), 0);

    // Offline: the whole upgrade as a script, without touching the database.
    let run = project.migrate(&["upgrade", "head", "--sql"]).expect(0);
    let quote = |name: &str| project.db.context().ddl().quote(name);
    assert!(
        run.stdout
            .contains(&format!("CREATE TABLE {}", quote("users"))),
        "{run:#?}"
    );
    assert!(
        run.stdout
            .contains(&format!("ADD COLUMN {}", quote("nickname"))),
        "{run:#?}"
    );
    assert!(
        run.stdout
            .contains(&format!("INSERT INTO {}", quote("retort_version"))),
        "{run:#?}"
    );
    assert_eq!(project.tables(), Vec::<String>::new());
}

test_on_every_backend!(walk);
