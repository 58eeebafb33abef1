//! The exit codes of DESIGN §4.2 where they depend on the kind of failure: `check` exits 2 on
//! any error, a version table naming a revision the project lacks is a failure (1) that names
//! it, and panics reach the user as messages, not backtraces.

use std::ffi::OsStr;

use retort::core::ddl::Dialect;

use crate::support::Project;

/// A project with one applied revision that creates a table, whose version table then names a
/// revision this build does not contain (as after a rollback deploy).
fn project_behind_a_newer_deploy() -> Project {
    let project = Project::new();
    project.init();
    project
        .migrate(&["revision", "-m", "first", "--rev-id", "aaaa00000001"])
        .expect(0);
    let file = project.versions().remove(0);
    let text = project.read(&file).replacen(
        "let _ = op;",
        "op.create_table(\"kept\", [Column::new(\"id\", SqlType::BigInt).primary_key()])?;",
        1,
    );
    project.write(file.to_str().expect("utf-8 path"), &text);
    project.migrate(&["upgrade", "head"]).expect(0);
    project.sql("UPDATE retort_version SET version_num = 'ffff00000009'");
    project
}

#[test]
fn a_revision_the_project_lacks_is_named_and_nothing_is_rerun() {
    let project = project_behind_a_newer_deploy();
    for args in [
        &["current"][..],
        &["upgrade", "head"],
        &["upgrade", "+1"],
        &["downgrade", "-1"],
    ] {
        let run = project.migrate(args).expect(1);
        assert!(
            run.stderr.contains("revision `ffff00000009`") && run.stderr.contains("stamp --purge"),
            "{args:?}: {run:#?}"
        );
    }
    // Nothing ran again: the table is there once and the version table is untouched.
    assert_eq!(project.tables(), ["kept"]);
    let run = project.migrate(&["stamp", "head"]).expect(1);
    assert!(run.stderr.contains("ffff00000009"), "{run:#?}");
    // `check` exits 2 on every error, this one included.
    project.migrate(&["check"]).expect(2);

    project.migrate(&["stamp", "--purge", "head"]).expect(0);
    let run = project.migrate(&["current"]).expect(0);
    assert_eq!(run.stdout.trim(), "aaaa00000001 (head), first");
}

#[test]
fn check_exits_2_when_the_server_is_unreachable() {
    let project = Project::new();
    project.init();
    let url = "postgres://nobody:secret@127.0.0.1:1/x";
    let run = project.migrate(&["--database-url", url, "check"]).expect(2);
    assert!(run.stderr.contains("cannot connect"), "{run:#?}");
    assert!(!run.stderr.contains("secret"), "{run:#?}");
    // Other commands report the same failure as one to act on.
    project
        .migrate(&["--database-url", url, "current"])
        .expect(1);
}

#[test]
fn a_panicking_migration_is_reported_as_that_revisions_failure() {
    let project = Project::new();
    project.init();
    project
        .migrate(&["revision", "-m", "boom", "--rev-id", "bbbb00000002"])
        .expect(0);
    let file = project.versions().remove(0);
    let text = project
        .read(&file)
        .replacen("let _ = op;", "panic!(\"boom in the migration\");", 1);
    project.write(file.to_str().expect("utf-8 path"), &text);
    let run = project.migrate(&["upgrade", "head"]).expect(1);
    assert!(
        run.stderr.contains(
            "revision `bbbb00000002` (bbbb00000002_boom.rs) failed with a panic while recording \
             its upgrade: boom in the migration"
        ),
        "{run:#?}"
    );
    assert!(!run.stderr.contains("failed to build"), "{run:#?}");
    assert!(!run.stderr.contains("RUST_BACKTRACE"), "{run:#?}");
    assert_eq!(project.migrate(&["current"]).expect(0).stdout, "");
}

#[test]
fn a_panic_in_the_environment_is_an_internal_error_with_its_message() {
    let project = Project::new();
    project.init();
    let main = project.read("migrations/src/main.rs").replace(
        "retort::Environment::new(MIGRATIONS).run()",
        "retort::Environment::new(MIGRATIONS)\n        .include_object(|_| panic!(\"hook exploded\"))\n        .run()",
    );
    project.write("migrations/src/main.rs", &main);
    project.sql("CREATE TABLE theirs (id INTEGER)");
    let run = project
        .migrate(&["revision", "--autogenerate", "-m", "x"])
        .expect(1);
    assert!(
        run.stderr
            .contains("internal error (a panic): hook exploded (at src/main.rs:"),
        "{run:#?}"
    );
    assert!(!run.stderr.contains("client library"), "{run:#?}");
    assert!(!run.stderr.contains("RUST_BACKTRACE"), "{run:#?}");
    project.migrate(&["check"]).expect(2);
}

#[cfg(unix)]
#[test]
fn an_argument_that_is_not_utf8_is_a_usage_error() {
    use std::os::unix::ffi::OsStrExt;
    let project = Project::new();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-migrate"))
        .arg("migrate")
        .arg("upgrade")
        .arg(OsStr::from_bytes(b"h\xffad"))
        .current_dir(project.path())
        .output()
        .expect("run cargo-migrate");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("invalid UTF-8"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn server_backends_report_unknown_revisions_too() {
    for dialect in [Dialect::Postgres, Dialect::Mysql] {
        let Some(project) = Project::on(dialect) else {
            continue;
        };
        project.init();
        project
            .migrate(&["revision", "-m", "first", "--rev-id", "aaaa00000001"])
            .expect(0);
        project.migrate(&["upgrade", "head"]).expect(0);
        project.sql("UPDATE retort_version SET version_num = 'ffff00000009'");
        for args in [
            &["current"][..],
            &["upgrade", "head"],
            &["upgrade", "+1"],
            &["downgrade", "-1"],
        ] {
            let run = project.migrate(args).expect(1);
            assert!(
                run.stderr.contains("revision `ffff00000009`"),
                "{dialect} {args:?}: {run:#?}"
            );
        }
        project.migrate(&["check"]).expect(2);
    }
}
