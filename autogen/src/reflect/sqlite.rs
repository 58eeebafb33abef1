//! SQLite reflection through the `pragma_*` table-valued functions joined to `sqlite_master`:
//! one query for all columns, one for all indexes
//! (<https://www.sqlite.org/pragma.html#pragfunc>).

use std::collections::BTreeMap;

use diesel::sql_types::{Integer, Nullable, Text};
use retort_core::error::Result;
use retort_core::executor::Executor;
use retort_core::schema::{Column, Index, MetaData, PrimaryKey, SqlType, Table};

use super::Reflected;

/// Tables SQLite keeps for itself, and the version table.
const USER_TABLES: &str = "m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";

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
}

pub(super) fn reflect(executor: &mut Executor, version_table: &str) -> Result<Reflected> {
    let exclude = format!("m.name <> '{}'", version_table.replace('\'', "''"));
    let columns: Vec<ColumnRow> = executor.load(&format!(
        "SELECT m.name AS table_name, p.name AS name, p.type AS declared_type, \
         p.\"notnull\" AS not_null, p.dflt_value AS default_sql, p.pk AS pk_position \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE {USER_TABLES} AND {exclude} ORDER BY m.name, p.cid"
    ))?;
    let indexes: Vec<IndexRow> = executor.load(&format!(
        "SELECT m.name AS table_name, il.name AS index_name, il.\"unique\" AS is_unique, \
         il.origin AS origin, ii.name AS column_name \
         FROM sqlite_master m JOIN pragma_index_list(m.name) il \
         JOIN pragma_index_xinfo(il.name) ii \
         WHERE {USER_TABLES} AND {exclude} AND ii.key = 1 ORDER BY m.name, il.name, ii.seqno"
    ))?;

    let mut reflected = Reflected::default();
    let mut tables: BTreeMap<String, (Table, Vec<(i32, String)>)> = BTreeMap::new();
    for row in columns {
        let sql_type = SqlType::parse(&row.declared_type)
            .unwrap_or_else(|_| SqlType::Custom(row.declared_type.clone()));
        let mut column = Column::new(row.name.clone(), sql_type).nullable(row.not_null == 0);
        column.default = row.default_sql;
        let (table, pk) = tables
            .entry(row.table_name.clone())
            .or_insert_with(|| (Table::new(row.table_name.clone()), Vec::new()));
        if row.pk_position > 0 {
            pk.push((row.pk_position, row.name));
            column.primary_key = true;
            // SQLite lets some key columns hold NULL for legacy reasons; a key is NOT NULL in
            // the model, as the DDL retort writes declares it.
            column.nullable = false;
        }
        table.columns.push(column);
    }
    for (table, mut pk) in tables.values_mut().map(|(t, pk)| (t, std::mem::take(pk))) {
        if pk.is_empty() {
            continue;
        }
        pk.sort();
        table.primary_key = Some(PrimaryKey {
            name: None,
            columns: pk.into_iter().map(|(_, name)| name).collect(),
        });
        // A lone INTEGER primary key is the rowid alias, which SQLite numbers itself.
        if let [only] = table
            .primary_key
            .as_ref()
            .map(|p| p.columns.as_slice())
            .unwrap_or_default()
        {
            let only = only.clone();
            if let Some(column) = table.columns.iter_mut().find(|c| c.name == only) {
                column.autoincrement = column.sql_type.is_integer();
            }
        }
    }

    let mut by_index: BTreeMap<(String, String), (Index, bool)> = BTreeMap::new();
    for row in indexes {
        if row.origin != "c" {
            // Primary keys are modelled on the table; UNIQUE constraints come with issue 5's
            // constraint support.
            continue;
        }
        let entry = by_index
            .entry((row.table_name.clone(), row.index_name.clone()))
            .or_insert_with(|| {
                let mut index = Index::new(row.index_name.clone(), Vec::<String>::new());
                index.unique = row.is_unique != 0;
                (index, false)
            });
        match row.column_name {
            Some(column) => entry.0.columns.push(column),
            None => entry.1 = true,
        }
    }
    for ((table_name, index_name), (index, has_expression)) in by_index {
        if has_expression {
            reflected.warnings.push(format!(
                "skipped expression index `{index_name}` on `{table_name}`: expression indexes \
                 are not compared"
            ));
            continue;
        }
        if let Some((table, _)) = tables.get_mut(&table_name) {
            table.indexes.push(index);
        }
    }
    reflected.metadata = MetaData::from_tables(tables.into_values().map(|(t, _)| t));
    Ok(reflected)
}
