//! The walking skeleton as a user runs it: init → models → autogenerate → upgrade → check →
//! change a model → autogenerate → upgrade → downgrade, on a real SQLite file.

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
    #[column(index)]
    pub user_id: i64,
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

fn op_calls(body: &str) -> Vec<&str> {
    body.lines()
        .map(str::trim)
        .filter(|l| l.starts_with("op."))
        .collect()
}

#[test]
fn autogenerate_upgrade_check_change_and_downgrade() {
    let project = Project::new();
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

    // The first revision creates both tables and their indexes.
    let run = project
        .migrate(&["revision", "--autogenerate", "-m", "create users and posts"])
        .expect(0);
    assert!(run.stdout.contains("Generating"), "{run:#?}");
    let versions = project.versions();
    assert_eq!(versions.len(), 1);
    let first = project.read(&versions[0]);
    let upgrade = body(&first, "upgrade");
    assert!(
        upgrade.contains("op.create_table(\n        \"posts\""),
        "{first}"
    );
    assert!(
        upgrade.contains("op.create_index(\"uq_users_email\", \"users\", [\"email\"]).unique()?"),
        "{first}"
    );
    assert!(
        upgrade.contains("op.create_index(\"ix_posts_user_id\", \"posts\", [\"user_id\"])?"),
        "{first}"
    );
    assert!(
        body(&first, "downgrade").contains("op.drop_table(\"users\")?"),
        "{first}"
    );
    syn::parse_file(&first).expect("the rendered file is Rust");

    project.migrate(&["upgrade", "head"]).expect(0);
    assert_eq!(project.tables(), ["posts", "retort_version", "users"]);
    let run = project.migrate(&["check"]).expect(0);
    assert!(
        run.stdout.contains("No new upgrade operations detected."),
        "{run:#?}"
    );
    let run = project.migrate(&["current"]).expect(0);
    let first_id = versions[0]
        .file_name()
        .and_then(|n| n.to_str())
        .expect("name")[..12]
        .to_owned();
    assert!(
        run.stdout.contains(&format!("{first_id} (head)")),
        "{run:#?}"
    );

    let run = project.migrate(&["upgrade", "deadbeef"]).expect(2);
    assert!(
        run.stderr.contains("revision `deadbeef` not found"),
        "{run:#?}"
    );

    project.sql(
        "INSERT INTO users (email) VALUES ('a@example.com'), ('b@example.com');
         INSERT INTO posts (user_id, title) VALUES (1, 'hello');",
    );

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
    assert_eq!(project.tables(), ["retort_version"]);
    assert_eq!(project.count("retort_version"), 0);

    // Offline: the whole upgrade as a script, without touching the database.
    let run = project.migrate(&["upgrade", "head", "--sql"]).expect(0);
    assert!(run.stdout.contains("CREATE TABLE \"users\""), "{run:#?}");
    assert!(
        run.stdout
            .contains("ALTER TABLE \"users\" ADD COLUMN \"nickname\" TEXT;"),
        "{run:#?}"
    );
    assert!(
        run.stdout.contains("INSERT INTO \"retort_version\""),
        "{run:#?}"
    );
    assert_eq!(project.tables(), ["retort_version"]);
}
