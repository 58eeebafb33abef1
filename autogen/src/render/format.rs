//! Formatting a rendered file with rustfmt, as Alembic's post-write hooks run black: the
//! renderer's prettyplease output is valid Rust but not rustfmt's layout in every case (long
//! builder chains), and users commit these files next to code they format with `cargo fmt`.

use std::io::Write;
use std::process::{Command, Stdio};

/// Why rustfmt did not format a file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    #[error("cannot run `{program}`: {source}; install it (`rustup component add rustfmt`) or set format = \"none\" in Migrate.toml")]
    NotRun {
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`{program}` refused the rendered file: {stderr}")]
    Refused { program: String, stderr: String },
}

/// `text` as `rustfmt --edition 2021` lays it out. `program` is the rustfmt to run (`RUSTFMT`
/// or `rustfmt` on the PATH when `None`).
pub fn rustfmt(text: &str, program: Option<&str>) -> Result<String, FormatError> {
    let program = program
        .map(str::to_owned)
        .or_else(|| std::env::var("RUSTFMT").ok())
        .unwrap_or_else(|| "rustfmt".to_owned());
    let not_run = |source| FormatError::NotRun {
        program: program.clone(),
        source,
    };
    let mut child = Command::new(&program)
        .args(["--edition", "2021", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(not_run)?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(text.as_bytes()).map_err(not_run)?;
    }
    let output = child.wait_with_output().map_err(not_run)?;
    if !output.status.success() {
        return Err(FormatError::Refused {
            program,
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
