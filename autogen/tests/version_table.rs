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
