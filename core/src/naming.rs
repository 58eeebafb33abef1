//! Naming conventions (SQLAlchemy's `naming_convention`): the names given to primary keys,
//! indexes, unique, foreign-key and check constraints that the models leave unnamed, and the
//! truncation of every name to the dialect's identifier limit.
//!
//! Names are filled in once on the target metadata before comparison, so autogenerate, the DDL
//! and reflection all see the same names. Truncation keeps a readable prefix and appends a hash
//! of the full name, so two long names stay distinct and a truncated name reflects back
//! identically.

use crate::schema::Table;

/// Templates with the tokens `%(table)s`, `%(columns)s` (column names joined by `_`),
/// `%(column)s` (the first column), `%(referred_table)s` and `%(name)s`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamingConvention {
    pub primary_key: String,
    pub index: String,
    pub unique_index: String,
    pub unique: String,
    pub foreign_key: String,
    /// `%(name)s` is the check's position in its table, from 1, when it has no name.
    pub check: String,
}

impl Default for NamingConvention {
    /// DESIGN §4.1: `pk_%(table)s`, `ix_%(table)s_%(columns)s`, `uq_%(table)s_%(columns)s`,
    /// `fk_%(table)s_%(column)s_%(referred_table)s`, `ck_%(table)s_%(name)s`.
    fn default() -> Self {
        NamingConvention {
            primary_key: "pk_%(table)s".into(),
            index: "ix_%(table)s_%(columns)s".into(),
            unique_index: "uq_%(table)s_%(columns)s".into(),
            unique: "uq_%(table)s_%(columns)s".into(),
            foreign_key: "fk_%(table)s_%(column)s_%(referred_table)s".into(),
            check: "ck_%(table)s_%(name)s".into(),
        }
    }
}

struct Tokens<'a> {
    table: &'a str,
    columns: &'a [String],
    referred_table: &'a str,
    name: &'a str,
}

fn tokens<'a>(table: &'a str, columns: &'a [String]) -> Tokens<'a> {
    Tokens {
        table,
        columns,
        referred_table: "",
        name: "",
    }
}

fn expand(template: &str, tokens: &Tokens<'_>) -> String {
    template
        .replace("%(table)s", tokens.table)
        .replace("%(columns)s", &tokens.columns.join("_"))
        .replace(
            "%(column)s",
            tokens
                .columns
                .first()
                .map(String::as_str)
                .unwrap_or_default(),
        )
        .replace("%(referred_table)s", tokens.referred_table)
        .replace("%(name)s", tokens.name)
}

impl NamingConvention {
    /// Names every unnamed object of `table` and truncates every name to `limit` bytes.
    pub fn apply(&self, table: &mut Table, limit: Option<usize>) {
        let table_name = table.name.clone();
        let tokens = |columns| tokens(&table_name, columns);
        // The given name, or the convention's; either way cut to the limit.
        let fill = |slot: &mut Option<String>, default: &dyn Fn() -> String| {
            let name = slot.take().unwrap_or_else(default);
            *slot = Some(truncate(&name, limit));
        };
        if let Some(pk) = &mut table.primary_key {
            fill(&mut pk.name, &|| {
                expand(&self.primary_key, &tokens(&pk.columns))
            });
        }
        for index in &mut table.indexes {
            let template = if index.unique {
                &self.unique_index
            } else {
                &self.index
            };
            fill(&mut index.name, &|| {
                expand(template, &tokens(&index.columns))
            });
        }
        for unique in &mut table.unique_constraints {
            fill(&mut unique.name, &|| {
                expand(&self.unique, &tokens(&unique.columns))
            });
        }
        for fk in &mut table.foreign_keys {
            let referred = Tokens {
                referred_table: &fk.referred_table,
                ..tokens(&fk.columns)
            };
            fill(&mut fk.name, &|| expand(&self.foreign_key, &referred));
        }
        for (position, check) in table.check_constraints.iter_mut().enumerate() {
            let position = (position + 1).to_string();
            let numbered = Tokens {
                name: &position,
                ..tokens(&[])
            };
            fill(&mut check.name, &|| expand(&self.check, &numbered));
        }
    }
}

/// `name` if it fits in `limit` bytes; otherwise a prefix, `_` and 8 hex digits of a hash of
/// the whole name, `limit` bytes in all.
pub fn truncate(name: &str, limit: Option<usize>) -> String {
    let Some(limit) = limit.filter(|l| name.len() > *l && *l > 9) else {
        return name.to_owned();
    };
    let mut cut = limit - 9;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{:08x}", &name[..cut], fnv1a(name.as_bytes()))
}

/// FNV-1a, 32 bits: stable across platforms and releases, unlike std's hashers.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(*byte)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{CheckConstraint, Column, ForeignKey, Index, SqlType, UniqueConstraint};

    #[test]
    fn fills_unnamed_objects_and_keeps_given_names() {
        let mut table = Table::with_columns(
            "posts",
            [
                Column::new("id", SqlType::BigInt).primary_key(),
                Column::new("author_id", SqlType::BigInt),
                Column::new("slug", SqlType::Text),
            ],
        )
        .index(Index::unnamed(["author_id", "slug"]))
        .index(Index::unnamed(["slug"]).unique())
        .index(Index::new("my_index", ["slug"]))
        .unique(UniqueConstraint::new(["slug"]))
        .foreign_key(ForeignKey::new(["author_id"], "users", ["id"]))
        .check(CheckConstraint::new("id > 0"))
        .check(CheckConstraint::new("slug <> ''").named("ck_slug"));
        NamingConvention::default().apply(&mut table, None);
        let names = |v: Vec<Option<String>>| {
            v.into_iter()
                .map(|n| n.unwrap_or_default())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            table.primary_key.and_then(|pk| pk.name).as_deref(),
            Some("pk_posts")
        );
        assert_eq!(
            names(table.indexes.into_iter().map(|i| i.name).collect()),
            ["ix_posts_author_id_slug", "uq_posts_slug", "my_index"]
        );
        assert_eq!(
            names(
                table
                    .unique_constraints
                    .into_iter()
                    .map(|u| u.name)
                    .collect()
            ),
            ["uq_posts_slug"]
        );
        assert_eq!(
            names(table.foreign_keys.into_iter().map(|f| f.name).collect()),
            ["fk_posts_author_id_users"]
        );
        assert_eq!(
            names(
                table
                    .check_constraints
                    .into_iter()
                    .map(|c| c.name)
                    .collect()
            ),
            ["ck_posts_1", "ck_slug"]
        );
    }

    #[test]
    fn long_names_are_truncated_stably_and_stay_distinct() {
        let a = format!("ix_{}_a", "x".repeat(80));
        let b = format!("ix_{}_b", "x".repeat(80));
        let (ta, tb) = (truncate(&a, Some(63)), truncate(&b, Some(63)));
        assert_eq!(ta.len(), 63);
        assert_eq!(tb.len(), 63);
        assert_ne!(ta, tb);
        assert_eq!(ta, truncate(&a, Some(63)), "stable");
        assert_eq!(&ta[..54], &a[..54]);
        assert_eq!(truncate("short", Some(63)), "short");
        assert_eq!(truncate(&a, None), a);
        // Pinned: changing the hash would rename the objects of existing databases.
        assert_eq!(truncate(&"n".repeat(70), Some(20)), "nnnnnnnnnnn_3395645d");
    }
}
