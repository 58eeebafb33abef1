//! `cargo migrate`: parses the command line, handles `init` itself, and for every other command
//! finds `Migrate.toml`, checks the configuration, then builds and runs the project's migrations
//! crate (its runner) with the same arguments. Exit codes follow DESIGN §4.2.

use std::path::Path;
use std::process::{Command as Process, ExitCode};

use retort::cli::{Cli, Command};
use retort::{Config, Error};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let cli = match Cli::parse_args(args.clone()) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(&cli, &args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(retort::exit_code(&e))
        }
    }
}

fn run(cli: &Cli, args: &[String]) -> Result<ExitCode, Error> {
    if let Command::Init(options) = &cli.command {
        retort::command::init(options, &mut std::io::stdout())?;
        return Ok(ExitCode::SUCCESS);
    }
    let cwd = std::env::current_dir().map_err(Error::io("cannot read", "."))?;
    let config_file = Config::find(&cwd)?;
    let config = Config::load(&config_file, cli.database_url.as_deref())?;
    // Fail fast on a bad URL, before spending a build on the runner.
    if config.database_url.is_some() {
        config.database_url()?;
    }
    let manifest = config.script_location.join("Cargo.toml");
    if !manifest.is_file() {
        return Err(Error::Config(format!(
            "no migrations crate at `{}` (script_location in {}); run `cargo migrate init` or fix \
             script_location",
            config.script_location.display(),
            config_file.display()
        )));
    }
    run_runner(&manifest, &config_file, runner_args(args))
}

/// The arguments after `cargo-migrate [migrate]`.
fn runner_args(args: &[String]) -> &[String] {
    let skip = if args.get(1).map(String::as_str) == Some("migrate") {
        2
    } else {
        1
    };
    args.get(skip..).unwrap_or_default()
}

/// `cargo run` on the migrations crate; its exit code is ours.
fn run_runner(manifest: &Path, config_file: &Path, args: &[String]) -> Result<ExitCode, Error> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Process::new(cargo)
        .args(["run", "--quiet", "--manifest-path"])
        .arg(manifest)
        .arg("--")
        .args(args)
        .env(retort::CONFIG_ENV, config_file)
        .status()
        .map_err(|e| {
            Error::Other(format!(
                "cannot run cargo to build the migrations crate: {e}"
            ))
        })?;
    match status.code() {
        Some(code @ 0..=2) => Ok(ExitCode::from(code as u8)),
        // 101: cargo could not build the crate (its errors are printed above) or it panicked.
        Some(_) => Err(Error::Migration(format!(
            "the migrations crate `{}` failed to build or run; fix the errors above and run the \
             command again (a missing libpq or libmysqlclient is fixed by installing libpq-dev or \
             default-libmysqlclient-dev, or by removing that backend from the retort features \
             in that Cargo.toml)",
            manifest.display()
        ))),
        None => Err(Error::Migration(
            "the migrations runner was killed by a signal".to_owned(),
        )),
    }
}
