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
