//! Whether the runner built last time is still what `cargo build` would produce, decided
//! without running cargo (whose own no-op check costs about a third of a second, more than a
//! whole `check` of a thousand tables).
//!
//! After each successful build, a stamp (`<migrations>/target/.retort-runner`) records the
//! executable, its size and modification time, when the build started, the environment that
//! steers cargo, and the files the build read: those of cargo's dep-info for the executable
//! (every source file of the runner and of its path dependencies), the manifests of the
//! packages they belong to, `Cargo.lock`, `build.rs`, the `versions/` directory and its files,
//! and every `.cargo/config.toml` above the crate. The runner is run directly only when each of
//! these is older than the build's start (less a margin for coarse file times), the executable
//! is the one recorded, and the environment is the same; anything else, or any doubt, builds
//! with cargo. Registry dependencies are left out, as cargo's dep-info leaves them out: their
//! sources do not change under a given `Cargo.lock`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const STAMP_VERSION: &str = "retort-runner 1";
/// Inputs changed this long before a build started count as changed after it: file times are
/// taken from a coarse clock, and an edit made while cargo was starting must not be missed.
const MARGIN: Duration = Duration::from_secs(1);

/// The stamp's path for the migrations crate of `manifest`.
pub fn stamp_path(manifest: &Path) -> PathBuf {
    manifest
        .parent()
        .unwrap_or(Path::new("."))
        .join("target")
        .join(".retort-runner")
}

/// The runner executable, if the stamp says it is fresh.
pub fn fresh_runner(manifest: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(stamp_path(manifest)).ok()?;
    let mut lines = text.lines();
    if lines.next()? != STAMP_VERSION {
        return None;
    }
    let executable = PathBuf::from(lines.next()?.strip_prefix("exe ")?);
    let recorded = lines.next()?.strip_prefix("binary ")?;
    let started = lines
        .next()?
        .strip_prefix("started ")?
        .parse::<u64>()
        .ok()?;
    let env = lines.next()?.strip_prefix("env ")?;
    if env != environment_key() || recorded != binary_id(&executable)? {
        return None;
    }
    let limit = (UNIX_EPOCH + Duration::from_nanos(started)).checked_sub(MARGIN)?;
    let mut inputs = BTreeSet::new();
    for line in lines {
        let path = Path::new(line.strip_prefix("in ")?);
        if std::fs::metadata(path).ok()?.modified().ok()? >= limit {
            return None;
        }
        inputs.insert(path);
    }
    // A file added to versions/ since is an input the build never read.
    let versions = list_dir(&manifest.parent()?.join("versions"));
    let known = !inputs.is_empty() && versions.iter().all(|f| inputs.contains(f.as_path()));
    known.then_some(executable)
}

/// Records a build of `executable` that started at `started`. Failing to write the stamp
/// only means the next run asks cargo again.
pub fn record(manifest: &Path, executable: &Path, started: SystemTime) {
    let Some(binary) = binary_id(executable) else {
        return;
    };
    let Some(inputs) = inputs(manifest, executable) else {
        return;
    };
    let Ok(started) = started.duration_since(UNIX_EPOCH) else {
        return;
    };
    let mut text = format!(
        "{STAMP_VERSION}\nexe {}\nbinary {binary}\nstarted {}\nenv {}\n",
        executable.display(),
        started.as_nanos(),
        environment_key()
    );
    for input in inputs {
        text.push_str(&format!("in {}\n", input.display()));
    }
    let path = stamp_path(manifest);
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = std::fs::write(path, text);
}

/// The executable's size and modification time: another build (other features, say) changes
/// them.
fn binary_id(executable: &Path) -> Option<String> {
    let meta = std::fs::metadata(executable).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some(format!("{} {}", meta.len(), modified.as_nanos()))
}

/// Every variable that can change what cargo builds (`CARGO*`, `RUST*`), in order. Those that
/// only change what the runner prints are left out.
fn environment_key() -> String {
    let mut vars: Vec<String> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .filter(|(k, _)| k.starts_with("CARGO") || k.starts_with("RUST"))
        .filter(|(k, _)| !matches!(k.as_str(), "RUST_BACKTRACE" | "RUST_LOG"))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    vars.sort();
    // One line: a value with a newline would otherwise split the stamp.
    vars.join("\u{1f}").replace('\n', "\u{1e}")
}

/// The files a build of `executable` read, as far as they can change without `Cargo.lock`
/// changing; `None` if cargo's dep-info is missing.
fn inputs(manifest: &Path, executable: &Path) -> Option<BTreeSet<PathBuf>> {
    let dep_info = std::fs::read_to_string(executable.with_extension("d")).ok()?;
    let crate_dir = manifest.parent()?.to_path_buf();
    let mut inputs: BTreeSet<PathBuf> = dep_info_paths(&dep_info).into_iter().collect();
    inputs.remove(executable);
    let mut manifests = BTreeSet::new();
    for source in &inputs {
        if let Some(found) = source.ancestors().skip(1).find_map(|dir| {
            let candidate = dir.join("Cargo.toml");
            candidate.is_file().then_some(candidate)
        }) {
            manifests.insert(found);
        }
    }
    inputs.extend(manifests);
    for name in ["Cargo.toml", "Cargo.lock", "build.rs"] {
        let path = crate_dir.join(name);
        if path.exists() {
            inputs.insert(path);
        }
    }
    let versions = crate_dir.join("versions");
    inputs.insert(versions.clone());
    inputs.extend(list_dir(&versions));
    for dir in crate_dir.ancestors() {
        for name in [".cargo/config.toml", ".cargo/config"] {
            let path = dir.join(name);
            if path.is_file() {
                inputs.insert(path);
            }
        }
    }
    // A dep-info path that is gone: cargo would rebuild.
    inputs.iter().all(|p| p.exists()).then_some(inputs)
}

fn list_dir(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    files.sort();
    files
}

/// The paths of a Makefile-style dep-info file (`target: dep dep\n`), with `\ ` escapes.
fn dep_info_paths(text: &str) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for line in text.lines() {
        let Some((_, deps)) = split_target(line) else {
            continue;
        };
        let mut current = String::new();
        let mut chars = deps.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' if chars.peek().is_some_and(|n| *n == ' ' || *n == '\\') => {
                    current.extend(chars.next());
                }
                ' ' | '\t' => {
                    if !current.is_empty() {
                        paths.push(PathBuf::from(std::mem::take(&mut current)));
                    }
                }
                c => current.push(c),
            }
        }
        if !current.is_empty() {
            paths.push(PathBuf::from(current));
        }
    }
    paths
}

/// `target: deps` split at the first `:` that is not escaped and not a Windows drive's.
fn split_target(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    (0..bytes.len())
        .filter(|&i| bytes[i] == b':')
        .find(|&i| {
            let escaped = i > 0 && bytes[i - 1] == b'\\';
            let drive =
                i == 1 || (i >= 2 && bytes[i - 2] == b' ' && bytes[i - 1].is_ascii_alphabetic());
            !escaped && !drive
        })
        .map(|i| (&line[..i], &line[i + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dep_info_paths_keep_escaped_spaces() {
        let text = "/t/debug/runner: /a/src/main.rs /my\\ app/src/models.rs\n\n/a/src/main.rs:\n";
        assert_eq!(
            dep_info_paths(text),
            [
                PathBuf::from("/a/src/main.rs"),
                PathBuf::from("/my app/src/models.rs")
            ]
        );
    }

    /// A stamp holds only while every input is older than the build: a touched source, a new
    /// revision file or another environment make the next run ask cargo.
    #[test]
    fn a_stamp_holds_until_an_input_changes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("src")).expect("mkdir");
        std::fs::create_dir_all(root.join("versions")).expect("mkdir");
        std::fs::create_dir_all(root.join("target/debug")).expect("mkdir");
        let manifest = root.join("Cargo.toml");
        let main = root.join("src/main.rs");
        std::fs::write(&manifest, "[package]").expect("write");
        std::fs::write(&main, "fn main() {}").expect("write");
        let exe = root.join("target/debug/runner");
        std::fs::write(&exe, "binary").expect("write");
        std::fs::write(
            exe.with_extension("d"),
            format!("{}: {}\n", exe.display(), main.display()),
        )
        .expect("write");
        let started = SystemTime::now();
        record(&manifest, &exe, started);
        assert_eq!(
            fresh_runner(&manifest),
            None,
            "inputs written within the margin before the build count as written after it"
        );
        // Every input ten seconds older than the build.
        let age = |path: &Path| {
            std::fs::File::open(path)
                .and_then(|f| f.set_modified(started - Duration::from_secs(10)))
                .expect("set mtime");
        };
        for path in [&manifest, &main, &root.join("versions")] {
            age(path);
        }
        assert_eq!(fresh_runner(&manifest), Some(exe.clone()));
        // An edited source.
        std::fs::write(&main, "fn main() { }").expect("write");
        assert_eq!(fresh_runner(&manifest), None);
        age(&main);
        assert_eq!(fresh_runner(&manifest), Some(exe.clone()));
        // A new revision file, even once versions/ looks old again.
        std::fs::write(root.join("versions/0001_x.rs"), "").expect("write");
        assert_eq!(fresh_runner(&manifest), None);
        age(&root.join("versions/0001_x.rs"));
        age(&root.join("versions"));
        assert_eq!(fresh_runner(&manifest), None);
        std::fs::remove_file(root.join("versions/0001_x.rs")).expect("rm");
        age(&root.join("versions"));
        assert_eq!(fresh_runner(&manifest), Some(exe.clone()));
        // Another binary in its place (a build with other features).
        std::fs::write(&exe, "another binary").expect("write");
        assert_eq!(fresh_runner(&manifest), None);
    }
}
