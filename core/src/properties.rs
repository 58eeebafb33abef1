//! Property tests of every parser of text retort does not control: what users type as a
//! revision (`head`, `ab12+2`, `label@-1`, ...), database URLs and their redaction,
//! `Migrate.toml`, and what databases hand back (SQLite `CREATE TABLE` text, server defaults,
//! type names). None may panic on any input; the redaction properties also check that a
//! password never survives. The default 256 cases per property keep the run short in CI.

use proptest::prelude::*;

use crate::config::{redact, scrub, Config, DatabaseUrl, CONFIG_FILE};
use crate::ddl::{parse_sqlite_create_table, DdlImpl, MysqlImpl, PostgresImpl, SqliteImpl};
use crate::revision::{Revision, RevisionMap};
use crate::schema::{Column, SqlType};

/// a1 <- b2 <- c3, a1 <- d4 (labelled `feature`), (c3, d4) <- m5, and a lone root r9.
fn graph() -> RevisionMap {
    let mut labelled = Revision::new("d4", &["a1"]);
    labelled.branch_labels.push("feature".into());
    RevisionMap::new([
        Revision::new("a1", &[]),
        Revision::new("b2", &["a1"]),
        Revision::new("c3", &["b2"]),
        labelled,
        Revision::new("m5", &["c3", "d4"]),
        Revision::new("r9", &[]),
    ])
    .expect("valid graph")
}

/// Revision expressions as users write them, near misses included.
fn revision_spec() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just(String::new()),
        Just("head".to_owned()),
        Just("heads".to_owned()),
        Just("base".to_owned()),
        Just("feature".to_owned()),
        "[a-z][0-9]?",
        "[a-z0-9@+:-]{0,6}",
    ];
    let suffix = prop_oneof![
        Just(String::new()),
        "[+-][0-9]{1,3}",
        "@(head|base|[+-][0-9]{1,2})",
        Just("+99999999999999999999999".to_owned()),
    ];
    prop_oneof![
        (word, suffix).prop_map(|(w, s)| format!("{w}{s}")),
        any::<String>(),
    ]
}

/// Heads as a version table may hold them: known ids, unknown ones, none.
fn current_heads() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(
        prop_oneof![
            Just("a1".to_owned()),
            Just("c3".to_owned()),
            Just("d4".to_owned()),
            Just("m5".to_owned()),
            "[a-z0-9]{1,4}"
        ],
        0..3,
    )
}

proptest! {
    #[test]
    fn revision_expressions_never_panic(spec in revision_spec(), current in current_heads()) {
        let map = graph();
        let _ = map.resolve_id(&spec);
        if let Ok(targets) = map.resolve_upgrade(&current, &spec) {
            let _ = map.upgrade_plan(&current, &targets);
        }
        if let Ok(targets) = map.resolve_downgrade(&current, &spec) {
            let _ = map.downgrade_plan(&current, &targets);
        }
        let (start, end) = spec.split_once(':').unwrap_or(("", &spec));
        fn side(s: &str) -> Option<&str> {
            (!s.is_empty()).then_some(s)
        }
        let _ = map.range(side(start), side(end));
        let _ = map.check_known(&current, "retort_version");
    }

    #[test]
    fn urls_parse_and_redact_without_panicking(url in any::<String>()) {
        let _ = DatabaseUrl::parse(&url);
        let _ = redact(&url);
        let _ = scrub(&url, &url);
    }

    /// A password in the userinfo, the query or a `key=value` string never survives redaction,
    /// nor a message that quotes it.
    #[test]
    fn passwords_never_survive_redaction(
        scheme in "(postgres|postgresql|mysql|mariadb|oracle)",
        user in "[a-z]{1,8}",
        password in "[A-Za-z0-9%@:!]{6,16}",
        host in "[a-z]{1,8}(:[0-9]{1,6})?",
    ) {
        // `***` inside the password would survive as text that looks redacted; keep it out.
        prop_assume!(!password.contains("***"));
        let forms = [
            format!("{scheme}://{user}:{password}@{host}/db"),
            format!("{scheme}://{host}/db?user={user}&password={password}"),
            format!("host={host} user={user} password={password}"),
            format!("host={host} password = '{password}' dbname=db"),
        ];
        for url in forms {
            let shown = redact(&url);
            prop_assert!(!shown.contains(&password), "{url} -> {shown}");
            let quoted = format!("invalid token: \"{password}\" in {url}");
            let scrubbed = scrub(&quoted, &url);
            prop_assert!(!scrubbed.contains(&password), "{quoted} -> {scrubbed}");
            if let Err(e) = DatabaseUrl::parse(&url) {
                prop_assert!(!e.to_string().contains(&password), "{e}");
            }
        }
    }

    /// Any `Migrate.toml` loads or is refused; a refusal never quotes the URL's password.
    #[test]
    fn config_files_never_panic_or_leak(
        text in prop_oneof![
            any::<String>(),
            "(script_location|database_url|version_table|lock|lock_timeout|x) ?= ?\"?[a-z:/@\\[\\]\"=]{0,20}\n?",
        ],
        broken_url in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join(CONFIG_FILE);
        let secret = "s3cr3tpw";
        let url_line = if broken_url {
            format!("database_url = \"postgres://u:{secret}@db/x\n")
        } else {
            format!("database_url = 'postgres://u:{secret}@db/x\n")
        };
        std::fs::write(&file, format!("{text}\n{url_line}")).expect("write");
        if let Err(e) = Config::load(&file, None) {
            prop_assert!(!e.to_string().contains(secret), "{e}");
            prop_assert!(!format!("{e:?}").contains(secret), "{e:?}");
        }
    }

    #[test]
    fn sqlite_create_table_text_never_panics(
        sql in prop_oneof![
            any::<String>(),
            "CREATE TABLE [a-z\"]{1,5} \\(([a-z]{1,4} [a-z]{0,8}( ?\\([0-9, ]{0,5}\\))?,? ?){0,4}\
             (PRIMARY KEY|UNIQUE|CHECK|FOREIGN KEY|REFERENCES|CONSTRAINT|DEFAULT|GENERATED|AS| |\\(|\\)|[a-z0-9'])*\\)?",
        ],
    ) {
        let _ = parse_sqlite_create_table(&sql);
    }

    #[test]
    fn defaults_and_types_never_panic(
        text in prop_oneof![
            any::<String>(),
            "[-+]?[0-9.]{0,6}(::[a-z ]{1,10})?",
            "'[a-z']{0,6}'(::[a-z]{1,8})?",
            "\\(*(now|CURRENT_TIMESTAMP|true|NULL)(\\(\\))?\\)*",
            "[a-z]{1,10}( ?\\([0-9, ]{0,6}\\)?)?( unsigned| with time zone)?",
        ],
    ) {
        let _ = SqlType::parse(&text);
        for sql_type in [
            SqlType::Boolean,
            SqlType::Integer,
            SqlType::numeric(10, 2),
            SqlType::Text,
            SqlType::Timestamp,
        ] {
            let column = Column::new("c", sql_type);
            for ddl in [&SqliteImpl as &dyn DdlImpl, &PostgresImpl, &MysqlImpl] {
                let _ = ddl.canonical_default(&text, &column);
            }
        }
    }
}
