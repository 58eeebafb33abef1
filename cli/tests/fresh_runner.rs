//! `cargo migrate` runs the built runner without asking cargo when nothing it was built from
//! has changed, and asks cargo again after any change: a model, a new revision file, the
//! crate's manifest.

use crate::support::Project;

/// How many times `cargo migrate` ran cargo: `CARGO` names a script that counts, then runs
/// the real cargo.
fn cargo_runs(log: &std::path::Path) -> usize {
    std::fs::read_to_string(log).map_or(0, |text| text.lines().count())
}

#[test]
fn the_runner_is_rebuilt_exactly_when_an_input_changed() {
    let project = Project::new();
    project.init();
    let log = project.path().join("cargo.log");
    let script = project.path().join("cargo-counting");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$@\" >> '{}'\nexec '{cargo}' \"$@\"\n",
            log.display()
        ),
    )
    .expect("write script");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let vars = [("CARGO", script.to_str().expect("utf-8 path"))];
    // Inputs written within a second before a build count as changed after it.
    let settle = || std::thread::sleep(std::time::Duration::from_millis(1100));

    project.migrate_with(&["heads"], &vars).expect(0);
    assert_eq!(cargo_runs(&log), 1);
    settle();
    project.migrate_with(&["heads"], &vars).expect(0);
    project.migrate_with(&["heads"], &vars).expect(0);
    assert_eq!(
        cargo_runs(&log),
        2,
        "built once more: the first build's inputs were fresh"
    );
    project.migrate_with(&["heads"], &vars).expect(0);
    assert_eq!(cargo_runs(&log), 2, "nothing changed: no cargo");

    // A model edit: the runner must see the new table.
    project.write(
        "migrations/src/models.rs",
        "use retort::prelude::*;\n#[derive(Table)]\n#[table(name = \"gadgets\")]\npub struct Gadget {\n    #[column(primary_key)]\n    pub id: i64,\n}\n",
    );
    let made = project
        .migrate_with(&["revision", "--autogenerate", "-m", "gadgets"], &vars)
        .expect(0);
    assert_eq!(cargo_runs(&log), 3, "{made:#?}");
    assert!(
        project.read(&project.versions()[0]).contains("gadgets"),
        "the runner saw the edited model"
    );
    // The new revision file: `heads` must list it.
    let heads = project.migrate_with(&["heads"], &vars).expect(0);
    assert_eq!(cargo_runs(&log), 4);
    assert!(heads.stdout.contains("(head)"), "{heads:#?}");
    settle();
    project.migrate_with(&["heads"], &vars).expect(0);
    project.migrate_with(&["heads"], &vars).expect(0);
    assert_eq!(cargo_runs(&log), 5);
    // The manifest.
    let manifest = project.read("migrations/Cargo.toml");
    project.write("migrations/Cargo.toml", &format!("{manifest}\n"));
    project.migrate_with(&["heads"], &vars).expect(0);
    assert_eq!(cargo_runs(&log), 6);
    // -v shows the build: always cargo.
    settle();
    project.migrate_with(&["heads"], &vars).expect(0);
    project.migrate_with(&["-v", "heads"], &vars).expect(0);
    assert_eq!(cargo_runs(&log), 8);
}
