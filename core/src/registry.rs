//! The registry of derived tables: every `#[derive(Table)]` in the linked binary submits one
//! [`Registration`] (through `inventory`), and [`registered_tables`] collects them.
//!
//! This is how the runner finds the target metadata without the user listing models, like a
//! declarative base's `metadata` in SQLAlchemy.

use crate::schema::Table;

/// Implemented by `#[derive(Table)]`: the table a struct declares.
pub trait TableModel {
    fn table() -> Table;
}

/// One derived table, submitted by the derive's expansion.
#[derive(Debug)]
pub struct Registration {
    /// The Rust path of the struct, for error messages (`module_path!()::Name`).
    pub type_name: &'static str,
    pub table: fn() -> Table,
}

inventory::collect!(Registration);

/// Two structs that declare the same table.
#[derive(Debug, thiserror::Error)]
#[error(
    "table `{table}` is declared twice, by `{first}` and by `{second}`; rename one with \
     #[table(name = \"...\")] or remove it"
)]
pub struct DuplicateTable {
    pub table: String,
    pub first: &'static str,
    pub second: &'static str,
}

/// All derived tables linked into this binary, sorted by (schema, name).
pub fn registered_tables() -> Result<Vec<Table>, DuplicateTable> {
    let mut found: Vec<(Table, &'static str)> = inventory::iter::<Registration>
        .into_iter()
        .map(|r| ((r.table)(), r.type_name))
        .collect();
    // Sort by name, then by type so the error names the two structs in a stable order.
    found.sort_by(|(a, ta), (b, tb)| (a.qualified_name(), ta).cmp(&(b.qualified_name(), tb)));
    for pair in found.windows(2) {
        if pair[0].0.qualified_name() == pair[1].0.qualified_name() {
            return Err(DuplicateTable {
                table: pair[0].0.qualified_name().to_string(),
                first: pair[0].1,
                second: pair[1].1,
            });
        }
    }
    Ok(found.into_iter().map(|(table, _)| table).collect())
}
