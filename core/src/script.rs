//! The script directory (Alembic's `ScriptDirectory`): the revision files compiled into the
//! runner by `embed_migrations!`, their revision graph, and the writing of new files.

use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::operations::Operations;
use crate::revision::{Revision, RevisionMap};

/// A migration step function of a revision file.
pub type MigrationFn = fn(&mut Operations) -> Result<()>;

/// One revision file as compiled into the runner by `embed_migrations!`.
#[derive(Clone, Copy, Debug)]
pub struct Script {
    pub revision: &'static str,
    /// Empty for a base; two or more for a merge.
    pub down_revisions: &'static [&'static str],
    pub branch_labels: &'static [&'static str],
    pub depends_on: &'static [&'static str],
    /// The first line of the file's `//!` doc comment.
    pub message: &'static str,
    /// The file name inside the versions directory.
    pub path: &'static str,
    /// The checksum of the file's text as compiled (`fnv1a64:` and 16 hex digits, see
    /// `retort_syntax::checksum`), recorded beside the version table when the revision is
    /// applied and compared with it by `current -v` and `check`.
    pub checksum: &'static str,
    pub upgrade: MigrationFn,
    pub downgrade: MigrationFn,
}

/// The compiled revision files, their graph, and where new files go.
#[derive(Debug)]
pub struct ScriptDirectory {
    versions_dir: PathBuf,
    scripts: BTreeMap<&'static str, Script>,
    map: RevisionMap,
}

impl ScriptDirectory {
    /// Validates the graph of `scripts` (unique ids, known parents, no cycle).
    pub fn new(versions_dir: impl Into<PathBuf>, scripts: &[Script]) -> Result<Self> {
        let map = RevisionMap::new(scripts.iter().map(|s| Revision {
            id: s.revision.to_owned(),
            down_revisions: s.down_revisions.iter().map(|d| (*d).to_owned()).collect(),
            branch_labels: s.branch_labels.iter().map(|d| (*d).to_owned()).collect(),
            depends_on: s.depends_on.iter().map(|d| (*d).to_owned()).collect(),
        }))?;
        Ok(ScriptDirectory {
            versions_dir: versions_dir.into(),
            scripts: scripts.iter().map(|s| (s.revision, *s)).collect(),
            map,
        })
    }

    pub fn versions_dir(&self) -> &Path {
        &self.versions_dir
    }

    pub fn map(&self) -> &RevisionMap {
        &self.map
    }

    pub fn script(&self, id: &str) -> Option<&Script> {
        self.scripts.get(id)
    }

    pub fn scripts(&self) -> BTreeMap<&str, &Script> {
        self.scripts.iter().map(|(k, v)| (*k, v)).collect()
    }

    /// Writes a new revision file `<rev>_<slug>.rs`; refuses to overwrite one.
    pub fn write_revision(&self, revision: &str, message: &str, content: &str) -> Result<PathBuf> {
        std::fs::create_dir_all(&self.versions_dir).map_err(Error::io(
            "cannot create the versions directory",
            &self.versions_dir,
        ))?;
        let path = self
            .versions_dir
            .join(format!("{revision}_{}.rs", slug(message)));
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(Error::io("cannot create revision file", &path))?;
        std::io::Write::write_all(&mut file, content.as_bytes())
            .map_err(Error::io("cannot write revision file", &path))?;
        Ok(path)
    }
}

/// A new random 12-hex-digit revision id, like Alembic's `uuid4().hex[-12:]`.
pub fn new_revision_id() -> String {
    // RandomState is seeded from the OS per process; mixing in the time keeps ids distinct
    // within one process too.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    hasher.write_u128(nanos);
    hasher.write_u32(std::process::id());
    format!("{:012x}", hasher.finish() & 0xffff_ffff_ffff)
}

/// The file-name part of a message: lowercase words joined by `_`, at most 40 characters.
pub fn slug(message: &str) -> String {
    let mut slug = String::new();
    for word in message
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if slug.len() + word.len() + 1 > 40 {
            break;
        }
        if !slug.is_empty() {
            slug.push('_');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    if slug.is_empty() {
        slug.push_str("revision");
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_file_name_safe() {
        assert_eq!(slug("Add users & posts!"), "add_users_posts");
        assert_eq!(slug("ünïcode"), "n_code");
        assert_eq!(slug("!!!"), "revision");
        assert!(slug(&"word ".repeat(30)).len() <= 40);
    }

    #[test]
    fn revision_ids_are_12_hex_digits_and_differ() {
        let a = new_revision_id();
        let b = new_revision_id();
        assert_eq!(a.len(), 12);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn writing_never_overwrites() {
        let dir = tempfile::tempdir().expect("tempdir");
        let scripts = ScriptDirectory::new(dir.path().join("versions"), &[]).expect("empty");
        let path = scripts
            .write_revision("abc", "first", "//! first\n")
            .expect("written");
        assert!(path.ends_with("versions/abc_first.rs"));
        assert!(scripts.write_revision("abc", "first", "x").is_err());
        assert_eq!(std::fs::read_to_string(path).expect("read"), "//! first\n");
    }
}
