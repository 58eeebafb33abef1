//! Helpers the test modules share: op summaries, row counts, reflected-column lookups.

use retort_core::context::MigrationContext;
use retort_core::ops::Op;
use retort_core::script::ScriptDirectory;

/// A script directory without revisions, for stamping made-up heads (their applied rows are
/// then empty: no file, no checksum).
pub fn no_scripts() -> ScriptDirectory {
    ScriptDirectory::new("versions", &[]).expect("an empty graph")
}

/// Each op as its one-line description, for asserting exactly which ops came out.
pub fn summary(ops: &[Op]) -> Vec<String> {
    ops.iter().map(ToString::to_string).collect()
}

/// How many rows `table` has.
pub fn count(ctx: &mut MigrationContext, table: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let quoted = ctx.ddl().quote(table);
    let rows: Vec<N> = ctx
        .executor()
        .load(&format!("SELECT count(*) AS n FROM {quoted}"))
        .expect("count");
    rows[0].n
}

/// A reflected column, or a panic naming what is missing.
#[cfg(any(feature = "postgres", feature = "mysql"))]
pub fn column<'a>(
    table: &'a retort_core::schema::Table,
    name: &str,
) -> &'a retort_core::schema::Column {
    table
        .column(name)
        .unwrap_or_else(|| panic!("column `{}.{name}` reflected", table.name))
}
