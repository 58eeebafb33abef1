//! [`SqlType`]: SQL column types as one dialect-neutral enum, and their parsing from SQL text.
//!
//! `SqlType` is what derived columns declare and what reflection reports; each `DdlImpl` in
//! retort-core spells it for its dialect. [`SqlType::parse`] reads a type written in SQL with
//! sqlparser, so `character varying(255)`, `VARCHAR(255)` and `varchar (255)` all become
//! `SqlType::Varchar(255)`, at compile time in the derive and at run time alike.

use std::fmt;

use sqlparser::ast::{CharacterLength, DataType, ExactNumberInfo, TimezoneInfo};
use sqlparser::dialect::{GenericDialect, MySqlDialect};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};

use crate::SyntaxError;

/// A column type, independent of dialect.
///
/// Not `#[non_exhaustive]`, on purpose: the DDL impls and the renderer match it exhaustively
/// (DESIGN's rule for `Op`, applied to types), so a new variant does not compile until every
/// consumer handles it. `#[non_exhaustive]` would force a wildcard arm on every crate but this
/// one, and a new type would slip through those arms at run time instead.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    /// An enumerated type: PostgreSQL's named `CREATE TYPE .. AS ENUM`, MySQL's `ENUM(..)`
    /// column type, SQLite's `TEXT` with a `CHECK (c IN (..))`.
    Enum(EnumType),
    /// A PostgreSQL domain: a named base type with its own NOT NULL, default and CHECKs.
    Domain(DomainType),
    /// A type retort has no variant for, kept as written.
    Custom(String),
}

/// An enumerated type: its name (and schema, on PostgreSQL) and its labels in order.
///
/// Only PostgreSQL keeps the name: there it is a type of its own, created before the tables
/// that use it. MySQL keeps the labels in each column and SQLite in each column's CHECK, so a
/// type reflected there is named after its column and compared by its labels alone.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnumType {
    pub schema: Option<String>,
    pub name: String,
    pub labels: Vec<String>,
}

/// A PostgreSQL domain (`CREATE DOMAIN year AS INTEGER CHECK (VALUE >= 1901)`): a base type
/// under a name, with what every column of it must hold. Only PostgreSQL has domains: on MySQL
/// and SQLite a column of a domain is a column of its base type, without the domain's checks.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DomainType {
    pub schema: Option<String>,
    pub name: String,
    pub base: Box<SqlType>,
    pub not_null: bool,
    pub default: Option<String>,
    /// Named CHECKs on `VALUE`, in order.
    pub checks: Vec<DomainCheck>,
}

/// One `CONSTRAINT name CHECK (expr)` of a domain; `expr` names the value `VALUE`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DomainCheck {
    pub name: String,
    pub expr: String,
}

impl DomainType {
    /// `DomainType::new("year", SqlType::Integer)`.
    pub fn new(name: impl Into<String>, base: SqlType) -> Self {
        DomainType {
            schema: None,
            name: name.into(),
            base: Box::new(base),
            not_null: false,
            default: None,
            checks: Vec::new(),
        }
    }

    /// The PostgreSQL schema the domain lives in (the connection's default schema otherwise).
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }

    /// `NOT NULL`: no column of the domain holds NULL.
    pub fn not_null(mut self) -> Self {
        self.not_null = true;
        self
    }

    /// `DEFAULT expr`, for columns of the domain that have no default of their own.
    pub fn default(mut self, expr: impl Into<String>) -> Self {
        self.default = Some(expr.into());
        self
    }

    /// `CONSTRAINT name CHECK (expr)`, `expr` naming the value `VALUE`.
    pub fn check(mut self, name: impl Into<String>, expr: impl Into<String>) -> Self {
        self.checks.push(DomainCheck {
            name: name.into(),
            expr: expr.into(),
        });
        self
    }
}

impl EnumType {
    /// `EnumType::new("mood", ["happy", "sad"])`.
    pub fn new<L: Into<String>>(
        name: impl Into<String>,
        labels: impl IntoIterator<Item = L>,
    ) -> Self {
        EnumType {
            schema: None,
            name: name.into(),
            labels: labels.into_iter().map(Into::into).collect(),
        }
    }

    /// The PostgreSQL schema the type lives in (the connection's default schema otherwise).
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }

    /// Reads MySQL's column type `enum('a','b')` (any case; `''` and MySQL's backslash escapes
    /// inside a label, which `COLUMN_TYPE` writes for a backslash) as a type named `name`;
    /// `None` for any other text.
    pub fn from_column_type(name: &str, sql: &str) -> Option<EnumType> {
        let tokens = Tokenizer::new(&MySqlDialect {}, sql).tokenize().ok()?;
        let mut tokens = tokens
            .into_iter()
            .filter(|t| !matches!(t, Token::Whitespace(_)));
        match (tokens.next(), tokens.next()) {
            (Some(Token::Word(w)), Some(Token::LParen)) if w.value.eq_ignore_ascii_case("enum") => {
            }
            _ => return None,
        }
        let mut labels = Vec::new();
        loop {
            match tokens.next()? {
                Token::SingleQuotedString(label) => labels.push(label),
                _ => return None,
            }
            match tokens.next()? {
                Token::Comma => {}
                Token::RParen => break,
                _ => return None,
            }
        }
        tokens.next().is_none().then(|| EnumType::new(name, labels))
    }

    /// `'happy', 'sad'`: the labels as SQL string literals, in order.
    pub fn label_list(&self) -> String {
        quote_labels(&self.labels)
    }
}

/// `'happy', 'it''s ok'`: labels as standard SQL string literals (a quote doubled), in order.
pub fn quote_labels<S: AsRef<str>>(labels: &[S]) -> String {
    labels
        .iter()
        .map(|label| format!("'{}'", label.as_ref().replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(", ")
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

    /// Parses a type as written in SQL (a reflected declaration or a `sql_type = "..."`
    /// attribute). Unknown but well-formed types become `Custom`, kept as written; text after a
    /// complete type is an error.
    pub fn parse(sql: &str) -> Result<SqlType, SyntaxError> {
        let dialect = GenericDialect {};
        let refused = |source| SyntaxError::NotAType {
            sql: sql.to_owned(),
            source,
        };
        let mut parser = Parser::new(&dialect).try_with_sql(sql).map_err(refused)?;
        let data_type = parser.parse_data_type().map_err(refused)?;
        match parser.peek_token().token {
            Token::EOF => Ok(Self::from_data_type(&data_type, sql)),
            _ if is_type_name_of_words(sql) => Ok(SqlType::Custom(sql.trim().to_owned())),
            rest => Err(SyntaxError::NotASingleType {
                sql: sql.to_owned(),
                rest: rest.to_string(),
                data_type: data_type.to_string(),
            }),
        }
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
            SqlType::Enum(e) => write!(f, "ENUM({})", e.label_list()),
            SqlType::Domain(d) => match &d.schema {
                Some(schema) => write!(f, "{schema}.{}", d.name),
                None => f.write_str(&d.name),
            },
            SqlType::Custom(s) => f.write_str(s),
        }
    }
}

/// Words that begin a column constraint: text holding one is a type with more after it, not a
/// type name (`varchar(10) not null`); in a column definition they end its type.
pub const CONSTRAINT_WORDS: [&str; 11] = [
    "CONSTRAINT",
    "PRIMARY",
    "NOT",
    "NULL",
    "UNIQUE",
    "CHECK",
    "DEFAULT",
    "COLLATE",
    "REFERENCES",
    "GENERATED",
    "AS",
];

/// Whether `sql` is a type name as SQLite defines one and sqlparser does not read: two or more
/// plain words, then at most one `(n)` or `(n, m)`
/// (<https://www.sqlite.org/syntax/type-name.html>), such as `UNSIGNED BIG INT` or the Sakila
/// port's `BLOB SUB_TYPE TEXT`. SQLite keeps such a name as written and derives the column's
/// affinity from it.
fn is_type_name_of_words(sql: &str) -> bool {
    let Ok(tokens) = Tokenizer::new(&GenericDialect {}, sql).tokenize() else {
        return false;
    };
    let mut tokens = tokens
        .into_iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .peekable();
    let mut words = 0;
    while let Some(Token::Word(word)) = tokens.peek() {
        let upper = word.value.to_ascii_uppercase();
        if word.quote_style.is_some() || CONSTRAINT_WORDS.contains(&upper.as_str()) {
            return false;
        }
        words += 1;
        tokens.next();
    }
    let rest: Vec<Token> = tokens.collect();
    let arguments = matches!(
        rest.as_slice(),
        [] | [Token::LParen, Token::Number(..), Token::RParen]
            | [
                Token::LParen,
                Token::Number(..),
                Token::Comma,
                Token::Number(..),
                Token::RParen
            ]
    );
    words >= 2 && arguments
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
        assert!(SqlType::parse("varchar(10) not null").is_err());
        assert!(SqlType::parse("int primary key").is_err());
        assert!(SqlType::parse("int(10) unsigned zerofill").is_err());
    }

    #[test]
    fn type_names_of_several_words_are_kept_as_written() {
        for sql in [
            "BLOB SUB_TYPE TEXT",
            "UNSIGNED BIG INT",
            "VARYING CHARACTER(255)",
            "NATIVE CHARACTER (70)",
            "my type(10, 2)",
        ] {
            assert_eq!(
                SqlType::parse(sql),
                Ok(SqlType::Custom(sql.into())),
                "{sql}"
            );
        }
    }

    #[test]
    fn integer_and_bare_numeric() {
        for sql in [
            "smallint",
            "int2",
            "int",
            "integer",
            "int4",
            "mediumint",
            "bigint",
            "int8",
        ] {
            assert!(SqlType::parse(sql).is_ok_and(|t| t.is_integer()), "{sql}");
        }
        assert!(SqlType::parse("serial").is_ok_and(|t| !t.is_integer()));
        assert_eq!(SqlType::parse("jsonb"), Ok(SqlType::Jsonb));
        let bare = SqlType::Numeric {
            precision: None,
            scale: None,
        };
        for sql in ["numeric", "decimal", "dec"] {
            assert_eq!(SqlType::parse(sql), Ok(bare.clone()), "{sql}");
        }
        assert_eq!(
            SqlType::parse("numeric(10, 2)"),
            Ok(SqlType::numeric(10, 2))
        );
        assert_eq!(
            SqlType::parse("numeric(10)"),
            Ok(SqlType::Numeric {
                precision: Some(10),
                scale: None
            })
        );
    }

    #[test]
    fn messages_name_the_text_and_the_problem() {
        assert_eq!(
            SqlType::parse("varchar(").map_err(|e| e.to_string()),
            Err("`varchar(` is not a SQL type: Expected: literal int, found: EOF".to_owned())
        );
        assert_eq!(
            SqlType::parse("varchar(10) not null").map_err(|e| e.to_string()),
            Err(
                "`varchar(10) not null` is not a single SQL type: unexpected `not` after \
                 `VARCHAR(10)`"
                    .to_owned()
            )
        );
        assert!(SqlType::parse("").is_err());
    }

    #[test]
    fn reads_mysql_enum_column_types() {
        use super::EnumType;
        assert_eq!(
            EnumType::from_column_type("c", "enum('a','it''s', 'b c')"),
            Some(EnumType::new("c", ["a", "it's", "b c"]))
        );
        assert_eq!(
            EnumType::from_column_type("c", r"enum('a\\b')"),
            Some(EnumType::new("c", [r"a\b"]))
        );
        assert_eq!(
            EnumType::from_column_type("c", "ENUM ( 'x' )").map(|e| e.label_list()),
            Some("'x'".to_owned())
        );
        for other in [
            "enum()",
            "enum('a'",
            "enum('a') x",
            "set('a')",
            "varchar(3)",
        ] {
            assert_eq!(EnumType::from_column_type("c", other), None, "{other}");
        }
        assert_eq!(
            super::SqlType::Enum(EnumType::new("c", ["it's"])).to_string(),
            "ENUM('it''s')"
        );
    }

    #[test]
    fn keeps_the_parser_error_as_source() {
        let err = SqlType::parse("varchar(").expect_err("`varchar(` is incomplete");
        assert!(std::error::Error::source(&err).is_some());
    }
}
