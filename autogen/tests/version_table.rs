//! The version table on every backend: created on first use, one row per head.

use retort_core::testing::all_dialects;

#[test]
fn stamp_and_read_heads_on_every_backend() {
    for db in all_dialects() {
        let mut ctx = db.context();
        assert_eq!(
            ctx.current_heads().expect("read"),
            Vec::<String>::new(),
            "{:?}",
            db.dialect
        );
        ctx.stamp(&["a1b2".into(), "c3d4".into()]).expect("stamp");
        assert!(ctx.has_table("retort_version").expect("exists"));
        assert_eq!(ctx.current_heads().expect("read"), ["a1b2", "c3d4"]);
        ctx.stamp(&["c3d4".into()]).expect("stamp");
        assert_eq!(db.context().current_heads().expect("read"), ["c3d4"]);
    }
}

fn good_upgrade(op: &mut retort_core::operations::Operations) -> retort_core::error::Result<()> {
    op.execute("CREATE TABLE first_table (id INTEGER)")
}

fn bad_upgrade(op: &mut retort_core::operations::Operations) -> retort_core::error::Result<()> {
    op.execute("CREATE TABLE half_done (id INTEGER)")?;
    op.execute("THIS IS NOT SQL")
}

fn nothing(_: &mut retort_core::operations::Operations) -> retort_core::error::Result<()> {
    Ok(())
}

/// A failing revision is reported with its id, file and statement and where the version table
/// stands; where DDL is transactional its changes are rolled back, on MySQL the message says
/// they were not.
#[test]
fn failed_migration_says_where_it_stopped() {
    use retort_core::ddl::Dialect;
    use retort_core::script::{Script, ScriptDirectory};
    let scripts = [
        Script {
            revision: "aaaa00000001",
            down_revisions: &[],
            branch_labels: &[],
            depends_on: &[],
            message: "good",
            path: "aaaa00000001_good.rs",
            upgrade: good_upgrade,
            downgrade: nothing,
        },
        Script {
            revision: "bbbb00000002",
            down_revisions: &["aaaa00000001"],
            branch_labels: &[],
            depends_on: &[],
            message: "bad",
            path: "bbbb00000002_bad.rs",
            upgrade: bad_upgrade,
            downgrade: nothing,
        },
    ];
    let dir = ScriptDirectory::new("versions", &scripts).expect("graph");
    for db in all_dialects() {
        let mut ctx = db.context();
        let steps = dir
            .map()
            .upgrade_plan(&[], &["bbbb00000002".to_owned()])
            .expect("plan");
        let err = ctx
            .run_steps(dir.map(), &dir.scripts(), &steps)
            .expect_err("the second revision fails")
            .to_string();
        assert!(
            err.contains("upgrade of revision `bbbb00000002` (bbbb00000002_bad.rs) failed"),
            "{err}"
        );
        assert!(err.contains("statement: THIS IS NOT SQL"), "{err}");
        assert!(err.contains("the database is at aaaa00000001"), "{err}");
        assert_eq!(ctx.current_heads().expect("heads"), ["aaaa00000001"]);
        let half_done = ctx.has_table("half_done").expect("query");
        if db.dialect == Dialect::Mysql {
            assert!(err.contains("NOT rolled back"), "{err}");
            assert!(half_done, "MySQL commits DDL as it goes");
        } else {
            assert!(err.contains("rolled back"), "{err}");
            assert!(
                !half_done,
                "{:?}: the failed revision was rolled back",
                db.dialect
            );
        }
    }
}

fn log_table(op: &mut retort_core::operations::Operations) -> retort_core::error::Result<()> {
    op.execute("CREATE TABLE applied_log (rev VARCHAR(20))")?;
    op.execute("INSERT INTO applied_log (rev) VALUES ('r1')")
}

fn log_r2(op: &mut retort_core::operations::Operations) -> retort_core::error::Result<()> {
    op.execute("INSERT INTO applied_log (rev) VALUES ('r2')")
}

fn log_r3(op: &mut retort_core::operations::Operations) -> retort_core::error::Result<()> {
    op.execute("INSERT INTO applied_log (rev) VALUES ('r3')")
}

/// Two upgrades started at once on one database: both succeed and each revision is applied
/// exactly once (DESIGN §4.4), through the advisory lock (PostgreSQL), GET_LOCK (MySQL) or
/// BEGIN IMMEDIATE and the per-revision version check (SQLite).
#[test]
fn concurrent_upgrades_apply_each_revision_once() {
    use retort_core::script::{Script, ScriptDirectory};
    const fn script(
        revision: &'static str,
        down: &'static [&'static str],
        upgrade: retort_core::script::MigrationFn,
    ) -> Script {
        Script {
            revision,
            down_revisions: down,
            branch_labels: &[],
            depends_on: &[],
            message: "log",
            path: "log.rs",
            upgrade,
            downgrade: nothing,
        }
    }
    static SCRIPTS: [Script; 3] = [
        script("r1", &[], log_table),
        script("r2", &["r1"], log_r2),
        script("r3", &["r2"], log_r3),
    ];
    for db in all_dialects() {
        let db = std::sync::Arc::new(db);
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let runs: Vec<_> = (0..2)
            .map(|_| {
                let (db, barrier) = (db.clone(), barrier.clone());
                std::thread::spawn(move || {
                    let dir = ScriptDirectory::new("versions", &SCRIPTS).expect("graph");
                    let mut ctx = db.context();
                    barrier.wait();
                    ctx.with_migration_lock(|ctx| {
                        let current = ctx.current_heads()?;
                        let targets = dir.map().resolve_upgrade(&current, "head")?;
                        let steps = dir.map().upgrade_plan(&current, &targets)?;
                        ctx.run_steps(dir.map(), &dir.scripts(), &steps)
                    })
                })
            })
            .collect();
        for run in runs {
            run.join()
                .expect("no panic")
                .unwrap_or_else(|e| panic!("{:?}: {e}", db.dialect));
        }
        #[derive(diesel::QueryableByName)]
        struct Rev {
            #[diesel(sql_type = diesel::sql_types::Text)]
            rev: String,
        }
        let mut ctx = db.context();
        let mut applied: Vec<String> = ctx
            .executor()
            .load::<Rev>("SELECT rev FROM applied_log")
            .expect("log")
            .into_iter()
            .map(|r| r.rev)
            .collect();
        applied.sort();
        assert_eq!(applied, ["r1", "r2", "r3"], "{:?}", db.dialect);
        assert_eq!(ctx.current_heads().expect("heads"), ["r3"]);
    }
}
