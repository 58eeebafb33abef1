//! The migration lock through `cargo migrate` on the server backends: `--lock-timeout` and
//! `lock_timeout` give up with a message naming the lock and its holder (exit 1, nothing
//! applied), the flag wins over `Migrate.toml`, and `--no-lock` / `lock = false` run without
//! the lock while another connection holds it.

use retort::core::ddl::Dialect;

use crate::support::Project;

fn project_with_one_revision(dialect: Dialect) -> Option<Project> {
    let project = Project::on(dialect)?;
    project.init();
    project
        .migrate(&["revision", "-m", "first", "--rev-id", "aaaa00000001"])
        .expect(0);
    let file = project.versions().remove(0);
    let text = project
        .read(&file)
        .replacen(
            "let _ = op;",
            "op.create_table(\"kept\", [Column::new(\"id\", SqlType::BigInt).primary_key()])?;",
            1,
        )
        .replacen("let _ = op;", "op.drop_table(\"kept\")?;", 1);
    project.write(file.to_str().expect("utf-8 path"), &text);
    // Build the runner now, so the runs below spend their time on the lock only.
    project.migrate(&["heads"]).expect(0);
    Some(project)
}

#[test]
fn the_lock_timeout_and_the_no_lock_switches() {
    for dialect in [Dialect::Postgres, Dialect::Mysql] {
        let Some(project) = project_with_one_revision(dialect) else {
            continue;
        };
        let config = project.read("Migrate.toml");
        let held = project.db.hold_migration_lock();

        let run = project
            .migrate(&["upgrade", "head", "--lock-timeout", "2"])
            .expect(1);
        assert!(
            run.stderr.contains("waiting for the migration lock of ")
                && run.stderr.contains(".retort_version, held by "),
            "{dialect}: {run:#?}"
        );
        assert!(
            run.stderr
                .contains("error: gave up after 2 s waiting for the migration lock of `")
                && run.stderr.contains("--lock-timeout SECONDS"),
            "{dialect}: {run:#?}"
        );
        assert_eq!(project.tables(), Vec::<String>::new(), "{dialect}");
        assert_eq!(project.migrate(&["current"]).expect(0).stdout, "");

        // `lock_timeout` in Migrate.toml, and the flag winning over it.
        project.write("Migrate.toml", &format!("{config}lock_timeout = 1\n"));
        let run = project.migrate(&["upgrade", "head"]).expect(1);
        assert!(run.stderr.contains("gave up after 1 s"), "{run:#?}");
        let run = project
            .migrate(&["stamp", "head", "--lock-timeout", "2"])
            .expect(1);
        assert!(run.stderr.contains("gave up after 2 s"), "{run:#?}");

        // Without the lock, the runs go ahead while it is held.
        let run = project.migrate(&["upgrade", "head", "--no-lock"]).expect(0);
        assert!(!run.stderr.contains("waiting for"), "{run:#?}");
        assert_eq!(project.tables(), ["kept"], "{dialect}");
        project.write(
            "Migrate.toml",
            &format!("{config}lock = false\nlock_timeout = 1\n"),
        );
        let run = project.migrate(&["downgrade", "base"]).expect(0);
        assert!(!run.stderr.contains("waiting for"), "{run:#?}");
        assert_eq!(project.tables(), Vec::<String>::new(), "{dialect}");

        drop(held);
        project.write("Migrate.toml", &config);
        let run = project.migrate(&["upgrade", "head"]).expect(0);
        assert!(!run.stderr.contains("waiting for"), "{run:#?}");
        assert_eq!(project.tables(), ["kept"], "{dialect}");
    }
}
