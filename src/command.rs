//! One function per `cargo migrate` command (Alembic's `alembic.command`).
//!
//! Each takes the resolved [`Config`], the runner's [`Environment`] (revision files and target
//! metadata) and where to print, so they run the same from the CLI, from an application that
//! upgrades at start-up, or from a test.

use std::io::Write;
use std::path::PathBuf;

use retort_autogen::render::{render_migration, RevisionHeader};
use retort_core::config::Config;
use retort_core::context::MigrationContext;
use retort_core::ddl::ddl_impl;
use retort_core::error::{Error, Result};
use retort_core::executor::Executor;
use retort_core::ops::Op;
use retort_core::revision::RevisionError;
use retort_core::script::{new_revision_id, ScriptDirectory};

use crate::environment::Environment;

pub use crate::init::{init, InitOptions};

/// Options of `revision`.
#[derive(Clone, Debug, Default)]
pub struct RevisionOptions {
    pub message: String,
    pub autogenerate: bool,
    pub rev_id: Option<String>,
}

/// What `check` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckOutcome {
    Clean,
    Differences(Vec<String>),
}

fn print(out: &mut dyn Write, line: impl std::fmt::Display) -> Result<()> {
    writeln!(out, "{line}").map_err(|e| Error::Other(format!("cannot write output: {e}")))
}

fn connect(config: &Config) -> Result<MigrationContext> {
    let url = config.database_url()?;
    let ddl = ddl_impl(url.dialect());
    Ok(MigrationContext::new(
        Executor::connect(&url)?,
        ddl,
        &config.version_table,
    ))
}

fn offline(config: &Config, start: Vec<String>) -> Result<MigrationContext> {
    let url = config.database_url()?;
    let ddl = ddl_impl(url.dialect());
    Ok(MigrationContext::new(
        Executor::offline(std::io::stdout()),
        ddl,
        &config.version_table,
    )
    .with_offline_start(start))
}

/// Splits `--sql`'s `START:END` (START may be empty, meaning base).
fn split_range(spec: &str) -> (Option<&str>, &str) {
    match spec.split_once(':') {
        Some((start, end)) => (Some(start), end),
        None => (None, spec),
    }
}

/// `upgrade REV [--sql]`.
pub fn upgrade(env: &Environment, config: &Config, revision: &str, sql: bool) -> Result<()> {
    let scripts = env.script_directory(config)?;
    let map = scripts.map();
    let (start, end) = split_range(revision);
    let mut ctx = if sql {
        let start = match start {
            Some("") | Some("base") | None => Vec::new(),
            Some(rev) => vec![map.resolve_id(rev)?],
        };
        offline(config, start)?
    } else if start.is_some() {
        return Err(Error::Config(format!(
            "`{revision}`: a START:END range needs --sql; online, upgrade starts from the \
             database's current revision"
        )));
    } else {
        connect(config)?
    };
    let current = ctx.current_heads()?;
    let targets = map.resolve_upgrade(&current, end)?;
    let steps = map.upgrade_plan(&current, &targets)?;
    ctx.run_steps(map, &scripts.scripts(), &steps)
}

/// `downgrade REV [--sql]`.
pub fn downgrade(env: &Environment, config: &Config, revision: &str, sql: bool) -> Result<()> {
    let scripts = env.script_directory(config)?;
    let map = scripts.map();
    let (start, end) = split_range(revision);
    let mut ctx =
        match (sql, start) {
            (true, Some(start)) => offline(config, vec![map.resolve_id(start)?])?,
            (true, None) => {
                return Err(Error::Config(format!(
                "downgrade --sql needs a range START:END (e.g. `{}:base`): there is no database \
                 to read the current revision from",
                map.head().ok().flatten().unwrap_or_else(|| "head".to_owned())
            )))
            }
            (false, Some(_)) => {
                return Err(Error::Config(format!(
                    "`{revision}`: a START:END range needs --sql"
                )))
            }
            (false, None) => connect(config)?,
        };
    let current = ctx.current_heads()?;
    let targets = map.resolve_downgrade(&current, end)?;
    let steps = map.downgrade_plan(&current, &targets)?;
    ctx.run_steps(map, &scripts.scripts(), &steps)
}

/// `stamp REV... [--sql]`: sets the version table without running migrations.
pub fn stamp(env: &Environment, config: &Config, revisions: &[String], sql: bool) -> Result<()> {
    let scripts = env.script_directory(config)?;
    let map = scripts.map();
    let mut heads = Vec::new();
    for spec in revisions {
        if spec != "base" {
            heads.extend(map.resolve_upgrade(&[], spec)?);
        }
    }
    heads.sort();
    heads.dedup();
    let mut ctx = if sql {
        offline(config, Vec::new())?
    } else {
        connect(config)?
    };
    ctx.stamp(&heads)
}

/// Fails unless the database is at the head(s): autogenerate against an old schema would
/// repeat migrations that exist already.
fn require_up_to_date(ctx: &mut MigrationContext, scripts: &ScriptDirectory) -> Result<()> {
    let mut current = ctx.current_heads()?;
    current.sort();
    let heads = scripts.map().heads();
    if current != heads {
        return Err(Error::Migration(format!(
            "the database is not up to date (at {}, heads are {}); run `cargo migrate upgrade \
             head` first",
            if current.is_empty() {
                "base".to_owned()
            } else {
                current.join(", ")
            },
            heads.join(", ")
        )));
    }
    Ok(())
}

/// The ops that would bring the database to the models; warnings go to `out`.
fn autogenerate(
    env: &Environment,
    ctx: &mut MigrationContext,
    out: &mut dyn Write,
) -> Result<Vec<Op>> {
    let target = env.target_for(ctx.ddl())?;
    let (ops, warnings) = retort_autogen::produce_migration_with(ctx, &target, env.include())?;
    for warning in warnings {
        print(out, format_args!("warning: {warning}"))?;
    }
    Ok(ops)
}

/// `revision -m MSG [--autogenerate]`: writes a new file and returns its path.
pub fn revision(
    env: &Environment,
    config: &Config,
    options: &RevisionOptions,
    out: &mut dyn Write,
) -> Result<PathBuf> {
    let scripts = env.script_directory(config)?;
    let down_revisions = scripts.map().heads();
    if down_revisions.len() > 1 {
        return Err(RevisionError::MultipleHeads {
            heads: down_revisions,
        }
        .into());
    }
    let (upgrade_ops, downgrade_ops) = if options.autogenerate {
        let mut ctx = connect(config)?;
        require_up_to_date(&mut ctx, &scripts)?;
        let ops = autogenerate(env, &mut ctx, out)?;
        let down = Op::reverse_all(&ops)?;
        (ops, down)
    } else {
        (Vec::new(), Vec::new())
    };
    let revision = options.rev_id.clone().unwrap_or_else(new_revision_id);
    if scripts.map().get(&revision).is_some() {
        return Err(Error::Config(format!(
            "revision id `{revision}` is already used; pick another"
        )));
    }
    let header = RevisionHeader {
        message: options.message.clone(),
        revision: revision.clone(),
        down_revisions,
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        create_date: chrono::Utc::now()
            .format("%Y-%m-%d %H:%M:%S UTC")
            .to_string(),
    };
    let text = render_migration(&header, &upgrade_ops, &downgrade_ops)
        .map_err(|e| Error::Other(e.to_string()))?;
    if options.autogenerate {
        for op in &upgrade_ops {
            print(out, format_args!("Detected {op}"))?;
        }
    }
    let path = scripts.write_revision(&revision, &options.message, &text)?;
    print(out, format_args!("Generating {} ... done", path.display()))?;
    Ok(path)
}

/// `check`: compares the models with the database without writing anything.
pub fn check(env: &Environment, config: &Config, out: &mut dyn Write) -> Result<CheckOutcome> {
    let scripts = env.script_directory(config)?;
    let mut ctx = connect(config)?;
    require_up_to_date(&mut ctx, &scripts)?;
    let ops = autogenerate(env, &mut ctx, out)?;
    if ops.is_empty() {
        print(out, "No new upgrade operations detected.")?;
        return Ok(CheckOutcome::Clean);
    }
    print(out, "New upgrade operations detected:")?;
    let lines: Vec<String> = ops.iter().map(ToString::to_string).collect();
    for line in &lines {
        print(out, format_args!("  - {line}"))?;
    }
    Ok(CheckOutcome::Differences(lines))
}

/// `current`: the revision(s) in the version table.
pub fn current(
    env: &Environment,
    config: &Config,
    verbose: bool,
    out: &mut dyn Write,
) -> Result<Vec<String>> {
    let scripts = env.script_directory(config)?;
    let mut ctx = connect(config)?;
    let current = ctx.current_heads()?;
    if verbose {
        print(
            out,
            format_args!(
                "Current revision(s) for {}:",
                config
                    .database_url
                    .as_deref()
                    .map(retort_core::config::redact)
                    .unwrap_or_default()
            ),
        )?;
    }
    let heads = scripts.map().heads();
    for rev in &current {
        let mark = if heads.contains(rev) { " (head)" } else { "" };
        let message = scripts
            .script(rev)
            .map(|s| s.message)
            .unwrap_or("(not in this project)");
        print(out, format_args!("{rev}{mark}, {message}"))?;
    }
    Ok(current)
}

/// `heads`.
pub fn heads(env: &Environment, config: &Config, verbose: bool, out: &mut dyn Write) -> Result<()> {
    let scripts = env.script_directory(config)?;
    for head in scripts.map().heads() {
        match (verbose, scripts.script(&head)) {
            (true, Some(s)) => print(
                out,
                format_args!("{head} (head), {}  [{}]", s.message, s.path),
            )?,
            (_, Some(s)) => print(out, format_args!("{head} (head), {}", s.message))?,
            (_, None) => print(out, format_args!("{head} (head)"))?,
        }
    }
    Ok(())
}

/// `history`: newest first, as `parent -> rev (head), message`.
pub fn history(
    env: &Environment,
    config: &Config,
    verbose: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let scripts = env.script_directory(config)?;
    let heads = scripts.map().heads();
    for rev in scripts.map().ordered().into_iter().rev() {
        let parents = if rev.down_revisions.is_empty() {
            "<base>".to_owned()
        } else {
            rev.down_revisions.join(", ")
        };
        let mark = if heads.contains(&rev.id) {
            " (head)"
        } else {
            ""
        };
        let script = scripts.script(&rev.id);
        let message = script.map(|s| s.message).unwrap_or_default();
        print(
            out,
            format_args!("{parents} -> {}{mark}, {message}", rev.id),
        )?;
        if verbose {
            if let Some(s) = script {
                print(
                    out,
                    format_args!(
                        "    Path: {}",
                        scripts.versions_dir().join(s.path).display()
                    ),
                )?;
            }
        }
    }
    Ok(())
}
