//! PostgreSQL's DDL (<https://www.postgresql.org/docs/15/sql-commands.html>).

use super::{canonical_expression, lock, unsupported, DdlImpl, Dialect, SessionLock, TableCost};
use crate::error::Result;
use crate::ops::{AlterDomain, AlterEnum, AlterTableStorage, Change, Op};
use crate::schema::{
    Column, DomainCheck, DomainType, EnumType, IdentityOptions, QualifiedName, SqlType, Table,
    TableStorage,
};

/// PostgreSQL: transactional DDL, standard `ALTER COLUMN`, `COMMENT ON`, identity columns.
#[derive(Clone, Copy, Debug, Default)]
pub struct PostgresImpl;

impl DdlImpl for PostgresImpl {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn drop_index_concurrently(
        &self,
        table: &QualifiedName,
        name: &str,
        if_exists: bool,
    ) -> Result<Vec<String>> {
        Ok(vec![self.drop_index_sql(
            table,
            name,
            if_exists,
            "CONCURRENTLY ",
        )])
    }

    /// Collation names are case-sensitive identifiers (`"C"`, `"en_US"`).
    fn canonical_collation(&self, collation: &str) -> String {
        collation.to_owned()
    }

    /// `CREATE UNLOGGED TABLE` (<https://www.postgresql.org/docs/15/sql-createtable.html>).
    fn create_table_prefix(&self, table: &Table) -> &'static str {
        if table.storage.postgresql_unlogged {
            "UNLOGGED "
        } else {
            ""
        }
    }

    /// A partition key as `pg_get_partkeydef` prints it (`RANGE (a, b)`): the method in
    /// capitals and one space, the key list in lower case with `, ` between its parts.
    fn comparable_storage(&self, storage: &TableStorage) -> TableStorage {
        TableStorage {
            postgresql_unlogged: storage.postgresql_unlogged,
            postgresql_partition_by: storage.postgresql_partition_by.as_deref().map(
                |key| match key.split_once('(') {
                    Some((method, rest)) => {
                        let rest: String = rest.split_whitespace().collect();
                        format!(
                            "{} ({}",
                            method.trim().to_ascii_uppercase(),
                            rest.to_ascii_lowercase().replace(',', ", ")
                        )
                    }
                    None => key.trim().to_ascii_uppercase(),
                },
            ),
            ..TableStorage::default()
        }
    }

    /// `ALTER TABLE .. SET LOGGED | SET UNLOGGED`, which rewrites the table with its rows. A
    /// table's partitioning cannot be changed in place
    /// (<https://www.postgresql.org/docs/15/ddl-partitioning.html>).
    fn alter_table_storage(&self, op: &AlterTableStorage) -> Result<Vec<String>> {
        if op.postgresql_partition_by.is_some() {
            return Err(unsupported(
                Dialect::Postgres,
                &format!("change the partitioning of table `{}`", op.table),
                "PostgreSQL cannot repartition a table in place: write the migration by hand \
                 (create the new partitioned table and its partitions, move the rows with \
                 op.execute, drop the old table and rename the new one)",
            ));
        }
        Ok(op
            .postgresql_unlogged
            .as_ref()
            .map(|change| {
                format!(
                    "ALTER TABLE {} SET {}",
                    self.table_name(&op.table),
                    if change.to { "UNLOGGED" } else { "LOGGED" }
                )
            })
            .into_iter()
            .collect())
    }

    /// `PARTITION BY ..` after the column list.
    fn table_options_sql(&self, table: &Table) -> String {
        table
            .storage
            .postgresql_partition_by
            .as_ref()
            .map(|key| format!(" PARTITION BY {key}"))
            .unwrap_or_default()
    }

    /// `NAMEDATALEN - 1` (<https://www.postgresql.org/docs/15/sql-syntax-lexical.html>).
    fn max_identifier_length(&self) -> Option<usize> {
        Some(63)
    }

    /// An enum is its named type.
    fn canonical_type(&self, sql_type: &SqlType) -> SqlType {
        match sql_type {
            SqlType::Enum(e) => SqlType::Enum(EnumType {
                labels: Vec::new(),
                ..e.clone()
            }),
            // A domain is its name: its definition is compared as the domain's own.
            SqlType::Domain(d) => SqlType::Domain(DomainType {
                schema: d.schema.clone(),
                ..DomainType::new(d.name.clone(), SqlType::Text)
            }),
            other => other.clone(),
        }
    }

    /// Enum types are types of their own
    /// (<https://www.postgresql.org/docs/15/datatype-enum.html>).
    fn named_types(&self) -> bool {
        true
    }

    fn create_enum(&self, enum_type: &EnumType) -> Vec<String> {
        vec![format!(
            "CREATE TYPE {} AS ENUM ({})",
            self.table_name(&enum_type.into()),
            enum_type.label_list()
        )]
    }

    fn drop_enum(&self, enum_type: &EnumType) -> Vec<String> {
        vec![format!("DROP TYPE {}", self.table_name(&enum_type.into()))]
    }

    /// New labels are `ALTER TYPE .. ADD VALUE IF NOT EXISTS .. AFTER ..`, which PostgreSQL 12
    /// and later run inside the migration's transaction (the label is usable once it commits;
    /// autogenerate puts the op in an autocommit block when a later op uses it, and `IF NOT
    /// EXISTS` lets a revision that failed after that block run again). A label
    /// cannot be removed or moved in place
    /// (<https://www.postgresql.org/docs/15/sql-altertype.html>): the type is renamed, created
    /// again with the new labels, every column converted through text (each default dropped
    /// and set again: it names the old type) and the old type dropped. A row holding a removed
    /// label stops the migration before anything changes, naming the column.
    fn alter_enum(&self, op: &AlterEnum) -> Vec<String> {
        let name = self.table_name(&op.name);
        if let Some(additions) = op.additions() {
            let first = op.labels.from.first();
            return additions
                .into_iter()
                .map(|(label, after)| {
                    let place = match (after, first) {
                        (Some(after), _) => format!(" AFTER {}", self.literal(after)),
                        (None, Some(first)) => format!(" BEFORE {}", self.literal(first)),
                        (None, None) => String::new(),
                    };
                    format!(
                        "ALTER TYPE {name} ADD VALUE IF NOT EXISTS {}{place}",
                        self.literal(label)
                    )
                })
                .collect();
        }
        let mut statements = Vec::new();
        let removed = op.removed();
        if !removed.is_empty() {
            let list = crate::schema::quote_labels(&removed);
            for column in &op.columns {
                let message = format!(
                    "rows of {}.{} hold labels that enum type {} no longer has ({}): \
                     update or delete those rows first",
                    column.table, column.column, op.name, list
                );
                statements.push(format!(
                    "DO $$ BEGIN IF EXISTS (SELECT 1 FROM {} WHERE {}::text IN ({list})) \
                     THEN RAISE EXCEPTION {}; END IF; END $$",
                    self.table_name(&column.table),
                    self.quote(&column.column),
                    self.literal(&message.replace('%', "%%"))
                ));
            }
        }
        let old = QualifiedName::new(
            op.name.schema.as_deref(),
            &truncate(&format!("{}__retort_old", op.name.name), 63),
        );
        statements.push(format!(
            "ALTER TYPE {name} RENAME TO {}",
            self.quote(&old.name)
        ));
        statements.push(format!(
            "CREATE TYPE {name} AS ENUM ({})",
            crate::schema::quote_labels(&op.labels.to)
        ));
        for column in &op.columns {
            let prefix = format!(
                "ALTER TABLE {} ALTER COLUMN {}",
                self.table_name(&column.table),
                self.quote(&column.column)
            );
            if column.default.is_some() {
                statements.push(format!("{prefix} DROP DEFAULT"));
            }
            statements.push(format!(
                "{prefix} TYPE {name} USING {}::text::{name}",
                self.quote(&column.column)
            ));
            if let Some(default) = &column.default {
                statements.push(format!("{prefix} SET DEFAULT {default}"));
            }
        }
        statements.push(format!("DROP TYPE {}", self.table_name(&old)));
        statements
    }

    /// `CREATE DOMAIN year AS INTEGER NOT NULL DEFAULT .. CONSTRAINT year_check CHECK (..)`
    /// (<https://www.postgresql.org/docs/15/sql-createdomain.html>).
    fn create_domain(&self, domain: &DomainType) -> Vec<String> {
        let mut sql = format!(
            "CREATE DOMAIN {} AS {}",
            self.table_name(&domain.into()),
            self.type_sql(&domain.base, &Column::new("", (*domain.base).clone()))
        );
        if domain.not_null {
            sql.push_str(" NOT NULL");
        }
        if let Some(default) = &domain.default {
            sql.push_str(&format!(" DEFAULT {default}"));
        }
        for check in &domain.checks {
            sql.push_str(&format!(
                " CONSTRAINT {} CHECK ({})",
                self.quote(&check.name),
                check.expr
            ));
        }
        vec![sql]
    }

    fn drop_domain(&self, domain: &DomainType) -> Vec<String> {
        vec![format!("DROP DOMAIN {}", self.table_name(&domain.into()))]
    }

    /// `ALTER DOMAIN .. SET | DROP NOT NULL`, `SET | DROP DEFAULT`, `DROP CONSTRAINT` and `ADD
    /// CONSTRAINT` (which checks every column of the domain: a row that fails it stops the
    /// migration) (<https://www.postgresql.org/docs/15/sql-alterdomain.html>). PostgreSQL
    /// cannot change a domain's base type.
    fn alter_domain(&self, op: &AlterDomain) -> Result<Vec<String>> {
        let name = self.table_name(&(&op.to).into());
        if self.canonical_type(&op.from.base) != self.canonical_type(&op.to.base) {
            return Err(unsupported(
                Dialect::Postgres,
                &format!(
                    "change the base type of domain `{}` from {} to {}",
                    QualifiedName::from(&op.to),
                    op.from.base,
                    op.to.base
                ),
                "PostgreSQL cannot change a domain's base type: create a new domain, move the \
                 columns to it with op.alter_column(..).type_(..) and drop the old one",
            ));
        }
        let mut statements = Vec::new();
        if op.from.not_null != op.to.not_null {
            let verb = if op.to.not_null { "SET" } else { "DROP" };
            statements.push(format!("ALTER DOMAIN {name} {verb} NOT NULL"));
        }
        if op.from.default != op.to.default {
            statements.push(match &op.to.default {
                Some(default) => format!("ALTER DOMAIN {name} SET DEFAULT {default}"),
                None => format!("ALTER DOMAIN {name} DROP DEFAULT"),
            });
        }
        let same = |a: &DomainCheck, b: &DomainCheck| {
            a.name == b.name && canonical_expression(&a.expr) == canonical_expression(&b.expr)
        };
        for old in &op.from.checks {
            if !op.to.checks.iter().any(|new| same(old, new)) {
                statements.push(format!(
                    "ALTER DOMAIN {name} DROP CONSTRAINT {}",
                    self.quote(&old.name)
                ));
            }
        }
        for new in &op.to.checks {
            if !op.from.checks.iter().any(|old| same(old, new)) {
                statements.push(format!(
                    "ALTER DOMAIN {name} ADD CONSTRAINT {} CHECK ({})",
                    self.quote(&new.name),
                    new.expr
                ));
            }
        }
        Ok(statements)
    }

    /// Binary is `BYTEA`, an enum or domain its type's name; the rest are the standard spellings.
    fn type_sql(&self, sql_type: &SqlType, _column: &Column) -> String {
        match sql_type {
            SqlType::Blob => "BYTEA".to_owned(),
            SqlType::Enum(e) => self.table_name(&e.into()),
            SqlType::Domain(d) => self.table_name(&d.into()),
            SqlType::Boolean
            | SqlType::SmallInt
            | SqlType::Integer
            | SqlType::BigInt
            | SqlType::Real
            | SqlType::Double
            | SqlType::Numeric { .. }
            | SqlType::Text
            | SqlType::Varchar(_)
            | SqlType::Char(_)
            | SqlType::Date
            | SqlType::Time
            | SqlType::Timestamp
            | SqlType::TimestampTz
            | SqlType::Uuid
            | SqlType::Json
            | SqlType::Jsonb
            | SqlType::Custom(_) => sql_type.to_string(),
        }
    }

    /// Autoincrement is an identity column
    /// (<https://www.postgresql.org/docs/15/sql-createtable.html>), which needs no default.
    fn identity_after_type(&self, options: &IdentityOptions) -> String {
        let mut sql = " GENERATED BY DEFAULT AS IDENTITY".to_owned();
        let parts = sequence_options(options, "");
        if !parts.is_empty() {
            sql.push_str(&format!(" ({})", parts.join(" ")));
        }
        sql
    }

    /// A sequence starts at 1 and steps by 1 unless told otherwise.
    fn comparable_identity(&self, options: &IdentityOptions) -> IdentityOptions {
        IdentityOptions {
            start: Some(options.start.unwrap_or(1)),
            increment: Some(options.increment.unwrap_or(1)),
        }
    }

    /// `ALTER COLUMN .. SET START WITH n SET INCREMENT BY m`: a new start is where a `RESTART`
    /// goes, not the next value; a new increment applies from the next value.
    fn identity_change_sql(&self, change: &Change<IdentityOptions>) -> Option<String> {
        let (from, to) = (
            self.comparable_identity(&change.from),
            self.comparable_identity(&change.to),
        );
        let changed = IdentityOptions {
            start: to.start.filter(|_| from.start != to.start),
            increment: to.increment.filter(|_| from.increment != to.increment),
        };
        let parts = sequence_options(&changed, "SET ");
        (!parts.is_empty()).then(|| format!(" {}", parts.join(" ")))
    }

    /// `ALTER COLUMN .. TYPE` needs `USING` where no implicit cast exists (text to integer, ...).
    fn type_cast(&self, column: &str, from: &SqlType, to: &SqlType, altered: &Column) -> String {
        let same_family = (from.is_integer() && to.is_integer())
            || matches!(
                (from, to),
                (
                    SqlType::Varchar(_) | SqlType::Text | SqlType::Char(_),
                    SqlType::Varchar(_) | SqlType::Text | SqlType::Char(_)
                ) | (SqlType::Numeric { .. }, SqlType::Numeric { .. })
            );
        if same_family {
            String::new()
        } else if let SqlType::Enum(_) = to {
            // No cast reaches an enum but from text (`unknown` literals aside).
            format!(
                " USING {}::text::{}",
                self.quote(column),
                self.type_sql(to, altered)
            )
        } else {
            format!(
                " USING {}::{}",
                self.quote(column),
                self.type_sql(to, altered)
            )
        }
    }

    /// `ALTER COLUMN .. TYPE` rewrites the table unless the cast is binary-compatible (varchar
    /// to a longer varchar or to text, a wider numeric); `SET NOT NULL`, a new constraint and
    /// `CREATE INDEX` read every row under a lock that blocks writes
    /// (<https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-NOTES>).
    fn table_cost(&self, op: &Op) -> Option<TableCost> {
        match op {
            Op::AlterColumn(alter) => {
                if let Some(change) = &alter.sql_type {
                    if !binary_compatible(&change.from, &change.to) {
                        return Some(TableCost::Rewrite);
                    }
                }
                alter
                    .nullable
                    .as_ref()
                    .filter(|n| !n.to)
                    .map(|_| TableCost::Scan)
            }
            Op::AddConstraint(_) | Op::CreateIndex(_) => Some(TableCost::Scan),
            Op::CreateTable(_)
            | Op::DropTable(_)
            | Op::AddColumn(_)
            | Op::DropColumn(_)
            | Op::DropIndex(_)
            | Op::DropConstraint(_)
            | Op::RenameTable(_)
            | Op::RenameColumn(_)
            | Op::TableComment(_)
            | Op::CreateEnum(_)
            | Op::DropEnum(_)
            | Op::AlterEnum(_)
            | Op::CreateDomain(_)
            | Op::DropDomain(_)
            | Op::AlterDomain(_)
            | Op::Execute(_)
            | Op::BulkInsert(_) => None,
            // `SET LOGGED` and `SET UNLOGGED` write the table anew.
            Op::AlterTableStorage(alter) => alter
                .postgresql_unlogged
                .as_ref()
                .map(|_| TableCost::Rewrite),
        }
    }

    /// With the time zone, so the time an upgrade ran reads the same from any session.
    fn applied_at_type(&self) -> &'static str {
        "TIMESTAMP WITH TIME ZONE"
    }

    /// Advisory locks belong to the database they are taken in already; the schema is part
    /// of the key because the version table lives in `current_schema()`.
    fn lock_scope_query(&self) -> Option<&'static str> {
        Some(
            "SELECT CAST(current_database() || '.' || COALESCE(current_schema(), '') AS TEXT) \
             AS scope",
        )
    }

    /// Parameters are numbered (<https://www.postgresql.org/docs/15/sql-prepare.html>).
    fn placeholder(&self, n: usize) -> String {
        format!("${n}")
    }

    /// `bytea` in hex form (<https://www.postgresql.org/docs/15/datatype-binary.html>).
    fn bytes_literal(&self, bytes: &[u8]) -> String {
        format!("'\\x{}'::bytea", super::hex(bytes))
    }

    /// A session advisory lock, tried without waiting (`pg_try_advisory_lock`); `pg_locks`
    /// shows a bigint key as its two halves in `classid` and `objid` with `objsubid` 1, and
    /// `pg_stat_activity` the holder's application and start
    /// (<https://www.postgresql.org/docs/15/explicit-locking.html#ADVISORY-LOCKS>,
    /// <https://www.postgresql.org/docs/15/view-pg-locks.html>).
    fn migration_lock(&self, scope: &str, version_table: &str) -> Option<SessionLock> {
        let key = lock::postgres_lock_key(scope, version_table);
        let bits = u64::from_ne_bytes(key.to_ne_bytes());
        let (high, low) = (bits >> 32, bits & 0xffff_ffff);
        let key = format!("CAST('{key}' AS BIGINT)");
        Some(SessionLock {
            setup: Some(
                "SELECT set_config('application_name', 'retort', false) \
                 WHERE current_setting('application_name') = ''"
                    .to_owned(),
            ),
            try_lock: format!(
                "SELECT CAST(CASE WHEN pg_try_advisory_lock({key}) THEN 1 ELSE 0 END AS BIGINT) AS n"
            ),
            unlock: format!(
                "SELECT CAST(CASE WHEN pg_advisory_unlock({key}) THEN 1 ELSE 0 END AS BIGINT) AS n"
            ),
            holder: format!(
                "SELECT CAST('pid ' || a.pid || ' (' || CASE WHEN a.application_name <> '' \
                 THEN 'application ' || a.application_name || ', ' ELSE '' END \
                 || 'connected since ' \
                 || to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ') || ')' AS TEXT) AS holder \
                 FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid \
                 WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
                 AND l.classid = CAST('{high}' AS oid) AND l.objid = CAST('{low}' AS oid) \
                 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            ),
        })
    }

    fn table_exists_query(&self, name: &str) -> String {
        format!(
            "SELECT count(*) AS n FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = {}",
            self.literal(name)
        )
    }
}

/// Whether PostgreSQL changes `from` to `to` without rewriting the table: a longer or unbounded
/// varchar, text from varchar, a numeric of more precision at the same scale.
fn binary_compatible(from: &SqlType, to: &SqlType) -> bool {
    match (from, to) {
        (SqlType::Varchar(a), SqlType::Varchar(b)) => b >= a,
        (SqlType::Varchar(_) | SqlType::Text, SqlType::Text) => true,
        (
            SqlType::Numeric {
                precision: Some(p1),
                scale: s1,
            },
            SqlType::Numeric {
                precision: p2,
                scale: s2,
            },
        ) => s1 == s2 && p2.is_none_or(|p2| p2 >= *p1),
        _ => false,
    }
}

/// `name` cut to at most `max` bytes, at a character boundary.
fn truncate(name: &str, max: usize) -> String {
    let mut end = name.len().min(max);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_owned()
}

/// `START WITH n`, `INCREMENT BY m` of the options given, each after `prefix`.
fn sequence_options(options: &IdentityOptions, prefix: &str) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(start) = options.start {
        parts.push(format!("{prefix}START WITH {start}"));
    }
    if let Some(increment) = options.increment {
        parts.push(format!("{prefix}INCREMENT BY {increment}"));
    }
    parts
}
