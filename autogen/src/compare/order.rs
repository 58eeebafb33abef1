//! Orders tables so that a table comes after the tables its foreign keys refer to (Kahn's
//! algorithm, ties by name); tables in a reference cycle keep name order at the end.

use std::collections::{BTreeMap, BTreeSet};

use retort_core::schema::{QualifiedName, Table};

pub(super) fn referred_first<'a>(tables: &[&'a Table]) -> Vec<&'a Table> {
    let by_name: BTreeMap<QualifiedName, &Table> =
        tables.iter().map(|t| (t.qualified_name(), *t)).collect();
    let referred = |table: &Table| -> BTreeSet<QualifiedName> {
        table
            .foreign_keys
            .iter()
            .map(|fk| QualifiedName {
                schema: fk.referred_schema.clone().or_else(|| table.schema.clone()),
                name: fk.referred_table.clone(),
            })
            .filter(|n| *n != table.qualified_name() && by_name.contains_key(n))
            .collect()
    };
    let mut waiting: BTreeMap<QualifiedName, BTreeSet<QualifiedName>> = by_name
        .iter()
        .map(|(name, table)| (name.clone(), referred(table)))
        .collect();
    let mut ordered = Vec::with_capacity(tables.len());
    while let Some(ready) = waiting
        .iter()
        .find(|(_, deps)| deps.is_empty())
        .map(|(name, _)| name.clone())
    {
        waiting.remove(&ready);
        for deps in waiting.values_mut() {
            deps.remove(&ready);
        }
        ordered.push(by_name[&ready]);
    }
    ordered.extend(waiting.keys().map(|name| by_name[name]));
    ordered
}
