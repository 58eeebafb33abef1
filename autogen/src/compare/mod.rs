//! Compare: the ops that turn a reflected database into the target metadata.
//!
//! Both sides are [`MetaData`], so this is set arithmetic over sorted maps and its output order
//! is deterministic: new and changed enum types and domains (where they are types of their
//! own), new tables (referred tables first, each with its indexes), then per existing table:
//! foreign-key, constraint and index drops, column adds, column drops, then constraint, index
//! and foreign-key creates; removed tables (referring tables first), and the domains and enum
//! types no column uses any more, last.
//! Drops carry the dropped object so the downgrade is `Op::reverse_all` of the result.
//!
//! Types and defaults are compared through the dialect's `DdlImpl`, so each database's own
//! spelling of a model's type or default is no difference. `renamed_from` hints turn a table or
//! column drop + add into a rename; without a hint a drop + add of one same-typed column is
//! reported by [`rename_hints`] and never renamed silently.

mod columns;

pub use columns::{ColumnPair, CompareOptions, Comparison};
mod constraints;
mod order;

use std::collections::BTreeMap;

use retort_core::ddl::{canonical_expression, DdlImpl};
use retort_core::naming::NamingConvention;
use retort_core::ops::{
    AddColumn, AlterDomain, AlterEnum, AlterTableStorage, Change, Constraint, CreateDomain,
    CreateEnum, CreateIndex, CreateTable, DropColumn, DropDomain, DropEnum, DropIndex, DropTable,
    Op, RenameColumn, RenameTable, TableComment,
};
use retort_core::schema::{
    Column, DomainType, Index, MetaData, QualifiedName, Table, TableStorage, TypeColumn,
};

/// The database table a target table is compared with: the same name, or the table its
/// `renamed_from` names when that one exists and the target name does not.
fn counterpart<'a>(database: &'a MetaData, target: &MetaData, table: &Table) -> Option<&'a Table> {
    database.tables.get(&table.qualified_name()).or_else(|| {
        let old = QualifiedName {
            schema: table.schema.clone(),
            name: table.renamed_from.clone()?,
        };
        (!target.tables.contains_key(&old))
            .then(|| database.tables.get(&old))
            .flatten()
    })
}

/// The upgrade ops from `database` to `target`, with types and defaults compared as `ddl`'s
/// database stores them; `naming` names what a reflected database left unnamed and an op must
/// name.
pub fn compare(
    database: &MetaData,
    target: &MetaData,
    ddl: &dyn DdlImpl,
    naming: &NamingConvention,
) -> Vec<Op> {
    compare_with(database, target, ddl, naming, &CompareOptions::default())
}

/// [`compare`] with the environment's column comparisons (`compare_type`,
/// `compare_server_default`).
pub fn compare_with(
    database: &MetaData,
    target: &MetaData,
    ddl: &dyn DdlImpl,
    naming: &NamingConvention,
    options: &CompareOptions,
) -> Vec<Op> {
    let mut ops = Vec::new();
    let named_types = ddl.named_types();
    if named_types {
        enum_creates_and_changes(&mut ops, database, target);
        domain_creates_and_changes(&mut ops, ddl, database, target);
    }
    let added: Vec<&Table> = target
        .tables
        .values()
        .filter(|t| counterpart(database, target, t).is_none())
        .collect();
    for table in order::referred_first(&added) {
        add_table(&mut ops, table);
    }
    let mut kept = std::collections::BTreeSet::new();
    for (name, target_table) in &target.tables {
        if let Some(db_table) = counterpart(database, target, target_table) {
            kept.insert(db_table.qualified_name());
            if db_table.name != target_table.name {
                ops.push(Op::RenameTable(RenameTable {
                    table: db_table.qualified_name(),
                    new_name: target_table.name.clone(),
                }));
            }
            compare_table(
                &mut ops,
                (ddl, naming, options),
                name,
                db_table,
                target_table,
            );
        }
    }
    let removed: Vec<&Table> = database
        .tables
        .iter()
        .filter(|(name, _)| !kept.contains(*name))
        .map(|(_, t)| t)
        .collect();
    for table in order::referred_first(&removed).into_iter().rev() {
        remove_table(&mut ops, table);
    }
    if named_types {
        let drops = type_drops(&ops, database, target);
        ops.extend(drops);
    }
    ops
}

/// Where enum types are objects of their own: a type the models use and the database lacks
/// is created, and one whose labels differ is changed, converting every column the database
/// has of it; both before any table op, so new and changed columns find the type as the
/// models declare it.
fn enum_creates_and_changes(ops: &mut Vec<Op>, database: &MetaData, target: &MetaData) {
    for (name, wanted) in &target.enums {
        match database.enums.get(name) {
            None => ops.push(Op::CreateEnum(CreateEnum {
                enum_type: wanted.clone(),
            })),
            Some(found) if found.labels != wanted.labels => ops.push(Op::AlterEnum(AlterEnum {
                name: name.clone(),
                labels: Change {
                    from: found.labels.clone(),
                    to: wanted.labels.clone(),
                },
                columns: database.type_columns.get(name).cloned().unwrap_or_default(),
            })),
            Some(_) => {}
        }
    }
}

/// Where domains are objects of their own: one the models use and the database lacks is
/// created (after the enum types, which a domain may be over), and one whose definition
/// differs is altered, both before any table op. Definitions are compared as the database
/// stores them: the base type and default canonically, CHECKs by name and expression.
fn domain_creates_and_changes(
    ops: &mut Vec<Op>,
    ddl: &dyn DdlImpl,
    database: &MetaData,
    target: &MetaData,
) {
    let comparable = |d: &DomainType| {
        let column = Column::new("", (*d.base).clone());
        let mut checks: Vec<(String, String)> = d
            .checks
            .iter()
            .map(|c| (c.name.clone(), canonical_expression(&c.expr)))
            .collect();
        checks.sort();
        (
            ddl.canonical_type(&d.base),
            d.not_null,
            d.default
                .as_deref()
                .map(|s| ddl.canonical_default(s, &column)),
            checks,
        )
    };
    for (name, wanted) in &target.domains {
        match database.domains.get(name) {
            None => ops.push(Op::CreateDomain(CreateDomain {
                domain: wanted.clone(),
            })),
            Some(found) if comparable(found) != comparable(wanted) => {
                ops.push(Op::AlterDomain(AlterDomain {
                    from: found.clone(),
                    to: wanted.clone(),
                }));
            }
            Some(_) => {}
        }
    }
}

/// The database's enum types and domains the models do not use, each dropped after the table
/// ops once none of its columns is left: every column the database has of it (in any table,
/// compared or not) is dropped, with its table or alone, or changed to another type by `ops`.
/// A type another table still uses is left alone. Domains go first: one may be over an enum.
fn type_drops(ops: &[Op], database: &MetaData, target: &MetaData) -> Vec<Op> {
    let gone = |column: &TypeColumn| {
        ops.iter().any(|op| match op {
            Op::DropTable(drop) => drop.name == column.table,
            Op::DropColumn(drop) => drop.table == column.table && drop.name == column.column,
            Op::AlterColumn(alter) => {
                alter.table == column.table
                    && alter.existing.name == column.column
                    && alter.sql_type.is_some()
            }
            _ => false,
        })
    };
    let unused = |name: &QualifiedName| {
        database
            .type_columns
            .get(name)
            .is_none_or(|columns| columns.iter().all(gone))
    };
    let domains = database
        .domains
        .iter()
        .filter(|(name, _)| !target.domains.contains_key(*name) && unused(name))
        .map(|(_, domain)| {
            Op::DropDomain(DropDomain {
                domain: domain.clone(),
            })
        });
    let enums = database
        .enums
        .iter()
        .filter(|(name, _)| !target.enums.contains_key(*name) && unused(name))
        .map(|(_, enum_type)| {
            Op::DropEnum(DropEnum {
                enum_type: enum_type.clone(),
            })
        });
    domains.chain(enums).collect()
}

/// A new table with its indexes in one op: dropping it drops them, and on MySQL an index a
/// foreign key relies on could not be dropped on its own first.
fn add_table(ops: &mut Vec<Op>, table: &Table) {
    let mut table = table.clone();
    table.indexes.sort_by(|a, b| a.name.cmp(&b.name));
    ops.push(Op::CreateTable(CreateTable { table }));
}

fn remove_table(ops: &mut Vec<Op>, table: &Table) {
    let mut table = table.clone();
    table.indexes.sort_by(|a, b| a.name.cmp(&b.name));
    ops.push(Op::DropTable(DropTable {
        name: table.qualified_name(),
        table: Some(table),
        if_exists: false,
    }));
}

/// The database column a target column is compared with, by name or `renamed_from`.
fn column_counterpart<'a>(db: &'a Table, target: &Table, column: &Column) -> Option<&'a Column> {
    db.column(&column.name).or_else(|| {
        let old = column.renamed_from.as_deref()?;
        target
            .column(old)
            .is_none()
            .then(|| db.column(old))
            .flatten()
    })
}

fn compare_table(
    ops: &mut Vec<Op>,
    (ddl, naming, options): (&dyn DdlImpl, &NamingConvention, &CompareOptions),
    name: &QualifiedName,
    db: &Table,
    target: &Table,
) {
    let unfolded;
    let db = if ddl.unique_index_is_constraint() {
        unfolded = as_declared_indexes(db, target);
        &unfolded
    } else {
        db
    };
    let db_indexes = sorted_indexes(db);
    let target_indexes = sorted_indexes(target);
    // An index whose definition changed is dropped and created again.
    let changed = |index: &Index, other: &BTreeMap<&str, &Index>| {
        other
            .get(index.name())
            .is_none_or(|o| !ddl.same_index(o, index))
    };
    let constraints = constraints::diff((ddl, naming), name, db, target);
    for drop in &constraints.drops {
        let Op::DropConstraint(drop) = drop else {
            continue;
        };
        let columns = match &drop.constraint {
            Some(Constraint::PrimaryKey(pk)) => &pk.columns,
            Some(Constraint::Unique(unique)) => &unique.columns,
            _ => continue,
        };
        if ddl.foreign_keys_need_index() {
            ops.extend(keep_foreign_keys_indexed(name, &drop.name, columns, target));
        }
    }
    ops.extend(constraints.drops);
    for index in db_indexes.values() {
        if changed(index, &target_indexes) {
            if ddl.foreign_keys_need_index() {
                ops.extend(keep_foreign_keys_indexed(
                    name,
                    index.name(),
                    &index.columns,
                    target,
                ));
            }
            ops.push(drop_index(name, index));
        }
    }
    let mut kept = std::collections::BTreeSet::new();
    for column in &target.columns {
        match column_counterpart(db, target, column) {
            None => ops.push(Op::AddColumn(AddColumn {
                table: name.clone(),
                column: column.clone(),
            })),
            Some(existing) => {
                kept.insert(existing.name.as_str());
                if existing.name != column.name {
                    ops.push(Op::RenameColumn(RenameColumn {
                        table: name.clone(),
                        name: existing.name.clone(),
                        new_name: column.name.clone(),
                    }));
                }
                let mut renamed = existing.clone();
                renamed.name.clone_from(&column.name);
                if let Some(alter) = columns::alter(ddl, options, name, &renamed, column) {
                    ops.push(Op::AlterColumn(alter));
                }
            }
        }
    }
    if ddl.supports_comments() && db.comment != target.comment {
        ops.push(Op::TableComment(TableComment {
            table: name.clone(),
            from: db.comment.clone(),
            to: target.comment.clone(),
        }));
    }
    if let Some(alter) = storage_change(ddl, name, &db.storage, &target.storage) {
        ops.push(Op::AlterTableStorage(alter));
    }
    for column in &db.columns {
        if !kept.contains(column.name.as_str()) {
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

/// What the models' storage options change, of those this database applies. A MySQL option or
/// a partition key the models leave out is not compared; `UNLOGGED` is a yes or no.
fn storage_change(
    ddl: &dyn DdlImpl,
    table: &QualifiedName,
    db: &TableStorage,
    target: &TableStorage,
) -> Option<AlterTableStorage> {
    let (have, want) = (ddl.comparable_storage(db), ddl.comparable_storage(target));
    let change = |option: fn(&TableStorage) -> &Option<String>| {
        (option(&want).is_some() && option(&want) != option(&have)).then(|| Change {
            from: option(db).clone(),
            to: option(target).clone(),
        })
    };
    let alter = AlterTableStorage {
        table: table.clone(),
        mysql_engine: change(|s| &s.mysql_engine),
        mysql_charset: change(|s| &s.mysql_charset),
        mysql_collate: change(|s| &s.mysql_collate),
        postgresql_partition_by: change(|s| &s.postgresql_partition_by),
        postgresql_unlogged: (have.postgresql_unlogged != want.postgresql_unlogged).then_some(
            Change {
                from: db.postgresql_unlogged,
                to: target.postgresql_unlogged,
            },
        ),
    };
    (!alter.is_empty()).then_some(alter)
}

/// Before an index or key goes, an index for each foreign key of `target` that only `dropped` served:
/// MySQL refuses to drop an index a foreign key relies on. The new index has the key's name,
/// as the one MySQL would have created for the key itself.
fn keep_foreign_keys_indexed(
    table: &QualifiedName,
    dropped_name: &str,
    dropped_columns: &[String],
    target: &Table,
) -> Vec<Op> {
    let leads = |columns: &[String], fk: &[String]| columns.starts_with(fk);
    target
        .foreign_keys
        .iter()
        .filter(|fk| leads(dropped_columns, &fk.columns))
        .filter(|fk| {
            let served_by_index = target
                .indexes
                .iter()
                .any(|i| i.name() != dropped_name && leads(&i.columns, &fk.columns));
            let served_by_key = target
                .primary_key
                .iter()
                .any(|pk| leads(&pk.columns, &fk.columns))
                || target
                    .unique_constraints
                    .iter()
                    .any(|u| leads(&u.columns, &fk.columns));
            !served_by_index && !served_by_key
        })
        .filter_map(|fk| {
            let name = fk.name.clone()?;
            Some(create_index(table, &Index::new(name, fk.columns.clone())))
        })
        .collect()
}

/// The database table with each unique constraint the target declares as a unique index (by
/// name) read as that index, for databases that keep one object for both (MySQL reflects
/// both as constraints): the models' unique indexes are then created, changed and dropped as
/// indexes, and their unique constraints as constraints.
fn as_declared_indexes(db: &Table, target: &Table) -> Table {
    let mut db = db.clone();
    let declared_as_index = |name: &Option<String>| {
        target
            .indexes
            .iter()
            .any(|i| i.unique && i.name.is_some() && i.name == *name)
    };
    let (indexes, constraints): (Vec<_>, Vec<_>) = db
        .unique_constraints
        .drain(..)
        .partition(|u| declared_as_index(&u.name));
    db.unique_constraints = constraints;
    db.indexes.extend(indexes.into_iter().map(|u| {
        let mut index = Index::unnamed(u.columns).unique();
        index.name = u.name;
        index
    }));
    db
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
        concurrently: false,
        if_exists: false,
    })
}

/// Drop + add pairs that look like renames: in a table, exactly one column dropped and one
/// added with the same type. Autogenerate never renames without a `renamed_from` hint, because
/// a wrong guess loses data; it says what it saw instead.
pub fn rename_hints(database: &MetaData, target: &MetaData, ddl: &dyn DdlImpl) -> Vec<String> {
    let mut hints = Vec::new();
    for target_table in target.tables.values() {
        let Some(db) = counterpart(database, target, target_table) else {
            continue;
        };
        let added: Vec<&Column> = target_table
            .columns
            .iter()
            .filter(|c| column_counterpart(db, target_table, c).is_none())
            .collect();
        let dropped: Vec<&Column> = db
            .columns
            .iter()
            .filter(|c| {
                target_table.column(&c.name).is_none()
                    && !target_table
                        .columns
                        .iter()
                        .any(|t| t.renamed_from.as_deref() == Some(c.name.as_str()))
            })
            .collect();
        if let ([new], [old]) = (added.as_slice(), dropped.as_slice()) {
            if ddl.canonical_type(&new.sql_type) == ddl.canonical_type(&old.sql_type) {
                hints.push(format!(
                    "column `{}.{}` is dropped and `{}` added with the same type; if it was \
                     renamed, add #[column(renamed_from = \"{}\")] to keep its data",
                    target_table.name, old.name, new.name, old.name
                ));
            }
        }
    }
    hints.extend(table_rename_hints(database, target));
    hints
}

/// A table dropped and one added, in the same schema, with the same column names: the look of
/// a rename. Said, never done.
fn table_rename_hints(database: &MetaData, target: &MetaData) -> Vec<String> {
    let column_names = |t: &Table| -> std::collections::BTreeSet<String> {
        t.columns.iter().map(|c| c.name.clone()).collect()
    };
    let added: Vec<&Table> = target
        .tables
        .values()
        .filter(|t| counterpart(database, target, t).is_none())
        .collect();
    let kept: std::collections::BTreeSet<QualifiedName> = target
        .tables
        .values()
        .filter_map(|t| counterpart(database, target, t))
        .map(Table::qualified_name)
        .collect();
    let mut hints = Vec::new();
    for old in database
        .tables
        .values()
        .filter(|t| !kept.contains(&t.qualified_name()))
    {
        let alike: Vec<&&Table> = added
            .iter()
            .filter(|new| new.schema == old.schema && column_names(new) == column_names(old))
            .collect();
        if let [new] = alike.as_slice() {
            hints.push(format!(
                "table `{}` is dropped and `{}` added with the same columns; if it was renamed, \
                 add #[table(renamed_from = \"{}\")] to keep its rows",
                old.qualified_name(),
                new.qualified_name(),
                old.name
            ));
        }
    }
    hints
}

#[cfg(test)]
mod tests;
