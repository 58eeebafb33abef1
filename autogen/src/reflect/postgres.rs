//! PostgreSQL reflection from the system catalogs
//! (<https://www.postgresql.org/docs/15/catalogs.html>): at most eight queries for the whole
//! database, whatever the number of tables — the session's search path, tables (`pg_class`),
//! columns (`pg_attribute`, on a second connection while the first reads the rest),
//! constraints (`pg_constraint`), indexes (`pg_index`), enum types' labels (`pg_enum`),
//! domains with their CHECKs (`pg_type`) and every column of an enum type or domain, in any
//! schema (a change of labels converts them all; a type is dropped once none is left), this
//! last one only where the database has an enum type or domain. Every table of every non-system
//! schema is read; tables in `current_schema()` get `schema: None`, and so does a foreign key
//! referring to one. Types, defaults and expressions are kept as PostgreSQL prints them
//! (`format_type`, `pg_get_expr`, less one pair of parentheses around a whole CHECK or
//! generation expression); compare normalises them. Indexes come with their expression keys
//! (`pg_get_indexdef` per key), sort order (`indoption`), method (`pg_am`), `INCLUDE` columns
//! and predicate. What the model cannot hold — partitions, exclusion constraints — is skipped
//! with a warning; an index's operator classes and collations are not read.

use std::collections::BTreeMap;

use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use retort_core::error::Result;
use retort_core::executor::Executor;
use retort_core::schema::{
    CheckConstraint, Column, DomainCheck, DomainType, EnumType, ForeignKey, ForeignKeyAction,
    IdentityOptions, Index, KeyOrder, MetaData, PrimaryKey, QualifiedName, SqlType, Table,
    TypeColumn, UniqueConstraint,
};

use super::{Reflected, Schemas};

/// Ordinary and partitioned tables of the schemas asked for, less retort's own (`bookkeeping`:
/// the version and applied tables, in the default schema) and the
/// tables an extension owns (`pg_depend` deptype `e`: PostGIS's `spatial_ref_sys`, say); `c`
/// is the table's `pg_class` row and `n` its `pg_namespace` row.
fn user_tables(bookkeeping: &[String], schemas: &Schemas) -> String {
    let literal = |text: &str| format!("'{}'", text.replace('\'', "''"));
    format!(
        "c.relkind IN ('r', 'p') AND {} \
         AND NOT (c.relname IN ({}) AND n.nspname = current_schema()) \
         AND NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = 'pg_class'::regclass \
         AND dep.objid = c.oid AND dep.deptype = 'e')",
        user_schemas(schemas),
        bookkeeping
            .iter()
            .map(|name| literal(name))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The schemas asked for, less PostgreSQL's own; `n` is a `pg_namespace` row.
fn user_schemas(schemas: &Schemas) -> String {
    let literal = |text: &str| format!("'{}'", text.replace('\'', "''"));
    let scope = match schemas {
        Schemas::All => String::new(),
        Schemas::Current(named) => {
            let mut names = vec!["current_schema()".to_owned()];
            names.extend(named.iter().map(|s| literal(s)));
            format!(" AND n.nspname IN ({})", names.join(", "))
        }
    };
    format!(
        "n.nspname NOT IN ('pg_catalog', 'information_schema') \
         AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'{scope}"
    )
}

/// The schema as the model spells it: `NULL` for `current_schema()`.
fn model_schema(namespace: &str) -> String {
    format!(
        "CASE WHEN {namespace}.nspname = current_schema() THEN NULL \
         ELSE {namespace}.nspname::text END"
    )
}

/// What a second connection needs to read as this one does.
#[derive(diesel::QueryableByName)]
struct SessionRow {
    /// `current_setting('search_path')`, in the form `SET` takes: `"$user", public`.
    #[diesel(sql_type = Text)]
    search_path: String,
    #[diesel(sql_type = Bool)]
    has_written: bool,
}

#[derive(diesel::QueryableByName)]
struct TableRow {
    #[diesel(sql_type = BigInt)]
    table_oid: i64,
    #[diesel(sql_type = Nullable<Text>)]
    schema_name: Option<String>,
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Bool)]
    is_partition: bool,
    #[diesel(sql_type = Bool)]
    unlogged: bool,
    /// `pg_get_partkeydef` of a partitioned table: `RANGE (created_at)`.
    #[diesel(sql_type = Nullable<Text>)]
    partition_by: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    comment: Option<String>,
}

#[derive(diesel::QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = BigInt)]
    table_oid: i64,
    #[diesel(sql_type = Text)]
    name: String,
    /// `format_type`: `character varying(255)`, `timestamp with time zone`, ...
    #[diesel(sql_type = Text)]
    type_sql: String,
    #[diesel(sql_type = Bool)]
    not_null: bool,
    /// The default, or for a generated column its expression.
    #[diesel(sql_type = Nullable<Text>)]
    default_sql: Option<String>,
    /// `attidentity`: `a` (ALWAYS), `d` (BY DEFAULT) or empty.
    #[diesel(sql_type = Text)]
    identity: String,
    /// `attgenerated`: `s` (STORED) or empty.
    #[diesel(sql_type = Text)]
    generated: String,
    #[diesel(sql_type = Nullable<Text>)]
    comment: Option<String>,
    /// A collation other than the type's default (`COLLATE "C"`), or NULL.
    #[diesel(sql_type = Nullable<Text>)]
    collation: Option<String>,
    /// An identity column's sequence options (`pg_sequence`), or NULL.
    #[diesel(sql_type = Nullable<BigInt>)]
    identity_start: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    identity_increment: Option<i64>,
    /// For a column of an enum type (`e`) or domain (`d`), the type's kind, its schema as the
    /// model spells it and its name.
    #[diesel(sql_type = Nullable<Text>)]
    named_kind: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    named_schema: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    named_type: Option<String>,
}

/// One row per domain and CHECK (one row for a domain without one).
#[derive(diesel::QueryableByName)]
struct DomainRow {
    #[diesel(sql_type = Nullable<Text>)]
    schema_name: Option<String>,
    #[diesel(sql_type = Text)]
    domain_name: String,
    /// `format_type` of the base type.
    #[diesel(sql_type = Text)]
    base_sql: String,
    #[diesel(sql_type = Bool)]
    not_null: bool,
    #[diesel(sql_type = Nullable<Text>)]
    default_sql: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    check_name: Option<String>,
    /// `pg_get_constraintdef`: `CHECK (((VALUE >= 1901) AND (VALUE <= 2155)))`.
    #[diesel(sql_type = Nullable<Text>)]
    check_def: Option<String>,
    #[diesel(sql_type = Bool)]
    in_scope: bool,
}

/// One row per enum label, in the type's order.
#[derive(diesel::QueryableByName)]
struct EnumLabelRow {
    #[diesel(sql_type = Nullable<Text>)]
    schema_name: Option<String>,
    #[diesel(sql_type = Text)]
    type_name: String,
    #[diesel(sql_type = Text)]
    label: String,
    /// In a schema asked for, and not an extension's.
    #[diesel(sql_type = Bool)]
    in_scope: bool,
}

/// One row per column of an enum type, in any table of any schema.
#[derive(diesel::QueryableByName)]
struct TypeColumnRow {
    #[diesel(sql_type = Nullable<Text>)]
    type_schema: Option<String>,
    #[diesel(sql_type = Text)]
    type_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    schema_name: Option<String>,
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    default_sql: Option<String>,
}

/// One row per constraint and key position (one row for a constraint without columns).
#[derive(diesel::QueryableByName)]
struct ConstraintRow {
    #[diesel(sql_type = BigInt)]
    table_oid: i64,
    #[diesel(sql_type = BigInt)]
    constraint_oid: i64,
    #[diesel(sql_type = Text)]
    name: String,
    /// `contype`: `p`, `u`, `f`, `c`, `x` (exclusion) or `t` (constraint trigger).
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    column_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    referred_schema: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    referred_table: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    referred_column: Option<String>,
    #[diesel(sql_type = Text)]
    on_delete: String,
    #[diesel(sql_type = Text)]
    on_update: String,
    #[diesel(sql_type = Nullable<Text>)]
    check_expr: Option<String>,
    #[diesel(sql_type = Bool)]
    deferrable: bool,
    #[diesel(sql_type = Bool)]
    initially_deferred: bool,
    /// `confmatchtype`: `f` (FULL), `s` (SIMPLE, the default), `p` (PARTIAL, unimplemented).
    #[diesel(sql_type = Text)]
    match_type: String,
}

/// One row per index key or INCLUDE column.
#[derive(diesel::QueryableByName)]
struct IndexRow {
    #[diesel(sql_type = BigInt)]
    table_oid: i64,
    #[diesel(sql_type = Text)]
    index_name: String,
    #[diesel(sql_type = Bool)]
    is_unique: bool,
    /// The access method; `btree` is the default.
    #[diesel(sql_type = Text)]
    method: String,
    #[diesel(sql_type = Nullable<Text>)]
    predicate: Option<String>,
    /// Past the keys: an INCLUDE column.
    #[diesel(sql_type = Bool)]
    is_key: bool,
    /// NULL for an expression.
    #[diesel(sql_type = Nullable<Text>)]
    column_name: Option<String>,
    /// An expression key as PostgreSQL prints it; NULL for a column, which needs no printing.
    #[diesel(sql_type = Nullable<Text>)]
    key_sql: Option<String>,
    #[diesel(sql_type = Bool)]
    descending: bool,
    #[diesel(sql_type = Bool)]
    nulls_first: bool,
}

pub(super) fn reflect(
    executor: &mut Executor,
    bookkeeping: &[String],
    schemas: &Schemas,
) -> Result<Reflected> {
    let filter = user_tables(bookkeeping, schemas);
    let table_schema = model_schema("n");
    let referred_schema = model_schema("fn");
    let type_schema = model_schema("tn");
    // For a generated column pg_attrdef holds the generation expression, not a default.
    // Comments are joined from pg_description rather than read with col_description, a
    // lookup per column that was a third of this query's time on 1000 tables.
    let columns_sql = format!(
        "SELECT c.oid::bigint AS table_oid, a.attname::text AS name, \
         format_type(a.atttypid, a.atttypmod) AS type_sql, a.attnotnull AS not_null, \
         pg_get_expr(d.adbin, d.adrelid) AS default_sql, a.attidentity::text AS identity, \
         a.attgenerated::text AS generated, ds.description AS comment, \
         co.collname::text AS collation, sq.seqstart AS identity_start, \
         sq.seqincrement AS identity_increment, \
         CASE WHEN ty.typtype IN ('e', 'd') THEN ty.typtype::text END AS named_kind, \
         CASE WHEN ty.typtype IN ('e', 'd') THEN {type_schema} END AS named_schema, \
         CASE WHEN ty.typtype IN ('e', 'd') THEN ty.typname::text END AS named_type \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_attribute a ON a.attrelid = c.oid \
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         LEFT JOIN pg_type ty ON ty.oid = a.atttypid \
         LEFT JOIN pg_namespace tn ON tn.oid = ty.typnamespace \
         LEFT JOIN pg_collation co ON co.oid = a.attcollation \
           AND a.attcollation <> ty.typcollation \
         LEFT JOIN pg_depend dep ON a.attidentity <> '' AND dep.deptype = 'i' \
           AND dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass \
           AND dep.refobjid = c.oid AND dep.refobjsubid = a.attnum \
         LEFT JOIN pg_sequence sq ON sq.seqrelid = dep.objid \
         LEFT JOIN pg_description ds ON ds.objoid = c.oid \
           AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = a.attnum \
         WHERE {filter} AND a.attnum > 0 AND NOT a.attisdropped \
         ORDER BY c.oid, a.attnum"
    );
    // The columns query is half the catalog read: it runs on a second connection while this
    // one reads the rest. That connection sees no uncommitted change of this one's, so a
    // transaction that has written (an environment creating a schema first, say) reads alone.
    let session = executor
        .load::<SessionRow>(
            "SELECT current_setting('search_path') AS search_path, \
             txid_current_if_assigned() IS NOT NULL AS has_written",
        )?
        .pop();
    let read_rest = |main: &mut Executor| -> Result<_> {
        let table_rows: Vec<TableRow> = main.load(&format!(
            "SELECT c.oid::bigint AS table_oid, {table_schema} AS schema_name, \
             c.relname::text AS table_name, c.relispartition AS is_partition, \
             c.relpersistence = 'u' AS unlogged, \
             CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_by, \
             ds.description AS comment \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             LEFT JOIN pg_description ds ON ds.objoid = c.oid \
               AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = 0 \
             WHERE {filter} ORDER BY n.nspname, c.relname"
        ))?;
        // unnest(conkey, confkey) pairs each key column with the column it refers to (confkey is
        // NULL but for foreign keys). The CHECK expression comes from pg_get_expr(conbin), the
        // inside of pg_get_constraintdef's `CHECK (...) [NOT VALID]` without the text around it.
        let constraints: Vec<ConstraintRow> = main.load(&format!(
            "SELECT con.conrelid::bigint AS table_oid, con.oid::bigint AS constraint_oid, \
             con.conname::text AS name, con.contype::text AS kind, a.attname::text AS column_name, \
             {referred_schema} AS referred_schema, fc.relname::text AS referred_table, \
             fa.attname::text AS referred_column, con.confdeltype::text AS on_delete, \
             con.confupdtype::text AS on_update, \
             pg_get_expr(con.conbin, con.conrelid) AS check_expr, \
             con.condeferrable AS deferrable, con.condeferred AS initially_deferred, \
             con.confmatchtype::text AS match_type \
             FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             LEFT JOIN LATERAL unnest(con.conkey, con.confkey) \
             WITH ORDINALITY AS k(attnum, fattnum, ord) ON true \
             LEFT JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum \
             LEFT JOIN pg_class fc ON fc.oid = con.confrelid \
             LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace \
             LEFT JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.fattnum \
             WHERE {filter} ORDER BY con.conrelid, con.conname, con.oid, k.ord"
        ))?;
        // Indexes that back a primary key, unique or exclusion constraint are that constraint.
        // (A foreign key's conindid is the referred table's index, which stays an index.)
        // indkey holds 0 for an expression; positions past indnkeyatts are INCLUDE columns.
        let indexes: Vec<IndexRow> = main.load(&format!(
            "SELECT c.oid::bigint AS table_oid, ic.relname::text AS index_name, \
             i.indisunique AS is_unique, am.amname::text AS method, \
             pg_get_expr(i.indpred, i.indrelid, true) AS predicate, \
             k.ord <= i.indnkeyatts AS is_key, a.attname::text AS column_name, \
             CASE WHEN k.attnum = 0 THEN pg_get_indexdef(i.indexrelid, k.ord::int, true) END \
             AS key_sql, \
             coalesce(i.indoption[k.ord - 1] & 1 = 1, false) AS descending, \
             coalesce(i.indoption[k.ord - 1] & 2 = 2, false) AS nulls_first \
             FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             JOIN pg_class ic ON ic.oid = i.indexrelid \
             JOIN pg_am am ON am.oid = ic.relam \
             CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum \
             AND k.attnum > 0 \
             WHERE {filter} AND NOT EXISTS (SELECT 1 FROM pg_constraint x \
             WHERE x.conindid = i.indexrelid AND x.contype IN ('p', 'u', 'x')) \
             ORDER BY c.oid, ic.relname, k.ord"
        ))?;

        // Every enum type's labels and every domain, for the columns that use one whatever its
        // schema; those of the schemas asked for, less an extension's, are the database's own.
        let in_scope = format!(
            "({} AND NOT EXISTS (SELECT 1 FROM pg_depend dep \
             WHERE dep.classid = 'pg_type'::regclass AND dep.objid = t.oid \
             AND dep.deptype = 'e')) AS in_scope",
            user_schemas(schemas)
        );
        let enum_labels: Vec<EnumLabelRow> = main.load(&format!(
            "SELECT {table_schema} AS schema_name, t.typname::text AS type_name, \
             e.enumlabel::text AS label, {in_scope} \
             FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid \
             JOIN pg_namespace n ON n.oid = t.typnamespace \
             ORDER BY n.nspname, t.typname, e.enumsortorder"
        ))?;
        let domain_rows: Vec<DomainRow> = main.load(&format!(
            "SELECT {table_schema} AS schema_name, t.typname::text AS domain_name, \
             format_type(t.typbasetype, t.typtypmod) AS base_sql, t.typnotnull AS not_null, \
             t.typdefault AS default_sql, con.conname::text AS check_name, \
             pg_get_constraintdef(con.oid) AS check_def, {in_scope} \
             FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
             LEFT JOIN pg_constraint con ON con.contypid = t.oid AND con.contype = 'c' \
             WHERE t.typtype = 'd' AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
             ORDER BY n.nspname, t.typname, con.conname"
        ))?;
        Ok((table_rows, constraints, indexes, enum_labels, domain_rows))
    };
    // The search path is set for one read-only transaction (SET LOCAL): behind a pooler in
    // transaction mode, a session's SET would stay on the server connection for its next client.
    let setup = session
        .filter(|session| !session.has_written)
        .map(|session| {
            format!(
                "BEGIN READ ONLY; SET LOCAL search_path TO {}",
                session.search_path
            )
        });
    let (columns, (table_rows, constraints, indexes, enum_labels, domain_rows)) = executor
        .concurrently(
            setup.as_deref().map(|setup| (setup, "COMMIT")),
            |side| side.load::<ColumnRow>(&columns_sql),
            read_rest,
        )?;
    let (enums, enums_in_scope) = gather_enums(enum_labels);
    let (domains, domains_in_scope) = gather_domains(domain_rows);
    // A partition's columns change with its parent's, and only through it. A database without
    // enum types or domains (most, and 1000 tables' worth of pg_attribute is 16 ms to scan)
    // has no such column to look for.
    let type_columns: Vec<TypeColumnRow> = if enums.is_empty() && domains.is_empty() {
        Vec::new()
    } else {
        executor.load(&format!(
            "SELECT {type_schema} AS type_schema, t.typname::text AS type_name, \
             {table_schema} AS schema_name, c.relname::text AS table_name, \
             a.attname::text AS column_name, pg_get_expr(d.adbin, d.adrelid) AS default_sql \
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             JOIN pg_type t ON t.oid = a.atttypid AND t.typtype IN ('e', 'd') \
             JOIN pg_namespace tn ON tn.oid = t.typnamespace \
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') \
             AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
             ORDER BY tn.nspname, t.typname, n.nspname, c.relname, a.attnum"
        ))?
    };

    let mut reflected = Reflected::default();
    let mut tables = BTreeMap::new();
    for row in table_rows {
        let qualified = match &row.schema_name {
            Some(schema) => format!("{schema}.{}", row.table_name),
            None => row.table_name.clone(),
        };
        // A partition's columns and keys are its parent's; the model declares only the parent.
        if row.is_partition {
            reflected.warnings.push(format!(
                "skipped partition `{qualified}`: partitions are not compared"
            ));
            continue;
        }
        let mut table = Table::new(row.table_name);
        table.schema = row.schema_name;
        table.comment = row.comment;
        table.storage.postgresql_unlogged = row.unlogged;
        table.storage.postgresql_partition_by = row.partition_by;
        tables.insert(row.table_oid, table);
    }
    add_columns(&mut tables, columns, (&enums, &domains));
    add_constraints(&mut tables, constraints, &mut reflected.warnings);
    add_indexes(&mut tables, indexes);
    let mut metadata = MetaData::from_tables(tables.into_values());
    for name in enums_in_scope {
        if let Some(enum_type) = enums.get(&name) {
            metadata.enums.insert(name, enum_type.clone());
        }
    }
    for name in domains_in_scope {
        if let Some(domain) = domains.get(&name) {
            metadata.domains.insert(name, domain.clone());
        }
    }
    for row in type_columns {
        metadata
            .type_columns
            .entry(QualifiedName::new(
                row.type_schema.as_deref(),
                &row.type_name,
            ))
            .or_default()
            .push(TypeColumn {
                table: QualifiedName::new(row.schema_name.as_deref(), &row.table_name),
                column: row.column_name,
                default: row.default_sql,
            });
    }
    reflected.metadata = metadata;
    Ok(reflected)
}

/// Every domain by name with its CHECKs, and the names of those in scope.
fn gather_domains(
    rows: Vec<DomainRow>,
) -> (BTreeMap<QualifiedName, DomainType>, Vec<QualifiedName>) {
    let mut domains: BTreeMap<QualifiedName, DomainType> = BTreeMap::new();
    let mut in_scope = Vec::new();
    for row in rows {
        let name = QualifiedName::new(row.schema_name.as_deref(), &row.domain_name);
        let domain = domains.entry(name.clone()).or_insert_with(|| {
            if row.in_scope {
                in_scope.push(name);
            }
            DomainType {
                schema: row.schema_name,
                not_null: row.not_null,
                default: row.default_sql,
                ..DomainType::new(row.domain_name, parse_type(&row.base_sql))
            }
        });
        if let (Some(check), Some(def)) = (row.check_name, row.check_def) {
            // `CHECK (expr)`, `NOT VALID` after it for a check not yet run on every row.
            let expr = def.trim_start_matches("CHECK").trim();
            let expr = expr.strip_suffix(" NOT VALID").unwrap_or(expr);
            domain.checks.push(DomainCheck {
                name: check,
                expr: strip_parens(expr).to_owned(),
            });
        }
    }
    (domains, in_scope)
}

/// Every enum type by name with its labels in order, and the names of those in scope.
fn gather_enums(
    rows: Vec<EnumLabelRow>,
) -> (BTreeMap<QualifiedName, EnumType>, Vec<QualifiedName>) {
    let mut enums: BTreeMap<QualifiedName, EnumType> = BTreeMap::new();
    let mut in_scope = Vec::new();
    for row in rows {
        let name = QualifiedName::new(row.schema_name.as_deref(), &row.type_name);
        let entry = enums.entry(name.clone()).or_insert_with(|| {
            if row.in_scope {
                in_scope.push(name);
            }
            EnumType {
                schema: row.schema_name,
                name: row.type_name,
                labels: Vec::new(),
            }
        });
        entry.labels.push(row.label);
    }
    (enums, in_scope)
}

fn add_columns(
    tables: &mut BTreeMap<i64, Table>,
    rows: Vec<ColumnRow>,
    (enums, domains): (
        &BTreeMap<QualifiedName, EnumType>,
        &BTreeMap<QualifiedName, DomainType>,
    ),
) {
    let mut types = BTreeMap::new();
    for row in rows {
        let Some(table) = tables.get_mut(&row.table_oid) else {
            continue;
        };
        let named = row
            .named_type
            .as_deref()
            .map(|name| QualifiedName::new(row.named_schema.as_deref(), name));
        let sql_type = match (row.named_kind.as_deref(), &named) {
            (Some("e"), Some(name)) if enums.contains_key(name) => {
                SqlType::Enum(enums[name].clone())
            }
            (Some("d"), Some(name)) if domains.contains_key(name) => {
                SqlType::Domain(domains[name].clone())
            }
            _ => super::parsed_once(&mut types, &row.type_sql, parse_type),
        };
        let mut column = Column::new(row.name, sql_type).nullable(!row.not_null);
        column.comment = row.comment;
        column.collation = row.collation;
        if row.generated == "s" {
            column.computed = row
                .default_sql
                .as_deref()
                .map(|e| strip_parens(e).to_owned());
        } else if matches!(row.identity.as_str(), "a" | "d") {
            column.autoincrement = true;
            // PostgreSQL's defaults (1 and 1) read as no option, as a model without one says.
            column.identity = IdentityOptions {
                start: row.identity_start.filter(|&s| s != 1),
                increment: row.identity_increment.filter(|&i| i != 1),
            };
        } else if row
            .default_sql
            .as_deref()
            .is_some_and(|d| column.sql_type.is_integer() && is_sequence_default(d))
        {
            // `serial`: the default is the column's sequence, not a value the user chose.
            column.autoincrement = true;
        } else {
            column.default = row.default_sql;
        }
        table.columns.push(column);
    }
}

/// A `format_type` spelling as the model's type; types retort has no variant for stay text.
pub(super) fn parse_type(type_sql: &str) -> SqlType {
    match SqlType::parse(type_sql) {
        Ok(SqlType::Custom(text)) if text == "bytea" => SqlType::Blob,
        Ok(sql_type) => sql_type,
        Err(_) => SqlType::Custom(type_sql.to_owned()),
    }
}

/// `nextval('users_id_seq'::regclass)`, as `serial` and `bigserial` columns default.
fn is_sequence_default(default: &str) -> bool {
    default.starts_with("nextval(") && default.ends_with("::regclass)")
}

/// `confdeltype`/`confupdtype` (<https://www.postgresql.org/docs/15/catalog-pg-constraint.html>);
/// `a` (NO ACTION) is the database's default, the model's `None`.
fn action(code: &str) -> Option<ForeignKeyAction> {
    match code {
        "r" => Some(ForeignKeyAction::Restrict),
        "c" => Some(ForeignKeyAction::Cascade),
        "n" => Some(ForeignKeyAction::SetNull),
        "d" => Some(ForeignKeyAction::SetDefault),
        _ => None,
    }
}

/// A constraint's rows gathered: the first row and the key columns in order.
struct Gathered {
    first: ConstraintRow,
    columns: Vec<String>,
    referred_columns: Vec<String>,
}

fn add_constraints(
    tables: &mut BTreeMap<i64, Table>,
    rows: Vec<ConstraintRow>,
    warnings: &mut Vec<String>,
) {
    let mut gathered: Vec<Gathered> = Vec::new();
    for row in rows {
        let (column, referred) = (row.column_name.clone(), row.referred_column.clone());
        let entry = match gathered.last_mut() {
            Some(last) if last.first.constraint_oid == row.constraint_oid => last,
            _ => {
                gathered.push(Gathered {
                    first: row,
                    columns: Vec::new(),
                    referred_columns: Vec::new(),
                });
                gathered.last_mut().expect("just pushed")
            }
        };
        entry.columns.extend(column);
        entry.referred_columns.extend(referred);
    }
    for Gathered {
        first: row,
        columns,
        referred_columns,
    } in gathered
    {
        let Some(table) = tables.get_mut(&row.table_oid) else {
            continue;
        };
        match row.kind.as_str() {
            "p" => table.primary_key = Some(PrimaryKey::new(columns).named(row.name)),
            "u" => table
                .unique_constraints
                .push(UniqueConstraint::new(columns).named(row.name)),
            "f" => {
                let mut fk = ForeignKey::new(
                    columns,
                    row.referred_table.unwrap_or_default(),
                    referred_columns,
                )
                .named(row.name);
                fk.referred_schema = row.referred_schema;
                fk.on_delete = action(&row.on_delete);
                fk.on_update = action(&row.on_update);
                fk.deferrable = row.deferrable;
                fk.initially_deferred = row.initially_deferred;
                fk.match_full = row.match_type == "f";
                table.foreign_keys.push(fk);
            }
            "c" => {
                let expr = row.check_expr.unwrap_or_default();
                table
                    .check_constraints
                    .push(CheckConstraint::new(strip_parens(&expr)).named(row.name));
            }
            "x" => warnings.push(format!(
                "skipped exclusion constraint `{}` on `{}`: exclusion constraints are not \
                 compared",
                row.name,
                table.qualified_name()
            )),
            // Constraint triggers are triggers, which retort does not model.
            _ => {}
        }
    }
}

fn add_indexes(tables: &mut BTreeMap<i64, Table>, rows: Vec<IndexRow>) {
    let mut by_index: BTreeMap<(i64, String), Index> = BTreeMap::new();
    for row in rows {
        let index = by_index
            .entry((row.table_oid, row.index_name.clone()))
            .or_insert_with(|| {
                let mut index = Index::new(row.index_name.clone(), Vec::<String>::new());
                index.unique = row.is_unique;
                index.method = (row.method != "btree").then(|| row.method.clone());
                index.predicate = row.predicate.clone();
                index
            });
        let key = match row.column_name {
            Some(column) => column,
            None => format!("({})", row.key_sql.unwrap_or_default()),
        };
        if !row.is_key {
            index.include.push(key);
            continue;
        }
        let order = KeyOrder {
            descending: row.descending,
            nulls_first: Some(row.nulls_first),
        }
        .canonical();
        if order != KeyOrder::default() {
            index.order.insert(key.clone(), order);
        }
        index.columns.push(key);
    }
    for ((table_oid, _), index) in by_index {
        if let Some(table) = tables.get_mut(&table_oid) {
            table.indexes.push(index);
        }
    }
}

/// `(expr)` without the parentheses PostgreSQL wraps around a printed expression, when they
/// enclose all of it: `(a > 0)` becomes `a > 0`, `(a > 0) AND (b > 0)` stays as it is.
fn strip_parens(expr: &str) -> &str {
    let trimmed = expr.trim();
    let Some(inner) = trimmed
        .strip_prefix('(')
        .and_then(|rest| rest.strip_suffix(')'))
    else {
        return trimmed;
    };
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for ch in inner.chars() {
        match (quote, ch) {
            // A doubled quote inside a literal closes and reopens it: the depth is unaffected.
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(ch),
            (None, '(') => depth += 1,
            (None, ')') => match depth.checked_sub(1) {
                Some(d) => depth = d,
                // The opening parenthesis closed before the end: it does not wrap everything.
                None => return trimmed,
            },
            _ => {}
        }
    }
    if depth == 0 && quote.is_none() {
        inner.trim()
    } else {
        trimmed
    }
}

#[cfg(test)]
mod tests {
    use super::strip_parens;

    #[test]
    fn strip_parens_removes_only_parentheses_around_everything() {
        assert_eq!(strip_parens("(score >= 0)"), "score >= 0");
        assert_eq!(strip_parens("((a > 0) AND (b > 0))"), "(a > 0) AND (b > 0)");
        assert_eq!(strip_parens("(a > 0) AND (b > 0)"), "(a > 0) AND (b > 0)");
        assert_eq!(strip_parens("(x = ')(')"), "x = ')('");
        assert_eq!(strip_parens("(x = 'it''s)')"), "x = 'it''s)'");
        assert_eq!(strip_parens("lower(a)"), "lower(a)");
    }
}
