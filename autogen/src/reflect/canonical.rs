//! The canonical-compare rules of DESIGN §4.3 as one table per dialect: a model's type (what
//! `SqlTypeOf` or `sql_type = "..."` gives), a spelling of the database's catalog (a
//! hand-written declaration on SQLite, `format_type` on PostgreSQL, `COLUMN_TYPE` on MySQL), and
//! whether the two compare equal through the dialect's `canonical_type`. Each row is a case;
//! a false diff or a missed change shows up as the row that fails.

#[allow(unused_imports)]
use retort_core::ddl::{DdlImpl, MysqlImpl, PostgresImpl, SqliteImpl};
#[allow(unused_imports)]
use retort_core::schema::SqlType;

/// `sql_type = "..."` as the derive reads it.
#[allow(dead_code)]
fn declared(sql: &str) -> SqlType {
    SqlType::parse(sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[allow(dead_code)]
fn check(ddl: &dyn DdlImpl, reflect: fn(&str) -> SqlType, rows: &[(SqlType, &str, bool)]) {
    let mut wrong = Vec::new();
    for (model, catalog, equal) in rows {
        let reflected = reflect(catalog);
        let same = ddl.canonical_type(model) == ddl.canonical_type(&reflected);
        if same != *equal {
            wrong.push(format!(
                "{}: model {model} vs catalog `{catalog}` (read as {reflected}): expected {}",
                ddl.dialect(),
                if *equal { "equal" } else { "different" }
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every `SqlType` as SQLite's DDL writes it reads back equal; SQLite's affinities make some
/// hand-written spellings the same type.
#[cfg(feature = "sqlite")]
#[test]
fn sqlite() {
    use SqlType as T;
    let mut rows: Vec<(SqlType, &str, bool)> = vec![
        (T::Boolean, "BOOLEAN", true),
        (T::Boolean, "INTEGER", true),
        (T::SmallInt, "SMALLINT", true),
        (T::Integer, "INTEGER", true),
        (T::Integer, "INT", true),
        (T::BigInt, "BIGINT", true),
        (T::BigInt, "INTEGER", true),
        (T::BigInt, "int8", true),
        (T::Real, "REAL", true),
        (T::Double, "DOUBLE PRECISION", true),
        (T::Double, "REAL", true),
        (T::Double, "DOUBLE", true),
        (T::Double, "FLOAT", true),
        (T::numeric(10, 2), "NUMERIC(10, 2)", true),
        (T::numeric(10, 2), "DECIMAL(10,2)", true),
        (T::numeric(10, 2), "NUMERIC(12, 2)", false),
        (T::Text, "TEXT", true),
        (T::Text, "CLOB", true),
        (T::Varchar(255), "VARCHAR(255)", true),
        (T::Varchar(255), "character varying(255)", true),
        (T::Varchar(255), "VARCHAR(100)", false),
        (T::Varchar(255), "TEXT", false),
        (T::Char(2), "CHAR(2)", true),
        (T::Blob, "BLOB", true),
        (T::Date, "DATE", true),
        (T::Time, "TIME", true),
        (T::Timestamp, "TIMESTAMP", true),
        (T::Timestamp, "DATETIME", true),
        (T::TimestampTz, "TIMESTAMP WITH TIME ZONE", true),
        (T::Uuid, "UUID", true),
        (T::Json, "JSON", true),
        (T::Jsonb, "JSONB", true),
        (T::Integer, "TEXT", false),
        (declared("geometry"), "geometry", true),
    ];
    // Whatever the DDL writes for a type reads back as that type.
    for sql_type in every_type() {
        let written = SqliteImpl.type_sql(
            &sql_type,
            &retort_core::schema::Column::new("c", sql_type.clone()),
        );
        rows.push((sql_type, Box::leak(written.into_boxed_str()), true));
    }
    check(&SqliteImpl, super::sqlite::declared_type, &rows);
}

/// `format_type` spellings against the models' types.
#[cfg(feature = "postgres")]
#[test]
fn postgres() {
    use SqlType as T;
    check(
        &PostgresImpl,
        super::postgres::parse_type,
        &[
            (T::Boolean, "boolean", true),
            (T::SmallInt, "smallint", true),
            (T::Integer, "integer", true),
            (declared("int4"), "integer", true),
            (T::BigInt, "bigint", true),
            (declared("int8"), "bigint", true),
            (T::Integer, "bigint", false),
            (T::Real, "real", true),
            (T::Double, "double precision", true),
            (declared("float8"), "double precision", true),
            (declared("double precision"), "double precision", true),
            (T::Real, "double precision", false),
            (T::numeric(10, 2), "numeric(10,2)", true),
            (
                T::Numeric {
                    precision: None,
                    scale: None,
                },
                "numeric",
                true,
            ),
            (T::Text, "text", true),
            (T::Varchar(255), "character varying(255)", true),
            (T::Varchar(255), "character varying(100)", false),
            (T::Char(2), "character(2)", true),
            (T::Blob, "bytea", true),
            (T::Date, "date", true),
            (T::Time, "time without time zone", true),
            (T::Timestamp, "timestamp without time zone", true),
            (T::TimestampTz, "timestamp with time zone", true),
            (declared("timestamptz"), "timestamp with time zone", true),
            (T::Timestamp, "timestamp with time zone", false),
            (T::Uuid, "uuid", true),
            (T::Json, "json", true),
            (T::Jsonb, "jsonb", true),
            (T::Json, "jsonb", false),
            (declared("geometry"), "geometry", true),
        ],
    );
}

/// `COLUMN_TYPE` as MariaDB reports it against the models' types.
#[cfg(feature = "mysql")]
#[test]
fn mysql() {
    use SqlType as T;
    check(
        &MysqlImpl,
        super::mysql::column_type,
        &[
            (T::Boolean, "tinyint(1)", true),
            (declared("tinyint(1)"), "tinyint(1)", true),
            (T::SmallInt, "smallint(6)", true),
            (T::Integer, "int(11)", true),
            (T::BigInt, "bigint(20)", true),
            (T::Integer, "bigint(20)", false),
            (declared("int unsigned"), "int(10) unsigned", true),
            (declared("int(10) unsigned"), "int(10) unsigned", true),
            (declared("bigint unsigned"), "bigint(20) unsigned", true),
            (declared("int unsigned"), "bigint(20) unsigned", false),
            (declared("tinyint"), "tinyint(4)", true),
            (declared("year"), "year(4)", true),
            (declared("mediumint"), "mediumint(9)", true),
            (T::Real, "float", true),
            (T::Double, "double", true),
            (declared("double"), "double", true),
            (T::numeric(10, 2), "decimal(10,2)", true),
            (
                T::Numeric {
                    precision: None,
                    scale: None,
                },
                "decimal(10,0)",
                true,
            ),
            (T::numeric(10, 2), "decimal(12,2)", false),
            (T::Text, "text", true),
            (declared("mediumtext"), "mediumtext", true),
            (declared("longtext"), "longtext", true),
            (T::Varchar(255), "varchar(255)", true),
            (T::Varchar(255), "varchar(100)", false),
            (T::Char(2), "char(2)", true),
            (T::Uuid, "char(36)", true),
            (T::Blob, "blob", true),
            (declared("mediumblob"), "mediumblob", true),
            (T::Date, "date", true),
            (T::Time, "time", true),
            (T::Timestamp, "datetime", true),
            (declared("datetime(6)"), "datetime(6)", true),
            (T::TimestampTz, "datetime", true),
            (T::Timestamp, "timestamp", true),
            (T::Json, "json", true),
            (T::Jsonb, "json", true),
            (declared("enum('a','b')"), "enum('a','b')", true),
            (declared("enum('a','b')"), "enum('a','c')", false),
        ],
    );
}

#[allow(dead_code)]
fn every_type() -> Vec<SqlType> {
    use SqlType as T;
    vec![
        T::Boolean,
        T::SmallInt,
        T::Integer,
        T::BigInt,
        T::Real,
        T::Double,
        T::numeric(10, 2),
        T::Numeric {
            precision: None,
            scale: None,
        },
        T::Text,
        T::Varchar(10),
        T::Char(3),
        T::Blob,
        T::Date,
        T::Time,
        T::Timestamp,
        T::TimestampTz,
        T::Uuid,
        T::Json,
        T::Jsonb,
        T::Custom("geometry".into()),
    ]
}
