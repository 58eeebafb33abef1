//! [`parse_expr`]: one whole SQL expression, as `default = "now()"`, `computed = "a + b"` and
//! `check(expr = "age >= 0")` hold and as databases print server defaults back.

use sqlparser::ast::Expr;
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

use crate::SyntaxError;

/// Parses `sql` as exactly one SQL expression: text after a complete expression is an error
/// rather than ignored, so `1 2` is refused instead of read as `1`.
pub fn parse_expr(sql: &str) -> Result<Expr, SyntaxError> {
    let dialect = GenericDialect {};
    let refused = |source| SyntaxError::NotAnExpression {
        sql: sql.to_owned(),
        source,
    };
    let mut parser = Parser::new(&dialect).try_with_sql(sql).map_err(refused)?;
    let expr = parser.parse_expr().map_err(refused)?;
    match parser.peek_token().token {
        Token::EOF => Ok(expr),
        rest => Err(SyntaxError::NotASingleExpression {
            sql: sql.to_owned(),
            rest: rest.to_string(),
            expr: expr.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_one_expression() {
        for sql in [
            "now()",
            "'x'",
            "CURRENT_TIMESTAMP",
            "age >= 0 AND age < 200",
        ] {
            assert!(parse_expr(sql).is_ok(), "{sql}");
        }
    }

    #[test]
    fn refuses_broken_empty_and_trailing_text() {
        for sql in ["now(", "1 2", ""] {
            assert!(parse_expr(sql).is_err(), "{sql}");
        }
    }

    #[test]
    fn messages_name_the_text_and_the_problem() {
        assert_eq!(
            parse_expr("now(").map_err(|e| e.to_string()),
            Err("`now(` is not a SQL expression: Expected: an expression, found: EOF".to_owned())
        );
        assert_eq!(
            parse_expr("1 2").map_err(|e| e.to_string()),
            Err("`1 2` is not a single SQL expression: unexpected `2` after `1`".to_owned())
        );
    }

    #[test]
    fn keeps_the_parser_error_as_source() {
        let err = parse_expr("now(").expect_err("`now(` is incomplete");
        assert!(std::error::Error::source(&err).is_some());
    }
}
