//! `embed_migrations!` end to end: the revision files of a directory compile into the crate
//! and are listed in `MIGRATIONS` in file-name order, with their consts, message and steps.

use retort::Operations;

mod fixtures {
    retort::embed_migrations!("tests/fixtures/versions");
}

mod fresh_project {
    // A project without revisions yet has no versions directory.
    retort::embed_migrations!("tests/fixtures/no-such-directory");
}

#[test]
fn scripts_are_listed_in_file_name_order() {
    let scripts: Vec<_> = fixtures::MIGRATIONS
        .iter()
        .map(|s| (s.path, s.revision, s.down_revisions, s.message))
        .collect();
    assert_eq!(
        scripts,
        [
            (
                "1a2b3c4d5e6f_create_users.rs",
                "1a2b3c4d5e6f",
                &[][..],
                "create users"
            ),
            (
                "9f8e7d6c5b4a_add_email.rs",
                "9f8e7d6c5b4a",
                &["1a2b3c4d5e6f"][..],
                "add email"
            ),
        ]
    );
    assert_eq!(fixtures::MIGRATIONS[0].branch_labels, ["main"]);
    assert!(fixtures::MIGRATIONS[1].depends_on.is_empty());
}

#[test]
fn steps_are_the_files_functions() {
    for script in fixtures::MIGRATIONS {
        for step in [script.upgrade, script.downgrade] {
            let mut op = Operations::new();
            step(&mut op).expect("step runs");
            assert_eq!(op.ops().len(), 1, "{}", script.path);
        }
    }
}

#[test]
fn missing_directory_embeds_nothing() {
    assert!(fresh_project::MIGRATIONS.is_empty());
}

/// Each script carries the checksum of its file, computed at compile time. The values are
/// pinned: the same file gives the same checksum on every platform and in every release (the
/// text is normalised first, so a CRLF checkout of these files gives these values too).
#[test]
fn scripts_carry_the_checksum_of_their_file() {
    let checksums: Vec<_> = fixtures::MIGRATIONS
        .iter()
        .map(|s| (s.path, s.checksum))
        .collect();
    assert_eq!(
        checksums,
        [
            ("1a2b3c4d5e6f_create_users.rs", "fnv1a64:4d80cde78c089837"),
            ("9f8e7d6c5b4a_add_email.rs", "fnv1a64:1506640a58396b59"),
        ]
    );
}
