//! `IF EXISTS` / `IF NOT EXISTS` on the create and drop ops, on every backend, in a revision
//! written by hand and run on a database that already holds one of its tables (with rows): the
//! existing table and its rows are kept, a missing index is created on it, the drops of what
//! is not there are no errors, running the ops twice is harmless, and the downgrade and the
//! `--sql` script say the same.

use crate::support::{client, hand_written, run, Project};

const UP: &str = r#"op.create_table("legacy", [Column::new("id", SqlType::BigInt).primary_key()])
        .if_not_exists()?;
    op.create_index("ix_legacy_id", "legacy", ["id"]).if_not_exists()?;
    op.create_index("ix_legacy_id", "legacy", ["id"]).if_not_exists()?;
    op.create_table("fresh", [Column::new("id", SqlType::BigInt).primary_key()])
        .if_not_exists()?;
    op.drop_table("never_was").if_exists()?;
    op.drop_index("ix_never_was", "legacy").if_exists()?;"#;

const DOWN: &str = r#"op.drop_table("fresh").if_exists()?;
    op.drop_index("ix_legacy_id", "legacy").if_exists()?;
    op.drop_index("ix_legacy_id", "legacy").if_exists()?;
    op.drop_table("legacy").if_exists()?;
    op.drop_table("legacy").if_exists()?;"#;

fn walk(project: &Project) {
    run(
        client(project),
        "CREATE TABLE legacy (id BIGINT PRIMARY KEY);
         INSERT INTO legacy (id) VALUES (1), (2);",
    );
    project.init();
    hand_written(project, "if exists", "aaaa00000001", UP, DOWN);

    let script = project
        .migrate(&["upgrade", "head", "--sql"])
        .expect(0)
        .stdout;
    for part in [
        "CREATE TABLE IF NOT EXISTS",
        "CREATE INDEX IF NOT EXISTS",
        "DROP TABLE IF EXISTS",
        "DROP INDEX IF EXISTS",
    ] {
        assert!(script.contains(part), "no `{part}` in:\n{script}");
    }

    project.migrate(&["upgrade", "head"]).expect(0);
    assert_eq!(
        project.count("legacy"),
        2,
        "the table that was there is kept"
    );
    assert_eq!(project.count("fresh"), 0);
    let schema = project.schema();
    let legacy = &schema.tables[&"legacy".into()];
    assert!(
        legacy.indexes.iter().any(|i| i.name() == "ix_legacy_id"),
        "the index is created on the table that was there: {legacy:?}"
    );

    project.migrate(&["downgrade", "base"]).expect(0);
    assert!(project.tables().is_empty(), "{:?}", project.tables());
}

test_on_every_backend!(walk);
