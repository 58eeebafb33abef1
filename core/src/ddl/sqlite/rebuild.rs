//! SQLite table rebuilds: what `ALTER TABLE` cannot do (change a column, add or drop a
//! constraint) is done by the procedure of <https://www.sqlite.org/lang_altertable.html#otheralter>:
//! save the views and triggers that name the table and drop them, create the new table from the
//! old one's own statement edited for the op ([`TableStatement`]), copy every row, carry the
//! `AUTOINCREMENT` sequence over, drop the old table, rename the new one into place, then
//! recreate the indexes, views and triggers from their saved text. The migration context keeps
//! foreign-key enforcement off around the transaction (so dropping the old table cascades
//! nothing) and checks every key before commit. Entry point: [`rebuild`].

use std::collections::BTreeSet;

use super::statement::TableStatement;
use super::SqliteImpl;
use crate::ddl::{unsupported, DdlImpl, Dialect, SchemaObject};
use crate::error::Result;
use crate::ops::Op;

/// The statements that rebuild `table` for `op`; `definition` holds the table, its indexes and
/// every view and trigger of the schema, in the order they were created.
pub(super) fn rebuild(
    ddl: &SqliteImpl,
    table: &str,
    op: &Op,
    definition: &[SchemaObject],
) -> Result<Vec<String>> {
    let Some(old) = definition
        .iter()
        .find(|o| o.kind == "table" && o.name.eq_ignore_ascii_case(table))
    else {
        return Err(unsupported(
            Dialect::Sqlite,
            &format!("rebuild table `{table}`, which does not exist"),
            "check the table name in the migration",
        ));
    };
    let table = old.name.as_str();
    let mut statement = TableStatement::parse(&old.sql, table, op)?;
    statement.apply(ddl, op)?;

    let temporary = format!("_retort_rebuild_{table}");
    let (quoted, quoted_temporary) = (ddl.quote(table), ddl.quote(&temporary));
    let dependents = dependents(definition, table);
    let mut statements = Vec::new();
    // Triggers first: dropping a view drops its INSTEAD OF triggers with it.
    for kind in ["trigger", "view"] {
        for object in dependents.iter().filter(|o| o.kind == kind) {
            statements.push(format!(
                "DROP {} {}",
                kind.to_uppercase(),
                ddl.quote(&object.name)
            ));
        }
    }
    statements.push(statement.create_sql(&temporary));
    let columns = statement
        .stored_columns()
        .iter()
        .map(|c| ddl.quote(c))
        .collect::<Vec<_>>()
        .join(", ");
    statements.push(format!(
        "INSERT INTO {quoted_temporary} ({columns}) SELECT {columns} FROM {quoted}"
    ));
    if statement.autoincrement() {
        statements.extend(carry_sequence(ddl, table, &temporary));
    }
    statements.push(format!("DROP TABLE {quoted}"));
    statements.push(format!("ALTER TABLE {quoted_temporary} RENAME TO {quoted}"));
    let indexes = definition
        .iter()
        .filter(|o| o.kind == "index" && o.table.eq_ignore_ascii_case(table));
    statements.extend(indexes.map(|o| o.sql.clone()));
    for kind in ["view", "trigger"] {
        let objects = dependents.iter().filter(|o| o.kind == kind);
        statements.extend(objects.map(|o| o.sql.clone()));
    }
    Ok(statements)
}

/// The views and triggers to drop before the old table goes and recreate after the rename:
/// each that belongs to or names the table, or a view already taken, so that the rename finds
/// no view or trigger naming a missing table (SQLite checks the whole schema when it renames).
/// Naming is a case-blind text match: taking one too many only recreates it as it was.
fn dependents<'a>(definition: &'a [SchemaObject], table: &str) -> Vec<&'a SchemaObject> {
    let mut names: BTreeSet<String> = BTreeSet::from([table.to_lowercase()]);
    let mut taken: BTreeSet<usize> = BTreeSet::new();
    loop {
        let before = taken.len();
        for (at, object) in definition.iter().enumerate() {
            if !matches!(object.kind.as_str(), "view" | "trigger") || taken.contains(&at) {
                continue;
            }
            let sql = object.sql.to_lowercase();
            let owner = object.table.to_lowercase();
            if names
                .iter()
                .any(|n| *n == owner || sql.contains(n.as_str()))
            {
                taken.insert(at);
                if object.kind == "view" {
                    names.insert(object.name.to_lowercase());
                }
            }
        }
        if taken.len() == before {
            break;
        }
    }
    taken.into_iter().map(|at| &definition[at]).collect()
}

/// Gives the new table the old one's `sqlite_sequence` value, so that an id deleted before the
/// rebuild is never handed out again (<https://www.sqlite.org/autoinc.html>): the copy alone
/// would restart the sequence at the largest id copied. The rename moves the row to the table's
/// name.
fn carry_sequence(ddl: &SqliteImpl, table: &str, temporary: &str) -> [String; 2] {
    let (old, new) = (ddl.literal(table), ddl.literal(temporary));
    [
        format!(
            "INSERT INTO sqlite_sequence (name, seq) SELECT {new}, seq FROM sqlite_sequence \
             WHERE name = {old} AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = {new})"
        ),
        format!(
            "UPDATE sqlite_sequence SET seq = (SELECT max(seq) FROM sqlite_sequence \
             WHERE name IN ({old}, {new})) WHERE name = {new}"
        ),
    ]
}

#[cfg(test)]
mod tests;
