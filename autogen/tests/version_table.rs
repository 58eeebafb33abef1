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
        ctx.stamp(
            &crate::support::no_scripts(),
            &["a1b2".into(), "c3d4".into()],
            false,
        )
        .expect("stamp");
        assert!(ctx.has_table("retort_version").expect("exists"));
        assert_eq!(ctx.current_heads().expect("read"), ["a1b2", "c3d4"]);
        ctx.stamp(&crate::support::no_scripts(), &["c3d4".into()], false)
            .expect("stamp");
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
            checksum: "fnv1a64:0000000000000000",
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
            checksum: "fnv1a64:0000000000000000",
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
            checksum: "fnv1a64:0000000000000000",
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

/// Two linear revisions that change nothing but the version table.
static LINEAR: [retort_core::script::Script; 2] = [
    retort_core::script::Script {
        revision: "aaaa00000001",
        down_revisions: &[],
        branch_labels: &[],
        depends_on: &[],
        message: "first",
        path: "aaaa00000001_first.rs",
        checksum: "fnv1a64:00000000000000a1",
        upgrade: nothing,
        downgrade: nothing,
    },
    retort_core::script::Script {
        revision: "bbbb00000002",
        down_revisions: &["aaaa00000001"],
        branch_labels: &[],
        depends_on: &[],
        message: "second",
        path: "bbbb00000002_second.rs",
        checksum: "fnv1a64:00000000000000b2",
        upgrade: nothing,
        downgrade: nothing,
    },
];

/// A trigger that makes every insert into the version table fail, as a crash would between
/// deleting the old head and inserting the new one.
fn failing_insert_trigger(dialect: retort_core::ddl::Dialect) -> &'static str {
    use retort_core::ddl::Dialect;
    match dialect {
        Dialect::Sqlite => {
            "CREATE TRIGGER retort_fail BEFORE INSERT ON retort_version \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        }
        Dialect::Postgres => {
            "CREATE FUNCTION retort_fail() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$; \
             CREATE TRIGGER retort_fail BEFORE INSERT ON retort_version \
             FOR EACH ROW EXECUTE FUNCTION retort_fail()"
        }
        Dialect::Mysql => {
            "CREATE TRIGGER retort_fail BEFORE INSERT ON retort_version FOR EACH ROW \
             SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected failure'"
        }
    }
}

/// A step's version-table change is one atomic write on every backend: when the insert of the
/// new head fails after the old head's row was deleted, the delete is undone too. On MySQL,
/// without transactional DDL, that takes a transaction around the version-table writes; before
/// it, the table was left empty and the database looked like base.
#[test]
fn a_failure_inside_the_version_write_leaves_the_old_head() {
    use retort_core::script::ScriptDirectory;
    let dir = ScriptDirectory::new("versions", &LINEAR).expect("graph");
    for db in all_dialects() {
        let mut ctx = db.context();
        let map = dir.map();
        let to = |target: &str| vec![target.to_owned()];
        let steps = map.upgrade_plan(&[], &to("aaaa00000001")).expect("plan");
        ctx.run_steps(map, &dir.scripts(), &steps).expect("first");
        ctx.executor()
            .execute(failing_insert_trigger(db.dialect))
            .expect("trigger");
        let steps = map
            .upgrade_plan(&to("aaaa00000001"), &to("bbbb00000002"))
            .expect("plan");
        let err = ctx
            .run_steps(map, &dir.scripts(), &steps)
            .expect_err("the insert fails");
        assert!(err.to_string().contains("injected failure"), "{err}");
        assert_eq!(
            db.context().current_heads().expect("heads"),
            ["aaaa00000001"],
            "{:?}: the old head survived the failed write",
            db.dialect
        );
    }
}

/// A `Write` whose bytes the test reads back after the context has taken it.
#[derive(Clone, Default)]
struct Captured(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    /// The script's statements, without their `;`.
    fn statements(&self) -> Vec<String> {
        String::from_utf8_lossy(&self.0.borrow())
            .split(";\n\n")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// The MySQL script of an upgrade wraps each step's writes of the version and applied tables
/// in a transaction of their own, after the revision's DDL (which MySQL commits as it goes);
/// the applied table is created `IF NOT EXISTS`, as a script cannot tell whether it is there.
#[test]
fn mysql_scripts_write_each_step_of_the_version_table_in_one_transaction() {
    use retort_core::context::MigrationContext;
    use retort_core::ddl::{ddl_impl, Dialect};
    use retort_core::executor::Executor;
    use retort_core::script::ScriptDirectory;
    let dir = ScriptDirectory::new("versions", &LINEAR).expect("graph");
    let out = Captured::default();
    let mut ctx = MigrationContext::new(
        Executor::offline(out.clone()),
        ddl_impl(Dialect::Mysql),
        "retort_version",
    )
    .with_log(|_| {});
    let steps = dir
        .map()
        .upgrade_plan(&[], &["bbbb00000002".to_owned()])
        .expect("plan");
    ctx.run_steps(dir.map(), &dir.scripts(), &steps)
        .expect("script");
    let statements = out.statements();
    let first_line = |s: &String| s.lines().next().unwrap_or_default().to_owned();
    assert_eq!(
        statements
            .iter()
            .take(2)
            .map(first_line)
            .collect::<Vec<_>>(),
        [
            "CREATE TABLE `retort_version` (",
            "CREATE TABLE IF NOT EXISTS `retort_version_applied` ("
        ],
        "{statements:#?}"
    );
    let applied = "INSERT INTO `retort_version_applied` (revision, checksum, applied_at) VALUES";
    assert_eq!(
        statements[2..],
        [
            "BEGIN".to_owned(),
            "INSERT INTO `retort_version` (version_num) VALUES ('aaaa00000001')".to_owned(),
            format!("{applied} ('aaaa00000001', 'fnv1a64:00000000000000a1', CURRENT_TIMESTAMP)"),
            "COMMIT".to_owned(),
            "BEGIN".to_owned(),
            "DELETE FROM `retort_version` WHERE version_num = 'aaaa00000001'".to_owned(),
            "INSERT INTO `retort_version` (version_num) VALUES ('bbbb00000002')".to_owned(),
            format!("{applied} ('bbbb00000002', 'fnv1a64:00000000000000b2', CURRENT_TIMESTAMP)"),
            "COMMIT".to_owned(),
        ],
        "{statements:#?}"
    );
}

/// A root, two branches from it and their merge.
static DIAMOND: [retort_core::script::Script; 4] = [
    retort_core::script::Script {
        revision: "aaaa00000001",
        down_revisions: &[],
        branch_labels: &[],
        depends_on: &[],
        message: "root",
        path: "aaaa00000001_root.rs",
        checksum: "fnv1a64:0000000000000000",
        upgrade: nothing,
        downgrade: nothing,
    },
    retort_core::script::Script {
        revision: "bbbb00000002",
        down_revisions: &["aaaa00000001"],
        branch_labels: &[],
        depends_on: &[],
        message: "left",
        path: "bbbb00000002_left.rs",
        checksum: "fnv1a64:0000000000000000",
        upgrade: nothing,
        downgrade: nothing,
    },
    retort_core::script::Script {
        revision: "cccc00000003",
        down_revisions: &["aaaa00000001"],
        branch_labels: &[],
        depends_on: &[],
        message: "right",
        path: "cccc00000003_right.rs",
        checksum: "fnv1a64:0000000000000000",
        upgrade: nothing,
        downgrade: nothing,
    },
    retort_core::script::Script {
        revision: "dddd00000004",
        down_revisions: &["bbbb00000002", "cccc00000003"],
        branch_labels: &[],
        depends_on: &[],
        message: "merge",
        path: "dddd00000004_merge.rs",
        checksum: "fnv1a64:0000000000000000",
        upgrade: nothing,
        downgrade: nothing,
    },
];

/// After each branch, merge, unmerge and stamp step the version table holds exactly the heads,
/// on every backend.
#[test]
fn branch_and_merge_steps_leave_exactly_the_heads() {
    use retort_core::script::ScriptDirectory;
    let dir = ScriptDirectory::new("versions", &DIAMOND).expect("graph");
    let map = dir.map();
    for db in all_dialects() {
        let mut ctx = db.context();
        let mut go = |upgrade: bool, target: &[&str], expected: &[&str]| {
            let current = ctx.current_heads().expect("heads");
            let targets: Vec<String> = target.iter().map(|t| (*t).to_owned()).collect();
            let steps = if upgrade {
                map.upgrade_plan(&current, &targets)
            } else {
                map.downgrade_plan(&current, &targets)
            }
            .expect("plan");
            ctx.run_steps(map, &dir.scripts(), &steps).expect("steps");
            assert_eq!(
                db.context().current_heads().expect("heads"),
                expected,
                "{:?} after {target:?}",
                db.dialect
            );
        };
        go(true, &["bbbb00000002"], &["bbbb00000002"]);
        // A branch: one more row.
        go(
            true,
            &["bbbb00000002", "cccc00000003"],
            &["bbbb00000002", "cccc00000003"],
        );
        // The merge: two rows become one.
        go(true, &["dddd00000004"], &["dddd00000004"]);
        // Undoing it: one row becomes two.
        go(
            false,
            &["bbbb00000002", "cccc00000003"],
            &["bbbb00000002", "cccc00000003"],
        );
        go(false, &["cccc00000003"], &["cccc00000003"]);
        ctx.stamp(&dir, &["bbbb00000002".into(), "cccc00000003".into()], false)
            .expect("stamp");
        assert_eq!(
            db.context().current_heads().expect("heads"),
            ["bbbb00000002", "cccc00000003"]
        );
    }
}
