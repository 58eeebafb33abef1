//! Naming conventions (SQLAlchemy's `naming_convention`): the names given to primary keys,
//! indexes, unique, foreign-key and check constraints that the models leave unnamed, and the
//! truncation of every name to the dialect's identifier limit.
//!
//! Names are filled in once on the target metadata before comparison, so autogenerate, the DDL
//! and reflection all see the same names. Truncation keeps a readable prefix and appends a hash
//! of the full name, so two long names stay distinct and a truncated name reflects back
//! identically.

use crate::ops::{Constraint, Op};
use crate::schema::{CheckConstraint, ForeignKey, Index, Table, UniqueConstraint};

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
    /// The primary key's name for `columns` of `table`, cut to `limit`.
    pub fn primary_key_name(
        &self,
        table: &str,
        columns: &[String],
        limit: Option<usize>,
    ) -> String {
        truncate(&expand(&self.primary_key, &tokens(table, columns)), limit)
    }

    /// Names every unnamed object of `table` and truncates every name to `limit` bytes.
    pub fn apply(&self, table: &mut Table, limit: Option<usize>) {
        let table_name = table.name.clone();
        if let Some(pk) = &mut table.primary_key {
            fill(&mut pk.name, limit, || {
                expand(&self.primary_key, &tokens(&table_name, &pk.columns))
            });
        }
        for index in &mut table.indexes {
            self.name_index(&table_name, index, limit);
        }
        for unique in &mut table.unique_constraints {
            self.name_unique(&table_name, unique, limit);
        }
        for fk in &mut table.foreign_keys {
            self.name_foreign_key(&table_name, fk, limit);
        }
        for (position, check) in table.check_constraints.iter_mut().enumerate() {
            self.name_check(&table_name, position + 1, check, limit);
        }
    }

    /// Names what `op` leaves unnamed, as [`apply`](Self::apply) names the target metadata, so
    /// an op written by hand creates the objects autogenerate expects. Every op is listed: one
    /// that creates a named object must say how it is named.
    pub fn apply_to_op(&self, op: &mut Op, limit: Option<usize>) {
        match op {
            Op::CreateTable(op) => self.apply(&mut op.table, limit),
            Op::CreateIndex(op) => self.name_index(&op.table.name, &mut op.index, limit),
            Op::AddConstraint(op) => {
                let table = op.table.name.clone();
                match &mut op.constraint {
                    Constraint::PrimaryKey(pk) => fill(&mut pk.name, limit, || {
                        expand(&self.primary_key, &tokens(&table, &pk.columns))
                    }),
                    Constraint::Unique(unique) => self.name_unique(&table, unique, limit),
                    Constraint::ForeignKey(fk) => self.name_foreign_key(&table, fk, limit),
                    Constraint::Check(check) => self.name_check(&table, 1, check, limit),
                }
            }
            Op::DropTable(_)
            | Op::AddColumn(_)
            | Op::DropColumn(_)
            | Op::DropIndex(_)
            | Op::DropConstraint(_)
            | Op::RenameTable(_)
            | Op::RenameColumn(_)
            | Op::AlterColumn(_)
            | Op::TableComment(_)
            | Op::AlterTableStorage(_)
            | Op::CreateEnum(_)
            | Op::DropEnum(_)
            | Op::AlterEnum(_)
            | Op::CreateDomain(_)
            | Op::DropDomain(_)
            | Op::AlterDomain(_)
            | Op::Execute(_)
            | Op::BulkInsert(_) => {}
        }
    }

    fn name_index(&self, table: &str, index: &mut Index, limit: Option<usize>) {
        let template = if index.unique {
            &self.unique_index
        } else {
            &self.index
        };
        fill(&mut index.name, limit, || {
            expand(template, &tokens(table, &index.columns))
        });
    }

    fn name_unique(&self, table: &str, unique: &mut UniqueConstraint, limit: Option<usize>) {
        fill(&mut unique.name, limit, || {
            expand(&self.unique, &tokens(table, &unique.columns))
        });
    }

    fn name_foreign_key(&self, table: &str, fk: &mut ForeignKey, limit: Option<usize>) {
        let referred = Tokens {
            referred_table: &fk.referred_table,
            ..tokens(table, &fk.columns)
        };
        fill(&mut fk.name, limit, || expand(&self.foreign_key, &referred));
    }

    /// `position` (from 1) stands for `%(name)s` when the check has no name.
    fn name_check(
        &self,
        table: &str,
        position: usize,
        check: &mut CheckConstraint,
        limit: Option<usize>,
    ) {
        let position = position.to_string();
        let numbered = Tokens {
            name: &position,
            ..tokens(table, &[])
        };
        fill(&mut check.name, limit, || expand(&self.check, &numbered));
    }
}

/// The given name, or the convention's; either way cut to the limit.
fn fill(slot: &mut Option<String>, limit: Option<usize>, conventional: impl FnOnce() -> String) {
    let name = slot.take().unwrap_or_else(conventional);
    *slot = Some(truncate(&name, limit));
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
    use crate::schema::{Column, SqlType};

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
