//! The command line shared by `cargo migrate` and a project's runner: one clap definition, so
//! both accept exactly the same arguments (DESIGN §4.2).

use clap::{Parser, Subcommand};

/// Alembic-style schema migrations for Rust.
#[derive(Debug, Parser)]
#[command(name = "cargo migrate", version, about, disable_help_subcommand = true)]
pub struct Cli {
    /// Database URL; overrides DATABASE_URL, .env and Migrate.toml.
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create Migrate.toml and the migrations crate.
    Init(crate::command::InitOptions),
    /// Create a new revision file.
    Revision(crate::command::RevisionOptions),
    /// Upgrade to a later revision.
    Upgrade {
        /// `head`, `heads`, a revision id or prefix, `+N`, `<rev>+N`, `label@head`; with
        /// --sql also `START:END`.
        revision: String,
        /// Print the SQL instead of running it.
        #[arg(long)]
        sql: bool,
    },
    /// Revert to an earlier revision.
    Downgrade {
        /// `base`, `-N`, a revision id or prefix, `<rev>-N`; with --sql `START:END`.
        #[arg(allow_hyphen_values = true)]
        revision: String,
        /// Print the SQL instead of running it.
        #[arg(long)]
        sql: bool,
    },
    /// Show the revision(s) the database is at.
    Current {
        #[arg(short, long)]
        verbose: bool,
    },
    /// Show the head revisions.
    Heads {
        #[arg(short, long)]
        verbose: bool,
    },
    /// List revisions, newest first.
    History {
        /// Only revisions in `START:END` (either side may be empty).
        #[arg(short = 'r', long = "rev-range", value_name = "RANGE")]
        range: Option<String>,
        #[arg(short, long)]
        verbose: bool,
    },
    /// Show the branch points.
    Branches {
        #[arg(short, long)]
        verbose: bool,
    },
    /// Show one revision.
    Show {
        /// A revision id, prefix, label, `head` or `base`.
        revision: String,
    },
    /// Create a revision that joins two or more heads (`merge heads -m MSG`).
    Merge {
        /// The revisions to join; `heads` for all of them.
        #[arg(required = true)]
        revisions: Vec<String>,
        /// The revision's message.
        #[arg(short, long)]
        message: String,
        /// Use this id instead of a random one.
        #[arg(long, value_name = "ID")]
        rev_id: Option<String>,
    },
    /// Set the version table without running migrations.
    Stamp {
        #[arg(required = true)]
        revisions: Vec<String>,
        /// Print the SQL instead of running it.
        #[arg(long)]
        sql: bool,
        /// Replace every row of the version table, even rows of unknown revisions.
        #[arg(long)]
        purge: bool,
    },
    /// Exit 0 when the database matches the models, 1 listing the differences otherwise.
    Check,
}

impl Cli {
    /// Parses `cargo migrate ...` or `cargo-migrate migrate ...` or the runner's own arguments.
    pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Cli, clap::Error> {
        let mut args: Vec<String> = args.into_iter().collect();
        // cargo runs `cargo-migrate migrate ARGS` for `cargo migrate ARGS`.
        if args.get(1).map(String::as_str) == Some("migrate") {
            args.remove(1);
        }
        Cli::try_parse_from(args)
    }
}
