//! Data migrations through `cargo migrate`, on every backend: a revision adds a column,
//! backfills it from another table through the live connection (`op.run`), then makes it NOT
//! NULL, and seeds and edits rows (`op.bulk_insert`, `op.execute` with bound values); online,
//! and as a `--sql` script applied with the database's own client. Also an autocommit block for
//! `CREATE INDEX CONCURRENTLY` on PostgreSQL, and `transaction_per_migration = false`.

use retort::core::ddl::Dialect;

use crate::support::{client, run, Project};

const MODELS_V1: &str = r#"#![allow(dead_code)]
use retort::prelude::*;

#[derive(Table)]
#[table(name = "customers")]
pub struct Customer {
    #[column(primary_key)]
    pub id: i64,
    #[column(length = 100)]
    pub name: String,
}

#[derive(Table)]
#[table(name = "orders", foreign_key(columns(customer_id), references = "customers(id)"))]
pub struct Order {
    #[column(primary_key)]
    pub id: i64,
    pub customer_id: i64,
    pub total: i32,
}

#[derive(Table)]
#[table(name = "statuses")]
pub struct Status {
    #[column(primary_key, length = 10)]
    pub code: String,
    #[column(length = 40)]
    pub label: String,
}
"#;

/// The data migration's upgrade: add, backfill through the connection, tighten; seed and edit.
const BACKFILL_UP: &str = r#"op.add_column("orders", Column::new("customer_name", SqlType::Varchar(100)))?;
    op.run(|conn| {
        use retort::diesel;
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            id: i64,
            #[diesel(sql_type = diesel::sql_types::Text)]
            name: String,
        }
        let rows: Vec<Row> = conn.load(
            "SELECT o.id AS id, c.name AS name FROM orders o JOIN customers c ON c.id = o.customer_id",
            &[],
        )?;
        for row in rows {
            conn.execute(
                "UPDATE orders SET customer_name = ? WHERE id = ?",
                &[row.name.into(), row.id.into()],
            )?;
        }
        Ok(())
    })?;
    op.alter_column("orders", Column::new("customer_name", SqlType::Varchar(100)))
        .nullable(false)?;
    op.bulk_insert(
        "statuses",
        ["code", "label"],
        [
            vec![Value::from("new"), Value::from("New")],
            vec![Value::from("done"), Value::from("Done")],
        ],
    )?;
    op.execute(sql("UPDATE statuses SET label = ? WHERE code = ?").bind("Finished").bind("done"))?;"#;

const BACKFILL_DOWN: &str = r#"op.execute("DELETE FROM statuses")?;
    op.drop_column("orders", "customer_name")?;"#;

/// A revision that can also be written as SQL: its closure has an offline variant.
const OFFLINE_UP: &str = r#"op.add_column("orders", Column::new("buyer", SqlType::Varchar(100)))?;
    op.run(|conn| {
        conn.execute(
            "UPDATE orders SET buyer = (SELECT name FROM customers WHERE customers.id = orders.customer_id)",
            &[],
        )
    })
    .offline_sql([
        "UPDATE orders SET buyer = (SELECT name FROM customers WHERE customers.id = orders.customer_id)",
    ])?;
    op.bulk_insert("statuses", ["code", "label"], [vec![Value::from("held"), Value::from("Held")]])?;
    op.execute(sql("UPDATE statuses SET label = ? WHERE code = ?").bind("On hold").bind("held"))?;"#;

const OFFLINE_DOWN: &str = r#"op.execute(sql("DELETE FROM statuses WHERE code = ?").bind("held"))?;
    op.drop_column("orders", "buyer")?;"#;

/// Writes a revision file with these bodies in place of its empty ones.
fn hand_written(project: &Project, message: &str, id: &str, up: &str, down: &str) {
    project
        .migrate(&["revision", "-m", message, "--rev-id", id])
        .expect(0);
    let path = project
        .versions()
        .into_iter()
        .find(|p| p.to_string_lossy().contains(id))
        .expect("written");
    let text = project
        .read(&path)
        .replacen("let _ = op;", up, 1)
        .replacen("let _ = op;", down, 1);
    project.write(path.to_str().expect("utf-8"), &text);
}

fn query(project: &Project, sql: &str) -> String {
    run(client(project), sql).trim().to_owned()
}

fn walk(project: &Project) {
    let dialect = project.db.dialect;
    project.init();
    project.write("migrations/src/models.rs", MODELS_V1);
    project
        .migrate(&[
            "revision",
            "--autogenerate",
            "-m",
            "tables",
            "--rev-id",
            "aaaa00000001",
        ])
        .expect(0);
    project.migrate(&["upgrade", "head"]).expect(0);
    project.sql("INSERT INTO customers (id, name) VALUES (1, 'Ada'), (2, 'Grace')");
    project.sql(
        "INSERT INTO orders (id, customer_id, total) VALUES (1, 1, 10), (2, 2, 20), (3, 1, 30)",
    );
    hand_written(
        project,
        "backfill",
        "bbbb00000002",
        BACKFILL_UP,
        BACKFILL_DOWN,
    );

    // Offline, a closure has nothing to run against: refused, naming the revision.
    let run_sql = project
        .migrate(&["upgrade", "--sql", "aaaa00000001:head"])
        .expect(1);
    assert!(
        run_sql.stderr.contains("bbbb00000002") && run_sql.stderr.contains("offline_sql"),
        "{dialect}: {run_sql:#?}"
    );

    project.migrate(&["upgrade", "head"]).expect(0);
    let names = query(project, "SELECT customer_name FROM orders ORDER BY id");
    assert_eq!(
        names.lines().collect::<Vec<_>>(),
        ["Ada", "Grace", "Ada"],
        "{dialect}"
    );
    let labels = query(project, "SELECT label FROM statuses ORDER BY code");
    assert_eq!(
        labels.lines().collect::<Vec<_>>(),
        ["Finished", "New"],
        "{dialect}"
    );
    // The column is NOT NULL now, as the models will say.
    project.write(
        "migrations/src/models.rs",
        &MODELS_V1.replace(
            "    pub total: i32,\n",
            "    pub total: i32,\n    #[column(length = 100)]\n    pub customer_name: String,\n",
        ),
    );
    project.migrate(&["check"]).expect(0);
    project.migrate(&["downgrade", "-1"]).expect(0);
    assert_eq!(
        project.columns("orders"),
        ["id", "customer_id", "total"],
        "{dialect}"
    );
    assert_eq!(project.count("statuses"), 0);
    project.migrate(&["upgrade", "head"]).expect(0);

    // With an offline variant, the script runs with the database's own client.
    hand_written(project, "buyers", "cccc00000003", OFFLINE_UP, OFFLINE_DOWN);
    let script = project
        .migrate(&["upgrade", "--sql", "bbbb00000002:head"])
        .expect(0)
        .stdout;
    run(client(project), &script);
    let buyers = query(project, "SELECT buyer FROM orders ORDER BY id");
    assert_eq!(
        buyers.lines().collect::<Vec<_>>(),
        ["Ada", "Grace", "Ada"],
        "{dialect}"
    );
    let held = query(project, "SELECT label FROM statuses WHERE code = 'held'");
    assert_eq!(held, "On hold", "{dialect}: {script}");
    let version = query(project, "SELECT version_num FROM retort_version");
    assert_eq!(version, "cccc00000003", "{dialect}");
    project.migrate(&["downgrade", "-1"]).expect(0);
    assert_eq!(project.count("statuses"), 2, "{dialect}");
}

#[test]
fn sqlite() {
    walk(&Project::new());
}

#[test]
fn postgres() {
    if let Some(project) = Project::on(Dialect::Postgres) {
        walk(&project);
    }
}

#[test]
fn mysql() {
    if let Some(project) = Project::on(Dialect::Mysql) {
        walk(&project);
    }
}

/// `CREATE INDEX CONCURRENTLY` cannot run in a transaction: an autocommit block takes it out.
#[test]
fn postgres_concurrent_index_in_an_autocommit_block() {
    let Some(project) = Project::on(Dialect::Postgres) else {
        return;
    };
    project.init();
    project.write("migrations/src/models.rs", MODELS_V1);
    project
        .migrate(&["revision", "--autogenerate", "-m", "tables"])
        .expect(0);
    hand_written(
        &project,
        "index",
        "dddd00000004",
        r#"op.autocommit_block(|op| {
        op.execute("CREATE INDEX CONCURRENTLY ix_orders_total ON orders (total)")
    })?;"#,
        r#"op.autocommit_block(|op| op.execute("DROP INDEX CONCURRENTLY ix_orders_total"))?;"#,
    );
    project.migrate(&["upgrade", "head"]).expect(0);
    let index = query(
        &project,
        "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_orders_total'",
    );
    assert_eq!(index, "1");
    project.migrate(&["downgrade", "-1"]).expect(0);
    let index = query(
        &project,
        "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_orders_total'",
    );
    assert_eq!(index, "0");
    // Without the block the same statement fails inside the revision's transaction.
    hand_written(
        &project,
        "bare",
        "eeee00000005",
        r#"op.execute("CREATE INDEX CONCURRENTLY ix_orders_customer ON orders (customer_id)")?;"#,
        "let _ = op;",
    );
    let run = project.migrate(&["upgrade", "head"]).expect(1);
    assert!(run.stderr.contains("CONCURRENTLY"), "{run:#?}");
}

/// `transaction_per_migration = false`: a failing revision rolls the whole run back.
#[test]
fn one_transaction_for_the_whole_run() {
    for dialect in [Dialect::Sqlite, Dialect::Postgres] {
        let Some(project) = Project::on(dialect) else {
            continue;
        };
        project.init();
        let config = project.read("Migrate.toml");
        project.write(
            "Migrate.toml",
            &format!("{config}transaction_per_migration = false\n"),
        );
        hand_written(
            &project,
            "first",
            "aaaa00000001",
            r#"op.execute("CREATE TABLE kept_if_alone (id INTEGER)")?;"#,
            r#"op.execute("DROP TABLE kept_if_alone")?;"#,
        );
        hand_written(
            &project,
            "broken",
            "bbbb00000002",
            r#"op.execute("THIS IS NOT SQL")?;"#,
            "let _ = op;",
        );
        let run = project.migrate(&["upgrade", "head"]).expect(1);
        assert!(
            run.stderr.contains("one transaction"),
            "{dialect}: {run:#?}"
        );
        assert!(
            project.tables().is_empty(),
            "{dialect}: {:?}",
            project.tables()
        );
        assert_eq!(project.migrate(&["current"]).expect(0).stdout, "");
    }
}

/// An error a closure returns fails its revision like a failed statement: on PostgreSQL and
/// SQLite the revision's transaction is rolled back (its column and rows are gone); MySQL, whose
/// DDL commits, reports the revision, the error and where the version table stands.
#[test]
fn a_failing_closure_fails_its_revision() {
    for dialect in [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql] {
        let Some(project) = Project::on(dialect) else {
            continue;
        };
        project.init();
        project.write("migrations/src/models.rs", MODELS_V1);
        project
            .migrate(&[
                "revision",
                "--autogenerate",
                "-m",
                "tables",
                "--rev-id",
                "aaaa00000001",
            ])
            .expect(0);
        project.migrate(&["upgrade", "head"]).expect(0);
        project.sql("INSERT INTO customers (id, name) VALUES (1, 'Ada')");
        hand_written(
            &project,
            "refuses",
            "ffff00000006",
            r#"op.add_column("orders", Column::new("note", SqlType::Varchar(20)))?;
    op.run(|conn| {
        conn.execute("INSERT INTO customers (id, name) VALUES (?, ?)", &[2.into(), "Grace".into()])?;
        Err(retort::Error::msg("customer 2 has no orders to backfill"))
    })?;"#,
            r#"op.drop_column("orders", "note")?;"#,
        );
        let run = project.migrate(&["upgrade", "head"]).expect(1);
        assert!(
            run.stderr.contains("ffff00000006")
                && run.stderr.contains("customer 2 has no orders to backfill"),
            "{dialect}: {run:#?}"
        );
        let current = project.migrate(&["current"]).expect(0).stdout;
        assert!(current.contains("aaaa00000001"), "{dialect}: {current}");
        if dialect == Dialect::Mysql {
            // The ALTER committed itself; the report says where things stand.
            assert!(run.stderr.contains("aaaa00000001"), "{dialect}: {run:#?}");
        } else {
            assert_eq!(project.count("customers"), 1, "{dialect}");
            assert_eq!(
                project.columns("orders"),
                ["id", "customer_id", "total"],
                "{dialect}"
            );
        }
    }
}
