//! Checksums of applied revisions as a user meets them: `current -v` and `check` report an
//! applied revision whose file was edited after `upgrade` (the runner rebuilds by itself),
//! `stamp --repair` accepts it, whitespace and line ends are no edit, and a project upgraded by
//! a retort without the applied table keeps working and gets it on its next write.

use crate::support::Project;

const APPLIED: &str = "retort_version_applied";

fn revision(project: &Project, message: &str, id: &str) -> std::path::PathBuf {
    project
        .migrate(&["revision", "-m", message, "--rev-id", id])
        .expect(0);
    project
        .versions()
        .into_iter()
        .find(|p| p.to_string_lossy().contains(id))
        .expect("the new file")
}

fn rewrite(project: &Project, file: &std::path::Path, edit: impl Fn(&str) -> String) {
    let text = edit(&project.read(file));
    project.write(file.to_str().expect("utf-8 path"), &text);
}

#[test]
fn an_edited_applied_file_is_reported_until_repaired() {
    let project = Project::new();
    project.init();
    let first = revision(&project, "first", "aaaa00000001");
    let second = revision(&project, "second", "bbbb00000002");
    project.migrate(&["upgrade", "head"]).expect(0);
    let run = project.migrate(&["current", "-v"]).expect(0);
    assert!(
        run.stdout
            .contains("Checksums: 2 applied revision(s) match their files"),
        "{run:#?}"
    );
    project.migrate(&["check"]).expect(0);

    // Line ends and trailing blanks are no edit.
    rewrite(&project, &second, |t| t.replace('\n', "  \r\n"));
    // A changed body is.
    rewrite(&project, &first, |t| {
        t.replacen("let _ = op;", "let _ = op; // edited after upgrade", 1)
    });
    let run = project.migrate(&["current", "-v"]).expect(0);
    assert!(
        run.stdout.contains(
            "warning: revision `aaaa00000001` (aaaa00000001_first.rs) changed since it was applied \
             (recorded fnv1a64:"
        ),
        "{run:#?}"
    );
    assert!(
        run.stdout.contains("cargo migrate stamp --repair <rev>"),
        "{run:#?}"
    );
    assert!(!run.stdout.contains("bbbb00000002_second.rs"), "{run:#?}");
    assert!(
        run.stdout
            .contains("Checksums: 1 applied revision(s) match their files"),
        "{run:#?}"
    );
    // `check` exits 1: an edited applied file is a difference to act on, --fail-on or not.
    for args in [&["check"][..], &["check", "--fail-on", "destructive"]] {
        let run = project.migrate(args).expect(1);
        assert!(
            run.stdout
                .contains("Applied revision files changed since they were applied:\n  - revision `aaaa00000001`"),
            "{args:?}: {run:#?}"
        );
        assert!(
            run.stdout.contains("No new upgrade operations detected."),
            "{run:#?}"
        );
    }

    // Repair: a revision that is not applied is refused; the edited one is accepted.
    project.migrate(&["downgrade", "-1"]).expect(0);
    let run = project.migrate(&["stamp", "--repair", "bbbb"]).expect(1);
    assert!(
        run.stderr
            .contains("revision `bbbb00000002` is not applied (the database is at aaaa00000001)"),
        "{run:#?}"
    );
    project.migrate(&["upgrade", "head"]).expect(0);
    let run = project
        .migrate(&["stamp", "--repair", "--sql", "aaaa"])
        .expect(0);
    assert!(
        run.stdout
            .contains(&format!("UPDATE \"{APPLIED}\" SET checksum = 'fnv1a64:")),
        "{run:#?}"
    );
    project.migrate(&["check"]).expect(1);
    let run = project.migrate(&["stamp", "--repair", "aaaa"]).expect(0);
    assert!(
        run.stderr
            .contains("Accepted the file of revision aaaa00000001 as it is now: fnv1a64:"),
        "{run:#?}"
    );
    project.migrate(&["check"]).expect(0);
    let run = project.migrate(&["current", "-v"]).expect(0);
    assert!(
        run.stdout
            .contains("Checksums: 2 applied revision(s) match their files"),
        "{run:#?}"
    );
    assert_eq!(
        project.migrate(&["current"]).expect(0).stdout.trim(),
        "bbbb00000002 (head), second"
    );
    // --purge and --repair do not go together.
    project
        .migrate(&["stamp", "--purge", "--repair", "head"])
        .expect(2);
}

#[test]
fn a_project_upgraded_without_the_applied_table_keeps_working_and_gets_it() {
    let project = Project::new();
    project.init();
    revision(&project, "first", "aaaa00000001");
    project.migrate(&["upgrade", "head"]).expect(0);
    // As the previous retort left it: the version table alone.
    project.sql(&format!("DROP TABLE {APPLIED}"));

    let run = project.migrate(&["current", "-v"]).expect(0);
    assert!(
        run.stdout.contains(&format!(
            "Checksums: none recorded yet (no `{APPLIED}` table); the next upgrade, downgrade or \
             stamp records them"
        )),
        "{run:#?}"
    );
    project.migrate(&["check"]).expect(0);

    revision(&project, "second", "bbbb00000002");
    project.migrate(&["upgrade", "head"]).expect(0);
    assert_eq!(
        project.count(APPLIED),
        2,
        "the applied revision was adopted"
    );
    project.sql(&format!(
        "DELETE FROM {APPLIED} WHERE revision = 'bbbb00000002' AND applied_at IS NOT NULL"
    ));
    assert_eq!(project.count(APPLIED), 1, "second ran, with a time");
    project.sql(&format!(
        "DELETE FROM {APPLIED} WHERE revision = 'aaaa00000001' AND applied_at IS NULL"
    ));
    assert_eq!(
        project.count(APPLIED),
        0,
        "first was adopted, without a time"
    );
    // A stamp records what is missing again, and --purge clears the table.
    project.migrate(&["stamp", "head"]).expect(0);
    assert_eq!(project.count(APPLIED), 2);
    let run = project.migrate(&["current", "-v"]).expect(0);
    assert!(
        run.stdout
            .contains("Checksums: 2 applied revision(s) match their files"),
        "{run:#?}"
    );
    project.migrate(&["stamp", "--purge", "base"]).expect(0);
    assert_eq!(project.count(APPLIED), 0);
    assert_eq!(project.count("retort_version"), 0);

    // The script of an upgrade writes the applied table too.
    let run = project.migrate(&["upgrade", "head", "--sql"]).expect(0);
    assert!(
        run.stdout
            .contains(&format!("CREATE TABLE IF NOT EXISTS \"{APPLIED}\"")),
        "{run:#?}"
    );
    assert!(
        run.stdout.contains(&format!(
            "INSERT INTO \"{APPLIED}\" (revision, checksum, applied_at) VALUES ('bbbb00000002', \
             'fnv1a64:"
        )),
        "{run:#?}"
    );
    assert_eq!(project.count(APPLIED), 0, "--sql touches nothing");
}
