//! [`SyntaxError`]: why a text is not the SQL type or expression it was meant to be. Its
//! `Display` is the message the derive shows at the string literal, so it names the text and
//! what went wrong in it.

use sqlparser::parser::ParserError;

/// A SQL type or expression that does not parse, or that has something after it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SyntaxError {
    /// sqlparser refused the text as a type.
    #[error("`{sql}` is not a SQL type: {}", detail(.source))]
    NotAType {
        sql: String,
        #[source]
        source: ParserError,
    },
    /// A type parsed, but more text follows it (`varchar(10) not null`).
    #[error("`{sql}` is not a single SQL type: unexpected `{rest}` after `{data_type}`")]
    NotASingleType {
        sql: String,
        /// The first token after the type.
        rest: String,
        /// The type that parsed, as sqlparser prints it.
        data_type: String,
    },
    /// sqlparser refused the text as an expression.
    #[error("`{sql}` is not a SQL expression: {}", detail(.source))]
    NotAnExpression {
        sql: String,
        #[source]
        source: ParserError,
    },
    /// An expression parsed, but more text follows it (`1 2`).
    #[error("`{sql}` is not a single SQL expression: unexpected `{rest}` after `{expr}`")]
    NotASingleExpression {
        sql: String,
        /// The first token after the expression.
        rest: String,
        /// The expression that parsed, as sqlparser prints it.
        expr: String,
    },
}

/// sqlparser prefixes every message with "sql parser error: ", which says nothing here.
fn detail(err: &ParserError) -> String {
    let text = err.to_string();
    match text.strip_prefix("sql parser error: ") {
        Some(rest) => rest.to_owned(),
        None => text,
    }
}
