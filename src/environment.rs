//! `Environment` (Alembic's `env.py` + `EnvironmentContext`): what a project's runner
//! configures — its revision files and target metadata — and `run()`, the runner's `main`.

use std::io::Write;
use std::process::ExitCode;

use retort_autogen::{Include, Object, ObjectKind};
use retort_core::config::Config;
use retort_core::ddl::DdlImpl;
use retort_core::error::{Error, Result};
use retort_core::naming::NamingConvention;
use retort_core::schema::{MetaData, QualifiedName};
use retort_core::script::{Script, ScriptDirectory};

use crate::cli::{Cli, Command};
use crate::command::{self, CheckOutcome};

/// The environment variable through which `cargo migrate` tells the runner which
/// `Migrate.toml` it found.
pub const CONFIG_ENV: &str = "RETORT_CONFIG";

/// The runner's configuration: revision files and the target metadata.
#[derive(Debug, Clone)]
pub struct Environment {
    scripts: &'static [Script],
    target: Option<MetaData>,
    naming: NamingConvention,
    include: Include,
}

impl Environment {
    /// An environment over the revision files `embed_migrations!` compiled in; the target
    /// metadata is every `#[derive(Table)]` linked into the binary.
    pub fn new(scripts: &'static [Script]) -> Self {
        Environment {
            scripts,
            target: None,
            naming: NamingConvention::default(),
            include: Include::default(),
        }
    }

    /// Uses these tables as the target metadata instead of the registered ones.
    pub fn target_metadata(mut self, metadata: MetaData) -> Self {
        self.target = Some(metadata);
        self
    }

    /// Alembic's `include_name`: autogenerate ignores database objects whose name the hook
    /// rejects (tables another tool owns, say), neither dropping nor comparing them.
    pub fn include_name(
        mut self,
        hook: impl Fn(&str, ObjectKind, &QualifiedName) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.include = self.include.name(hook);
        self
    }

    /// Alembic's `include_object`: autogenerate ignores objects, on either side, that the hook
    /// rejects.
    pub fn include_object(
        mut self,
        hook: impl Fn(&Object<'_>) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.include = self.include.object(hook);
        self
    }

    /// The include hooks, for autogenerate.
    pub fn include(&self) -> &Include {
        &self.include
    }

    /// Names unnamed constraints and indexes with this convention instead of DESIGN §4.1's.
    pub fn naming_convention(mut self, naming: NamingConvention) -> Self {
        self.naming = naming;
        self
    }

    /// The target metadata as declared: the explicit one, or the registry (which fails on
    /// duplicates).
    pub fn target(&self) -> Result<MetaData> {
        match &self.target {
            Some(metadata) => Ok(metadata.clone()),
            None => Ok(MetaData::from_tables(retort_core::registered_tables()?)),
        }
    }

    /// The target metadata as a dialect will store it: every object named by the naming
    /// convention and every name cut to the dialect's identifier limit.
    pub fn target_for(&self, ddl: &dyn DdlImpl) -> Result<MetaData> {
        let mut metadata = self.target()?;
        for table in metadata.tables.values_mut() {
            self.naming.apply(table, ddl.max_identifier_length());
        }
        Ok(metadata)
    }

    pub(crate) fn script_directory(&self, config: &Config) -> Result<ScriptDirectory> {
        ScriptDirectory::new(config.versions_dir(), self.scripts)
    }

    /// The runner's `main`: parses the process arguments, runs the command, prints errors and
    /// returns the exit code of DESIGN §4.2 (0 ok, 1 failure to act on, 2 usage/configuration).
    pub fn run(self) -> ExitCode {
        self.run_args(std::env::args())
    }

    /// [`run`](Self::run) with explicit arguments (the first is the program name).
    pub fn run_args(self, args: impl IntoIterator<Item = String>) -> ExitCode {
        let cli = match Cli::parse_args(args) {
            Ok(cli) => cli,
            Err(e) => {
                let _ = e.print();
                return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
            }
        };
        match self.dispatch(cli) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(exit_code(&e))
            }
        }
    }

    fn dispatch(&self, cli: Cli) -> Result<ExitCode> {
        let out = &mut std::io::stdout();
        if let Command::Init(options) = &cli.command {
            command::init(options, out)?;
            return Ok(ExitCode::SUCCESS);
        }
        let config = load_config(cli.database_url.as_deref())?;
        match cli.command {
            Command::Init(_) => unreachable!("handled above"),
            Command::Revision(options) => {
                command::revision(self, &config, &options, out)?;
            }
            Command::Upgrade { revision, sql } => command::upgrade(self, &config, &revision, sql)?,
            Command::Downgrade { revision, sql } => {
                command::downgrade(self, &config, &revision, sql)?
            }
            Command::Current { verbose } => {
                command::current(self, &config, verbose, out)?;
            }
            Command::Heads { verbose } => command::heads(self, &config, verbose, out)?,
            Command::History { range, verbose } => {
                command::history(self, &config, range.as_deref(), verbose, out)?
            }
            Command::Branches { verbose } => command::branches(self, &config, verbose, out)?,
            Command::Show { revision } => command::show(self, &config, &revision, out)?,
            Command::Merge {
                revisions,
                message,
                rev_id,
            } => {
                command::merge(self, &config, &revisions, &message, rev_id.as_deref(), out)?;
            }
            Command::Stamp {
                revisions,
                sql,
                purge,
            } => command::stamp(self, &config, &revisions, sql, purge)?,
            Command::Check => {
                if let CheckOutcome::Differences(_) = command::check(self, &config, out)? {
                    let _ = out.flush();
                    return Ok(ExitCode::from(1));
                }
            }
        }
        let _ = out.flush();
        Ok(ExitCode::SUCCESS)
    }
}

/// The configuration `cargo migrate` pointed the runner at, or the nearest `Migrate.toml`.
pub fn load_config(database_url: Option<&str>) -> Result<Config> {
    let file = match std::env::var_os(CONFIG_ENV) {
        Some(path) => path.into(),
        None => {
            let cwd = std::env::current_dir().map_err(Error::io("cannot read", "."))?;
            Config::find(&cwd)?
        }
    };
    Config::load(&file, database_url)
}

/// The process exit code for an error (DESIGN §4.2).
pub fn exit_code(error: &Error) -> u8 {
    if error.is_usage() {
        2
    } else {
        1
    }
}
