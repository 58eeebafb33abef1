//! The environment's hooks (Alembic's env.py options) change what `revision --autogenerate`
//! writes and what `check` sees, through the real runner: `compare_type`,
//! `compare_server_default`, `include_object` with its counterpart, `process_revision_directives`
//! (refusing empty revisions, splitting drops off), `render_type` for a user type, `-x`
//! arguments, and `-n` environments of `Migrate.toml`.

use retort::core::ddl::Dialect;

use crate::support::{client, run, Project};

const MODELS: &str = r#"#![allow(dead_code)]
use retort::prelude::*;

/// A user type: a NUMERIC(12, 4) amount.
pub struct Money;

impl SqlTypeOf for Money {
    fn sql_type(_length: Option<u32>) -> SqlType {
        SqlType::numeric(12, 4)
    }
}

#[derive(Table)]
#[table(name = "accounts")]
pub struct Account {
    #[column(primary_key)]
    pub id: i64,
    #[column(length = 50)]
    pub code: String,
    #[column(default = "'n'")]
    pub note: Option<String>,
    pub total: Money,
}

#[derive(Table)]
#[table(name = "old_stuff")]
pub struct OldStuff {
    #[column(primary_key)]
    pub id: i64,
}
"#;

/// Every hook at once; `HOOKS_OFF` below is the same environment without the compare hooks.
const MAIN: &str = r#"mod models;

retort::embed_migrations!();

fn main() -> std::process::ExitCode {
    use retort::{Comparison, Item, ObjectKind};
    retort::Environment::new(MIGRATIONS)
        /*COMPARE*/
        // A legacy column the database has and the models lack is someone else's: keep it.
        .include_object(|o| {
            let theirs = o.reflected
                && o.kind == ObjectKind::Column
                && o.compare_to.is_none()
                && o.name.starts_with("legacy");
            let skipped = o.kind == ObjectKind::Table && Some(o.name) == retort::x_argument("skip");
            !(theirs && matches!(o.item, Item::Column(_))) && !skipped
        })
        .process_revision_directives(|scripts| {
            if scripts.iter().all(|s| s.upgrade.is_empty()) {
                scripts.clear();
                return;
            }
            // Drops go to a revision of their own, after the rest.
            let first = &mut scripts[0];
            let (drops, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut first.upgrade)
                .into_iter()
                .partition(|op| matches!(op, retort::Op::DropTable(_)));
            if drops.is_empty() || rest.is_empty() {
                first.upgrade = if drops.is_empty() { rest } else { drops };
                return;
            }
            first.downgrade = retort::Op::reverse_all(&rest).expect("reversible");
            first.upgrade = rest;
            let message = format!("{} (drops)", first.message);
            scripts.push(retort::RevisionScript {
                message,
                rev_id: retort::core::script::new_revision_id(),
                downgrade: retort::Op::reverse_all(&drops).expect("reversible"),
                upgrade: drops,
            });
        })
        .render_type(|sql_type| {
            (*sql_type == retort::SqlType::numeric(12, 4)).then(|| retort::RenderedType {
                expr: "Money::sql_type(None)".to_owned(),
                imports: vec!["crate::models::Money".to_owned()],
            })
        })
        .run()
}
"#;

const COMPARE_HOOKS: &str = r#".compare_type(false)
        .compare_server_default(Comparison::with(|pair| {
            (pair.target.name == "note").then_some(false)
        }))"#;

fn versions_count(project: &Project) -> usize {
    project.versions().len()
}

#[test]
fn hooks_shape_what_autogenerate_writes() {
    let project = Project::new();
    project.init();
    project.write("migrations/src/models.rs", MODELS);
    project.write("migrations/src/main.rs", &MAIN.replace("/*COMPARE*/", ""));
    let config = project.read("Migrate.toml");
    project.write(
        "Migrate.toml",
        &format!("{config}post_write_hooks = [[\"touch\", \"{{path}}.hooked\"]]\n"),
    );

    // render_type: the user type is written as its own call, with its import.
    project
        .migrate(&["revision", "--autogenerate", "-m", "first"])
        .expect(0);
    let first_path = project.versions()[0].clone();
    let first = project.read(&first_path);
    // post_write_hooks ran on the new file.
    assert!(
        std::path::PathBuf::from(format!("{}.hooked", first_path.display())).is_file(),
        "the post-write hook did not run"
    );
    assert!(first.contains("use crate::models::Money;"), "{first}");
    assert!(first.contains("Money::sql_type(None)"), "{first}");
    project.migrate(&["upgrade", "head"]).expect(0);
    project.migrate(&["check"]).expect(0);

    // process_revision_directives: no empty revision is written.
    let run = project
        .migrate(&["revision", "--autogenerate", "-m", "nothing"])
        .expect(0);
    assert!(run.stdout.contains("No revision written"), "{run:#?}");
    assert_eq!(versions_count(&project), 1);

    // include_object with compare_to: a column only the database has is left alone.
    project.sql("ALTER TABLE accounts ADD COLUMN legacy TEXT");
    project.migrate(&["check"]).expect(0);

    // -x: a table named by `-x skip=..` is left out.
    project.sql("CREATE TABLE scratch (id INTEGER)");
    project.migrate(&["check"]).expect(1);
    project.migrate(&["check", "-x", "skip=scratch"]).expect(0);
    project.sql("DROP TABLE scratch");

    // compare_type / compare_server_default: off, and decided per column.
    let changed = MODELS
        .replace("#[column(length = 50)]", "#[column(length = 100)]")
        .replace("default = \"'n'\"", "default = \"'m'\"");
    project.write("migrations/src/models.rs", &changed);
    let run = project.migrate(&["check"]).expect(1);
    assert!(
        run.stdout.contains("alter column `accounts.code`")
            && run.stdout.contains("alter column `accounts.note`"),
        "{run:#?}"
    );
    project.write(
        "migrations/src/main.rs",
        &MAIN.replace("/*COMPARE*/", COMPARE_HOOKS),
    );
    project.migrate(&["check"]).expect(0);

    // process_revision_directives: the drop of `old_stuff` goes to a second revision.
    project.write(
        "migrations/src/models.rs",
        &MODELS
            .replace("#[derive(Table)]\n#[table(name = \"old_stuff\")]\npub struct OldStuff {\n    #[column(primary_key)]\n    pub id: i64,\n}\n", "")
            .replace("    pub total: Money,\n", "    pub total: Money,\n    pub region: Option<String>,\n"),
    );
    project
        .migrate(&["revision", "--autogenerate", "-m", "split"])
        .expect(0);
    let files: Vec<String> = project.versions().iter().map(|p| project.read(p)).collect();
    assert_eq!(files.len(), 3, "{files:#?}");
    let rest = files
        .iter()
        .find(|f| f.starts_with("//! split\n"))
        .expect("first part");
    let drops = files
        .iter()
        .find(|f| f.starts_with("//! split (drops)"))
        .expect("second part");
    assert!(
        rest.contains("op.add_column(") && !rest.contains("drop_table"),
        "{rest}"
    );
    assert!(drops.contains("op.drop_table(\"old_stuff\")"), "{drops}");
    project.migrate(&["upgrade", "head"]).expect(0);
    assert_eq!(project.tables(), ["accounts"]);
    project.migrate(&["check"]).expect(0);
    project.migrate(&["downgrade", "-2"]).expect(0);
    assert_eq!(project.tables(), ["accounts", "old_stuff"]);
}

/// `-n NAME` picks `[environments.NAME]` of `Migrate.toml`: its migrations crate and database.
#[test]
fn two_environments_selected_by_name() {
    let project = Project::new();
    project.init();
    let second_db = project.path().join("second.db");
    project.write(
        "Migrate.toml",
        &format!(
            "script_location = \"migrations\"\n\n[environments.second]\n\
             script_location = \"second\"\ndatabase_url = \"sqlite://{}\"\n",
            second_db.display()
        ),
    );
    // A second migrations crate, as `init` writes one, with a model of its own.
    copy_dir(
        &project.path().join("migrations"),
        &project.path().join("second"),
    );
    let manifest = project.read("second/Cargo.toml");
    project.write(
        "second/Cargo.toml",
        &manifest.replacen("name = \"migrations", "name = \"second", 1),
    );
    project.write(
        "second/src/models.rs",
        "use retort::prelude::*;\n#[derive(Table)]\npub struct Metric {\n    \
         #[column(primary_key)]\n    pub id: i64,\n}\n",
    );
    project
        .migrate(&[
            "-n",
            "second",
            "revision",
            "--autogenerate",
            "-m",
            "metrics",
        ])
        .expect(0);
    project
        .migrate(&["-n", "second", "upgrade", "head"])
        .expect(0);
    // The default environment's database (DATABASE_URL) is untouched.
    assert!(project.tables().is_empty());
    let run = project.migrate(&["-n", "second", "current"]).expect(0);
    assert!(run.stdout.contains("(head), metrics"), "{run:#?}");
    let run = project.migrate(&["-n", "third", "current"]).expect(2);
    assert!(run.stderr.contains("it has second"), "{run:#?}");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let path = entry.path();
        if path.file_name().is_some_and(|n| n == "target") {
            continue;
        }
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).expect("copy");
        }
    }
}

/// The accounts table and an old one as another application wrote them, in each database's
/// idiom, holding rows, with a view retort does not model; `code`'s width and `note`'s default
/// differ from the models, and `legacy_code` is not in them.
fn brownfield_ddl(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => {
            "CREATE TABLE accounts (id INTEGER PRIMARY KEY, code VARCHAR(80) NOT NULL, \
             note TEXT DEFAULT 'x', total NUMERIC(12, 4) NOT NULL, legacy_code TEXT);\n\
             CREATE TABLE old_stuff (id INTEGER PRIMARY KEY);\n"
        }
        Dialect::Postgres => {
            "CREATE TABLE accounts (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, \
             code varchar(80) NOT NULL, note text DEFAULT 'x', total numeric(12,4) NOT NULL, \
             legacy_code text);\n\
             CREATE TABLE old_stuff (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);\n"
        }
        Dialect::Mysql => {
            "CREATE TABLE accounts (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, \
             code VARCHAR(80) NOT NULL, note TEXT DEFAULT 'x', total DECIMAL(12,4) NOT NULL, \
             legacy_code TEXT) ENGINE=InnoDB;\n\
             CREATE TABLE old_stuff (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;\n"
        }
    }
}

/// The hooks on a database retort did not create, holding rows, on every backend: `check`
/// compares it clean only through them (include_object keeps `legacy_code`, compare_type and
/// compare_server_default the width and default); the next revision renders the user type and
/// is split by process_revision_directives; both files upgrade and downgrade on the server with
/// every row, the legacy column and the view kept.
fn hooks_on_a_database_retort_did_not_create(project: &Project) {
    let dialect = project.db.dialect;
    project.init();
    project.write("migrations/src/models.rs", MODELS);
    project.write(
        "migrations/src/main.rs",
        &MAIN.replace("/*COMPARE*/", COMPARE_HOOKS),
    );
    run(
        client(project),
        &format!(
            "{}INSERT INTO accounts (id, code, note, total, legacy_code) VALUES \
             (1, 'a', 'first', 1.5, 'L1'), (2, 'b', NULL, 2.25, 'L2');\n\
             CREATE VIEW account_codes AS SELECT id, code FROM accounts;\n",
            brownfield_ddl(dialect)
        ),
    );
    let query = |sql: &str| run(client(project), sql).trim().to_owned();
    let kept = |when: &str| {
        assert_eq!(project.count("accounts"), 2, "{dialect} {when}");
        assert_eq!(
            query("SELECT legacy_code FROM accounts ORDER BY id;")
                .lines()
                .collect::<Vec<_>>(),
            ["L1", "L2"],
            "{dialect} {when}"
        );
        assert_eq!(
            query("SELECT count(*) FROM account_codes;"),
            "2",
            "{dialect} {when}"
        );
    };
    project.migrate(&["check"]).expect(0);

    let changed = MODELS
        .replace(
            "#[derive(Table)]\n#[table(name = \"old_stuff\")]\npub struct OldStuff {\n    #[column(primary_key)]\n    pub id: i64,\n}\n",
            "",
        )
        .replace(
            "    pub total: Money,\n",
            "    pub total: Money,\n    pub fee: Option<Money>,\n",
        );
    project.write("migrations/src/models.rs", &changed);
    project
        .migrate(&["revision", "--autogenerate", "-m", "fee"])
        .expect(0);
    let files: Vec<String> = project.versions().iter().map(|p| project.read(p)).collect();
    assert_eq!(files.len(), 2, "{dialect}: {files:#?}");
    let fee = files
        .iter()
        .find(|f| f.starts_with("//! fee\n"))
        .expect("the first part");
    let drops = files
        .iter()
        .find(|f| f.starts_with("//! fee (drops)"))
        .expect("the drops");
    assert!(
        fee.contains("Money::sql_type(None)") && fee.contains("use crate::models::Money;"),
        "{dialect}: {fee}"
    );
    for absent in ["legacy_code", "alter_column", "drop_table"] {
        assert!(!fee.contains(absent), "{dialect}: {absent} in {fee}");
    }
    assert!(
        drops.contains("op.drop_table(\"old_stuff\")"),
        "{dialect}: {drops}"
    );

    project.migrate(&["upgrade", "head"]).expect(0);
    kept("after upgrade");
    assert_eq!(project.tables(), ["accounts"], "{dialect}");
    assert!(project.columns("accounts").contains(&"fee".to_owned()));
    project.migrate(&["check"]).expect(0);
    project.migrate(&["downgrade", "-2"]).expect(0);
    kept("after downgrade");
    assert_eq!(project.tables(), ["accounts", "old_stuff"], "{dialect}");
    assert!(!project.columns("accounts").contains(&"fee".to_owned()));
}

test_on_every_backend!(hooks_on_a_database_retort_did_not_create);
