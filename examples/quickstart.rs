//! Retort in one run, on a SQLite file in a temporary directory (no server, no system library):
//! two related models → autogenerate the initial revision → upgrade → the resulting schema →
//! add a column to a model → autogenerate again.
//!
//! A real project does the same with `cargo migrate revision --autogenerate` and
//! `cargo migrate upgrade head`, which compile the revision files into the project's runner;
//! here the ops behind each printed file are applied in-process so the example runs in seconds.
//!
//! Run it with `cargo run --example quickstart`.

use retort::autogen::render::{render_migration, RevisionHeader};
use retort::core::ddl::SqliteImpl;
use retort::core::executor::Executor;
use retort::core::script::new_revision_id;
use retort::prelude::*;
use retort::{DatabaseUrl, Environment, MetaData, MigrationContext, Op};

/// The models as first written.
#[allow(dead_code)]
mod v1 {
    use retort::prelude::*;

    #[derive(Table)]
    #[table(name = "authors")]
    pub struct Author {
        #[column(primary_key)]
        pub id: i64,
        #[column(length = 200, unique)]
        pub name: String,
    }

    #[derive(Table)]
    #[table(name = "books")]
    pub struct Book {
        #[column(primary_key)]
        pub id: i64,
        #[column(index, foreign_key = "authors.id", on_delete = "cascade")]
        pub author_id: i64,
        pub title: String,
        #[column(default = 0)]
        pub pages: i32,
    }
}

/// The same models after a change: authors get an optional biography.
#[allow(dead_code)]
mod v2 {
    use retort::prelude::*;

    #[derive(Table)]
    #[table(name = "authors")]
    pub struct Author {
        #[column(primary_key)]
        pub id: i64,
        #[column(length = 200, unique)]
        pub name: String,
        pub biography: Option<String>,
    }
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let dir =
        tempfile::tempdir().map_err(retort::Error::io("cannot create", "a temporary directory"))?;
    let db = dir.path().join("quickstart.db");
    println!("SQLite database: {}\n", db.display());
    let url = DatabaseUrl::Sqlite(db.display().to_string());
    let mut ctx = MigrationContext::new(Executor::connect(&url)?, &SqliteImpl, "retort_version")
        .with_log(|line| println!("{line}"));

    let first = MetaData::from_tables([v1::Author::table(), v1::Book::table()]);
    let first_id = autogenerate_and_upgrade(&mut ctx, &first, "create authors and books", None)?;

    println!("== schema after upgrade ==");
    print_schema(&mut ctx)?;

    // Only authors changed; books stay as they were.
    let second = MetaData::from_tables([v2::Author::table(), v1::Book::table()]);
    autogenerate_and_upgrade(&mut ctx, &second, "add author biography", Some(first_id))?;

    let second = Environment::new(&[])
        .target_metadata(second)
        .target_for(ctx.ddl())?;
    let (left, _) = retort::autogen::produce_migration(&mut ctx, &second)?;
    println!(
        "== check ==\n{}",
        if left.is_empty() {
            "No new upgrade operations detected."
        } else {
            "differences remain"
        }
    );
    Ok(())
}

/// Autogenerates a revision against the database, prints its file, applies its upgrade ops
/// and records it in the version table. Returns the new revision id.
fn autogenerate_and_upgrade(
    ctx: &mut MigrationContext,
    target: &MetaData,
    message: &str,
    down_revision: Option<String>,
) -> Result<String> {
    // The runner's Environment names constraints and indexes by the naming convention.
    let target = Environment::new(&[])
        .target_metadata(target.clone())
        .target_for(ctx.ddl())?;
    let (upgrade, _warnings) = retort::autogen::produce_migration(ctx, &target)?;
    let downgrade = Op::reverse_all(&upgrade)?;
    let revision = new_revision_id();
    let header = RevisionHeader {
        message: message.to_owned(),
        revision: revision.clone(),
        down_revisions: down_revision.into_iter().collect(),
        create_date: chrono::Utc::now()
            .format("%Y-%m-%d %H:%M:%S UTC")
            .to_string(),
        ..RevisionHeader::default()
    };
    let file = render_migration(&header, &upgrade, &downgrade).map_err(retort::Error::other)?;
    println!(
        "== versions/{revision}_{}.rs ==\n{file}",
        retort::core::script::slug(message)
    );
    println!("== upgrade ==");
    for op in &upgrade {
        println!("  {op}");
    }
    ctx.run_ops(&upgrade)?;
    // The example keeps its revision in memory, not in a compiled versions directory.
    let scripts = retort::core::script::ScriptDirectory::new("versions", &[])?;
    ctx.stamp(&scripts, std::slice::from_ref(&revision), false)?;
    println!();
    Ok(revision)
}

/// The reflected schema, written as the CREATE statements SQLite would take.
fn print_schema(ctx: &mut MigrationContext) -> Result<()> {
    let reflected = retort::autogen::reflect(ctx)?;
    for table in reflected.metadata.tables.values() {
        for statement in retort::core::ddl::DdlImpl::create_table(&SqliteImpl, table)? {
            println!("{statement};");
        }
    }
    println!();
    Ok(())
}
