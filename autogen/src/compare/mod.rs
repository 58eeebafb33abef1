//! Compare: the ops that turn a reflected database into the target metadata.
//!
//! Both sides are [`MetaData`], so this is set arithmetic over sorted maps and its output order
//! is deterministic: new tables (referred tables first, each followed by its indexes), then per
//! existing table: foreign-key, constraint and index drops, column adds, column drops, then
//! constraint, index and foreign-key creates; removed tables last (referring tables first).
//! Drops carry the dropped object so the downgrade is `Op::reverse_all` of the result.
//!
//! Not compared yet: column type, nullability, default and comment changes, table comments
//! (they need `alter_column` and comment ops).

mod constraints;
mod order;

use std::collections::BTreeMap;

use retort_core::ops::{AddColumn, CreateIndex, CreateTable, DropColumn, DropIndex, DropTable, Op};
use retort_core::schema::{Index, MetaData, QualifiedName, Table};

/// The upgrade ops from `database` to `target`.
pub fn compare(database: &MetaData, target: &MetaData) -> Vec<Op> {
    let mut ops = Vec::new();
    let added: Vec<&Table> = target
        .tables
        .iter()
        .filter(|(name, _)| !database.tables.contains_key(*name))
        .map(|(_, t)| t)
        .collect();
    for table in order::referred_first(&added) {
        add_table(&mut ops, table);
    }
    for (name, target_table) in &target.tables {
        if let Some(db_table) = database.tables.get(name) {
            compare_table(&mut ops, name, db_table, target_table);
        }
    }
    let removed: Vec<&Table> = database
        .tables
        .iter()
        .filter(|(name, _)| !target.tables.contains_key(*name))
        .map(|(_, t)| t)
        .collect();
    for table in order::referred_first(&removed).into_iter().rev() {
        remove_table(&mut ops, table);
    }
    ops
}

fn without_indexes(table: &Table) -> Table {
    Table {
        indexes: Vec::new(),
        ..table.clone()
    }
}

fn add_table(ops: &mut Vec<Op>, table: &Table) {
    ops.push(Op::CreateTable(CreateTable {
        table: without_indexes(table),
    }));
    for index in sorted_indexes(table).into_values() {
        ops.push(create_index(&table.qualified_name(), index));
    }
}

fn remove_table(ops: &mut Vec<Op>, table: &Table) {
    for index in sorted_indexes(table).into_values() {
        ops.push(drop_index(&table.qualified_name(), index));
    }
    ops.push(Op::DropTable(DropTable {
        name: table.qualified_name(),
        table: Some(without_indexes(table)),
    }));
}

fn compare_table(ops: &mut Vec<Op>, name: &QualifiedName, db: &Table, target: &Table) {
    let db_indexes = sorted_indexes(db);
    let target_indexes = sorted_indexes(target);
    // An index whose definition changed is dropped and created again.
    let changed = |index: &Index, other: &BTreeMap<&str, &Index>| {
        other
            .get(index.name())
            .is_none_or(|o| o.columns != index.columns || o.unique != index.unique)
    };
    let constraints = constraints::diff(name, db, target);
    ops.extend(constraints.drops);
    for index in db_indexes.values() {
        if changed(index, &target_indexes) {
            ops.push(drop_index(name, index));
        }
    }
    for column in &target.columns {
        if db.column(&column.name).is_none() {
            ops.push(Op::AddColumn(AddColumn {
                table: name.clone(),
                column: column.clone(),
            }));
        }
    }
    for column in &db.columns {
        if target.column(&column.name).is_none() {
            ops.push(Op::DropColumn(DropColumn {
                table: name.clone(),
                name: column.name.clone(),
                column: Some(column.clone()),
            }));
        }
    }
    ops.extend(constraints.adds);
    for index in target_indexes.values() {
        if changed(index, &db_indexes) {
            ops.push(create_index(name, index));
        }
    }
    ops.extend(constraints.foreign_key_adds);
}

fn sorted_indexes(table: &Table) -> BTreeMap<&str, &Index> {
    table.indexes.iter().map(|i| (i.name(), i)).collect()
}

fn create_index(table: &QualifiedName, index: &Index) -> Op {
    Op::CreateIndex(CreateIndex {
        table: table.clone(),
        index: index.clone(),
    })
}

fn drop_index(table: &QualifiedName, index: &Index) -> Op {
    Op::DropIndex(DropIndex {
        table: table.clone(),
        name: index.name().to_owned(),
        index: Some(index.clone()),
    })
}

#[cfg(test)]
mod tests;
