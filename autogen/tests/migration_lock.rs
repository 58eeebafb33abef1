//! The migration lock (DESIGN §4.4) against real servers: one lock per database, a timeout
//! that names the holder, the waiting line, and runs without the lock.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use retort_core::config::LockConfig;
use retort_core::context::MigrationContext;
use retort_core::ddl::Dialect;
use retort_core::error::{Error, MigrationError};
use retort_core::testing::TestDb;

/// The server backends this build can reach.
fn servers() -> Vec<Dialect> {
    let mut dialects = Vec::new();
    if cfg!(feature = "postgres") {
        dialects.push(Dialect::Postgres);
    }
    if cfg!(feature = "mysql") {
        dialects.push(Dialect::Mysql);
    }
    dialects
}

/// A context on `db` with this lock configuration, and the lines it logs.
fn context(db: &TestDb, lock: LockConfig) -> (MigrationContext, Rc<RefCell<Vec<String>>>) {
    let lines = Rc::new(RefCell::new(Vec::new()));
    let log = lines.clone();
    let ctx = db
        .context()
        .with_lock(lock)
        .with_log(move |line| log.borrow_mut().push(line.to_owned()));
    (ctx, lines)
}

fn waiting(lines: &RefCell<Vec<String>>) -> Vec<String> {
    lines
        .borrow()
        .iter()
        .filter(|l| l.starts_with("waiting for the migration lock"))
        .cloned()
        .collect()
}

fn lock(timeout_secs: u64) -> LockConfig {
    LockConfig {
        enabled: true,
        timeout: Duration::from_secs(timeout_secs),
    }
}

fn nothing(_: &mut retort_core::operations::Operations) -> retort_core::error::Result<()> {
    Ok(())
}

/// One revision that changes nothing but the version table.
static ONE: [retort_core::script::Script; 1] = [retort_core::script::Script {
    revision: "b1",
    down_revisions: &[],
    branch_labels: &[],
    depends_on: &[],
    message: "one",
    path: "b1_one.rs",
    checksum: "fnv1a64:00000000000000b1",
    upgrade: nothing,
    downgrade: nothing,
}];

/// `upgrade head` as the command runs it: planned and applied under the migration lock.
fn upgrade_head(ctx: &mut MigrationContext) -> Result<(), Error> {
    let dir = retort_core::script::ScriptDirectory::new("versions", &ONE)?;
    ctx.with_migration_lock(|ctx| {
        let current = ctx.current_heads()?;
        let targets = dir.map().resolve_upgrade(&current, "head")?;
        let steps = dir.map().upgrade_plan(&current, &targets)?;
        ctx.run_steps(dir.map(), &dir.scripts(), &steps)
    })
}

/// Stamps `rev` under the migration lock.
fn stamp(ctx: &mut MigrationContext, rev: &str) -> Result<(), Error> {
    ctx.with_migration_lock(|ctx| {
        ctx.stamp(&crate::support::no_scripts(), &[rev.to_owned()], false)
    })
}

/// The name the server gives the test database.
fn database_name(db: &TestDb) -> String {
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let sql = match db.dialect {
        Dialect::Mysql => "SELECT DATABASE() AS name",
        _ => "SELECT CAST(current_database() AS TEXT) AS name",
    };
    let rows: Vec<Name> = db.executor().load(sql).expect("database name");
    rows.into_iter().next().expect("one row").name
}

/// While a run holds the lock of database A, an upgrade of database B on the same server does
/// not wait at all: with a timeout of zero it takes B's lock at once. On MySQL the lock is named
/// after the database (`GET_LOCK` names are server-wide); PostgreSQL's advisory locks belong
/// to their database.
#[test]
fn databases_on_one_server_do_not_wait_for_each_other() {
    for dialect in servers() {
        let (Some(a), Some(b)) = (TestDb::new(dialect), TestDb::new(dialect)) else {
            continue;
        };
        let held = a.hold_migration_lock();
        let (mut on_b, lines) = context(&b, lock(0));
        let started = Instant::now();
        upgrade_head(&mut on_b).unwrap_or_else(|e| panic!("{dialect}: {e}"));
        assert!(started.elapsed() < Duration::from_secs(2), "{dialect}");
        assert!(
            waiting(&lines).is_empty(),
            "{dialect}: {:?}",
            lines.borrow()
        );
        assert_eq!(b.context().current_heads().expect("heads"), ["b1"]);
        // A's lock is really held: a run on A with a timeout of zero gives up.
        let (mut on_a, _) = context(&a, lock(0));
        let err = stamp(&mut on_a, "a1").expect_err("A is locked");
        assert!(
            matches!(err, Error::Migration(MigrationError::LockTimeout { .. })),
            "{dialect}: {err}"
        );
        if dialect == Dialect::Mysql {
            let name = format!("retort:{}.retort_version", database_name(&a));
            #[derive(diesel::QueryableByName)]
            struct Used {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            let sql = format!("SELECT CAST(IS_USED_LOCK('{name}') IS NOT NULL AS SIGNED) AS n");
            let used: Vec<Used> = b.executor().load(&sql).expect("is used");
            assert_eq!(used[0].n, 1, "the lock is named {name}");
        }
        drop(held);
    }
}

/// A lock held past the timeout: the run gives up after about that long with an error naming
/// the lock, its holder and what to do, having written nothing.
#[test]
fn an_expired_lock_timeout_names_the_lock_and_its_holder() {
    for dialect in servers() {
        let Some(db) = TestDb::new(dialect) else {
            continue;
        };
        let held = db.hold_migration_lock();
        let (mut ctx, lines) = context(&db, lock(1));
        let started = Instant::now();
        let err = stamp(&mut ctx, "r1").expect_err("times out");
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_secs(1) && waited < Duration::from_secs(5),
            "{dialect}: {waited:?}"
        );
        let message = err.to_string();
        let name = database_name(&db);
        let lock_name = match dialect {
            Dialect::Postgres => format!("`{name}.public.retort_version`"),
            _ => format!("`{name}.retort_version`"),
        };
        assert!(
            message.contains(&format!(
                "gave up after 1 s waiting for the migration lock of {lock_name}"
            )),
            "{message}"
        );
        let holder = match dialect {
            Dialect::Postgres => "held by pid ",
            _ => "held by connection ",
        };
        assert!(message.contains(holder), "{message}");
        if dialect == Dialect::Postgres {
            assert!(
                message.contains("(application retort, connected since "),
                "{message}"
            );
        }
        assert!(message.contains("--lock-timeout"), "{message}");
        assert_eq!(waiting(&lines).len(), 1, "{:?}", lines.borrow());
        assert!(
            !db.context().has_table("retort_version").expect("query"),
            "{dialect}: nothing was written"
        );
        drop(held);
    }
}

/// A lock held for a moment is waited for, saying once who holds it.
#[test]
fn a_briefly_held_lock_is_waited_for_and_the_wait_said_once() {
    for dialect in servers() {
        let Some(db) = TestDb::new(dialect) else {
            continue;
        };
        let held = db.hold_migration_lock();
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(1500));
            drop(held);
        });
        let (mut ctx, lines) = context(&db, lock(60));
        stamp(&mut ctx, "r1").unwrap_or_else(|e| panic!("{dialect}: {e}"));
        release.join().expect("released");
        let said = waiting(&lines);
        assert_eq!(said.len(), 1, "{dialect}: {:?}", lines.borrow());
        assert!(said[0].contains(".retort_version, held by "), "{said:?}");
        assert!(said[0].ends_with("; giving up after 60 s"), "{said:?}");
        assert_eq!(db.context().current_heads().expect("heads"), ["r1"]);
    }
}

/// With the lock disabled (`lock = false`, `--no-lock`) a run neither takes nor waits for it.
#[test]
fn without_the_lock_a_run_does_not_wait_for_it() {
    for dialect in servers() {
        let Some(db) = TestDb::new(dialect) else {
            continue;
        };
        let held = db.hold_migration_lock();
        let (mut ctx, lines) = context(
            &db,
            LockConfig {
                enabled: false,
                timeout: Duration::ZERO,
            },
        );
        stamp(&mut ctx, "r1").unwrap_or_else(|e| panic!("{dialect}: {e}"));
        assert!(waiting(&lines).is_empty(), "{:?}", lines.borrow());
        assert_eq!(db.context().current_heads().expect("heads"), ["r1"]);
        drop(held);
    }
}

/// SQLite has no session lock: `BEGIN IMMEDIATE` waits for another writer up to the lock
/// timeout (its busy timeout), then fails.
#[cfg(feature = "sqlite")]
#[test]
fn sqlite_waits_for_another_writer_up_to_the_lock_timeout() {
    let db = TestDb::new(Dialect::Sqlite).expect("SQLite");
    let held = db.hold_migration_lock();
    let (mut ctx, _) = context(&db, lock(1));
    let started = Instant::now();
    let err = stamp(&mut ctx, "r1").expect_err("the database is locked");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(10),
        "{waited:?}"
    );
    assert!(err.to_string().contains("database is locked"), "{err}");
    drop(held);
    stamp(&mut ctx, "r1").expect("free again");
}
