//! Revision targets and read commands users type beyond `head`: `label@+N`, `label@-N`,
//! `label@base`, `--sql` ranges from `head`, `history -i`, `history -r current:`, `show base`,
//! `show current`; and the runner's compiler output, shown only when asked.

use crate::support::Project;

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

#[test]
fn targets_and_read_commands() {
    let project = Project::new();
    project.init();
    for (message, id, extra) in [
        ("one", "aaaa00000001", &[][..]),
        ("two", "bbbb00000002", &["--branch-label", "main"][..]),
        ("three", "cccc00000003", &[][..]),
    ] {
        let mut args = vec!["revision", "-m", message, "--rev-id", id];
        args.extend_from_slice(extra);
        project.migrate(&args).expect(0);
    }
    // main@+1 from base applies the branch's first revision (and what it needs).
    project.migrate(&["upgrade", "main@+1"]).expect(0);
    let run = project.migrate(&["current"]).expect(0);
    assert_eq!(lines(&run.stdout), ["bbbb00000002, two"]);

    let run = project.migrate(&["history", "-i"]).expect(0);
    assert!(
        run.stdout
            .contains("aaaa00000001 -> bbbb00000002 (current), two"),
        "{run:#?}"
    );
    let run = project.migrate(&["history", "-r", "current:"]).expect(0);
    assert_eq!(
        lines(&run.stdout),
        [
            "bbbb00000002 -> cccc00000003 (head), three",
            "aaaa00000001 -> bbbb00000002, two"
        ]
    );
    let run = project.migrate(&["show", "base"]).expect(0);
    assert!(run.stdout.starts_with("Rev: aaaa00000001\n"), "{run:#?}");
    let run = project.migrate(&["show", "current"]).expect(0);
    assert!(run.stdout.starts_with("Rev: bbbb00000002\n"), "{run:#?}");

    project.migrate(&["upgrade", "main@+1"]).expect(0);
    project.migrate(&["downgrade", "main@-1"]).expect(0);
    let run = project.migrate(&["current"]).expect(0);
    assert_eq!(lines(&run.stdout), ["bbbb00000002, two"]);
    project.migrate(&["downgrade", "main@base"]).expect(0);
    let run = project.migrate(&["current"]).expect(0);
    assert_eq!(lines(&run.stdout), ["aaaa00000001, one"]);

    // An offline downgrade script may start at `head`.
    let run = project
        .migrate(&["downgrade", "--sql", "head:base"])
        .expect(0);
    assert!(run.stdout.contains("DELETE FROM"), "{run:#?}");
}

#[test]
fn the_runners_compiler_output_shows_only_when_asked() {
    let project = Project::new();
    project.init();
    project.write(
        "migrations/src/models.rs",
        "#[warn(unused_variables)]\npub fn noisy() {\n    let unused_here = 1;\n}\n",
    );
    let run = project.migrate(&["heads"]).expect(0);
    assert!(!run.stderr.contains("unused_here"), "{run:#?}");
    let run = project.migrate(&["heads", "-v"]).expect(0);
    assert!(run.stderr.contains("unused_here"), "{run:#?}");
}
