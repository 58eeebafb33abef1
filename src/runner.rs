//! The runner's main path, shared by a project's migrations crate (`Environment::run`) and by
//! `cargo migrate` itself: parse the arguments, load the configuration, dispatch to a
//! [`command`](crate::command), print what failed and turn it into the exit code of DESIGN
//! §4.2. The exit code of every error is decided here, in [`exit_code`], and nowhere else.
//! No panic reaches the user: one is caught and reported as an internal error with its message.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use retort_core::config::Config;
use retort_core::context::panic_message;
use retort_core::error::{DatabaseError, Error, RevisionError};

use crate::cli::{without_cargo_subcommand, Cli, Command, LockOptions};
use crate::command::{self, CheckOutcome};
use crate::environment::Environment;
use crate::error::{CommandError, RunnerError};

/// The environment variable through which `cargo migrate` tells the runner which
/// `Migrate.toml` it found.
pub const CONFIG_ENV: &str = "RETORT_CONFIG";

impl Environment {
    /// The runner's `main`: parses the process arguments, runs the command, prints errors and
    /// returns the exit code of DESIGN §4.2 (0 ok, 1 failure to act on, 2 usage/configuration).
    pub fn run(self) -> ExitCode {
        self.run_args(std::env::args_os())
    }

    /// [`run`](Self::run) with explicit arguments (the first is the program name).
    pub fn run_args<I, T>(self, args: I) -> ExitCode
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString>,
    {
        main_with(args, |cli, _| dispatch(&self, cli))
    }
}

/// Parses `args`, runs `handler` with the parsed command line and the arguments after the
/// program name, and returns the exit code: clap's for bad arguments (2, or 0 for `--help`),
/// [`exit_code`] for an error, 1 (2 for `check`) for a panic, reported with its message.
pub fn main_with<I, T>(
    args: I,
    handler: impl FnOnce(Cli, &[OsString]) -> Result<ExitCode, CommandError> + Send,
) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    install_panic_hook();
    let args = without_cargo_subcommand(args);
    let cli = match Cli::parse_args(args.clone()) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let command = cli.command.clone();
    let rest = args.get(1..).unwrap_or_default();
    let run = || {
        let outcome = retort_core::timing::phase("total", || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(cli, rest)))
        });
        retort_core::timing::report();
        outcome
    };
    let outcome = on_large_stack(run);
    let error = match outcome {
        Ok(Ok(code)) => return code,
        Ok(Err(error)) => error,
        Err(payload) => CommandError::Runner(RunnerError::Panicked {
            message: panic_message(payload.as_ref()),
            location: LAST_PANIC_LOCATION.lock().ok().and_then(|mut l| l.take()),
        }),
    };
    let _ = std::io::stdout().flush();
    eprintln!("error: {error}");
    ExitCode::from(exit_code(&command, &error))
}

/// The stack a command runs on. A revision's `upgrade` is one function, compiled without
/// optimisation in the migrations crate, whose frame holds every statement's temporaries: an
/// initial revision of a thousand tables needs about 10 MB, more than the main thread's 8 MB.
/// The memory is reserved, not used: only the pages a command touches are.
const COMMAND_STACK: usize = 1 << 30;

/// Runs `f` on a thread with [`COMMAND_STACK`] of stack, or on this one where such a thread
/// cannot be started.
fn on_large_stack<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    let f = Mutex::new(Some(f));
    let run = || {
        let f = f.lock().ok().and_then(|mut f| f.take());
        f.map(|f| f())
    };
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("retort".to_owned())
            .stack_size(COMMAND_STACK)
            .spawn_scoped(scope, run);
        let done = match spawned {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => None,
        };
        done.or_else(run).expect("the command ran")
    })
}

/// Where the last panic happened: the hook records it, [`main_with`] reports it.
static LAST_PANIC_LOCATION: Mutex<Option<String>> = Mutex::new(None);

/// Replaces the default hook, which prints the panic and a backtrace note to stderr: the panic
/// is caught and reported as an error instead.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut location) = LAST_PANIC_LOCATION.lock() {
            *location = info.location().map(ToString::to_string);
        }
    }));
}

/// The exit code of DESIGN §4.2 for `error` raised by `command`: 1 for a failure the user must
/// act on (a failed migration, an unreachable server, multiple heads where one is needed, a
/// version table naming revisions this project lacks), 2 for usage and configuration mistakes.
/// `check` exits 2 on every error, keeping 1 for "differences found" (and, with `--fail-on`,
/// for findings of that severity).
pub fn exit_code(command: &Command, error: &CommandError) -> u8 {
    const FAILURE: u8 = 1;
    const USAGE: u8 = 2;
    if let Command::Check(_) = command {
        // `--fail-on` findings are check's verdict, like differences; anything else is an error.
        return match error {
            CommandError::Findings { .. } => FAILURE,
            _ => USAGE,
        };
    }
    match error {
        CommandError::Usage(_) => USAGE,
        CommandError::Core(error) => match error {
            Error::Config(_) | Error::DuplicateTable(_) | Error::ConflictingType(_) => USAGE,
            Error::Database(DatabaseError::Offline) => USAGE,
            Error::Revision(
                RevisionError::MultipleHeads { .. } | RevisionError::NotInProject { .. },
            ) => FAILURE,
            Error::Revision(_) => USAGE,
            _ => FAILURE,
        },
        CommandError::Render(_)
        | CommandError::NotUpToDate { .. }
        | CommandError::Findings { .. }
        | CommandError::Runner(_)
        | CommandError::Output(_) => FAILURE,
        // `CommandError` is ours and exhaustive here; this arm is for its `#[non_exhaustive]`.
        #[allow(unreachable_patterns)]
        _ => FAILURE,
    }
}

/// The configuration `cargo migrate` pointed the runner at, or the nearest `Migrate.toml`.
pub fn load_config(database_url: Option<&str>, name: Option<&str>) -> Result<Config, Error> {
    let file = match std::env::var_os(CONFIG_ENV) {
        Some(path) => path.into(),
        None => {
            let cwd = std::env::current_dir().map_err(Error::io("cannot read", "."))?;
            Config::find(&cwd)?
        }
    };
    Config::load_named(&file, database_url, name)
}

/// The `-x KEY=VALUE` arguments of this run (Alembic's `context.get_x_argument`); a bare
/// `-x KEY` has the value `""`.
static X_ARGUMENTS: OnceLock<BTreeMap<String, String>> = OnceLock::new();

/// The value of `-x key=value` given to this run, for the environment's hooks:
/// `retort::x_argument("tenant")`.
pub fn x_argument(key: &str) -> Option<&'static str> {
    X_ARGUMENTS.get()?.get(key).map(String::as_str)
}

fn set_x_arguments(cli: &Cli) {
    let parsed = cli
        .x
        .iter()
        .map(|arg| match arg.split_once('=') {
            Some((key, value)) => (key.to_owned(), value.to_owned()),
            None => (arg.clone(), String::new()),
        })
        .collect();
    let _ = X_ARGUMENTS.set(parsed);
}

/// The configuration with `--lock-timeout` and `--no-lock` applied: flags win over
/// `Migrate.toml`.
fn with_lock_flags(mut config: Config, flags: &LockOptions) -> Config {
    if let Some(seconds) = flags.lock_timeout {
        config.lock.timeout = Duration::from_secs(seconds);
    }
    if flags.no_lock {
        config.lock.enabled = false;
    }
    config
}

/// Runs one parsed command against the environment.
fn dispatch(env: &Environment, cli: Cli) -> Result<ExitCode, CommandError> {
    let out = &mut std::io::stdout();
    if let Command::Init(options) = &cli.command {
        command::init(options, out)?;
        return Ok(ExitCode::SUCCESS);
    }
    set_x_arguments(&cli);
    let config = load_config(cli.database_url.as_deref(), cli.name.as_deref())?;
    let verbose = cli.verbose;
    let code = match cli.command {
        Command::Init(_) => ExitCode::SUCCESS,
        Command::Revision(options) => {
            command::revision(env, &config, &options, out)?;
            ExitCode::SUCCESS
        }
        Command::Upgrade {
            revision,
            sql,
            lock,
        } => {
            command::upgrade(env, &with_lock_flags(config, &lock), &revision, sql)?;
            ExitCode::SUCCESS
        }
        Command::Downgrade {
            revision,
            sql,
            lock,
        } => {
            command::downgrade(env, &with_lock_flags(config, &lock), &revision, sql)?;
            ExitCode::SUCCESS
        }
        Command::Current => {
            command::current(env, &config, verbose, out)?;
            ExitCode::SUCCESS
        }
        Command::Heads => {
            command::heads(env, &config, verbose, out)?;
            ExitCode::SUCCESS
        }
        Command::History {
            range,
            indicate_current,
        } => {
            let options = command::HistoryOptions {
                range: range.as_deref(),
                indicate_current,
                verbose,
            };
            command::history(env, &config, &options, out)?;
            ExitCode::SUCCESS
        }
        Command::Branches => {
            command::branches(env, &config, verbose, out)?;
            ExitCode::SUCCESS
        }
        Command::Show { revision } => {
            command::show(env, &config, &revision, out)?;
            ExitCode::SUCCESS
        }
        Command::Merge {
            revisions,
            message,
            rev_id,
        } => {
            command::merge(env, &config, &revisions, &message, rev_id.as_deref(), out)?;
            ExitCode::SUCCESS
        }
        Command::Stamp {
            revisions,
            sql,
            purge,
            repair,
            lock,
        } => {
            let config = with_lock_flags(config, &lock);
            if repair {
                command::repair(env, &config, &revisions, sql)?;
            } else {
                command::stamp(env, &config, &revisions, sql, purge)?;
            }
            ExitCode::SUCCESS
        }
        Command::Check(options) => match command::check(env, &config, &options, out)? {
            CheckOutcome::Clean | CheckOutcome::Tolerated(_) => ExitCode::SUCCESS,
            CheckOutcome::Differences(_) => ExitCode::from(1),
        },
    };
    let _ = out.flush();
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::UsageError;

    fn code(command: Command, error: impl Into<CommandError>) -> u8 {
        exit_code(&command, &error.into())
    }

    #[test]
    fn check_exits_2_on_every_error() {
        let unreachable = Error::from(DatabaseError::Connect {
            url: "postgres://db/x".into(),
            message: "refused".into(),
        });
        let check = || Command::Check(Default::default());
        assert_eq!(code(check(), unreachable), 2);
        let unknown = RevisionError::NotInProject {
            revisions: vec!["zz".into()],
            version_table: "retort_version".into(),
        };
        assert_eq!(code(check(), unknown), 2);
    }

    #[test]
    fn failures_to_act_on_exit_1_and_usage_mistakes_2() {
        let current = || Command::Current;
        let unknown = RevisionError::NotInProject {
            revisions: vec!["zz".into()],
            version_table: "retort_version".into(),
        };
        assert_eq!(code(current(), unknown), 1);
        let heads = RevisionError::MultipleHeads {
            heads: vec!["a".into(), "b".into()],
        };
        assert_eq!(code(current(), heads), 1);
        assert_eq!(code(current(), RevisionError::Unknown("zz".into())), 2);
        assert_eq!(code(current(), UsageError::NoRevisions), 2);
        let timeout = retort_core::error::MigrationError::LockTimeout {
            lock: "app.retort_version".into(),
            holder: None,
            timeout: Duration::from_secs(300),
        };
        assert_eq!(code(current(), Error::from(timeout)), 1);
        let panicked = RunnerError::Panicked {
            message: "boom".into(),
            location: None,
        };
        assert_eq!(code(current(), panicked), 1);
    }

    #[test]
    fn lock_flags_win_over_migrate_toml() {
        let file = retort_core::config::LockConfig {
            enabled: true,
            timeout: Duration::from_secs(20),
        };
        let config = |lock| Config {
            config_file: "Migrate.toml".into(),
            script_location: "migrations".into(),
            database_url: None,
            version_table: "retort_version".into(),
            lock,
            format: Default::default(),
            post_write_hooks: Vec::new(),
            name: None,
            transaction_per_migration: true,
        };
        let flags = |args: &[&str]| match Cli::parse_args(args).expect("parses").command {
            Command::Upgrade { lock, .. } | Command::Downgrade { lock, .. } => lock,
            Command::Stamp { lock, .. } => lock,
            other => panic!("{other:?}"),
        };
        let none = flags(&["runner", "upgrade", "head"]);
        assert_eq!(with_lock_flags(config(file), &none).lock, file);
        let both = flags(&[
            "runner",
            "downgrade",
            "-1",
            "--lock-timeout",
            "2",
            "--no-lock",
        ]);
        let lock = with_lock_flags(config(file), &both).lock;
        assert_eq!(
            (lock.enabled, lock.timeout),
            (false, Duration::from_secs(2))
        );
        let stamp = flags(&["runner", "stamp", "head", "--lock-timeout", "0"]);
        let lock = with_lock_flags(config(file), &stamp).lock;
        assert_eq!((lock.enabled, lock.timeout), (true, Duration::ZERO));
    }

    #[test]
    fn a_panic_is_reported_as_an_error_not_a_backtrace() {
        let code = main_with(["runner", "current"], |_, _| panic!("boom"));
        assert_eq!(code, ExitCode::from(1));
    }

    /// A command whose frames need more than the main thread's 8 MB (a revision of a thousand
    /// tables does) runs: here 24 frames of 512 KiB.
    #[test]
    fn commands_run_on_a_stack_larger_than_the_main_threads() {
        fn deep(n: usize) -> usize {
            let frame = std::hint::black_box([n as u8; 512 * 1024]);
            if n == 0 {
                frame[0] as usize
            } else {
                deep(n - 1) + std::hint::black_box(frame[n % 1024]) as usize
            }
        }
        let code = main_with(["runner", "current"], |_, _| {
            assert_eq!(deep(24), (0..=24).sum::<usize>());
            Ok(ExitCode::SUCCESS)
        });
        assert_eq!(code, ExitCode::SUCCESS);
    }
}
