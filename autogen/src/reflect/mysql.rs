//! MySQL and MariaDB reflection from `information_schema`, restricted to `DATABASE()`
//! (<https://mariadb.com/kb/en/information-schema-tables/>). Nine queries whatever the number of
//! tables: the server version, then TABLES, COLLATIONS, COLUMNS, STATISTICS, the foreign keys'
//! KEY_COLUMN_USAGE and REFERENTIAL_CONSTRAINTS, the UNIQUE names of TABLE_CONSTRAINTS and
//! CHECK_CONSTRAINTS, with COLUMNS and STATISTICS on a second connection at the same time. The
//! version tells MariaDB from MySQL, which lay out CHECK_CONSTRAINTS and report foreign-key
//! defaults differently.
//!
//! Numeric catalog columns are unsigned or of varying widths across versions, so each is cast
//! to `SIGNED` and loaded as `BigInt`.

use std::collections::{BTreeMap, BTreeSet};

use diesel::sql_types::{BigInt, Nullable, Text};
use retort_core::error::{ConfigError, Result};
use retort_core::executor::Executor;
use retort_core::schema::{
    CheckConstraint, Column, EnumType, ForeignKey, ForeignKeyAction, Index, MetaData, PrimaryKey,
    SqlType, Table, UniqueConstraint,
};

use super::Reflected;

#[derive(diesel::QueryableByName)]
struct ServerRow {
    #[diesel(sql_type = Text)]
    version: String,
    #[diesel(sql_type = Nullable<Text>)]
    current_database: Option<String>,
}

#[derive(diesel::QueryableByName)]
struct TableRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    table_comment: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    engine: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    table_collation: Option<String>,
}

#[derive(diesel::QueryableByName)]
struct CollationRow {
    #[diesel(sql_type = Text)]
    collation_name: String,
    #[diesel(sql_type = Text)]
    character_set_name: String,
}

#[derive(diesel::QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    column_type: String,
    #[diesel(sql_type = Text)]
    is_nullable: String,
    #[diesel(sql_type = Nullable<Text>)]
    column_default: Option<String>,
    #[diesel(sql_type = Text)]
    extra: String,
    #[diesel(sql_type = Nullable<Text>)]
    generation_expression: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    column_comment: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    collation_name: Option<String>,
}

#[derive(diesel::QueryableByName)]
struct IndexRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    index_name: String,
    #[diesel(sql_type = BigInt)]
    non_unique: i64,
    /// NULL for an expression (MySQL 8 functional key parts).
    #[diesel(sql_type = Nullable<Text>)]
    column_name: Option<String>,
    /// The prefix length of a key column indexed by its first characters.
    #[diesel(sql_type = Nullable<BigInt>)]
    sub_part: Option<i64>,
    /// `BTREE`, `HASH`, `FULLTEXT` or `SPATIAL`.
    #[diesel(sql_type = Text)]
    index_type: String,
}

/// A column of a foreign key, from KEY_COLUMN_USAGE.
#[derive(diesel::QueryableByName)]
struct KeyColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    constraint_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    referenced_table_schema: Option<String>,
    #[diesel(sql_type = Text)]
    referenced_table_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    referenced_column_name: Option<String>,
}

/// A foreign key's actions, from REFERENTIAL_CONSTRAINTS.
#[derive(diesel::QueryableByName)]
struct RuleRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    constraint_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    update_rule: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    delete_rule: Option<String>,
}

/// A UNIQUE constraint's name, from TABLE_CONSTRAINTS.
#[derive(diesel::QueryableByName)]
struct UniqueRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    constraint_name: String,
}

#[derive(diesel::QueryableByName)]
struct CheckRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    constraint_name: String,
    #[diesel(sql_type = Text)]
    check_clause: String,
}

/// A string literal; backslash escapes in MySQL.
fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "''"))
}

/// Reflects the current database's tables, less retort's own (`bookkeeping`: the version and
/// applied tables).
pub(super) fn reflect(executor: &mut Executor, bookkeeping: &[String]) -> Result<Reflected> {
    let server: Vec<ServerRow> =
        executor.load("SELECT VERSION() AS version, DATABASE() AS current_database")?;
    let Some(ServerRow {
        version,
        current_database: Some(database),
    }) = server.into_iter().next()
    else {
        return Err(ConfigError::NoDatabaseSelected.into());
    };
    let mariadb = version.to_ascii_lowercase().contains("mariadb");
    let bookkeeping: Vec<String> = bookkeeping.iter().map(|name| literal(name)).collect();
    let bookkeeping = bookkeeping.join(", ");

    // COLUMNS and STATISTICS, half the catalog read, are read on a second connection while
    // this one reads the rest (information_schema is not transactional: both see the same
    // committed definitions).
    let read_columns = |side: &mut Executor| -> Result<_> {
        let columns: Vec<ColumnRow> = side.load(
            "SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, \
             COLUMN_TYPE AS column_type, IS_NULLABLE AS is_nullable, \
             COLUMN_DEFAULT AS column_default, EXTRA AS extra, \
             GENERATION_EXPRESSION AS generation_expression, COLUMN_COMMENT AS column_comment, \
             COLLATION_NAME AS collation_name \
             FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
             ORDER BY TABLE_NAME, ORDINAL_POSITION",
        )?;
        let indexes: Vec<IndexRow> = side.load(
            "SELECT TABLE_NAME AS table_name, INDEX_NAME AS index_name, \
             CAST(NON_UNIQUE AS SIGNED) AS non_unique, COLUMN_NAME AS column_name, \
             CAST(SUB_PART AS SIGNED) AS sub_part, INDEX_TYPE AS index_type \
             FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() \
             ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
        )?;
        Ok((columns, indexes))
    };
    let read_rest = |main: &mut Executor| -> Result<_> {
        let table_rows: Vec<TableRow> = main.load(&format!(
            "SELECT TABLE_NAME AS table_name, TABLE_COMMENT AS table_comment, ENGINE AS engine, \
             TABLE_COLLATION AS table_collation FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' \
             AND TABLE_NAME NOT IN ({bookkeeping}) ORDER BY TABLE_NAME"
        ))?;
        // A table's character set is its collation's: a static list the server holds in memory.
        // MariaDB 10.10's UCA 14 collations apply to several character sets (NULL here) and tables
        // report them by full name, `utf8mb4_uca1400_ai_ci`, which starts with the character set.
        let charsets: BTreeMap<String, String> = main
            .load::<CollationRow>(
                "SELECT COLLATION_NAME AS collation_name, CHARACTER_SET_NAME AS character_set_name \
                 FROM information_schema.COLLATIONS WHERE CHARACTER_SET_NAME IS NOT NULL",
            )?
            .into_iter()
            .map(|row| (row.collation_name, row.character_set_name))
            .collect();
        // Three queries joined here rather than one joined by the server: MariaDB opens every
        // table's definition once per row of an information_schema join, which took 1.4 s of a
        // 1.5 s reflection of 1000 tables; each view alone takes a few milliseconds.
        let key_columns: Vec<KeyColumnRow> = main.load(
            "SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS constraint_name, \
             COLUMN_NAME AS column_name, REFERENCED_TABLE_SCHEMA AS referenced_table_schema, \
             REFERENCED_TABLE_NAME AS referenced_table_name, \
             REFERENCED_COLUMN_NAME AS referenced_column_name \
             FROM information_schema.KEY_COLUMN_USAGE \
             WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL \
             ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
        )?;
        let rules: Vec<RuleRow> = main.load(
            "SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS constraint_name, \
             UPDATE_RULE AS update_rule, DELETE_RULE AS delete_rule \
             FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()",
        )?;
        let uniques: Vec<UniqueRow> = main.load(
            "SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS constraint_name \
             FROM information_schema.TABLE_CONSTRAINTS \
             WHERE TABLE_SCHEMA = DATABASE() AND CONSTRAINT_TYPE = 'UNIQUE'",
        )?;
        // MariaDB's CHECK_CONSTRAINTS names the table (check names are unique per table there);
        // MySQL's does not (they are unique per schema), so its table comes from TABLE_CONSTRAINTS.
        let checks: Vec<CheckRow> = main.load(if mariadb {
            "SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS constraint_name, \
             CHECK_CLAUSE AS check_clause FROM information_schema.CHECK_CONSTRAINTS \
             WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME"
        } else {
            "SELECT tc.TABLE_NAME AS table_name, cc.CONSTRAINT_NAME AS constraint_name, \
             cc.CHECK_CLAUSE AS check_clause FROM information_schema.CHECK_CONSTRAINTS cc \
             JOIN information_schema.TABLE_CONSTRAINTS tc \
               ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA \
               AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME AND tc.CONSTRAINT_TYPE = 'CHECK' \
             WHERE cc.CONSTRAINT_SCHEMA = DATABASE() ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME"
        })?;

        Ok((table_rows, charsets, key_columns, rules, uniques, checks))
    };
    let ((columns, indexes), (table_rows, charsets, key_columns, rules, uniques, checks)) =
        executor.concurrently(
            Some((&format!("USE `{}`", database.replace('`', "``")), "")),
            read_columns,
            read_rest,
        )?;

    let mut reflected = Reflected::default();
    let mut tables: BTreeMap<String, Table> = table_rows
        .into_iter()
        .map(|row| {
            let mut table = Table::new(row.table_name.clone());
            table.comment = row.table_comment.filter(|c| !c.is_empty());
            table.storage.mysql_charset = row.table_collation.as_ref().and_then(|c| {
                charsets
                    .get(c)
                    .cloned()
                    .or_else(|| c.split_once('_').map(|(charset, _)| charset.to_owned()))
            });
            table.storage.mysql_engine = row.engine;
            table.storage.mysql_collate = row.table_collation;
            (row.table_name, table)
        })
        .collect();
    let longtext = add_columns(&mut tables, columns);
    add_foreign_keys(&mut tables, key_columns, rules, &database, mariadb);
    let unique_names = uniques
        .into_iter()
        .map(|row| (row.table_name, row.constraint_name))
        .collect();
    add_indexes(&mut tables, indexes, &unique_names, &mut reflected.warnings);
    add_checks(&mut tables, checks, &longtext);
    reflected.metadata = MetaData::from_tables(tables.into_values());
    Ok(reflected)
}

/// Maps a `COLUMN_TYPE` as MySQL and MariaDB report it (`int(11)`, `tinyint(1)`,
/// `decimal(10,2)`, `longtext`). Display widths are ignored; unsigned and other types retort
/// has no variant for stay `Custom` (enums are read before this, with their column's name).
pub(super) fn column_type(reported: &str) -> SqlType {
    let custom = || SqlType::Custom(reported.trim().to_owned());
    let lower = reported.trim().to_ascii_lowercase();
    let name_end = lower
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .unwrap_or(lower.len());
    let (name, rest) = lower.split_at(name_end);
    let (args, rest) = match rest.strip_prefix('(').and_then(|r| r.split_once(')')) {
        Some((args, rest)) => {
            let parsed: Option<Vec<u32>> = args.split(',').map(|a| a.trim().parse().ok()).collect();
            match parsed {
                Some(args) => (args, rest),
                None => return custom(),
            }
        }
        None => (Vec::new(), rest),
    };
    // ` unsigned`, ` zerofill`: no retort type says so.
    if !rest.trim().is_empty() {
        return custom();
    }
    match (name, args.as_slice()) {
        // MySQL's BOOL is TINYINT(1) (https://mariadb.com/kb/en/boolean/).
        ("tinyint", [1]) => SqlType::Boolean,
        ("smallint", _) => SqlType::SmallInt,
        ("int" | "integer" | "mediumint", _) => SqlType::Integer,
        ("bigint", _) => SqlType::BigInt,
        ("float", []) => SqlType::Real,
        ("double", []) => SqlType::Double,
        ("decimal" | "numeric", args) => SqlType::Numeric {
            precision: args.first().copied(),
            scale: args.get(1).copied(),
        },
        ("varchar", [n]) => SqlType::Varchar(*n),
        ("char", [n]) => SqlType::Char(*n),
        ("tinytext" | "text" | "mediumtext" | "longtext", _) => SqlType::Text,
        ("tinyblob" | "blob" | "mediumblob" | "longblob", _) => SqlType::Blob,
        ("date", []) => SqlType::Date,
        ("time", _) => SqlType::Time,
        ("datetime" | "timestamp", _) => SqlType::Timestamp,
        // MySQL 8; MariaDB reports its JSON as `longtext`, see `add_checks`.
        ("json", []) => SqlType::Json,
        _ => custom(),
    }
}

/// Adds the columns; returns the `longtext` ones, which may be MariaDB JSON columns.
fn add_columns(
    tables: &mut BTreeMap<String, Table>,
    rows: Vec<ColumnRow>,
) -> BTreeSet<(String, String)> {
    let mut longtext = BTreeSet::new();
    let mut types = BTreeMap::new();
    for row in rows {
        let Some(table) = tables.get_mut(&row.table_name) else {
            continue;
        };
        if row.column_type.eq_ignore_ascii_case("longtext") {
            longtext.insert((row.table_name.clone(), row.column_name.clone()));
        }
        let extra = row.extra.to_ascii_lowercase();
        // MySQL keeps no name for an enum's labels: the type is named after its column.
        let sql_type = EnumType::from_column_type(&row.column_name, &row.column_type).map_or_else(
            || super::parsed_once(&mut types, &row.column_type, column_type),
            SqlType::Enum,
        );
        let mut column = Column::new(row.column_name, sql_type).nullable(row.is_nullable == "YES");
        // MariaDB (10.2.7+) reports a nullable column without default as the text `NULL`, and
        // quotes string literals, so the text `NULL` is never a literal
        // (https://mariadb.com/kb/en/information-schema-columns-table/).
        column.default = row.column_default.filter(|d| d != "NULL");
        column.autoincrement = extra.contains("auto_increment");
        if extra.contains("stored generated") || extra.contains("virtual generated") {
            column.computed = row.generation_expression;
            column.default = None;
        }
        column.comment = row.column_comment.filter(|c| !c.is_empty());
        column.collation = row.collation_name;
        table.columns.push(column);
    }
    longtext
}

/// InnoDB treats NO ACTION as RESTRICT. MariaDB 10.11 reports `RESTRICT` both for a key
/// declared without actions and for an explicit `RESTRICT` (even `SHOW CREATE TABLE` drops the
/// latter: the engine stores no difference), so there `RESTRICT` is the default, `None`. MySQL
/// 8 reports its default as `NO ACTION` and keeps an explicit `RESTRICT`.
fn action(rule: Option<&str>, mariadb: bool) -> Option<ForeignKeyAction> {
    match ForeignKeyAction::parse(rule?)? {
        ForeignKeyAction::NoAction => None,
        ForeignKeyAction::Restrict if mariadb => None,
        other => Some(other),
    }
}

/// Adds foreign keys, their columns in key order, their actions from `rules`.
fn add_foreign_keys(
    tables: &mut BTreeMap<String, Table>,
    columns: Vec<KeyColumnRow>,
    rules: Vec<RuleRow>,
    database: &str,
    mariadb: bool,
) {
    let mut rules: BTreeMap<(String, String), RuleRow> = rules
        .into_iter()
        .map(|row| ((row.table_name.clone(), row.constraint_name.clone()), row))
        .collect();
    let mut keys: BTreeMap<(String, String), ForeignKey> = BTreeMap::new();
    for row in columns {
        let id = (row.table_name, row.constraint_name);
        let key = keys.entry(id.clone()).or_insert_with(|| {
            let mut fk = ForeignKey::new(
                Vec::<String>::new(),
                row.referenced_table_name.clone(),
                Vec::<String>::new(),
            )
            .named(id.1.clone());
            fk.referred_schema = row
                .referenced_table_schema
                .clone()
                .filter(|schema| schema != database);
            if let Some(rule) = rules.remove(&id) {
                fk.on_update = action(rule.update_rule.as_deref(), mariadb);
                fk.on_delete = action(rule.delete_rule.as_deref(), mariadb);
            }
            fk
        });
        key.columns.push(row.column_name);
        key.referred_columns.extend(row.referenced_column_name);
    }
    for ((table_name, _), fk) in keys {
        if let Some(table) = tables.get_mut(&table_name) {
            table.foreign_keys.push(fk);
        }
    }
}

/// Whether an index is the one InnoDB made for a foreign key whose columns had none
/// (<https://mariadb.com/kb/en/foreign-keys/>): it has the key's columns and the key's name,
/// or, for a key declared without a name (`<table>_ibfk_<n>`), its first column's name.
fn is_foreign_key_index(table: &Table, index: &Index) -> bool {
    let auto_prefix = format!("{}_ibfk_", table.name);
    table.foreign_keys.iter().any(|fk| {
        let fk_name = fk.name.as_deref().unwrap_or_default();
        let auto_named = fk_name
            .strip_prefix(&auto_prefix)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        fk.columns == index.columns
            && (index.name() == fk_name
                || (auto_named && fk.columns.first().map(String::as_str) == Some(index.name())))
    })
}

fn add_indexes(
    tables: &mut BTreeMap<String, Table>,
    rows: Vec<IndexRow>,
    unique_names: &BTreeSet<(String, String)>,
    warnings: &mut Vec<String>,
) {
    // (table, index) -> the index and why it cannot be modelled, if it cannot.
    let mut by_index: BTreeMap<(String, String), (Index, Option<&str>)> = BTreeMap::new();
    for row in rows {
        let entry = by_index
            .entry((row.table_name, row.index_name.clone()))
            .or_insert_with(|| {
                let mut index = Index::new(row.index_name, Vec::<String>::new());
                index.unique = row.non_unique == 0;
                let skip = match row.index_type.as_str() {
                    "FULLTEXT" => {
                        index.method = Some("fulltext".into());
                        None
                    }
                    "SPATIAL" => Some("spatial indexes"),
                    // InnoDB builds HASH as a B-tree; neither is a method of the model.
                    _ => None,
                };
                (index, skip)
            });
        match row.column_name {
            Some(column) => {
                // A FULLTEXT key has no prefix, whatever SUB_PART says.
                if let (Some(length), None) = (row.sub_part, &entry.0.method) {
                    if let Ok(length) = u32::try_from(length) {
                        entry.0.prefix.insert(column.clone(), length);
                    }
                }
                entry.0.columns.push(column);
            }
            None => entry.1 = entry.1.or(Some("expression indexes")),
        }
    }
    for ((table_name, index_name), (index, skip)) in by_index {
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        if let Some(kind) = skip {
            warnings.push(format!(
                "skipped index `{index_name}` on `{table_name}`: {kind} are not compared"
            ));
        } else if index_name == "PRIMARY" {
            // MySQL names every primary key PRIMARY; the model's name is the convention's.
            table.primary_key = Some(PrimaryKey::new(index.columns));
        } else if unique_names.contains(&(table_name, index_name.clone()))
            && index.prefix.is_empty()
        {
            // A UNIQUE constraint and a unique index are one object in MySQL; both are listed
            // in TABLE_CONSTRAINTS, and reported once, as the constraint (unless a key part is
            // a prefix, which only an index can say).
            table.unique_constraints.push(UniqueConstraint {
                name: Some(index_name),
                columns: index.columns,
            });
        } else if !is_foreign_key_index(table, &index) {
            table.indexes.push(index);
        }
    }
}

/// Adds named CHECK constraints. MariaDB's `JSON` is `LONGTEXT` with a check
/// `json_valid(`col`)` named after the column
/// (<https://mariadb.com/kb/en/json-data-type/>): that column is reported as `Json` and its
/// check left out.
fn add_checks(
    tables: &mut BTreeMap<String, Table>,
    rows: Vec<CheckRow>,
    longtext: &BTreeSet<(String, String)>,
) {
    for row in rows {
        let Some(table) = tables.get_mut(&row.table_name) else {
            continue;
        };
        let json_check = format!("json_valid(`{}`)", row.constraint_name.replace('`', "``"));
        if row.check_clause == json_check
            && longtext.contains(&(row.table_name.clone(), row.constraint_name.clone()))
        {
            if let Some(column) = table
                .columns
                .iter_mut()
                .find(|c| c.name == row.constraint_name)
            {
                column.sql_type = SqlType::Json;
            }
            continue;
        }
        table
            .check_constraints
            .push(CheckConstraint::new(row.check_clause).named(row.constraint_name));
    }
}

#[cfg(test)]
mod tests {
    use super::column_type;
    use retort_core::schema::SqlType;

    #[test]
    fn column_types_as_mariadb_reports_them() {
        for (reported, expected) in [
            ("tinyint(1)", SqlType::Boolean),
            ("smallint(6)", SqlType::SmallInt),
            ("int(11)", SqlType::Integer),
            ("bigint(20)", SqlType::BigInt),
            ("bigint", SqlType::BigInt),
            ("float", SqlType::Real),
            ("double", SqlType::Double),
            ("decimal(10,2)", SqlType::numeric(10, 2)),
            ("varchar(255)", SqlType::Varchar(255)),
            ("char(36)", SqlType::Char(36)),
            ("mediumtext", SqlType::Text),
            ("longblob", SqlType::Blob),
            ("datetime", SqlType::Timestamp),
            ("timestamp(6)", SqlType::Timestamp),
            ("json", SqlType::Json),
        ] {
            assert_eq!(column_type(reported), expected, "{reported}");
        }
        for custom in ["int(10) unsigned", "tinyint(4)", "enum('a','b')", "year(4)"] {
            assert_eq!(column_type(custom), SqlType::Custom(custom.into()));
        }
    }
}
