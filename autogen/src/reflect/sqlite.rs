//! SQLite reflection through the `pragma_*` table-valued functions joined to `sqlite_master`
//! (<https://www.sqlite.org/pragma.html#pragfunc>): one query each for tables, columns, indexes
//! and foreign keys, whatever the number of tables. SQLite keeps constraint names, CHECK
//! expressions and generated-column expressions only in the `CREATE TABLE` text, so that text is
//! parsed with sqlparser for them.

use std::collections::BTreeMap;

use diesel::sql_types::{Integer, Nullable, Text};
use retort_core::ddl::{parse_sqlite_create_index, parse_sqlite_create_table};
use retort_core::error::Result;
use retort_core::executor::Executor;
use retort_core::schema::{
    Column, ForeignKey, ForeignKeyAction, Index, KeyOrder, MetaData, PrimaryKey, SqlType, Table,
};

use super::Reflected;

/// User tables: not SQLite's own, not retort's (`bookkeeping`: the version and applied
/// tables), and not virtual tables (FTS5, R*Tree) or the shadow tables that hold their data,
/// which `pragma_table_list` tells apart (<https://www.sqlite.org/pragma.html#pragma_table_list>).
fn user_tables(bookkeeping: &[String]) -> String {
    let names: Vec<String> = bookkeeping
        .iter()
        .map(|name| format!("'{}'", name.replace('\'', "''")))
        .collect();
    format!(
        "m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND m.name NOT IN ({}) \
         AND m.name IN (SELECT tl.name FROM pragma_table_list tl \
         WHERE tl.schema = 'main' AND tl.type = 'table')",
        names.join(", ")
    )
}

#[derive(diesel::QueryableByName)]
struct TableRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    create_sql: Option<String>,
}

#[derive(diesel::QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    declared_type: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
    #[diesel(sql_type = Nullable<Text>)]
    default_sql: Option<String>,
    #[diesel(sql_type = Integer)]
    pk_position: i32,
}

#[derive(diesel::QueryableByName)]
struct IndexRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    index_name: String,
    #[diesel(sql_type = Integer)]
    is_unique: i32,
    /// `c`: CREATE INDEX; `u`: a UNIQUE constraint; `pk`: the primary key.
    #[diesel(sql_type = Text)]
    origin: String,
    /// NULL for an expression.
    #[diesel(sql_type = Nullable<Text>)]
    column_name: Option<String>,
    #[diesel(sql_type = Integer)]
    descending: i32,
    /// The index's `CREATE INDEX`, read for expression keys and the predicate.
    #[diesel(sql_type = Nullable<Text>)]
    index_sql: Option<String>,
}

#[derive(diesel::QueryableByName)]
struct ForeignKeyRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Text)]
    referred_table: String,
    #[diesel(sql_type = Text)]
    from_column: String,
    /// NULL when the key refers to the parent's primary key implicitly.
    #[diesel(sql_type = Nullable<Text>)]
    to_column: Option<String>,
    #[diesel(sql_type = Text)]
    on_update: String,
    #[diesel(sql_type = Text)]
    on_delete: String,
}

pub(super) fn reflect(executor: &mut Executor, bookkeeping: &[String]) -> Result<Reflected> {
    let filter = user_tables(bookkeeping);
    let table_rows: Vec<TableRow> = executor.load(&format!(
        "SELECT m.name AS table_name, m.sql AS create_sql FROM sqlite_master m \
         WHERE {filter} ORDER BY m.name"
    ))?;
    // table_xinfo, unlike table_info, lists generated columns too.
    let columns: Vec<ColumnRow> = executor.load(&format!(
        "SELECT m.name AS table_name, p.name AS name, p.type AS declared_type, \
         p.\"notnull\" AS not_null, p.dflt_value AS default_sql, p.pk AS pk_position \
         FROM sqlite_master m JOIN pragma_table_xinfo(m.name) p \
         WHERE {filter} AND p.hidden <> 1 ORDER BY m.name, p.cid"
    ))?;
    let indexes: Vec<IndexRow> = executor.load(&format!(
        "SELECT m.name AS table_name, il.name AS index_name, il.\"unique\" AS is_unique, \
         il.origin AS origin, ii.name AS column_name, ii.\"desc\" AS descending, \
         CASE WHEN il.partial = 1 OR ii.name IS NULL THEN (SELECT s.sql FROM sqlite_master s \
         WHERE s.type = 'index' AND s.name = il.name) END AS index_sql \
         FROM sqlite_master m JOIN pragma_index_list(m.name) il \
         JOIN pragma_index_xinfo(il.name) ii \
         WHERE {filter} AND ii.key = 1 ORDER BY m.name, il.name, ii.seqno"
    ))?;
    let foreign_keys: Vec<ForeignKeyRow> = executor.load(&format!(
        "SELECT m.name AS table_name, f.id AS id, f.\"table\" AS referred_table, \
         f.\"from\" AS from_column, f.\"to\" AS to_column, f.on_update AS on_update, \
         f.on_delete AS on_delete \
         FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f \
         WHERE {filter} ORDER BY m.name, f.id, f.seq"
    ))?;

    let mut reflected = Reflected::default();
    let mut tables: BTreeMap<String, Table> = table_rows
        .iter()
        .map(|row| (row.table_name.clone(), Table::new(row.table_name.clone())))
        .collect();
    add_columns(&mut tables, columns);
    add_indexes(&mut tables, indexes, &mut reflected.warnings);
    add_foreign_keys(&mut tables, foreign_keys);
    // Parsing the CREATE TABLE texts was a fifth of reflection's time: spread over the cores.
    let parsed = crate::parallel::map(&table_rows, |row| {
        row.create_sql.as_deref().map(parse_sqlite_create_table)
    });
    for (row, parsed) in table_rows.iter().zip(parsed) {
        if let (Some(table), Some(parsed)) = (tables.get_mut(&row.table_name), parsed) {
            if let Err(e) = parsed.map(|parsed| apply_create_sql(table, parsed)) {
                reflected.warnings.push(format!(
                    "could not read the constraints of table `{}` from its CREATE TABLE text \
                     ({e}); its unique and check constraints are not compared",
                    row.table_name
                ));
            }
        }
    }
    reflected.metadata = MetaData::from_tables(tables.into_values());
    Ok(reflected)
}

fn add_columns(tables: &mut BTreeMap<String, Table>, rows: Vec<ColumnRow>) {
    let mut keys: BTreeMap<String, Vec<(i32, String)>> = BTreeMap::new();
    let mut types = BTreeMap::new();
    for row in rows {
        let Some(table) = tables.get_mut(&row.table_name) else {
            continue;
        };
        let sql_type = super::parsed_once(&mut types, &row.declared_type, declared_type);
        let mut column = Column::new(row.name.clone(), sql_type).nullable(row.not_null == 0);
        column.default = row.default_sql;
        if row.pk_position > 0 {
            keys.entry(row.table_name.clone())
                .or_default()
                .push((row.pk_position, row.name));
            // SQLite lets some key columns hold NULL for legacy reasons; a key is NOT NULL in
            // the model, as the DDL retort writes declares it.
            column.nullable = false;
        }
        table.columns.push(column);
    }
    for (table_name, mut key) in keys {
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        key.sort();
        let columns: Vec<String> = key.into_iter().map(|(_, name)| name).collect();
        // A lone INTEGER primary key is the rowid alias, which SQLite numbers itself.
        if let [only] = columns.as_slice() {
            if let Some(column) = table.columns.iter_mut().find(|c| &c.name == only) {
                column.autoincrement = column.sql_type.is_integer();
            }
        }
        table.primary_key = Some(PrimaryKey::new(columns));
    }
}

/// A column's type as its `CREATE TABLE` declares it; what sqlparser cannot read stays text.
pub(super) fn declared_type(declared: &str) -> SqlType {
    SqlType::parse(declared).unwrap_or_else(|_| SqlType::Custom(declared.to_owned()))
}

fn add_indexes(
    tables: &mut BTreeMap<String, Table>,
    rows: Vec<IndexRow>,
    warnings: &mut Vec<String>,
) {
    // (table, index) -> the index from the pragmas, and its CREATE INDEX where the pragmas do
    // not hold it all (an expression key or a predicate).
    let mut by_index: BTreeMap<(String, String), (Index, Option<String>)> = BTreeMap::new();
    for row in rows {
        // Primary keys and UNIQUE constraints are read from the CREATE TABLE text.
        if row.origin != "c" {
            continue;
        }
        let entry = by_index
            .entry((row.table_name.clone(), row.index_name.clone()))
            .or_insert_with(|| {
                let mut index = Index::new(row.index_name.clone(), Vec::<String>::new());
                index.unique = row.is_unique != 0;
                (index, None)
            });
        if row.index_sql.is_some() {
            entry.1 = row.index_sql;
        }
        if let Some(column) = row.column_name {
            if row.descending != 0 {
                entry.0.order.insert(column.clone(), KeyOrder::DESC);
            }
            entry.0.columns.push(column);
        }
    }
    for ((table_name, index_name), (index, sql)) in by_index {
        let index = match sql.as_deref().map(parse_sqlite_create_index) {
            None => index,
            Some(Ok(parsed)) => Index {
                name: index.name,
                unique: index.unique,
                ..parsed
            },
            Some(Err(e)) => {
                warnings.push(format!(
                    "skipped index `{index_name}` on `{table_name}`: its CREATE INDEX could \
                     not be read ({e}), so it is not compared"
                ));
                continue;
            }
        };
        if let Some(table) = tables.get_mut(&table_name) {
            table.indexes.push(index);
        }
    }
}

/// SQLite reports `NO ACTION` for a key declared without an action: the model's `None`.
fn action(text: &str) -> Option<ForeignKeyAction> {
    ForeignKeyAction::parse(text).filter(|a| *a != ForeignKeyAction::NoAction)
}

fn add_foreign_keys(tables: &mut BTreeMap<String, Table>, rows: Vec<ForeignKeyRow>) {
    let mut keys: BTreeMap<(String, i32), ForeignKey> = BTreeMap::new();
    for row in rows {
        let key = keys
            .entry((row.table_name.clone(), row.id))
            .or_insert_with(|| {
                let mut fk = ForeignKey::new(
                    Vec::<String>::new(),
                    row.referred_table.clone(),
                    Vec::<String>::new(),
                );
                fk.on_delete = action(&row.on_delete);
                fk.on_update = action(&row.on_update);
                fk
            });
        key.columns.push(row.from_column);
        if let Some(to) = row.to_column {
            key.referred_columns.push(to);
        }
    }
    // pragma_foreign_key_list numbers keys last-declared first; declaration order reads better.
    for ((table_name, _), fk) in keys.into_iter().rev() {
        if let Some(table) = tables.get_mut(&table_name) {
            table.foreign_keys.push(fk);
        }
    }
}

/// Takes what only the `CREATE TABLE` text records: the primary key's name, UNIQUE and CHECK
/// constraints, foreign-key names, generated-column expressions, column collations and enum
/// columns' labels.
fn apply_create_sql(table: &mut Table, parsed: Table) {
    if let (Some(pk), Some(parsed_pk)) = (&mut table.primary_key, parsed.primary_key) {
        pk.name = parsed_pk.name;
    }
    table.unique_constraints = parsed.unique_constraints;
    table.check_constraints = parsed.check_constraints;
    for fk in parsed.foreign_keys {
        // pragma_foreign_key_list is the authority on keys; the text only adds their names and
        // whether they are deferred, which the pragma does not say.
        if let Some(reflected) = table
            .foreign_keys
            .iter_mut()
            .find(|r| r.columns == fk.columns && r.name.is_none())
        {
            reflected.name = fk.name;
            reflected.deferrable = fk.deferrable;
            reflected.initially_deferred = fk.initially_deferred;
        }
    }
    for column in parsed.columns {
        if let Some(reflected) = table.columns.iter_mut().find(|c| c.name == column.name) {
            if column.computed.is_some() {
                reflected.computed = column.computed;
            }
            reflected.collation = column.collation;
            // An enum is TEXT with a CHECK on its labels, which only the text records.
            if let SqlType::Enum(_) = column.sql_type {
                reflected.sql_type = column.sql_type;
            }
        }
    }
}
