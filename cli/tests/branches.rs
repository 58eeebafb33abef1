//! Branches, labels and merges as a user drives them: revision --head/--splice/--branch-label,
//! heads, branches, upgrade label@head and heads, merge, show, history, stamp --purge.

use crate::support::Project;

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

#[test]
fn branch_label_merge_and_back() {
    let project = Project::new();
    project.init();
    let revision = |args: &[&str]| {
        let mut all = vec!["revision"];
        all.extend_from_slice(args);
        project.migrate(&all).expect(0);
    };
    revision(&["-m", "root", "--rev-id", "aaaa00000001"]);
    revision(&["-m", "left", "--rev-id", "bbbb00000002"]);
    // Building on a revision that is not a head needs --splice.
    let run = project
        .migrate(&[
            "revision",
            "-m",
            "right",
            "--head",
            "aaaa",
            "--rev-id",
            "cccc00000003",
        ])
        .expect(2);
    assert!(
        run.stderr
            .contains("`aaaa00000001` is not a head; pass --splice"),
        "{run:#?}"
    );
    revision(&[
        "-m",
        "right",
        "--head",
        "aaaa",
        "--splice",
        "--branch-label",
        "feature",
        "--rev-id",
        "cccc00000003",
    ]);

    let run = project.migrate(&["heads"]).expect(0);
    assert_eq!(
        lines(&run.stdout),
        ["bbbb00000002 (head), left", "cccc00000003 (head), right"]
    );
    let run = project.migrate(&["upgrade", "head"]).expect(1);
    assert!(run.stderr.contains("multiple heads"), "{run:#?}");
    project.migrate(&["upgrade", "feature@head"]).expect(0);
    let run = project.migrate(&["current"]).expect(0);
    assert_eq!(lines(&run.stdout), ["cccc00000003 (head), right"]);
    project.migrate(&["upgrade", "heads"]).expect(0);
    let run = project.migrate(&["current"]).expect(0);
    assert_eq!(lines(&run.stdout).len(), 2, "{run:#?}");
    let run = project.migrate(&["branches"]).expect(0);
    assert_eq!(
        lines(&run.stdout),
        [
            "aaaa00000001 (branchpoint), root",
            "    -> bbbb00000002",
            "    -> cccc00000003"
        ]
    );

    project
        .migrate(&["merge", "heads", "-m", "join", "--rev-id", "dddd00000004"])
        .expect(0);
    let run = project.migrate(&["heads"]).expect(0);
    assert_eq!(lines(&run.stdout), ["dddd00000004 (head), join"]);
    project.migrate(&["upgrade", "head"]).expect(0);
    let run = project.migrate(&["current"]).expect(0);
    assert_eq!(lines(&run.stdout), ["dddd00000004 (head), join"]);
    let run = project.migrate(&["show", "dddd"]).expect(0);
    assert!(
        run.stdout.contains("Parent: bbbb00000002, cccc00000003"),
        "{run:#?}"
    );
    let run = project.migrate(&["history"]).expect(0);
    assert_eq!(
        lines(&run.stdout)[0],
        "bbbb00000002, cccc00000003 -> dddd00000004 (head) (mergepoint), join"
    );
    assert_eq!(lines(&run.stdout).len(), 4);
    let run = project
        .migrate(&["history", "-r", ":bbbb00000002"])
        .expect(0);
    assert_eq!(lines(&run.stdout).len(), 2, "{run:#?}");

    // Down to one branch: the merge and the other branch are undone.
    project.migrate(&["downgrade", "cccc00000003"]).expect(0);
    let run = project.migrate(&["current"]).expect(0);
    assert_eq!(lines(&run.stdout), ["cccc00000003, right"]);
    project.migrate(&["stamp", "--purge", "base"]).expect(0);
    assert_eq!(project.migrate(&["current"]).expect(0).stdout, "");
}
