//! `cargo migrate`: handles `init` itself, and for every other command finds `Migrate.toml`,
//! checks the configuration, builds the project's migrations crate (its runner) and runs it
//! with the same arguments. Argument parsing, error reporting and exit codes are the runner's
//! own (`retort::runner`), so both answer alike.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, ExitCode, Stdio};
use std::time::SystemTime;

use retort::cli::{Cli, Command};
use retort::core::config::ConfigError;
use retort::{CommandError, Config, Error, RunnerError};

mod fresh;

fn main() -> ExitCode {
    retort::runner::main_with(std::env::args_os(), run)
}

fn run(cli: Cli, args: &[OsString]) -> Result<ExitCode, CommandError> {
    if let Command::Init(options) = &cli.command {
        retort::command::init(options, &mut std::io::stdout())?;
        return Ok(ExitCode::SUCCESS);
    }
    let cwd = std::env::current_dir().map_err(Error::io("cannot read", "."))?;
    let config_file = Config::find(&cwd)?;
    let config = Config::load_named(
        &config_file,
        cli.database_url.as_deref(),
        cli.name.as_deref(),
    )?;
    // Fail fast on a bad URL, before spending a build on the runner.
    if config.database_url.is_some() {
        config.database_url()?;
    }
    let manifest = config.script_location.join("Cargo.toml");
    if !manifest.is_file() {
        return Err(ConfigError::NoMigrationsCrate {
            script_location: config.script_location.clone(),
            config_file,
        }
        .into());
    }
    // `-v` shows the build, so it always asks cargo.
    let runner = match fresh::fresh_runner(&manifest).filter(|_| !cli.verbose) {
        Some(runner) => runner,
        None => build_runner(&manifest, cli.verbose)?,
    };
    run_runner(&runner, &config_file, args)
}

/// Builds the migrations crate and returns its executable. The compiler's output (warnings on
/// model fields, say) is shown only when the build fails or `-v` asks for it, so it does not
/// bury the command's answer; a failed build is reported with the likely cause when the
/// output names one.
fn build_runner(manifest: &Path, verbose: bool) -> Result<PathBuf, RunnerError> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = SystemTime::now();
    let output = Process::new(cargo)
        .args([
            "build",
            "--quiet",
            "--message-format=json-render-diagnostics",
        ])
        .arg("--manifest-path")
        .arg(manifest)
        .stdin(Stdio::null())
        .output()
        .map_err(|source| RunnerError::Cargo { source })?;
    let diagnostics = String::from_utf8_lossy(&output.stderr);
    if verbose || !output.status.success() {
        eprint!("{diagnostics}");
    }
    if !output.status.success() {
        return Err(RunnerError::Build {
            manifest: manifest.to_path_buf(),
            hint: build_hint(&diagnostics),
        });
    }
    let runner =
        executable(&String::from_utf8_lossy(&output.stdout)).ok_or_else(|| RunnerError::Build {
            manifest: manifest.to_path_buf(),
            hint: Some("cargo built no binary; the migrations crate needs its src/main.rs"),
        })?;
    fresh::record(manifest, &runner, started);
    Ok(runner)
}

/// What a failed build's output says about its cause, when it is one users meet often.
fn build_hint(diagnostics: &str) -> Option<&'static str> {
    // Every failed link prints the whole command line, `-lpq` and `-lmariadb` included: only
    // the linker's own complaint names the missing library.
    let missing = |lib: &str| {
        [
            format!("cannot find -l{lib}"),
            format!("unable to find library -l{lib}"),
        ]
        .iter()
        .any(|needle| diagnostics.contains(needle.as_str()))
    };
    if missing("pq") {
        Some(
            "the linker cannot find libpq: install libpq-dev, or remove the `postgres` feature \
             from the retort dependency in that Cargo.toml",
        )
    } else if missing("mysqlclient")
        || missing("mariadb")
        || diagnostics.contains("failed to run custom build command for `mysqlclient-sys")
    {
        Some(
            "the MySQL client library is missing: install default-libmysqlclient-dev, or remove \
             the `mysql` feature from the retort dependency in that Cargo.toml",
        )
    } else {
        None
    }
}

/// The binary among cargo's `compiler-artifact` messages (`--message-format=json`).
fn executable(messages: &str) -> Option<PathBuf> {
    messages
        .lines()
        .rev()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact")
        .filter(|m| {
            m["target"]["kind"]
                .as_array()
                .is_some_and(|kinds| kinds.iter().any(|k| k == "bin"))
        })
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
}

/// Runs the built runner with our arguments; its exit code (0, 1 or 2) is ours.
fn run_runner(
    runner: &Path,
    config_file: &Path,
    args: &[OsString],
) -> Result<ExitCode, CommandError> {
    let status = Process::new(runner)
        .args(args)
        .env(retort::CONFIG_ENV, config_file)
        .status()
        .map_err(|source| RunnerError::Cargo { source })?;
    match status.code() {
        Some(code @ 0..=2) => Ok(ExitCode::from(code as u8)),
        _ => Err(RunnerError::Status {
            program: runner.to_path_buf(),
            status: status.to_string(),
        }
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_failures_name_a_missing_client_library_only_when_the_linker_does() {
        assert!(build_hint("note: /usr/bin/ld: cannot find -lpq")
            .is_some_and(|h| h.contains("libpq-dev")));
        assert!(
            build_hint("rust-lld: error: unable to find library -lmysqlclient")
                .is_some_and(|h| h.contains("default-libmysqlclient-dev"))
        );
        assert!(build_hint(
            "error: failed to run custom build command for `mysqlclient-sys v0.5.2`"
        )
        .is_some_and(|h| h.contains("default-libmysqlclient-dev")));
        // A link that failed for another reason lists both libraries on its command line.
        assert_eq!(
            build_hint(
                "\"cc\" \"-lmariadb\" \"-lpq\" \"-lmysqlclient\"\n\
                 rust-lld: error: undefined hidden symbol: foo"
            ),
            None
        );
        assert_eq!(build_hint("error[E0425]: cannot find value `x`"), None);
    }

    #[test]
    fn the_executable_is_read_from_cargo_messages() {
        let messages = r#"{"reason":"compiler-artifact","target":{"kind":["lib"]},"executable":null}
{"reason":"compiler-artifact","target":{"kind":["bin"]},"executable":"/t/debug/migrations"}
{"reason":"build-finished","success":true}"#;
        assert_eq!(
            executable(messages),
            Some(PathBuf::from("/t/debug/migrations"))
        );
    }
}
