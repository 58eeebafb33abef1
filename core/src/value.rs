//! Values that data migrations send to the database: the bound parameters of
//! `op.execute(..).bind(..)` and of the connection in `op.run(..)`, and the rows of
//! `op.bulk_insert(..)`. Online they are bound by the driver; offline (`--sql`) each dialect
//! writes them as literals (Alembic's `literal_binds`).

use std::fmt;

/// One value. `From` impls let migration files write `1`, `"x"`, `true`, `None::<i64>`.
#[derive(Clone, Debug)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    Bytes(Vec<u8>),
}

/// Floats compare by their bits, so that ops holding values stay `Eq` (a NaN equals itself).
impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
            (Value::Text(a), Value::Text(b)) => a == b,
            (Value::Bytes(a), Value::Bytes(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Value {}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("NULL"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Text(s) => write!(f, "{s:?}"),
            Value::Bytes(b) => write!(f, "{} bytes", b.len()),
        }
    }
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(value: $t) -> Self {
                Value::Int(i64::from(value))
            }
        }
    )*};
}

from_int!(i8, i16, i32, i64, u8, u16, u32);

impl From<bool> for Value {
    fn from(value: bool) -> Self {
        Value::Bool(value)
    }
}

impl From<f64> for Value {
    fn from(value: f64) -> Self {
        Value::Float(value)
    }
}

impl From<f32> for Value {
    fn from(value: f32) -> Self {
        Value::Float(f64::from(value))
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::Text(value.to_owned())
    }
}

impl From<String> for Value {
    fn from(value: String) -> Self {
        Value::Text(value)
    }
}

impl From<Vec<u8>> for Value {
    fn from(value: Vec<u8>) -> Self {
        Value::Bytes(value)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Self {
        value.map_or(Value::Null, Into::into)
    }
}

/// Replaces each `?` placeholder of `sql` outside string literals and quoted identifiers with
/// `each(position)`, returning how many it found.
pub fn fill_placeholders(sql: &str, mut each: impl FnMut(usize) -> String) -> (String, usize) {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    let mut count = 0;
    for c in sql.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                out.push(c);
            }
            (Some(_), c) => out.push(c),
            (None, '\'' | '"' | '`') => {
                quote = Some(c);
                out.push(c);
            }
            (None, '?') => {
                out.push_str(&each(count));
                count += 1;
            }
            (None, c) => out.push(c),
        }
    }
    (out, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_outside_quotes_are_filled_in_order() {
        let (sql, n) = fill_placeholders(
            "UPDATE t SET a = ?, b = '?' WHERE \"c?\" = ? AND `d?` = ?",
            |i| format!("${}", i + 1),
        );
        assert_eq!(n, 3);
        assert_eq!(
            sql,
            "UPDATE t SET a = $1, b = '?' WHERE \"c?\" = $2 AND `d?` = $3"
        );
    }

    #[test]
    fn values_from_rust() {
        assert_eq!(Value::from(3_i32), Value::Int(3));
        assert_eq!(Value::from(None::<i64>), Value::Null);
        assert_eq!(Value::from("x"), Value::Text("x".into()));
        assert_eq!(Value::from(f64::NAN), Value::from(f64::NAN));
    }
}
