//! Autogenerate says what it would destroy before it does: every finding code a model change
//! produces on each backend, printed by `revision --autogenerate` and `check`, written above its
//! op in the rendered file, which then compiles and applies both ways. Also `--fail-on` and the
//! refusal of empty models against a database that holds tables.

use retort::core::ddl::Dialect;

use crate::support::Project;

const MODELS_V1: &str = r#"#![allow(dead_code)]
use retort::prelude::*;

#[derive(Table)]
#[table(
    name = "accounts",
    unique(name = "uq_accounts_code", columns(code)),
    index(name = "ux_accounts_name", columns(name), unique)
)]
pub struct Account {
    #[column(primary_key)]
    pub id: i64,
    #[column(length = 40)]
    pub code: String,
    #[column(length = 200)]
    pub name: String,
    pub note: Option<String>,
    #[column(sql_type = "numeric(10, 2)")]
    pub balance: f64,
    pub seen_at: Option<chrono::NaiveDateTime>,
}

#[derive(Table)]
#[table(name = "archive")]
pub struct Archive {
    #[column(primary_key)]
    pub id: i64,
    pub payload: Option<String>,
}

#[derive(Table)]
#[table(name = "events")]
pub struct Event {
    #[column(primary_key)]
    pub id: i64,
    pub kind: Option<String>,
    pub flag: Option<i32>,
}
"#;

/// Drops `archive` and `accounts.note`, drops the unique constraint and the unique index (a
/// unique constraint on MySQL, where the two are one object), narrows `name`, lowers
/// `balance`'s scale, turns `seen_at` into a date, narrows and tightens `events` (10,000 rows),
/// and adds `accounts.tier` and the `ledger` table (which the downgrade drops).
const MODELS_V2: &str = r#"#![allow(dead_code)]
use retort::prelude::*;

#[derive(Table)]
#[table(name = "accounts")]
pub struct Account {
    #[column(primary_key)]
    pub id: i64,
    #[column(length = 40)]
    pub code: String,
    #[column(length = 50)]
    pub name: String,
    #[column(sql_type = "numeric(10, 1)")]
    pub balance: f64,
    pub seen_at: Option<chrono::NaiveDate>,
    pub tier: Option<i32>,
}

#[derive(Table)]
#[table(name = "events")]
pub struct Event {
    #[column(primary_key)]
    pub id: i64,
    #[column(length = 20)]
    pub kind: Option<String>,
    #[column(default = 0)]
    pub flag: i32,
}

#[derive(Table)]
#[table(name = "ledger")]
pub struct Ledger {
    #[column(primary_key)]
    pub id: i64,
}
"#;

/// 10,000 rows: a large table for the blocking findings.
fn fill_events(project: &Project) {
    let sql = match project.db.dialect {
        Dialect::Postgres => {
            "INSERT INTO events (id, kind, flag) SELECT g, 'k', 0 FROM generate_series(1, 10000) g"
        }
        Dialect::Sqlite => {
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000) \
             INSERT INTO events (id, kind, flag) SELECT x, 'k', 0 FROM c"
        }
        Dialect::Mysql => {
            "SET SESSION max_recursive_iterations = 20000; INSERT INTO events (id, kind, flag) \
             WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000) \
             SELECT x, 'k', 0 FROM c"
        }
    };
    project.sql(sql);
}

/// The comment lines of a body, trimmed.
fn warnings_in(file: &str, function: &str) -> Vec<String> {
    let start = file
        .find(&format!("pub fn {function}("))
        .unwrap_or_else(|| panic!("no fn {function} in:\n{file}"));
    let rest = &file[start..];
    let end = rest.find("\n}\n").unwrap_or(rest.len());
    rest[..end]
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("// WARNING ("))
        .map(str::to_owned)
        .collect()
}

fn walk(project: &Project) {
    let dialect = project.db.dialect;
    project.init();
    project.write("migrations/src/models.rs", MODELS_V1);
    project
        .migrate(&["revision", "--autogenerate", "-m", "v1"])
        .expect(0);
    project.migrate(&["upgrade", "head"]).expect(0);
    project.sql(
        "INSERT INTO accounts (id, code, name, note, balance) VALUES \
         (1, 'a1', 'first', 'x', 1.5), (2, 'a2', 'second', 'y', 2.0), (3, 'a3', 'third', 'z', 3.0)",
    );
    project.sql("INSERT INTO archive (id, payload) VALUES (1, 'old'), (2, 'older')");
    fill_events(project);

    project.write("migrations/src/models.rs", MODELS_V2);
    let per_dialect: &[&str] = match dialect {
        Dialect::Postgres => &["RT104", "RT201", "RT204"],
        Dialect::Sqlite => &["RT104", "RT202", "RT202"],
        Dialect::Mysql => &["RT103", "RT203"],
    };

    // check lists each difference with its findings.
    let run = project.migrate(&["check"]).expect(1);
    assert!(
        run.stdout
            .contains("warning: RT101 drops table \"archive\" and its 2 rows"),
        "{dialect}: {run:#?}"
    );
    let run = project
        .migrate(&["check", "--fail-on", "destructive"])
        .expect(1);
    assert!(
        run.stderr.contains("are destructive or worse"),
        "{dialect}: {run:#?}"
    );

    // --fail-on writes no file.
    let before = project.versions().len();
    project
        .migrate(&[
            "revision",
            "--autogenerate",
            "-m",
            "v2",
            "--fail-on",
            "blocking",
        ])
        .expect(1);
    assert_eq!(project.versions().len(), before, "{dialect}");

    let run = project
        .migrate(&["revision", "--autogenerate", "-m", "v2"])
        .expect(0);
    for line in [
        "warning: RT101 drops table \"archive\" and its 2 rows",
        "warning: RT102 drops column \"accounts.note\" and its values in 3 rows",
        "warning: RT103 drops unique constraint \"uq_accounts_code\" on \"accounts\"",
        "warning: RT101 (in the downgrade) drops table \"ledger\" and its rows",
        "warning: RT102 (in the downgrade) drops column \"accounts.tier\" and its values",
    ] {
        assert!(run.stdout.contains(line), "{dialect}: {line}\n{run:#?}");
    }
    let path = project
        .versions()
        .into_iter()
        .find(|p| project.read(p).contains("//! v2"))
        .expect("v2 written");
    let file = project.read(&path);
    let upgrade = warnings_in(&file, "upgrade");
    let codes: Vec<&str> = upgrade.iter().map(|w| &w[12..17]).collect();
    let mut expected = vec![
        "RT101", "RT102", "RT103", "RT105", "RT105", "RT106", "RT107",
    ];
    expected.extend_from_slice(per_dialect);
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    expected.sort_unstable();
    assert_eq!(sorted, expected, "{dialect}:\n{file}");
    assert!(
        upgrade.contains(&"// WARNING (RT101): drops table \"archive\" and its 2 rows".to_owned()),
        "{dialect}:\n{file}"
    );
    // Each comment stands right above the op it is about.
    let archive_warning = file.find("drops table \"archive\"").expect("warning");
    let drop_archive = file.find("op.drop_table(\"archive\")").expect("op");
    let between = &file[archive_warning..drop_archive];
    assert_eq!(between.matches("op.").count(), 0, "{dialect}:\n{file}");
    let downgrade = warnings_in(&file, "downgrade");
    assert!(
        downgrade.contains(&"// WARNING (RT101): drops table \"ledger\" and its rows".to_owned()),
        "{dialect}:\n{file}"
    );

    // The file compiles and applies, both ways, keeping the rows it does not drop.
    project.migrate(&["upgrade", "head"]).expect(0);
    assert_eq!(
        project.tables(),
        ["accounts", "events", "ledger"],
        "{dialect}"
    );
    assert_eq!(project.count("accounts"), 3, "{dialect}");
    assert_eq!(project.count("events"), 10_000, "{dialect}");
    project.migrate(&["check"]).expect(0);
    project.migrate(&["downgrade", "-1"]).expect(0);
    assert_eq!(
        project.tables(),
        ["accounts", "archive", "events"],
        "{dialect}"
    );
    assert_eq!(project.count("events"), 10_000, "{dialect}");
    project.migrate(&["upgrade", "head"]).expect(0);

    // Safe differences only: `check` fails as ever, `--fail-on destructive` lists and passes.
    project.write(
        "migrations/src/models.rs",
        &MODELS_V2.replace(
            "    pub tier: Option<i32>,\n",
            "    pub tier: Option<i32>,\n    pub region: Option<String>,\n",
        ),
    );
    project.migrate(&["check"]).expect(1);
    let run = project
        .migrate(&["check", "--fail-on", "destructive"])
        .expect(0);
    assert!(
        run.stdout.contains("add column `accounts.region`"),
        "{dialect}: {run:#?}"
    );
}

test_on_every_backend!(walk);

/// No model linked in, a database that holds tables: refused, because the likely cause is an
/// application crate not linked into the runner, and the revision would drop everything.
/// Virtual tables are not the user's and do not count.
#[test]
fn empty_models_against_a_database_with_tables_are_refused() {
    let project = Project::new();
    project.init();
    project.sql("CREATE VIRTUAL TABLE docs USING fts5(body)");
    let run = project.migrate(&["check"]).expect(0);
    assert!(
        run.stdout.contains("No new upgrade operations detected."),
        "{run:#?}"
    );
    project.sql("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
    project.sql("INSERT INTO customers (name) VALUES ('kept')");
    let run = project
        .migrate(&["revision", "--autogenerate", "-m", "oops"])
        .expect(2);
    assert!(
        run.stderr.contains("the models are empty")
            && run.stderr.contains("use your_app as _;")
            && run.stderr.contains("--allow-empty-target"),
        "{run:#?}"
    );
    assert!(project.versions().is_empty());
    project.migrate(&["check"]).expect(2);

    let run = project
        .migrate(&[
            "revision",
            "--autogenerate",
            "-m",
            "drop all",
            "--allow-empty-target",
        ])
        .expect(0);
    assert!(
        run.stdout
            .contains("warning: RT101 drops table \"customers\" and its 1 row"),
        "{run:#?}"
    );
    let file = project.read(&project.versions()[0]);
    assert!(
        file.contains("// WARNING (RT101): drops table \"customers\" and its 1 row\n"),
        "{file}"
    );
}
