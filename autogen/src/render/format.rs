//! Formatting a rendered file with rustfmt, as Alembic's post-write hooks run black: the
//! renderer's prettyplease output is valid Rust but not rustfmt's layout in every case (long
//! builder chains), and users commit these files next to code they format with `cargo fmt`.
//! A large file is formatted in pieces, one rustfmt per core, spliced back to the text one
//! rustfmt of the whole file prints.

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
    let pieces = std::thread::available_parallelism().map_or(1, usize::from);
    if text.len() < SPLIT_BYTES || pieces < 2 {
        return run_rustfmt(text, &program);
    }
    rustfmt_in_pieces(text, &program, pieces)
}

/// Files smaller than this (about 25 tables' create ops) are formatted by one rustfmt: a second
/// process would cost more than it saves.
pub(super) const SPLIT_BYTES: usize = 64 * 1024;

/// The first line of the fn that wraps a piece of a body.
const PIECE_OPEN: &str = "fn piece() {\n";

/// rustfmt of a revision file in up to `pieces` parts formatted concurrently. A fn body's
/// statements are laid out independently of their neighbours, at the same indentation whether
/// they stand in `upgrade` or in a `fn piece() { .. }` of their own, so each body's statements
/// after its first are cut into pieces, and the rest of the file (header, consts, signatures and
/// first statements) is one more. A text not in the renderer's shape is formatted whole.
pub(crate) fn rustfmt_in_pieces(
    text: &str,
    program: &str,
    pieces: usize,
) -> Result<String, FormatError> {
    let Some(split) = Split::of(text, pieces) else {
        return run_rustfmt(text, program);
    };
    let mut inputs = vec![split.skeleton.clone()];
    inputs.extend(
        split
            .pieces
            .iter()
            .map(|(_, lines)| format!("{PIECE_OPEN}{lines}}}\n")),
    );
    let mut outputs = crate::parallel::map(&inputs, |input| run_rustfmt(input, program))
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?
        .into_iter();
    let skeleton = outputs.next().unwrap_or_default();
    let mut bodies: Vec<String> = vec![String::new(); split.bodies];
    for ((body, _), formatted) in split.pieces.iter().zip(outputs) {
        let Some(lines) = formatted
            .strip_prefix(PIECE_OPEN)
            .and_then(|rest| rest.strip_suffix("}\n"))
        else {
            return run_rustfmt(text, program);
        };
        bodies[*body].push_str(lines);
    }
    // Each body's pieces go back before its closing brace, the first `}` line after its
    // signature.
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut in_body = false;
    let mut seen = 0;
    for line in skeleton.split_inclusive('\n') {
        if in_body && line == "}\n" && seen < bodies.len() {
            out.push_str(&bodies[seen]);
            seen += 1;
            in_body = false;
        } else if is_signature(line.trim_end_matches('\n')) {
            in_body = true;
        }
        out.push_str(line);
    }
    if seen != split.bodies {
        return run_rustfmt(text, program);
    }
    Ok(out)
}

/// A revision file cut for [`rustfmt_in_pieces`].
pub(super) struct Split {
    /// The file with each body's statements after its first left out.
    skeleton: String,
    /// The statements left out: (which body, their lines).
    pub(super) pieces: Vec<(usize, String)>,
    bodies: usize,
}

impl Split {
    /// `None` when `text` has no `pub fn .. {` body with statements to cut.
    pub(super) fn of(text: &str, pieces: usize) -> Option<Split> {
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        // (start, end) of each body: the lines between a signature and its `}`.
        let mut bodies = Vec::new();
        let mut start = None;
        for (i, line) in lines.iter().enumerate() {
            match start {
                None if is_signature(line.trim_end_matches('\n')) => start = Some(i + 1),
                Some(first) if *line == "}\n" => {
                    bodies.push((first, i));
                    start = None;
                }
                _ => {}
            }
        }
        if start.is_some() || bodies.is_empty() {
            return None;
        }
        // Pieces of about equal bytes: a statement is one line of token text, or several of
        // prettyplease's, and rustfmt's time goes with the text.
        let mut offsets = Vec::with_capacity(lines.len() + 1);
        offsets.push(0);
        for line in &lines {
            offsets.push(offsets.last().copied().unwrap_or(0) + line.len());
        }
        let body_bytes: usize = bodies.iter().map(|&(s, e)| offsets[e] - offsets[s]).sum();
        let target = body_bytes.div_ceil(pieces).max(1);
        let mut split = Split {
            skeleton: String::with_capacity(text.len() / 8),
            pieces: Vec::new(),
            bodies: bodies.len(),
        };
        let mut at = 0;
        for (body, &(first, end)) in bodies.iter().enumerate() {
            let cuts: Vec<usize> = (first + 1..end)
                .filter(|&i| starts_statement(lines[i - 1], lines[i]))
                .collect();
            let keep = cuts.first().copied().unwrap_or(end);
            split.skeleton.extend(lines[at..keep].iter().copied());
            let mut piece_start = keep;
            for &cut in cuts.iter().skip(1).chain([&end]) {
                if cut == end || offsets[cut] - offsets[piece_start] >= target {
                    if cut > piece_start {
                        split.pieces.push((body, lines[piece_start..cut].concat()));
                    }
                    piece_start = cut;
                }
            }
            at = end;
        }
        split.skeleton.extend(lines[at..].iter().copied());
        Some(split)
    }
}

/// Whether `line` is a fn signature the renderer writes, `pub fn upgrade(..) -> .. {`.
fn is_signature(line: &str) -> bool {
    line.starts_with("pub fn ") && line.ends_with('{')
}

/// Whether `line` begins a statement of a fn body printed by prettyplease: at the body's
/// indentation, after a line that ended one. A statement's own lines are indented further, or
/// begin with the `)`, `]` or `.` that continues it; string literals never span lines.
fn starts_statement(previous: &str, line: &str) -> bool {
    let Some(rest) = line.strip_prefix("    ") else {
        return false;
    };
    previous.trim_end().ends_with(';')
        && rest
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && !matches!(c, ')' | ']' | '}' | '.' | '?'))
}

/// Whether rustfmt kept token text as it was written (`op . drop_table ("t") ? ;`), as it does
/// with a statement it cannot fit in its width: a space before a `,` or `;` outside string
/// literals and comments, which rustfmt's own layout never has.
pub(super) fn keeps_token_text(formatted: &str) -> bool {
    let mut chars = formatted.chars().peekable();
    let mut previous = '\n';
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                // A string, raw or not: to its closing quote (the renderer writes no raw
                // strings with a `"` inside).
                let raw = previous == 'r' || previous == '#';
                while let Some(inner) = chars.next() {
                    match inner {
                        '\\' if !raw => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                for inner in chars.by_ref() {
                    if inner == '\n' {
                        break;
                    }
                }
            }
            ',' | ';' if previous == ' ' => return true,
            _ => {}
        }
        previous = c;
    }
    false
}

/// One rustfmt process over `text`.
fn run_rustfmt(text: &str, program: &str) -> Result<String, FormatError> {
    let program = program.to_owned();
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
