//! `cargo migrate init`: scaffolds `Migrate.toml` and the migrations crate of DESIGN §3.

use std::io::Write;
use std::path::Path;

use retort_core::config::CONFIG_FILE;
use retort_core::error::Error;

use crate::cli::InitOptions;
use crate::error::{CommandError, UsageError};

const MAIN_RS: &str = r#"//! The migration environment (Alembic's env.py): which revision files and models this project
//! migrates. `cargo migrate` builds and runs this crate with the arguments it was given.

mod models;

// Compiles every file of versions/ into `MIGRATIONS`.
retort::embed_migrations!();

fn main() -> std::process::ExitCode {
    // The target metadata is every #[derive(Table)] linked into this binary: the structs in
    // models.rs, or your application's models through a path dependency and `use app as _;`.
    retort::Environment::new(MIGRATIONS).run()
}
"#;

const MODELS_RS: &str = r#"//! Target metadata: each `#[derive(Table)]` struct here is a table autogenerate compares with
//! the database.
//!
//! ```ignore
//! #[derive(Table)]
//! pub struct User {
//!     #[column(primary_key)]
//!     pub id: i64,
//!     #[column(length = 255, unique)]
//!     pub email: String,
//! }
//! ```
#![allow(dead_code)]

#[allow(unused_imports)]
use retort::prelude::*;
"#;

const BUILD_RS: &str = r#"// New revision files must rebuild the runner: embed_migrations! reads versions/ at compile time.
fn main() {
    println!("cargo:rerun-if-changed=versions");
}
"#;

/// The features the runner enables on `retort` unless `--features` narrows them: every backend
/// and every type mapping (DESIGN §3).
pub const RUNNER_FEATURES: &[&str] = &[
    "sqlite",
    "postgres",
    "mysql",
    "chrono",
    "serde_json",
    "rust_decimal",
    "uuid",
];

/// Creates `Migrate.toml` in the working directory and the migrations crate in `dir`.
pub fn init(options: &InitOptions, out: &mut dyn Write) -> Result<(), CommandError> {
    let dir = options.dir.as_path();
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(Error::io("cannot read", dir))?
            .next()
            .is_some()
    {
        return Err(UsageError::InitDirNotEmpty {
            dir: dir.to_path_buf(),
        }
        .into());
    }
    let config = Path::new(CONFIG_FILE);
    if config.exists() {
        return Err(UsageError::AlreadyInitialised { file: CONFIG_FILE }.into());
    }
    let features: Vec<String> = if options.features.is_empty() {
        RUNNER_FEATURES.iter().map(|f| format!("{f:?}")).collect()
    } else {
        options.features.iter().map(|f| format!("{f:?}")).collect()
    };
    let source = match &options.retort_path {
        Some(path) => {
            let path = path
                .canonicalize()
                .map_err(Error::io("cannot find the retort checkout", path))?;
            format!("path = {:?}", path.display().to_string())
        }
        None => format!("version = \"{}\"", env!("CARGO_PKG_VERSION")),
    };
    let dependency = format!(
        "retort = {{ {source}, default-features = false, features = [{}] }}",
        features.join(", ")
    );
    let script_location = dir.display().to_string().replace('\\', "/");
    let files: [(std::path::PathBuf, String); 6] = [
        (
            config.to_path_buf(),
            format!(
                "# retort configuration (Alembic's alembic.ini).\n\
                 script_location = {script_location:?}\n\
                 version_table = \"retort_version\"\n\
                 # The database URL; DATABASE_URL and --database-url take precedence.\n\
                 # database_url = \"sqlite://app.db\"\n\
                 # Seconds upgrade, downgrade and stamp wait for another run's migration lock.\n\
                 # lock_timeout = 300\n\
                 # Only behind a pooler that cannot hold session locks (see the README).\n\
                 # lock = false\n"
            ),
        ),
        (
            dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"migrations\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
                 [dependencies]\n{dependency}\n\n\
                 # Its own workspace, so it builds whether or not the application is one.\n[workspace]\n\n\
                 # #[derive(Table)] and embed_migrations! run on every build: optimised macros\n\
                 # keep rebuilding many models fast (measured in retort's bench/compile).\n\
                 [profile.dev.build-override]\nopt-level = 3\n\n\
                 # Retort, diesel and the SQLite they link run optimised: reflecting, comparing\n\
                 # and rendering a thousand tables takes a fraction of the time. Dependencies\n\
                 # build once; editing models rebuilds only this crate.\n\
                 [profile.dev.package.\"*\"]\nopt-level = 3\n"
            ),
        ),
        (dir.join("build.rs"), BUILD_RS.to_owned()),
        (dir.join("src/main.rs"), MAIN_RS.to_owned()),
        (dir.join("src/models.rs"), MODELS_RS.to_owned()),
        (dir.join(".gitignore"), "/target\n".to_owned()),
    ];
    std::fs::create_dir_all(dir.join("src")).map_err(Error::io("cannot create", dir))?;
    std::fs::create_dir_all(dir.join("versions")).map_err(Error::io("cannot create", dir))?;
    for (path, text) in &files {
        std::fs::write(path, text).map_err(Error::io("cannot write", path))?;
    }
    writeln!(
        out,
        "Created {CONFIG_FILE} and the migrations crate in {}.\nNext: declare tables in {}, set \
         DATABASE_URL, then run `cargo migrate revision --autogenerate -m \"initial\"`.",
        dir.display(),
        dir.join("src/models.rs").display()
    )
    .map_err(CommandError::Output)
}
