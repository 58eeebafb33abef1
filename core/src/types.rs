//! How Rust field types map to SQL column types: [`SqlTypeOf`], its impls for the standard
//! types and, behind the type features, for chrono, time, uuid, serde_json and rust_decimal.
//!
//! [`SqlType`] itself and [`SqlType::parse`] live in retort-syntax, so the derive checks a
//! `sql_type = "..."` at compile time with the function that reads it at run time; they are
//! re-exported here so `retort_core::types::SqlType` keeps naming them.

pub use retort_syntax::{quote_labels, DomainCheck, DomainType, EnumType, SqlType};

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
