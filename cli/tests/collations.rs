//! Column collations through the rendered file on the real server: `#[column(collation = ..)]`
//! creates the column `COLLATE ..` and `check` finds nothing; the collation behaves (a
//! case-insensitive unique column refuses `ABC` beside `abc`, a binary one takes both); a
//! change is exactly one `op.alter_column(..).collation(..)`, applied with the rows kept (on
//! MySQL a change that would make two unique values equal fails, is reported and loses nothing,
//! and runs once the rows allow it); hand-written DDL compares clean after `stamp head`.

use retort::core::ddl::Dialect;

use crate::support::{
    adopt, assert_clean, client, create_from_models, revert, revision_text, run, succeeds, Project,
};

fn models(collation: &str, unique: bool) -> String {
    let unique = if unique { ", unique" } else { "" };
    format!(
        r#"#![allow(dead_code)]
use retort::prelude::*;

#[derive(Table)]
#[table(name = "accounts")]
pub struct Account {{
    #[column(primary_key, autoincrement = false)]
    pub id: i64,
    #[column(length = 40, collation = "{collation}"{unique})]
    pub handle: String,
    #[column(length = 40)]
    pub note: Option<String>,
}}
"#
    )
}

/// The collation each test starts from and the one it changes to.
fn collations(dialect: Dialect) -> (&'static str, &'static str) {
    match dialect {
        Dialect::Postgres => ("C", "POSIX"),
        Dialect::Mysql => ("utf8mb4_bin", "utf8mb4_general_ci"),
        Dialect::Sqlite => ("NOCASE", "BINARY"),
    }
}

fn round_trip(project: &Project) {
    let dialect = project.db.dialect;
    let (first, second) = collations(dialect);
    let initial = models(first, true);
    create_from_models(
        project,
        &initial,
        "create",
        &[&format!(".collation({first:?})")],
    );
    run(
        client(project),
        "INSERT INTO accounts (id, handle) VALUES (1, 'abc');",
    );
    let upper = "INSERT INTO accounts (id, handle) VALUES (2, 'ABC')";
    // Binary on PostgreSQL and MySQL: `ABC` is another value; NOCASE on SQLite: the same one.
    assert_eq!(succeeds(project, upper), dialect != Dialect::Sqlite);

    project.write("migrations/src/models.rs", &models(second, true));
    project
        .migrate(&["revision", "--autogenerate", "-m", "recollate"])
        .expect(0);
    let file = revision_text(project, "recollate");
    let upgrade =
        &file[file.find("fn upgrade").expect("upgrade")..file.find("fn downgrade").expect("down")];
    assert_eq!(upgrade.matches("op.").count(), 1, "{upgrade}");
    assert!(
        upgrade.contains("op.alter_column(")
            && upgrade.contains(&format!(".collation(Some({second:?}))")),
        "{upgrade}"
    );
    if dialect == Dialect::Mysql {
        // `abc` and `ABC` are one value under utf8mb4_general_ci: the unique key refuses the
        // change, which is reported; the rows and the version stay as they were.
        let failed = project.migrate(&["upgrade", "head"]).expect(1);
        assert!(failed.stderr.contains("recollate"), "{failed:#?}");
        assert_eq!(project.count("accounts"), 2);
        run(client(project), "DELETE FROM accounts WHERE id = 2;");
    }
    project.migrate(&["upgrade", "head"]).expect(0);
    assert_clean(project);
    let rows = project.count("accounts");
    assert!(rows >= 1, "the rows are kept");
    revert(project, "recollate", &initial);
    assert_eq!(project.count("accounts"), rows);
}

#[test]
fn postgres_collations() {
    if let Some(project) = Project::on(Dialect::Postgres) {
        round_trip(&project);
    }
}

#[test]
fn mysql_collations() {
    if let Some(project) = Project::on(Dialect::Mysql) {
        round_trip(&project);
    }
}

#[test]
fn sqlite_collations() {
    round_trip(&Project::new());
}

/// Each server's own DDL, with a row, adopted by models naming the same collation in another
/// case where the server ignores case; `stamp head`, then `check` finds nothing.
#[test]
fn hand_written_collations_compare_clean() {
    for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
        let Some(project) = Project::on(dialect) else {
            continue;
        };
        let (ddl, collation) = match dialect {
            Dialect::Postgres => (
                r#"CREATE TABLE accounts (id bigint PRIMARY KEY,
                     handle varchar(40) COLLATE "C" NOT NULL, note varchar(40));"#,
                "C",
            ),
            Dialect::Mysql => (
                "CREATE TABLE accounts (id BIGINT NOT NULL PRIMARY KEY,
                   handle VARCHAR(40) COLLATE utf8mb4_bin NOT NULL, note VARCHAR(40));",
                "UTF8MB4_BIN",
            ),
            Dialect::Sqlite => (
                "CREATE TABLE accounts (id BIGINT NOT NULL PRIMARY KEY,
                   handle VARCHAR(40) NOT NULL COLLATE nocase, note VARCHAR(40));",
                "NOCASE",
            ),
        };
        run(
            client(&project),
            &format!("{ddl}\nINSERT INTO accounts (id, handle) VALUES (1, 'abc');"),
        );
        adopt(&project, &models(collation, false));
        let (_, other) = collations(dialect);
        project.write("migrations/src/models.rs", &models(other, false));
        let check = project.migrate(&["check"]).expect(1);
        assert!(check.stdout.contains("collation"), "{check:#?}");
    }
}
