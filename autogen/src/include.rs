//! What autogenerate considers (Alembic's `include_schemas`, `include_name` and
//! `include_object`): which PostgreSQL schemas it reflects ([`IncludeSchemas`]), and user
//! predicates that keep objects out, such as tables another tool owns. [`Include::apply`]
//! filters a [`MetaData`] before comparison, so an excluded object is neither created nor
//! dropped.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use retort_core::schema::{MetaData, QualifiedName, Table};

/// The kinds of object the hooks are asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ObjectKind {
    Table,
    Column,
    Index,
    UniqueConstraint,
    ForeignKey,
    CheckConstraint,
}

/// One object, as `include_object` sees it.
#[derive(Clone, Copy, Debug)]
pub struct Object<'a> {
    pub kind: ObjectKind,
    /// The object's name (`""` for an unnamed constraint).
    pub name: &'a str,
    /// The table it is (or belongs to).
    pub table: &'a QualifiedName,
    /// Whether it comes from the database (`true`) or from the models (`false`).
    pub reflected: bool,
}

type NameHook = dyn Fn(&str, ObjectKind, &QualifiedName) -> bool + Send + Sync;
type ObjectHook = dyn Fn(&Object<'_>) -> bool + Send + Sync;

/// Which PostgreSQL schemas autogenerate reflects (Alembic's `include_schemas`). MySQL always
/// reflects the current database and SQLite its `main` database.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum IncludeSchemas {
    /// The connection's default schema (`current_schema()`) and the schemas the models name:
    /// tables of other applications' schemas are neither compared nor dropped.
    #[default]
    Default,
    /// Every schema of the database (`include_schemas(true)`).
    All,
    /// The default ones and these.
    Named(Vec<String>),
}

impl From<bool> for IncludeSchemas {
    fn from(all: bool) -> Self {
        if all {
            IncludeSchemas::All
        } else {
            IncludeSchemas::Default
        }
    }
}

impl<S: Into<String>, const N: usize> From<[S; N]> for IncludeSchemas {
    fn from(names: [S; N]) -> Self {
        IncludeSchemas::Named(names.into_iter().map(Into::into).collect())
    }
}

impl From<Vec<String>> for IncludeSchemas {
    fn from(names: Vec<String>) -> Self {
        IncludeSchemas::Named(names)
    }
}

impl IncludeSchemas {
    /// The schemas to reflect for models in `target`.
    pub fn scope(&self, target: &MetaData) -> crate::reflect::Schemas {
        let mut named: BTreeSet<String> = target
            .tables
            .values()
            .flat_map(|t| {
                t.schema.iter().chain(
                    t.foreign_keys
                        .iter()
                        .filter_map(|fk| fk.referred_schema.as_ref()),
                )
            })
            .cloned()
            .collect();
        match self {
            IncludeSchemas::All => return crate::reflect::Schemas::All,
            IncludeSchemas::Default => {}
            IncludeSchemas::Named(more) => named.extend(more.iter().cloned()),
        }
        crate::reflect::Schemas::Current(named)
    }
}

/// The hooks; by default everything is included.
#[derive(Clone, Default)]
pub struct Include {
    name: Option<Arc<NameHook>>,
    object: Option<Arc<ObjectHook>>,
    schemas: IncludeSchemas,
}

impl fmt::Debug for Include {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Include")
            .field("name", &self.name.is_some())
            .field("object", &self.object.is_some())
            .field("schemas", &self.schemas)
            .finish()
    }
}

impl Include {
    /// `include_name`: asked about every name found in the database (not the models'),
    /// with the table it belongs to.
    pub fn name(
        mut self,
        hook: impl Fn(&str, ObjectKind, &QualifiedName) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.name = Some(Arc::new(hook));
        self
    }

    /// `include_object`: asked about every object on both sides.
    pub fn object(mut self, hook: impl Fn(&Object<'_>) -> bool + Send + Sync + 'static) -> Self {
        self.object = Some(Arc::new(hook));
        self
    }

    /// Which PostgreSQL schemas to reflect.
    pub fn schemas(mut self, schemas: impl Into<IncludeSchemas>) -> Self {
        self.schemas = schemas.into();
        self
    }

    /// The schemas asked for.
    pub fn included_schemas(&self) -> &IncludeSchemas {
        &self.schemas
    }

    fn keeps(&self, kind: ObjectKind, name: &str, table: &QualifiedName, reflected: bool) -> bool {
        let by_name = !reflected
            || self
                .name
                .as_ref()
                .is_none_or(|hook| hook(name, kind, table));
        let by_object = self.object.as_ref().is_none_or(|hook| {
            hook(&Object {
                kind,
                name,
                table,
                reflected,
            })
        });
        by_name && by_object
    }

    /// Removes every object the hooks exclude from `metadata`.
    pub fn apply(&self, metadata: &mut MetaData, reflected: bool) {
        if self.name.is_none() && self.object.is_none() {
            return;
        }
        metadata
            .tables
            .retain(|qn, _| self.keeps(ObjectKind::Table, &qn.name, qn, reflected));
        for (qn, table) in metadata.tables.iter_mut() {
            self.apply_to_table(qn, table, reflected);
        }
    }

    fn apply_to_table(&self, qn: &QualifiedName, table: &mut Table, reflected: bool) {
        let keeps =
            |kind, name: Option<&str>| self.keeps(kind, name.unwrap_or_default(), qn, reflected);
        table
            .columns
            .retain(|c| keeps(ObjectKind::Column, Some(&c.name)));
        table
            .indexes
            .retain(|i| keeps(ObjectKind::Index, i.name.as_deref()));
        table
            .unique_constraints
            .retain(|u| keeps(ObjectKind::UniqueConstraint, u.name.as_deref()));
        table
            .foreign_keys
            .retain(|f| keeps(ObjectKind::ForeignKey, f.name.as_deref()));
        table
            .check_constraints
            .retain(|c| keeps(ObjectKind::CheckConstraint, c.name.as_deref()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use retort_core::schema::{Column, Index, SqlType};

    fn metadata() -> MetaData {
        MetaData::from_tables([
            Table::with_columns(
                "users",
                [
                    Column::new("id", SqlType::BigInt),
                    Column::new("tmp", SqlType::Text),
                ],
            )
            .index(Index::new("ix_users_tmp", ["tmp"])),
            Table::with_columns("spatial_ref_sys", [Column::new("srid", SqlType::Integer)]),
        ])
    }

    #[test]
    fn hooks_remove_what_they_exclude() {
        let include = Include::default()
            .name(|name, kind, _| !(kind == ObjectKind::Table && name == "spatial_ref_sys"))
            .object(|o| !o.name.starts_with("tmp") && o.name != "ix_users_tmp");
        let mut reflected = metadata();
        include.apply(&mut reflected, true);
        assert_eq!(reflected.tables.len(), 1);
        let users = &reflected.tables[&"users".into()];
        assert_eq!(users.columns.len(), 1);
        assert!(users.indexes.is_empty());
        // include_name is for database names only; the models keep the table.
        let mut models = metadata();
        include.apply(&mut models, false);
        assert_eq!(models.tables.len(), 2);
    }
}
