//! Server defaults in canonical form, so a default written in the models compares equal to
//! the way a database prints it back: `'x'::character varying` is `'x'`, `now()` is
//! `CURRENT_TIMESTAMP`, `(0)` is `0`, and on a boolean column `true`, `'1'` and `1` are one
//! value. Parsing is `retort_syntax::parse_expr`, the function the derive checks `default =
//! "..."` with; text it cannot parse as one expression is compared as written.
//!
//! (Named for server defaults so it is not read as Alembic's `DefaultImpl`, which is
//! [`DdlImpl`](super::DdlImpl).)

use sqlparser::ast::{Expr, UnaryOperator};

use crate::schema::{Column, SqlType};

/// The canonical text of `sql`, a default of `column`.
pub fn canonical_default(sql: &str, column: &Column) -> String {
    let text = match retort_syntax::parse_expr(sql) {
        Ok(expr) => strip(&expr),
        Err(_) => sql.trim().to_owned(),
    };
    let text = uppercase_outside_quotes(&text);
    let text = match text.as_str() {
        "NOW()"
        | "CURRENT_TIMESTAMP()"
        | "LOCALTIMESTAMP"
        | "LOCALTIMESTAMP()"
        | "TRANSACTION_TIMESTAMP()" => "CURRENT_TIMESTAMP".to_owned(),
        "CURRENT_DATE()" => "CURRENT_DATE".to_owned(),
        _ => text,
    };
    by_type(text, &column.sql_type)
}

/// Drops what does not change the value: parentheses and casts around a literal.
fn strip(expr: &Expr) -> String {
    match expr {
        Expr::Nested(inner) => strip(inner),
        Expr::Cast { expr: inner, .. } if is_literal(inner) => strip(inner),
        other => other.to_string(),
    }
}

fn is_literal(expr: &Expr) -> bool {
    match expr {
        Expr::Value(_) => true,
        Expr::Nested(inner) => is_literal(inner),
        Expr::UnaryOp {
            op: UnaryOperator::Minus | UnaryOperator::Plus,
            expr,
        } => matches!(**expr, Expr::Value(_)),
        _ => false,
    }
}

/// Booleans as `1`/`0`; quoted numbers on numeric columns unquoted.
fn by_type(text: String, sql_type: &SqlType) -> String {
    let unquoted = text
        .strip_prefix('\'')
        .and_then(|t| t.strip_suffix('\''))
        .unwrap_or(&text);
    match sql_type {
        SqlType::Domain(domain) => by_type(text, &domain.base),
        SqlType::Boolean => match unquoted {
            "TRUE" | "T" | "1" | "Y" | "YES" | "ON" => "1".to_owned(),
            "FALSE" | "F" | "0" | "N" | "NO" | "OFF" => "0".to_owned(),
            _ => text,
        },
        // `0.00`, `'0'` and `0` are one number; MariaDB prints DECIMAL defaults with their scale.
        SqlType::SmallInt
        | SqlType::Integer
        | SqlType::BigInt
        | SqlType::Real
        | SqlType::Double
        | SqlType::Numeric { .. } => match unquoted.parse::<f64>() {
            Ok(number) => number.to_string(),
            Err(_) => text,
        },
        SqlType::Text
        | SqlType::Varchar(_)
        | SqlType::Char(_)
        | SqlType::Blob
        | SqlType::Date
        | SqlType::Time
        | SqlType::Timestamp
        | SqlType::TimestampTz
        | SqlType::Uuid
        | SqlType::Json
        | SqlType::Jsonb
        | SqlType::Enum(_)
        | SqlType::Custom(_) => text,
    }
}

/// Uppercases keywords and identifiers but not string literals (`'x'` stays `'x'`).
pub(super) fn uppercase_outside_quotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    for c in text.chars() {
        if c == '\'' {
            quoted = !quoted;
        }
        if quoted || c == '\'' {
            out.push(c);
        } else {
            out.extend(c.to_uppercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str, sql_type: SqlType) {
        let column = Column::new("c", sql_type);
        assert_eq!(
            canonical_default(a, &column),
            canonical_default(b, &column),
            "{a} vs {b}"
        );
    }

    #[test]
    fn spellings_of_one_default_are_equal() {
        same("'x'::character varying", "'x'", SqlType::Varchar(10));
        same("'x'::text", "'x'", SqlType::Text);
        same("now()", "CURRENT_TIMESTAMP", SqlType::Timestamp);
        same(
            "current_timestamp()",
            "CURRENT_TIMESTAMP",
            SqlType::Timestamp,
        );
        same("(0)", "0", SqlType::Integer);
        same("'-1'::integer", "-1", SqlType::Integer);
        same("'0'", "0", SqlType::BigInt);
        same("true", "1", SqlType::Boolean);
        same("'1'", "TRUE", SqlType::Boolean);
        same("false", "0", SqlType::Boolean);
        same("'0.00'::numeric", "0.00", SqlType::numeric(10, 2));
        same("0.00", "0", SqlType::numeric(10, 2));
        same("1.50", "1.5", SqlType::Double);
    }

    #[test]
    fn different_defaults_stay_different() {
        let text = Column::new("c", SqlType::Text);
        assert_ne!(
            canonical_default("'x'", &text),
            canonical_default("'X'", &text)
        );
        let int = Column::new("c", SqlType::Integer);
        assert_ne!(canonical_default("0", &int), canonical_default("1", &int));
    }
}
