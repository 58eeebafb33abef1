//! One function per `cargo migrate` command (Alembic's `alembic.command`).
//!
//! Each takes the resolved [`Config`], the runner's [`Environment`] (revision files, target
//! metadata, naming convention, hooks) and where to print, so they run the same from the CLI,
//! from an application that upgrades at start-up, or from a test.

use std::io::Write;
use std::path::PathBuf;

use retort_autogen::render::{render_migration_with, RenderOptions, RevisionHeader};
use retort_core::config::Config;
use retort_core::context::MigrationContext;
use retort_core::ddl::ddl_impl;
use retort_core::executor::Executor;
use retort_core::ops::Op;
use retort_core::revision::{RevisionError, RevisionMap};
use retort_core::script::{new_revision_id, ScriptDirectory};

use crate::environment::Environment;
use crate::error::{CommandError, UsageError};

pub use crate::cli::{InitOptions, RevisionOptions};
pub use crate::init::init;

type Result<T, E = CommandError> = std::result::Result<T, E>;

/// What `check` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckOutcome {
    Clean,
    Differences(Vec<String>),
}

fn print(out: &mut dyn Write, line: impl std::fmt::Display) -> Result<()> {
    writeln!(out, "{line}").map_err(CommandError::Output)
}

fn connect(env: &Environment, config: &Config) -> Result<MigrationContext> {
    let url = config.database_url()?;
    let ddl = ddl_impl(url.dialect());
    Ok(
        MigrationContext::new(Executor::connect(&url)?, ddl, &config.version_table)
            .with_naming_convention(env.naming().clone()),
    )
}

fn offline(env: &Environment, config: &Config, start: Vec<String>) -> Result<MigrationContext> {
    let url = config.database_url()?;
    let ddl = ddl_impl(url.dialect());
    Ok(MigrationContext::new(
        Executor::offline(std::io::stdout()),
        ddl,
        &config.version_table,
    )
    .with_naming_convention(env.naming().clone())
    .with_offline_start(start))
}

/// The heads in the version table, each checked to be a revision of this project: planning
/// from a head it does not know would re-run every migration from base.
fn known_heads(ctx: &mut MigrationContext, map: &RevisionMap) -> Result<Vec<String>> {
    let current = ctx.current_heads()?;
    map.check_known(&current, ctx.version_table())?;
    Ok(current)
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
        offline(env, config, start)?
    } else if start.is_some() {
        return Err(UsageError::RangeNeedsSql {
            spec: revision.to_owned(),
            command: "upgrade",
        }
        .into());
    } else {
        connect(env, config)?
    };
    // Plan under the lock: a concurrent run must see what this one applied.
    ctx.with_migration_lock(|ctx| {
        let current = known_heads(ctx, map)?;
        let targets = map.resolve_upgrade(&current, end)?;
        let steps = map.upgrade_plan(&current, &targets)?;
        Ok(ctx.run_steps(map, &scripts.scripts(), &steps)?)
    })
}

/// `downgrade REV [--sql]`.
pub fn downgrade(env: &Environment, config: &Config, revision: &str, sql: bool) -> Result<()> {
    let scripts = env.script_directory(config)?;
    let map = scripts.map();
    let (start, end) = split_range(revision);
    let mut ctx = match (sql, start) {
        (true, Some(start)) => offline(env, config, vec![map.resolve_id(start)?])?,
        (true, None) => {
            let head = map.head().ok().flatten();
            return Err(UsageError::SqlDowngradeNeedsRange {
                head: head.unwrap_or_else(|| "head".to_owned()),
            }
            .into());
        }
        (false, Some(_)) => {
            return Err(UsageError::RangeNeedsSql {
                spec: revision.to_owned(),
                command: "downgrade",
            }
            .into())
        }
        (false, None) => connect(env, config)?,
    };
    ctx.with_migration_lock(|ctx| {
        let current = known_heads(ctx, map)?;
        let targets = map.resolve_downgrade(&current, end)?;
        let steps = map.downgrade_plan(&current, &targets)?;
        Ok(ctx.run_steps(map, &scripts.scripts(), &steps)?)
    })
}

/// `stamp REV... [--sql] [--purge]`: sets the version table without running migrations. Rows
/// of revisions the project does not contain are an error unless `--purge` replaces them.
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
        offline(env, config, Vec::new())?
    } else {
        connect(env, config)?
    };
    ctx.with_migration_lock(|ctx| {
        if purge {
            ctx.purge_version_table()?;
        } else {
            known_heads(ctx, map)?;
        }
        Ok(ctx.stamp(&heads)?)
    })
}

/// Fails unless the database is at the head(s): autogenerate against an old schema would
/// repeat migrations that exist already.
fn require_up_to_date(ctx: &mut MigrationContext, scripts: &ScriptDirectory) -> Result<()> {
    let mut current = known_heads(ctx, scripts.map())?;
    current.sort();
    let heads = scripts.map().heads();
    if current != heads {
        return Err(CommandError::NotUpToDate { current, heads });
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
        return Err(UsageError::NotAHead {
            revision: inner.clone(),
        }
        .into());
    }
    Ok(parents)
}

/// Writes a revision file for `header` with these ops and reports it.
fn write_revision(
    scripts: &ScriptDirectory,
    header: &RevisionHeader,
    (upgrade, downgrade): (&[Op], &[Op]),
    options: &RenderOptions,
    out: &mut dyn Write,
) -> Result<PathBuf> {
    if scripts.map().get(&header.revision).is_some() {
        return Err(UsageError::RevisionIdTaken {
            id: header.revision.clone(),
        }
        .into());
    }
    let text = render_migration_with(header, upgrade, downgrade, options)?;
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
            return Err(UsageError::LabelTaken {
                label: label.clone(),
            }
            .into());
        }
    }
    header.branch_labels = options.branch_labels.clone();
    header.depends_on = options
        .depends_on
        .iter()
        .map(|spec| map.resolve_id(spec))
        .collect::<std::result::Result<_, _>>()?;
    let mut render = RenderOptions::new(env.naming().clone());
    let (upgrade_ops, downgrade_ops) = if options.autogenerate {
        let mut ctx = connect(env, config)?;
        render = render.max_identifier_length(ctx.ddl().max_identifier_length());
        require_up_to_date(&mut ctx, &scripts)?;
        let ops = autogenerate(env, &mut ctx, out)?;
        for op in &ops {
            print(out, format_args!("Detected {op}"))?;
        }
        let down = Op::reverse_all(&ops).map_err(retort_core::error::Error::from)?;
        (ops, down)
    } else {
        (Vec::new(), Vec::new())
    };
    write_revision(
        &scripts,
        &header,
        (&upgrade_ops, &downgrade_ops),
        &render,
        out,
    )
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
        return Err(UsageError::MergeNeedsTwo {
            spec: revisions.join(" "),
            found: parents.len(),
        }
        .into());
    }
    parents.sort();
    let header = new_header(message, rev_id, parents);
    let render = RenderOptions::new(env.naming().clone());
    write_revision(&scripts, &header, (&[], &[]), &render, out)
}

/// `check`: compares the models with the database without writing anything.
pub fn check(env: &Environment, config: &Config, out: &mut dyn Write) -> Result<CheckOutcome> {
    let scripts = env.script_directory(config)?;
    let mut ctx = connect(env, config)?;
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

/// `current`: the revision(s) in the version table. A row naming a revision this project does
/// not contain is an error, as it is for `upgrade`.
pub fn current(
    env: &Environment,
    config: &Config,
    verbose: bool,
    out: &mut dyn Write,
) -> Result<Vec<String>> {
    let scripts = env.script_directory(config)?;
    let mut ctx = connect(env, config)?;
    if verbose {
        let url = config.database_url.as_deref().unwrap_or_default();
        print(
            out,
            format_args!(
                "Current revision(s) for {}:",
                retort_core::config::redact(url)
            ),
        )?;
    }
    let current = known_heads(&mut ctx, scripts.map())?;
    let heads = scripts.map().heads();
    for rev in &current {
        let mark = if heads.contains(rev) { " (head)" } else { "" };
        let message = scripts.script(rev).map(|s| s.message).unwrap_or_default();
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
            let (start, end) = range.split_once(':').ok_or_else(|| UsageError::BadRange {
                range: range.to_owned(),
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
        "head" => map.head()?.ok_or(UsageError::NoRevisions)?,
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
