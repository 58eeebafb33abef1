//! The applied table beside the version table, on every backend: one row per applied
//! revision with its file's checksum, kept in step with every upgrade, downgrade and stamp;
//! adopted from a version table without it; edited files reported and repaired.

use std::collections::BTreeMap;

use retort_core::context::{AppliedRevision, MigrationContext};
use retort_core::error::{Error, MigrationError};
use retort_core::operations::Operations;
use retort_core::script::{Script, ScriptDirectory};
use retort_core::testing::all_dialects;

fn nothing(_: &mut Operations) -> retort_core::error::Result<()> {
    Ok(())
}

const fn script(
    revision: &'static str,
    down: &'static [&'static str],
    checksum: &'static str,
) -> Script {
    Script {
        revision,
        down_revisions: down,
        branch_labels: &[],
        depends_on: &[],
        message: "",
        path: revision,
        checksum,
        upgrade: nothing,
        downgrade: nothing,
    }
}

/// A root, two branches from it and their merge, each with a checksum of its own.
static DIAMOND: [Script; 4] = [
    script("a1", &[], "fnv1a64:00000000000000a1"),
    script("b2", &["a1"], "fnv1a64:00000000000000b2"),
    script("c3", &["a1"], "fnv1a64:00000000000000c3"),
    script("d4", &["b2", "c3"], "fnv1a64:00000000000000d4"),
];

fn graph() -> ScriptDirectory {
    ScriptDirectory::new("versions", &DIAMOND).expect("graph")
}

/// Plans and runs an upgrade or downgrade to `targets`.
fn migrate(ctx: &mut MigrationContext, dir: &ScriptDirectory, upgrade: bool, targets: &[&str]) {
    let current = ctx.current_heads().expect("heads");
    let targets: Vec<String> = targets.iter().map(|t| (*t).to_owned()).collect();
    let steps = if upgrade {
        dir.map().upgrade_plan(&current, &targets)
    } else {
        dir.map().downgrade_plan(&current, &targets)
    }
    .expect("plan");
    ctx.run_steps(dir.map(), &dir.scripts(), &steps)
        .expect("steps");
}

/// The applied table's rows: revision → (checksum, whether `applied_at` is set).
fn rows(ctx: &mut MigrationContext) -> BTreeMap<String, (String, bool)> {
    ctx.applied_revisions()
        .expect("read")
        .expect("the applied table exists")
        .into_iter()
        .map(
            |(
                rev,
                AppliedRevision {
                    checksum,
                    applied_at,
                },
            )| { (rev, (checksum, applied_at.is_some())) },
        )
        .collect()
}

fn expected(revisions: &[(&str, bool)]) -> BTreeMap<String, (String, bool)> {
    revisions
        .iter()
        .map(|(rev, ran)| {
            (
                (*rev).to_owned(),
                (format!("fnv1a64:00000000000000{rev}"), *ran),
            )
        })
        .collect()
}

#[test]
fn the_applied_table_follows_every_step_and_stamp() {
    let dir = graph();
    for db in all_dialects() {
        let mut ctx = db.context();
        let d = db.dialect;
        migrate(&mut ctx, &dir, true, &["b2"]);
        assert_eq!(
            rows(&mut ctx),
            expected(&[("a1", true), ("b2", true)]),
            "{d:?}"
        );
        migrate(&mut ctx, &dir, true, &["b2", "c3"]);
        migrate(&mut ctx, &dir, true, &["d4"]);
        let all = [("a1", true), ("b2", true), ("c3", true), ("d4", true)];
        assert_eq!(rows(&mut ctx), expected(&all), "{d:?}");
        migrate(&mut ctx, &dir, false, &["b2", "c3"]);
        let three = [("a1", true), ("b2", true), ("c3", true)];
        assert_eq!(rows(&mut ctx), expected(&three), "{d:?}");
        // Stamping down removes rows; stamping up records what it skips, without a time.
        ctx.stamp(&dir, &["a1".into()], false).expect("stamp");
        assert_eq!(rows(&mut ctx), expected(&[("a1", true)]), "{d:?}");
        ctx.stamp(&dir, &["d4".into()], false).expect("stamp");
        let stamped = [("a1", true), ("b2", false), ("c3", false), ("d4", false)];
        assert_eq!(rows(&mut ctx), expected(&stamped), "{d:?}");
        // --purge clears the applied table too, then records the new heads' ancestors.
        ctx.stamp(&dir, &["b2".into()], true).expect("purge");
        assert_eq!(
            rows(&mut ctx),
            expected(&[("a1", false), ("b2", false)]),
            "{d:?}"
        );
        assert_eq!(ctx.current_heads().expect("heads"), ["b2"]);
        migrate(&mut ctx, &dir, false, &["base"]);
        assert_eq!(rows(&mut ctx), expected(&[]), "{d:?}");
    }
}

/// A database last written by a retort without the applied table reads as "no checksum
/// recorded", and the first write creates the table and adopts every applied revision with its
/// current checksum and no time.
#[test]
fn a_version_table_without_an_applied_table_is_adopted_on_the_first_write() {
    let dir = graph();
    for db in all_dialects() {
        let mut ctx = db.context();
        let ddl = ctx.ddl();
        let exec = ctx.executor();
        exec.execute(&ddl.create_version_table("retort_version"))
            .expect("the previous retort's version table");
        exec.execute("INSERT INTO retort_version (version_num) VALUES ('b2')")
            .expect("at b2");
        let report = ctx
            .checksum_report(dir.map(), &dir.scripts(), &["b2".into()])
            .expect("a read is no error");
        assert!(
            !report.table_exists && report.edited.is_empty(),
            "{report:?}"
        );
        assert!(
            !ctx.has_table("retort_version_applied").expect("query"),
            "{:?}: reading creates nothing",
            db.dialect
        );
        migrate(&mut ctx, &dir, true, &["b2", "c3"]);
        let adopted = [("a1", false), ("b2", false), ("c3", true)];
        assert_eq!(rows(&mut ctx), expected(&adopted), "{:?}", db.dialect);
        let report = ctx
            .checksum_report(dir.map(), &dir.scripts(), &["b2".into(), "c3".into()])
            .expect("report");
        assert_eq!(report.matching, 3, "{report:?}");
    }
}

#[test]
fn an_edited_file_is_reported_until_repaired() {
    let dir = graph();
    for db in all_dialects() {
        let mut ctx = db.context();
        migrate(&mut ctx, &dir, true, &["b2"]);
        // As if a1's file had another text when it was applied.
        ctx.executor()
            .execute("UPDATE retort_version_applied SET checksum = 'fnv1a64:0000000000000bad' WHERE revision = 'a1'")
            .expect("update");
        let heads = ["b2".to_owned()];
        let report = ctx
            .checksum_report(dir.map(), &dir.scripts(), &heads)
            .expect("report");
        assert_eq!(report.matching, 1);
        let edited: Vec<String> = report.edited.iter().map(ToString::to_string).collect();
        assert_eq!(
            edited,
            ["revision `a1` (a1) changed since it was applied (recorded fnv1a64:0000000000000bad, now fnv1a64:00000000000000a1)"]
        );
        ctx.repair(&dir, &["a1".into()]).expect("repair");
        let report = ctx
            .checksum_report(dir.map(), &dir.scripts(), &heads)
            .expect("report");
        assert_eq!((report.matching, report.edited.len()), (2, 0), "{report:?}");
        assert_eq!(
            ctx.current_heads().expect("heads"),
            heads,
            "heads unchanged"
        );
        let err = ctx.repair(&dir, &["c3".into()]).expect_err("not applied");
        assert!(
            matches!(err, Error::Migration(MigrationError::NotApplied { .. })),
            "{err}"
        );
        assert!(err.to_string().contains("the database is at b2"), "{err}");
    }
}
