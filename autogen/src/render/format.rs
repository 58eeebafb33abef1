//! Formatting a rendered file with rustfmt, as Alembic's post-write hooks run black: the
//! renderer's prettyplease output is valid Rust but not rustfmt's layout in every case (long
//! builder chains), and users commit these files next to code they format with `cargo fmt`.
//! A large file is formatted in pieces, one rustfmt per core, spliced back to the text one
//! rustfmt of the whole file prints.

use std::io::Write;
use std::process::{Command, Stdio};

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

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

/// `text` as `rustfmt --edition 2021` lays it out. `program` is the rustfmt to run
/// ([`default_program`] when `None`).
pub fn rustfmt(text: &str, program: Option<&str>) -> Result<String, FormatError> {
    let program = program.map_or_else(default_program, str::to_owned);
    let pieces = std::thread::available_parallelism().map_or(1, usize::from);
    if text.len() < SPLIT_BYTES || pieces < 2 {
        return run_rustfmt(text, &program);
    }
    rustfmt_in_pieces(text, &program, pieces)
}

/// The rustfmt to run: `RUSTFMT`; else, under rustup, the rustfmt of the toolchain rustup chose
/// for this command, run directly (see [`program_from`]); else `rustfmt` on the PATH.
fn default_program() -> String {
    program_from(
        std::env::var("RUSTFMT").ok(),
        std::env::var_os("RUSTUP_HOME"),
        std::env::var_os("RUSTUP_TOOLCHAIN"),
    )
}

/// [`default_program`] from its environment. rustup sets `RUSTUP_HOME` and `RUSTUP_TOOLCHAIN`
/// for the cargo it runs, and a `RUSTUP_TOOLCHAIN` overrides every other choice its proxy
/// makes, so the toolchain's own rustfmt is the one the proxy would run; the proxy would cost a
/// process start and a toolchain lookup for each piece formatted.
pub(super) fn program_from(
    rustfmt: Option<String>,
    rustup_home: Option<std::ffi::OsString>,
    rustup_toolchain: Option<std::ffi::OsString>,
) -> String {
    if let Some(program) = rustfmt {
        return program;
    }
    if let (Some(home), Some(toolchain)) = (rustup_home, rustup_toolchain) {
        // A toolchain given as a path joins as itself.
        let exe = std::path::Path::new(&home)
            .join("toolchains")
            .join(toolchain)
            .join("bin")
            .join(format!("rustfmt{}", std::env::consts::EXE_SUFFIX));
        if let (true, Some(exe)) = (exe.is_file(), exe.to_str()) {
            return exe.to_owned();
        }
    }
    "rustfmt".to_owned()
}

/// Whether rustfmt lays out code with its defaults here, as far as retort can tell: `RUSTFMT`
/// names no other program, and there is no `rustfmt.toml` or `.rustfmt.toml` where rustfmt
/// looks for one (the working directory and its parents, the home directory, the user's
/// config directory's `rustfmt/`).
pub(super) fn defaults_apply() -> bool {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| home.as_ref().map(|home| home.join(".config")))
        .map(|config| config.join("rustfmt"));
    let Ok(cwd) = std::env::current_dir() else {
        return false;
    };
    std::env::var_os("RUSTFMT").is_none()
        && !cwd
            .ancestors()
            .chain(home.as_deref())
            .chain(config.as_deref())
            .any(|dir| {
                [".rustfmt.toml", "rustfmt.toml"]
                    .iter()
                    .any(|name| dir.join(name).is_file())
            })
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

/// A statement as one line of token text for rustfmt, spaced as rustfmt spaces what it keeps on
/// one line (`Column::new("id", SqlType::BigInt).primary_key()`), and ending in ` ;`.
///
/// rustfmt compares each expression's source with its layout, to keep any comment the layout
/// would lose, and skips that scan of the source where the two are equal: for the many
/// sub-expressions it keeps on one line, this spelling is its layout (a thousand tables: a tenth
/// fewer instructions than proc-macro2's spacing, `op . create_table ("t" , [..]) ? ;`). The
/// space before the last `;` is the mark [`keeps_token_text`] finds should rustfmt keep the
/// statement as written. Tokens this does not know are spaced as proc-macro2 spaces them.
pub(super) fn token_line(statement: TokenStream) -> String {
    let mut line = String::new();
    write_tokens(&mut line, statement, true);
    line
}

fn write_tokens(out: &mut String, tokens: TokenStream, top: bool) {
    // Whether the token written last is glued to the next one, and whether the next begins an
    // operand (where `&`, `-`, `*` and `!` are prefix operators).
    let mut glued = true;
    let mut operand = true;
    let mut after_ident = false;
    for tree in tokens {
        match tree {
            TokenTree::Punct(punct) => {
                let c = punct.as_char();
                let before = match c {
                    ',' | '.' | '?' | ':' => false,
                    ';' => top,
                    '!' => !after_ident,
                    _ => true,
                };
                if before && !glued {
                    out.push(' ');
                }
                out.push(c);
                let prefix = operand && matches!(c, '&' | '-' | '*' | '!');
                glued = punct.spacing() == Spacing::Joint
                    || prefix
                    || c == '.'
                    || (c == '!' && after_ident)
                    || (c == ':' && out.ends_with("::"));
                operand = !matches!(c, '?' | '.');
                after_ident = false;
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                let call = matches!(
                    group.delimiter(),
                    Delimiter::Parenthesis | Delimiter::Bracket
                ) && !operand;
                if !glued && !call {
                    out.push(' ');
                }
                let inner = group.stream();
                if inner.is_empty() {
                    out.push_str(open.trim_end());
                    out.push_str(close.trim_start());
                } else {
                    out.push_str(open);
                    write_tokens(out, inner, false);
                    out.push_str(close);
                }
                (glued, operand, after_ident) = (false, false, false);
            }
            TokenTree::Ident(ident) => {
                if !glued {
                    out.push(' ');
                }
                out.push_str(&ident.to_string());
                (glued, operand, after_ident) = (false, false, true);
            }
            TokenTree::Literal(literal) => {
                if !glued {
                    out.push(' ');
                }
                out.push_str(&literal.to_string());
                (glued, operand, after_ident) = (false, false, false);
            }
        }
    }
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
