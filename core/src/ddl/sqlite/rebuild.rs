//! SQLite table rebuilds: what `ALTER TABLE` cannot do (change a column, add or drop a
//! constraint) is done by creating the new table, copying every row, dropping the old table and
//! renaming the new one into place, then recreating its indexes — the procedure of
//! <https://www.sqlite.org/lang_altertable.html#otheralter>. Foreign-key enforcement is off
//! during the rebuild (so dropping the old table cascades nothing) and checked before commit.

use super::parse::parse_create_table;
use super::SqliteImpl;
use crate::ddl::{unsupported, DdlImpl, Dialect};
use crate::error::Result;
use crate::ops::{Constraint, Op};
use crate::schema::Table;

/// The new definition of `table` after `op`.
fn apply(op: &Op, mut table: Table) -> Result<Table> {
    match op {
        Op::AlterColumn(alter) => {
            let Some(column) = table
                .columns
                .iter_mut()
                .find(|c| c.name == alter.existing.name)
            else {
                return Err(missing(
                    &format!("column `{}`", alter.existing.name),
                    &table,
                ));
            };
            // The parsed column, not the op's `existing`, knows the key and generated parts.
            alter.apply_to(column);
        }
        Op::AddConstraint(add) => match &add.constraint {
            Constraint::PrimaryKey(pk) => table = table.primary_key(pk.clone()),
            Constraint::Unique(c) => table.unique_constraints.push(c.clone()),
            Constraint::ForeignKey(c) => table.foreign_keys.push(c.clone()),
            Constraint::Check(c) => table.check_constraints.push(c.clone()),
        },
        Op::DropConstraint(drop) => {
            let name = Some(drop.name.as_str());
            let before = constraint_count(&table);
            table
                .unique_constraints
                .retain(|c| c.name.as_deref() != name);
            table.foreign_keys.retain(|c| c.name.as_deref() != name);
            table
                .check_constraints
                .retain(|c| c.name.as_deref() != name);
            let is_key = drop.kind() == Some(crate::ops::ConstraintKind::PrimaryKey)
                || table
                    .primary_key
                    .as_ref()
                    .is_some_and(|pk| pk.name.as_deref() == name);
            if is_key && table.primary_key.take().is_some() {
                for column in &mut table.columns {
                    column.autoincrement = false;
                }
            } else if constraint_count(&table) == before {
                return Err(missing(&format!("constraint `{}`", drop.name), &table));
            }
        }
        Op::CreateTable(_)
        | Op::DropTable(_)
        | Op::AddColumn(_)
        | Op::DropColumn(_)
        | Op::CreateIndex(_)
        | Op::DropIndex(_)
        | Op::RenameTable(_)
        | Op::RenameColumn(_)
        | Op::TableComment(_)
        | Op::Execute(_) => {
            return Err(unsupported(
                Dialect::Sqlite,
                &format!("rebuild a table for {op}"),
                "this op runs without a rebuild",
            ))
        }
    }
    Ok(table)
}

fn constraint_count(table: &Table) -> usize {
    table.unique_constraints.len() + table.foreign_keys.len() + table.check_constraints.len()
}

fn missing(what: &str, table: &Table) -> crate::error::Error {
    unsupported(
        Dialect::Sqlite,
        &format!("find {what} in table `{}`", table.name),
        "check the migration against the current schema",
    )
}

/// The statements that rebuild the table for `op`; `definition` is the table's `CREATE TABLE`
/// text followed by its `CREATE INDEX` texts, as `sqlite_master` holds them.
pub(super) fn rebuild(ddl: &SqliteImpl, op: &Op, definition: &[String]) -> Result<Vec<String>> {
    let Some((table_sql, index_sql)) = definition.split_first() else {
        return Err(unsupported(
            Dialect::Sqlite,
            "rebuild a table that does not exist",
            "check the table name in the migration",
        ));
    };
    let old = parse_create_table(table_sql).map_err(|e| {
        unsupported(
            Dialect::Sqlite,
            &format!("read the definition of the table to rebuild ({e})"),
            "write the rebuild by hand in the migration",
        )
    })?;
    let new = apply(op, old.clone())?;
    let temporary = format!("_retort_rebuild_{}", old.name);
    let copied: Vec<String> = new
        .columns
        .iter()
        .filter(|c| {
            c.computed.is_none() && old.column(&c.name).is_some_and(|o| o.computed.is_none())
        })
        .map(|c| ddl.quote(&c.name))
        .collect();
    let mut statements = ddl.create_table(&Table {
        name: temporary.clone(),
        indexes: Vec::new(),
        ..new
    })?;
    statements.push(format!(
        "INSERT INTO {} ({cols}) SELECT {cols} FROM {}",
        ddl.quote(&temporary),
        ddl.quote(&old.name),
        cols = copied.join(", ")
    ));
    statements.push(format!("DROP TABLE {}", ddl.quote(&old.name)));
    statements.push(format!(
        "ALTER TABLE {} RENAME TO {}",
        ddl.quote(&temporary),
        ddl.quote(&old.name)
    ));
    statements.extend(index_sql.iter().cloned());
    Ok(statements)
}
