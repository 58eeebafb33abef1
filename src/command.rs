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
#[derive(Clone, Debug, Default, clap::Args)]
pub struct RevisionOptions {
    /// The revision's message.
    #[arg(short, long)]
    pub message: String,
    /// Fill the revision with the difference between the models and the database.
    #[arg(long)]
    pub autogenerate: bool,
    /// Use this id instead of a random one.
    #[arg(long, value_name = "ID")]
    pub rev_id: Option<String>,
    /// The revision to build on (default: the single head); `base` starts a new root.
    #[arg(long, value_name = "REV")]
    pub head: Option<String>,
    /// Allow `--head` to name a revision that is not a head, starting a branch there.
    #[arg(long)]
    pub splice: bool,
    /// A label for the new revision's branch (`label@head` then names its head).
    #[arg(long = "branch-label", value_name = "LABEL")]
    pub branch_labels: Vec<String>,
    /// A revision that must be applied before this one without being its parent.
    #[arg(long = "depends-on", value_name = "REV")]
    pub depends_on: Vec<String>,
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
    // Plan under the lock: a concurrent run must see what this one applied.
    ctx.with_migration_lock(|ctx| {
        let current = ctx.current_heads()?;
        let targets = map.resolve_upgrade(&current, end)?;
        let steps = map.upgrade_plan(&current, &targets)?;
        ctx.run_steps(map, &scripts.scripts(), &steps)
    })
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
    ctx.with_migration_lock(|ctx| {
        let current = ctx.current_heads()?;
        let targets = map.resolve_downgrade(&current, end)?;
        let steps = map.downgrade_plan(&current, &targets)?;
        ctx.run_steps(map, &scripts.scripts(), &steps)
    })
}

/// `stamp REV... [--sql]`: sets the version table without running migrations.
pub fn stamp(
    env: &Environment,
    config: &Config,
    revisions: &[String],
    sql: bool,
    purge: bool,
) -> Result<()> {
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
    ctx.with_migration_lock(|ctx| {
        if purge {
            ctx.purge_version_table()?;
        }
        ctx.stamp(&heads)
    })
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

/// The parents of a new revision: the single head, `--head REV` (a head, or any revision
/// with `--splice`), or none for `--head base`.
fn parents(scripts: &ScriptDirectory, options: &RevisionOptions) -> Result<Vec<String>> {
    let map = scripts.map();
    let heads = map.heads();
    let Some(spec) = options.head.as_deref() else {
        if heads.len() > 1 {
            return Err(RevisionError::MultipleHeads { heads }.into());
        }
        return Ok(heads);
    };
    if spec == "base" {
        return Ok(Vec::new());
    }
    let parents = map.resolve_upgrade(&[], spec)?;
    if let Some(inner) = parents
        .iter()
        .find(|p| !heads.contains(p))
        .filter(|_| !options.splice)
    {
        return Err(Error::Config(format!(
            "revision `{inner}` is not a head; pass --splice to start a branch from it"
        )));
    }
    Ok(parents)
}

/// Writes a revision file for `header` with these ops and reports it.
fn write_revision(
    scripts: &ScriptDirectory,
    header: &RevisionHeader,
    upgrade: &[Op],
    downgrade: &[Op],
    out: &mut dyn Write,
) -> Result<PathBuf> {
    if scripts.map().get(&header.revision).is_some() {
        return Err(Error::Config(format!(
            "revision id `{}` is already used; pick another",
            header.revision
        )));
    }
    let text =
        render_migration(header, upgrade, downgrade).map_err(|e| Error::Other(e.to_string()))?;
    let path = scripts.write_revision(&header.revision, &header.message, &text)?;
    print(out, format_args!("Generating {} ... done", path.display()))?;
    Ok(path)
}

fn new_header(message: &str, rev_id: Option<&str>, down_revisions: Vec<String>) -> RevisionHeader {
    RevisionHeader {
        message: message.to_owned(),
        revision: rev_id.map_or_else(new_revision_id, str::to_owned),
        down_revisions,
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        create_date: chrono::Utc::now()
            .format("%Y-%m-%d %H:%M:%S UTC")
            .to_string(),
    }
}

/// `revision -m MSG [--autogenerate] [--head REV [--splice]] [--branch-label L]
/// [--depends-on REV]...`: writes a new file and returns its path.
pub fn revision(
    env: &Environment,
    config: &Config,
    options: &RevisionOptions,
    out: &mut dyn Write,
) -> Result<PathBuf> {
    let scripts = env.script_directory(config)?;
    let map = scripts.map();
    let mut header = new_header(
        &options.message,
        options.rev_id.as_deref(),
        parents(&scripts, options)?,
    );
    for label in &options.branch_labels {
        if map.resolve_id(label).is_ok() {
            return Err(Error::Config(format!(
                "`{label}` already names a revision or branch; choose another label"
            )));
        }
    }
    header.branch_labels = options.branch_labels.clone();
    header.depends_on = options
        .depends_on
        .iter()
        .map(|spec| map.resolve_id(spec))
        .collect::<std::result::Result<_, _>>()?;
    let (upgrade_ops, downgrade_ops) = if options.autogenerate {
        let mut ctx = connect(config)?;
        require_up_to_date(&mut ctx, &scripts)?;
        let ops = autogenerate(env, &mut ctx, out)?;
        for op in &ops {
            print(out, format_args!("Detected {op}"))?;
        }
        let down = Op::reverse_all(&ops)?;
        (ops, down)
    } else {
        (Vec::new(), Vec::new())
    };
    write_revision(&scripts, &header, &upgrade_ops, &downgrade_ops, out)
}

/// `merge REVS... -m MSG`: an empty revision whose parents are the given revisions
/// (`heads` for every head), joining their branches.
pub fn merge(
    env: &Environment,
    config: &Config,
    revisions: &[String],
    message: &str,
    rev_id: Option<&str>,
    out: &mut dyn Write,
) -> Result<PathBuf> {
    let scripts = env.script_directory(config)?;
    let mut parents = Vec::new();
    for spec in revisions {
        for id in scripts.map().resolve_upgrade(&[], spec)? {
            if !parents.contains(&id) {
                parents.push(id);
            }
        }
    }
    if parents.len() < 2 {
        return Err(Error::Config(format!(
            "a merge joins two or more revisions, and `{}` names {}; run `cargo migrate heads`",
            revisions.join(" "),
            parents.len()
        )));
    }
    parents.sort();
    let header = new_header(message, rev_id, parents);
    write_revision(&scripts, &header, &[], &[], out)
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

/// `history [-r START:END]`: newest first, as `parent -> rev (head), message`.
pub fn history(
    env: &Environment,
    config: &Config,
    range: Option<&str>,
    verbose: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let scripts = env.script_directory(config)?;
    let map = scripts.map();
    let shown = match range {
        Some(range) => {
            let (start, end) = range.split_once(':').ok_or_else(|| {
                Error::Config(format!("history range `{range}` is not START:END"))
            })?;
            let side = |s: &str| (!s.is_empty() && s != "base").then(|| s.to_owned());
            Some(map.range(side(start).as_deref(), side(end).as_deref())?)
        }
        None => None,
    };
    let heads = map.heads();
    for rev in map.ordered().into_iter().rev() {
        if shown.as_ref().is_some_and(|s| !s.contains(&rev.id)) {
            continue;
        }
        let parents = if rev.down_revisions.is_empty() {
            "<base>".to_owned()
        } else {
            rev.down_revisions.join(", ")
        };
        let mut marks = Vec::new();
        if heads.contains(&rev.id) {
            marks.push("head");
        }
        if map.children(&rev.id).len() > 1 {
            marks.push("branchpoint");
        }
        if rev.down_revisions.len() > 1 {
            marks.push("mergepoint");
        }
        let marks = if marks.is_empty() {
            String::new()
        } else {
            format!(" ({})", marks.join(") ("))
        };
        let script = scripts.script(&rev.id);
        let message = script.map(|s| s.message).unwrap_or_default();
        print(
            out,
            format_args!("{parents} -> {}{marks}, {message}", rev.id),
        )?;
        if let (true, Some(s)) = (verbose, script) {
            let path = scripts.versions_dir().join(s.path);
            print(out, format_args!("    Path: {}", path.display()))?;
        }
    }
    Ok(())
}

/// `branches`: each branch point and the revisions it branches into.
pub fn branches(
    env: &Environment,
    config: &Config,
    verbose: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let scripts = env.script_directory(config)?;
    let map = scripts.map();
    for rev in map.ordered() {
        let children = map.children(&rev.id);
        if children.len() < 2 {
            continue;
        }
        let message = scripts
            .script(&rev.id)
            .map(|s| s.message)
            .unwrap_or_default();
        print(out, format_args!("{} (branchpoint), {message}", rev.id))?;
        for child in children {
            let message = scripts
                .script(&child)
                .map(|s| s.message)
                .unwrap_or_default();
            if verbose {
                print(out, format_args!("    -> {child}, {message}"))?;
            } else {
                print(out, format_args!("    -> {child}"))?;
            }
        }
    }
    Ok(())
}

/// `show REV`: one revision's id, parents, children, labels, file and message.
pub fn show(env: &Environment, config: &Config, revision: &str, out: &mut dyn Write) -> Result<()> {
    let scripts = env.script_directory(config)?;
    let map = scripts.map();
    let id = match revision {
        "head" => map
            .head()?
            .ok_or_else(|| Error::Config("there are no revisions yet".into()))?,
        other => map.resolve_id(other)?,
    };
    let rev = map
        .get(&id)
        .ok_or_else(|| RevisionError::Unknown(id.clone()))?;
    let list = |ids: &[String]| {
        if ids.is_empty() {
            "<none>".to_owned()
        } else {
            ids.join(", ")
        }
    };
    let head = if map.heads().contains(&id) {
        " (head)"
    } else {
        ""
    };
    print(out, format_args!("Rev: {id}{head}"))?;
    print(
        out,
        format_args!(
            "Parent: {}",
            if rev.down_revisions.is_empty() {
                "<base>".to_owned()
            } else {
                rev.down_revisions.join(", ")
            }
        ),
    )?;
    print(
        out,
        format_args!("Branches into: {}", list(&map.children(&id))),
    )?;
    if !rev.branch_labels.is_empty() {
        print(
            out,
            format_args!("Branch names: {}", rev.branch_labels.join(", ")),
        )?;
    }
    if !rev.depends_on.is_empty() {
        print(
            out,
            format_args!("Also depends on: {}", rev.depends_on.join(", ")),
        )?;
    }
    if let Some(script) = scripts.script(&id) {
        print(
            out,
            format_args!(
                "Path: {}",
                scripts.versions_dir().join(script.path).display()
            ),
        )?;
        print(out, format_args!("\n    {}", script.message))?;
    }
    Ok(())
}
