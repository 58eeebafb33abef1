//! SQL column types as one dialect-neutral enum, and their parsing from SQL text.
//!
//! `SqlType` is what derived columns declare and what reflection reports; each `DdlImpl` spells
//! it for its dialect. [`SqlType::parse`] reads a type written in SQL (a reflected declaration or
//! a `sql_type = "..."` attribute) with sqlparser, so `character varying(255)`, `VARCHAR(255)` and
//! `varchar (255)` all become `SqlType::Varchar(255)`.

use std::fmt;

use sqlparser::ast::{CharacterLength, DataType, ExactNumberInfo, TimezoneInfo};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;

/// A column type, independent of dialect.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SqlType {
    Boolean,
    SmallInt,
    Integer,
    BigInt,
    /// 4-byte float (`f32`).
    Real,
    /// 8-byte float (`f64`).
    Double,
    Numeric {
        precision: Option<u32>,
        scale: Option<u32>,
    },
    Text,
    Varchar(u32),
    Char(u32),
    Blob,
    Date,
    Time,
    Timestamp,
    TimestampTz,
    Uuid,
    Json,
    Jsonb,
    /// A type retort has no variant for, kept as written.
    Custom(String),
}

impl SqlType {
    /// `NUMERIC(precision, scale)`.
    pub fn numeric(precision: u32, scale: u32) -> Self {
        SqlType::Numeric {
            precision: Some(precision),
            scale: Some(scale),
        }
    }

    /// Whether the type is one of the integer types (the ones that may autoincrement).
    pub fn is_integer(&self) -> bool {
        matches!(self, SqlType::SmallInt | SqlType::Integer | SqlType::BigInt)
    }

    /// Parses a type as written in SQL. Unknown but well-formed types become `Custom`.
    pub fn parse(sql: &str) -> Result<SqlType, String> {
        let dialect = GenericDialect {};
        let mut parser = Parser::new(&dialect)
            .try_with_sql(sql)
            .map_err(|e| format!("`{sql}` is not a SQL type: {e}"))?;
        let data_type = parser
            .parse_data_type()
            .map_err(|e| format!("`{sql}` is not a SQL type: {e}"))?;
        if parser.peek_token().token != sqlparser::tokenizer::Token::EOF {
            return Err(format!("`{sql}` is not a single SQL type"));
        }
        Ok(Self::from_data_type(&data_type, sql))
    }

    fn from_data_type(data_type: &DataType, original: &str) -> SqlType {
        use DataType as D;
        let length = |l: &Option<CharacterLength>| match l {
            Some(CharacterLength::IntegerLength { length, .. }) => u32::try_from(*length).ok(),
            _ => None,
        };
        match data_type {
            D::Bool | D::Boolean => SqlType::Boolean,
            D::SmallInt(_) | D::Int2(_) => SqlType::SmallInt,
            D::Int(_) | D::Integer(_) | D::Int4(_) | D::MediumInt(_) => SqlType::Integer,
            D::BigInt(_) | D::Int8(_) => SqlType::BigInt,
            D::Real | D::Float4 => SqlType::Real,
            D::Float(ExactNumberInfo::Precision(p)) if *p <= 24 => SqlType::Real,
            D::Double(_) | D::DoublePrecision | D::Float8 | D::Float(_) => SqlType::Double,
            D::Numeric(info) | D::Decimal(info) | D::Dec(info) => match info {
                ExactNumberInfo::None => SqlType::Numeric {
                    precision: None,
                    scale: None,
                },
                ExactNumberInfo::Precision(p) => SqlType::Numeric {
                    precision: u32::try_from(*p).ok(),
                    scale: None,
                },
                ExactNumberInfo::PrecisionAndScale(p, s) => SqlType::Numeric {
                    precision: u32::try_from(*p).ok(),
                    scale: u32::try_from(*s).ok(),
                },
            },
            D::Text => SqlType::Text,
            D::Varchar(l) | D::CharacterVarying(l) | D::CharVarying(l) | D::Nvarchar(l) => {
                match length(l) {
                    Some(n) => SqlType::Varchar(n),
                    None => SqlType::Text,
                }
            }
            D::Char(l) | D::Character(l) => SqlType::Char(length(l).unwrap_or(1)),
            D::Blob(_) | D::Bytea | D::Binary(_) | D::Varbinary(_) => SqlType::Blob,
            D::Date => SqlType::Date,
            D::Time(_, tz) if !has_time_zone(tz) => SqlType::Time,
            D::Timestamp(_, tz) if has_time_zone(tz) => SqlType::TimestampTz,
            D::Timestamp(..) | D::Datetime(_) => SqlType::Timestamp,
            D::Uuid => SqlType::Uuid,
            D::JSON => SqlType::Json,
            D::JSONB => SqlType::Jsonb,
            _ => SqlType::Custom(original.trim().to_string()),
        }
    }
}

fn has_time_zone(tz: &TimezoneInfo) -> bool {
    matches!(tz, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz)
}

/// The generic SQL spelling; dialects override it in their `DdlImpl::type_sql`.
impl fmt::Display for SqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SqlType::Boolean => f.write_str("BOOLEAN"),
            SqlType::SmallInt => f.write_str("SMALLINT"),
            SqlType::Integer => f.write_str("INTEGER"),
            SqlType::BigInt => f.write_str("BIGINT"),
            SqlType::Real => f.write_str("REAL"),
            SqlType::Double => f.write_str("DOUBLE PRECISION"),
            SqlType::Numeric {
                precision: Some(p),
                scale: Some(s),
            } => write!(f, "NUMERIC({p}, {s})"),
            SqlType::Numeric {
                precision: Some(p),
                scale: None,
            } => write!(f, "NUMERIC({p})"),
            SqlType::Numeric { .. } => f.write_str("NUMERIC"),
            SqlType::Text => f.write_str("TEXT"),
            SqlType::Varchar(n) => write!(f, "VARCHAR({n})"),
            SqlType::Char(n) => write!(f, "CHAR({n})"),
            SqlType::Blob => f.write_str("BLOB"),
            SqlType::Date => f.write_str("DATE"),
            SqlType::Time => f.write_str("TIME"),
            SqlType::Timestamp => f.write_str("TIMESTAMP"),
            SqlType::TimestampTz => f.write_str("TIMESTAMP WITH TIME ZONE"),
            SqlType::Uuid => f.write_str("UUID"),
            SqlType::Json => f.write_str("JSON"),
            SqlType::Jsonb => f.write_str("JSONB"),
            SqlType::Custom(s) => f.write_str(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SqlType;

    #[test]
    fn parses_spellings_of_the_same_type() {
        for sql in ["VARCHAR(255)", "character varying(255)", "varchar (255)"] {
            assert_eq!(SqlType::parse(sql), Ok(SqlType::Varchar(255)), "{sql}");
        }
        assert_eq!(SqlType::parse("int4"), Ok(SqlType::Integer));
        assert_eq!(SqlType::parse("bigint"), Ok(SqlType::BigInt));
        assert_eq!(SqlType::parse("NUMERIC(10,2)"), Ok(SqlType::numeric(10, 2)));
        assert_eq!(SqlType::parse("timestamp"), Ok(SqlType::Timestamp));
        assert_eq!(
            SqlType::parse("timestamp with time zone"),
            Ok(SqlType::TimestampTz)
        );
        assert_eq!(SqlType::parse("double precision"), Ok(SqlType::Double));
    }

    #[test]
    fn unknown_types_are_kept_and_garbage_is_refused() {
        assert_eq!(
            SqlType::parse("geometry"),
            Ok(SqlType::Custom("geometry".into()))
        );
        assert!(SqlType::parse("varchar(").is_err());
        assert!(SqlType::parse("int int").is_err());
    }
}

/// The SQL type of a Rust field type; `#[derive(Table)]` calls it for every field.
///
/// Implement it for your own types, or override a field with `#[column(sql_type = "...")]`.
/// `Option<T>` is `T`'s type, nullable.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no SQL type: implement `retort::SqlTypeOf` for it",
    label = "no `SqlTypeOf` impl for this field's type",
    note = "or override the column's type with `#[column(sql_type = \"...\")]`"
)]
pub trait SqlTypeOf {
    /// Whether a field of this type is nullable unless the attribute says otherwise.
    const NULLABLE: bool = false;

    /// The type, given the field's `length` attribute (used by string types).
    fn sql_type(length: Option<u32>) -> SqlType;
}

impl<T: SqlTypeOf> SqlTypeOf for Option<T> {
    const NULLABLE: bool = true;

    fn sql_type(length: Option<u32>) -> SqlType {
        T::sql_type(length)
    }
}

macro_rules! fixed_sql_type {
    ($($rust:ty => $sql:expr),* $(,)?) => {$(
        impl SqlTypeOf for $rust {
            fn sql_type(_length: Option<u32>) -> SqlType {
                $sql
            }
        }
    )*};
}

fixed_sql_type! {
    bool => SqlType::Boolean,
    i16 => SqlType::SmallInt,
    i32 => SqlType::Integer,
    i64 => SqlType::BigInt,
    f32 => SqlType::Real,
    f64 => SqlType::Double,
    Vec<u8> => SqlType::Blob,
}

/// `TEXT`, or `VARCHAR(n)` with `#[column(length = n)]`.
impl SqlTypeOf for String {
    fn sql_type(length: Option<u32>) -> SqlType {
        match length {
            Some(n) => SqlType::Varchar(n),
            None => SqlType::Text,
        }
    }
}

// Type features: each optional crate's types, behind the feature of the same name. chrono is
// always a dependency of this crate, but its impls are gated too so every type crate has the
// same contract: enable the feature to use its types in a model.

#[cfg(feature = "chrono")]
fixed_sql_type! {
    chrono::NaiveDate => SqlType::Date,
    chrono::NaiveTime => SqlType::Time,
    chrono::NaiveDateTime => SqlType::Timestamp,
    chrono::DateTime<chrono::Utc> => SqlType::TimestampTz,
}

#[cfg(feature = "time")]
fixed_sql_type! {
    time::Date => SqlType::Date,
    time::Time => SqlType::Time,
    time::PrimitiveDateTime => SqlType::Timestamp,
    time::OffsetDateTime => SqlType::TimestampTz,
}

#[cfg(feature = "uuid")]
fixed_sql_type! {
    uuid::Uuid => SqlType::Uuid,
}

#[cfg(feature = "serde_json")]
fixed_sql_type! {
    serde_json::Value => SqlType::Json,
}

/// `NUMERIC` without precision or scale; `#[column(precision = p, scale = s)]` sets them.
#[cfg(feature = "rust_decimal")]
impl SqlTypeOf for rust_decimal::Decimal {
    fn sql_type(_length: Option<u32>) -> SqlType {
        SqlType::Numeric {
            precision: None,
            scale: None,
        }
    }
}

#[cfg(test)]
mod type_feature_tests {
    #[allow(unused_imports)]
    use super::{SqlType, SqlTypeOf};

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_types() {
        assert_eq!(chrono::NaiveDate::sql_type(None), SqlType::Date);
        assert_eq!(chrono::NaiveTime::sql_type(None), SqlType::Time);
        assert_eq!(chrono::NaiveDateTime::sql_type(None), SqlType::Timestamp);
        assert_eq!(
            <chrono::DateTime<chrono::Utc>>::sql_type(None),
            SqlType::TimestampTz
        );
    }

    #[cfg(feature = "time")]
    #[test]
    fn time_types() {
        assert_eq!(time::Date::sql_type(None), SqlType::Date);
        assert_eq!(time::Time::sql_type(None), SqlType::Time);
        assert_eq!(time::PrimitiveDateTime::sql_type(None), SqlType::Timestamp);
        assert_eq!(time::OffsetDateTime::sql_type(None), SqlType::TimestampTz);
    }

    #[cfg(feature = "uuid")]
    #[test]
    fn uuid_type() {
        assert_eq!(uuid::Uuid::sql_type(None), SqlType::Uuid);
    }

    #[cfg(feature = "serde_json")]
    #[test]
    fn serde_json_type() {
        assert_eq!(serde_json::Value::sql_type(None), SqlType::Json);
    }

    #[cfg(feature = "rust_decimal")]
    #[test]
    fn rust_decimal_type() {
        assert_eq!(
            rust_decimal::Decimal::sql_type(None),
            SqlType::Numeric {
                precision: None,
                scale: None
            }
        );
    }
}
