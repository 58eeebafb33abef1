//! `embed_migrations!` ([`embed_migrations`]): compiles every revision file of a versions
//! directory into the runner as a module, and lists them in a `MIGRATIONS` static of
//! `::retort::Script`s (Alembic's `ScriptDirectory`, read at compile time).
//!
//! The `#[path]` modules make rustc track each file, so editing one rebuilds the runner; a new
//! file is only seen on the next build of the crate, which the runner's `build.rs`
//! (`cargo:rerun-if-changed=versions`) triggers. Each `Script` carries the checksum of its
//! file's text (`retort_syntax::checksum`), computed here, at compile time: an edit rebuilds
//! the runner and so changes the checksum the runtime compares with the recorded one.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use retort_syntax::checksum::revision_checksum;
use syn::LitStr;

/// The directory read when the macro is given no argument, relative to the crate root.
const DEFAULT_DIR: &str = "versions";

/// One revision file, as the generated code needs it.
#[derive(Debug, PartialEq)]
struct Version {
    file_name: String,
    /// Absolute, for `#[path]`: relative paths there resolve against the invoking file.
    path: String,
    module: String,
    message: String,
    /// `retort_syntax::checksum::revision_checksum` of the file's text.
    checksum: String,
}

/// Expands `embed_migrations!()` or `embed_migrations!("dir")`.
pub fn embed_migrations(input: TokenStream) -> syn::Result<TokenStream> {
    let arg: Option<LitStr> = syn::parse2(input)?;
    let (relative, span) = match &arg {
        Some(lit) => (lit.value(), lit.span()),
        None => (DEFAULT_DIR.to_owned(), Span::call_site()),
    };
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .ok_or_else(|| syn::Error::new(span, "CARGO_MANIFEST_DIR is not set; build with cargo"))?;
    let dir = Path::new(&manifest_dir).join(&relative);
    let versions = read_versions(&dir).map_err(|message| syn::Error::new(span, message))?;
    Ok(expand(&versions))
}

fn expand(versions: &[Version]) -> TokenStream {
    let modules = versions.iter().map(|v| {
        let (path, module) = (&v.path, format_ident!("{}", v.module));
        quote! {
            #[path = #path]
            mod #module;
        }
    });
    let scripts = versions.iter().map(|v| {
        let (file_name, message, checksum) = (&v.file_name, &v.message, &v.checksum);
        let m = format_ident!("{}", v.module);
        quote! {
            ::retort::Script {
                revision: #m::REVISION,
                down_revisions: #m::DOWN_REVISION,
                branch_labels: #m::BRANCH_LABELS,
                depends_on: #m::DEPENDS_ON,
                message: #message,
                path: #file_name,
                checksum: #checksum,
                upgrade: #m::upgrade,
                downgrade: #m::downgrade,
            }
        }
    });
    quote! {
        #(#modules)*

        /// The revision files of the versions directory, sorted by file name.
        pub static MIGRATIONS: &[::retort::Script] = &[#(#scripts),*];
    }
}

/// The `*.rs` files of `dir`, sorted by file name. A missing directory has none: a fresh
/// project has no revisions yet.
fn read_versions(dir: &Path) -> Result<Vec<Version>, String> {
    let shown = dir.display();
    match fs::metadata(dir) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(format!("cannot read migrations directory `{shown}`: {err}")),
        Ok(meta) if !meta.is_dir() => {
            return Err(format!(
                "`{shown}` is not a directory; embed_migrations! expects the directory of \
                 revision files"
            ))
        }
        Ok(_) => {}
    }
    let entries = fs::read_dir(dir)
        .map_err(|err| format!("cannot read migrations directory `{shown}`: {err}"))?;
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|err| format!("cannot read `{shown}`: {err}"))?;
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            return Err(format!("`{}`: file name is not UTF-8", path.display()));
        };
        // Editors' lock and backup files (`.#x.rs`) are not revisions.
        if !name.ends_with(".rs") || name.starts_with('.') || !path.is_file() {
            continue;
        }
        files.push((name, path));
    }
    files.sort();

    let mut versions: Vec<Version> = Vec::with_capacity(files.len());
    for (file_name, path) in files {
        let source = fs::read_to_string(&path)
            .map_err(|err| format!("cannot read revision file `{}`: {err}", path.display()))?;
        let Some(path_str) = path.to_str() else {
            return Err(format!("`{}`: path is not UTF-8", path.display()));
        };
        let module = module_name(&file_name);
        if let Some(other) = versions.iter().find(|v| v.module == module) {
            return Err(format!(
                "revision files `{}` and `{file_name}` both become module `{module}`; rename one",
                other.file_name
            ));
        }
        versions.push(Version {
            message: message(&source).to_owned(),
            checksum: revision_checksum(&source),
            path: path_str.to_owned(),
            module,
            file_name,
        });
    }
    Ok(versions)
}

/// `r_` + the file stem, lowercased, with every character that cannot be in an identifier
/// replaced by `_` (file names start with a revision id, which may start with a digit).
fn module_name(file_name: &str) -> String {
    let stem = file_name.strip_suffix(".rs").unwrap_or(file_name);
    let sanitised: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("r_{sanitised}")
}

/// The first non-empty line of the file's leading `//!` comment, trimmed (the revision's
/// message); empty if the file does not start with one.
fn message(source: &str) -> &str {
    source
        .trim_start_matches('\u{feff}')
        .lines()
        .map(str::trim)
        .skip_while(|line| line.is_empty())
        .map_while(|line| line.strip_prefix("//!"))
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch directory removed on drop; std only, to keep the macro crate's dev-deps small.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> Self {
            let dir = std::env::temp_dir()
                .join(format!("retort-macros-embed-{}-{name}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).expect("create temp dir");
            TempDir(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn message_is_the_first_line_of_the_leading_doc_comment() {
        assert_eq!(
            message("//! add users\n//!\n//! Revision ID: x\n"),
            "add users"
        );
        assert_eq!(message("\n//!\n//!   spaced  \nuse x;"), "spaced");
        assert_eq!(message("use retort::prelude::*;\n//! late"), "");
        assert_eq!(message("// plain comment\n//! doc"), "");
        assert_eq!(message(""), "");
    }

    #[test]
    fn module_names_are_identifiers() {
        assert_eq!(
            module_name("3f2a9c1b7d4e_add_users.rs"),
            "r_3f2a9c1b7d4e_add_users"
        );
        assert_eq!(module_name("ab-Cd.e.rs"), "r_ab_cd_e");
    }

    #[test]
    fn missing_directory_is_empty_and_a_file_is_an_error() {
        let tmp = TempDir::new("missing");
        assert_eq!(read_versions(&tmp.0.join("versions")), Ok(Vec::new()));
        let file = tmp.0.join("versions.rs");
        fs::write(&file, "").expect("write");
        let err = read_versions(&file).expect_err("a file is not a directory");
        assert!(err.contains("is not a directory"), "{err}");
    }

    #[test]
    fn reads_rs_files_sorted_by_name() {
        let tmp = TempDir::new("sorted");
        fs::write(tmp.0.join("b2_second.rs"), "//! second\n").expect("write");
        fs::write(tmp.0.join("a1_first.rs"), "//! first\n").expect("write");
        fs::write(tmp.0.join("notes.md"), "not a revision").expect("write");
        fs::write(tmp.0.join(".#a1_first.rs"), "lock").expect("write");
        let versions = read_versions(&tmp.0).expect("read");
        let names: Vec<_> = versions
            .iter()
            .map(|v| (v.file_name.as_str(), v.module.as_str(), v.message.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("a1_first.rs", "r_a1_first", "first"),
                ("b2_second.rs", "r_b2_second", "second")
            ]
        );
        assert!(Path::new(&versions[0].path).is_absolute());
        assert_eq!(versions[0].checksum, revision_checksum("//! first\n"));
    }

    #[test]
    fn colliding_module_names_are_an_error() {
        let tmp = TempDir::new("collide");
        fs::write(tmp.0.join("a-b.rs"), "").expect("write");
        fs::write(tmp.0.join("a_b.rs"), "").expect("write");
        let err = read_versions(&tmp.0).expect_err("collision");
        assert!(err.contains("both become module `r_a_b`"), "{err}");
    }

    #[test]
    fn unreadable_file_is_an_error_naming_it() {
        let tmp = TempDir::new("unreadable");
        fs::write(tmp.0.join("a1_bad.rs"), [0xff, 0xfe]).expect("write");
        let err = read_versions(&tmp.0).expect_err("not UTF-8");
        assert!(err.starts_with("cannot read revision file `"), "{err}");
        assert!(err.contains("a1_bad.rs"), "{err}");
    }

    #[test]
    fn expansion_lists_each_file_in_order() {
        let versions = [Version {
            file_name: "a1_first.rs".into(),
            path: "/project/versions/a1_first.rs".into(),
            module: "r_a1_first".into(),
            message: "first".into(),
            checksum: "fnv1a64:0123456789abcdef".into(),
        }];
        let file: syn::File = syn::parse2(expand(&versions)).expect("expansion parses");
        insta::assert_snapshot!(prettyplease::unparse(&file));
    }
}
