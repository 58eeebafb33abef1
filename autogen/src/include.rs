//! What autogenerate considers (Alembic's `include_schemas`, `include_name` and
//! `include_object`): which PostgreSQL schemas it reflects ([`IncludeSchemas`]), and user
//! predicates that keep objects out, such as tables another tool owns. [`Include::apply`]
//! filters a [`MetaData`] before comparison, so an excluded object is neither created nor
//! dropped.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use retort_core::schema::{
    CheckConstraint, Column, ForeignKey, Index, MetaData, QualifiedName, Table, UniqueConstraint,
};

/// The kinds of object the hooks are asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    /// The object itself.
    pub item: Item<'a>,
    /// Its counterpart on the other side (the models' for a reflected object, the database's
    /// for a model's), when there is one: Alembic's `compare_to`.
    pub compare_to: Option<Item<'a>>,
}

/// An object `include_object` is asked about, with everything the schema model knows of it.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Item<'a> {
    Table(&'a Table),
    Column(&'a Column),
    Index(&'a Index),
    Unique(&'a UniqueConstraint),
    ForeignKey(&'a ForeignKey),
    Check(&'a CheckConstraint),
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

    fn keeps(&self, object: &Object<'_>) -> bool {
        let by_name = !object.reflected
            || self
                .name
                .as_ref()
                .is_none_or(|hook| hook(object.name, object.kind, object.table));
        by_name && self.object.as_ref().is_none_or(|hook| hook(object))
    }

    /// Removes every object the hooks exclude from `metadata`, asking about each without a
    /// counterpart.
    pub fn apply(&self, metadata: &mut MetaData, reflected: bool) {
        let empty = MetaData::new();
        if reflected {
            self.apply_both(metadata, &mut empty.clone());
        } else {
            self.apply_both(&mut empty.clone(), metadata);
        }
    }

    /// Removes what the hooks exclude from the reflected `database` and the `target` models;
    /// `include_object` sees each object with its counterpart on the other side (Alembic's
    /// `compare_to`), matched by table and name.
    pub fn apply_both(&self, database: &mut MetaData, target: &mut MetaData) {
        if self.name.is_none() && self.object.is_none() {
            return;
        }
        let rejected_db = self.rejected(database, target, true);
        let rejected_target = self.rejected(target, database, false);
        remove(database, &rejected_db);
        remove(target, &rejected_target);
    }

    /// The objects of `side` the hooks exclude.
    fn rejected(&self, side: &MetaData, other: &MetaData, reflected: bool) -> BTreeSet<Key> {
        let mut rejected = BTreeSet::new();
        for (qn, table) in &side.tables {
            let counterpart = other.tables.get(qn);
            let mut ask = |kind, name: &str, item, compare_to| {
                let object = Object {
                    kind,
                    name,
                    table: qn,
                    reflected,
                    item,
                    compare_to,
                };
                if !self.keeps(&object) {
                    rejected.insert((kind, qn.clone(), name.to_owned()));
                }
            };
            ask(
                ObjectKind::Table,
                &qn.name,
                Item::Table(table),
                counterpart.map(Item::Table),
            );
            for c in &table.columns {
                let other = counterpart
                    .and_then(|t| t.column(&c.name))
                    .map(Item::Column);
                ask(ObjectKind::Column, &c.name, Item::Column(c), other);
            }
            for i in &table.indexes {
                let other = counterpart
                    .and_then(|t| t.indexes.iter().find(|o| o.name == i.name))
                    .map(Item::Index);
                ask(ObjectKind::Index, i.name(), Item::Index(i), other);
            }
            for u in &table.unique_constraints {
                let other = counterpart
                    .and_then(|t| t.unique_constraints.iter().find(|o| o.name == u.name))
                    .map(Item::Unique);
                let name = u.name.as_deref().unwrap_or_default();
                ask(ObjectKind::UniqueConstraint, name, Item::Unique(u), other);
            }
            for f in &table.foreign_keys {
                let other = counterpart
                    .and_then(|t| t.foreign_keys.iter().find(|o| o.name == f.name))
                    .map(Item::ForeignKey);
                let name = f.name.as_deref().unwrap_or_default();
                ask(ObjectKind::ForeignKey, name, Item::ForeignKey(f), other);
            }
            for c in &table.check_constraints {
                let other = counterpart
                    .and_then(|t| t.check_constraints.iter().find(|o| o.name == c.name))
                    .map(Item::Check);
                let name = c.name.as_deref().unwrap_or_default();
                ask(ObjectKind::CheckConstraint, name, Item::Check(c), other);
            }
        }
        rejected
    }
}

/// An object by kind, table and name (`""` for an unnamed constraint).
type Key = (ObjectKind, QualifiedName, String);

fn remove(metadata: &mut MetaData, rejected: &BTreeSet<Key>) {
    if rejected.is_empty() {
        return;
    }
    let out = |kind, qn: &QualifiedName, name: Option<&str>| {
        rejected.contains(&(kind, qn.clone(), name.unwrap_or_default().to_owned()))
    };
    metadata
        .tables
        .retain(|qn, _| !out(ObjectKind::Table, qn, Some(&qn.name)));
    for (qn, table) in metadata.tables.iter_mut() {
        table
            .columns
            .retain(|c| !out(ObjectKind::Column, qn, Some(&c.name)));
        table
            .indexes
            .retain(|i| !out(ObjectKind::Index, qn, i.name.as_deref()));
        table
            .unique_constraints
            .retain(|u| !out(ObjectKind::UniqueConstraint, qn, u.name.as_deref()));
        table
            .foreign_keys
            .retain(|f| !out(ObjectKind::ForeignKey, qn, f.name.as_deref()));
        table
            .check_constraints
            .retain(|c| !out(ObjectKind::CheckConstraint, qn, c.name.as_deref()));
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
