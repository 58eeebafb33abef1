//! Compile-time reading of the SQL and the small reference languages inside attribute strings:
//! types and expressions through sqlparser (the same crate and dialect `SqlType::parse` uses at
//! runtime, so what passes here parses there), foreign-key targets and actions by hand.
//!
//! Every function returns the message to show at the string literal when the text is refused.

use sqlparser::ast::{DataType, ExactNumberInfo};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

/// Parses `sql` as one SQL type (`sql_type = "varchar(255)"`).
pub fn data_type(sql: &str) -> Result<DataType, String> {
    let dialect = GenericDialect {};
    let refused = |err: ParserError| format!("`{sql}` is not a SQL type: {}", parser_message(err));
    let mut parser = Parser::new(&dialect).try_with_sql(sql).map_err(refused)?;
    let data_type = parser.parse_data_type().map_err(refused)?;
    match parser.peek_token().token {
        Token::EOF => Ok(data_type),
        rest => Err(format!(
            "`{sql}` is not a single SQL type: unexpected `{rest}` after `{data_type}`"
        )),
    }
}

/// Parses `sql` as one SQL expression (`default = "now()"`, `computed = "a + b"`,
/// `check(expr = "age >= 0")`).
pub fn expr(sql: &str) -> Result<(), String> {
    let dialect = GenericDialect {};
    let refused =
        |err: ParserError| format!("`{sql}` is not a SQL expression: {}", parser_message(err));
    let mut parser = Parser::new(&dialect).try_with_sql(sql).map_err(refused)?;
    let expr = parser.parse_expr().map_err(refused)?;
    match parser.peek_token().token {
        Token::EOF => Ok(()),
        rest => Err(format!(
            "`{sql}` is not a single SQL expression: unexpected `{rest}` after `{expr}`"
        )),
    }
}

/// sqlparser prefixes every message with "sql parser error: ", which says nothing here.
fn parser_message(err: ParserError) -> String {
    let text = err.to_string();
    match text.strip_prefix("sql parser error: ") {
        Some(rest) => rest.to_owned(),
        None => text,
    }
}

/// Whether `SqlType::parse` makes this an integer type (the types that may autoincrement).
pub fn is_integer(data_type: &DataType) -> bool {
    use DataType as D;
    matches!(
        data_type,
        D::SmallInt(_)
            | D::Int2(_)
            | D::Int(_)
            | D::Integer(_)
            | D::Int4(_)
            | D::MediumInt(_)
            | D::BigInt(_)
            | D::Int8(_)
    )
}

/// Whether the type is a name sqlparser does not know (`serial`, `geometry`): retort keeps it
/// as `SqlType::Custom`, and nothing can be said about it at compile time.
pub fn is_custom(data_type: &DataType) -> bool {
    matches!(data_type, DataType::Custom(..))
}

/// `numeric`, `decimal` or `dec` without precision: the only types `precision` and `scale`
/// may complete.
pub fn is_bare_numeric(data_type: &DataType) -> bool {
    use DataType as D;
    matches!(
        data_type,
        D::Numeric(ExactNumberInfo::None)
            | D::Decimal(ExactNumberInfo::None)
            | D::Dec(ExactNumberInfo::None)
    )
}

/// What a foreign key points at: `[schema.]table(column, ...)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub schema: Option<String>,
    pub table: String,
    pub columns: Vec<String>,
}

/// The form `references = "..."` takes, for error messages.
pub const REFERENCES_FORM: &str = "references = \"table(column, ...)\"` or \
                                   `references = \"schema.table(column, ...)\"";

/// The form `foreign_key = "..."` takes on a column, for error messages.
pub const COLUMN_FOREIGN_KEY_FORM: &str =
    "foreign_key = \"table.column\"` or `foreign_key = \"schema.table.column\"";

/// Parses `references = "orgs(id)"` or `"app.orgs(id, region)"`.
pub fn references(text: &str) -> Result<Target, String> {
    let refused = || format!("`{text}` is not a foreign key target; write `{REFERENCES_FORM}`");
    let (table, columns) = text
        .trim()
        .strip_suffix(')')
        .and_then(|rest| rest.split_once('('))
        .ok_or_else(refused)?;
    let (schema, table) = match table.trim().split_once('.') {
        Some((schema, table)) => (Some(schema), table),
        None => (None, table.trim()),
    };
    let columns: Vec<&str> = columns.split(',').map(str::trim).collect();
    let valid = schema
        .iter()
        .chain([&table])
        .chain(&columns)
        .all(|name| is_identifier(name));
    if !valid {
        return Err(refused());
    }
    Ok(Target {
        schema: schema.map(str::to_owned),
        table: table.to_owned(),
        columns: columns.into_iter().map(str::to_owned).collect(),
    })
}

/// Parses a column's `foreign_key = "orgs.id"` or `"app.orgs.id"`.
pub fn column_reference(text: &str) -> Result<Target, String> {
    let parts: Vec<&str> = text.trim().split('.').collect();
    let refused =
        || format!("`{text}` is not a foreign key target; write `{COLUMN_FOREIGN_KEY_FORM}`");
    if parts.iter().any(|part| !is_identifier(part)) {
        return Err(refused());
    }
    let (schema, table, column) = match parts.as_slice() {
        [table, column] => (None, table, column),
        [schema, table, column] => (Some(schema), table, column),
        _ => return Err(refused()),
    };
    Ok(Target {
        schema: schema.map(|s| (*s).to_owned()),
        table: (*table).to_owned(),
        columns: vec![(*column).to_owned()],
    })
}

/// An unquoted SQL identifier: letters, digits, `_` and `$`, not starting with a digit.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| first.is_alphabetic() || first == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

/// `ON DELETE` / `ON UPDATE` actions, named after `retort::schema::ForeignKeyAction`'s variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// `NoAction` is the SQL name and `ForeignKeyAction`'s variant, not a repetition of `Action`.
#[allow(clippy::enum_variant_names)]
pub enum Action {
    Cascade,
    SetNull,
    SetDefault,
    Restrict,
    NoAction,
}

/// The spellings error messages suggest.
pub const ACTIONS: &str = "\"cascade\", \"set null\", \"set default\", \"restrict\", \"no action\"";

impl Action {
    /// Accepts what `ForeignKeyAction::parse` accepts: any case, words separated by spaces,
    /// underscores or hyphens.
    pub fn parse(text: &str) -> Option<Self> {
        let upper = text.trim().to_ascii_uppercase().replace(['_', '-'], " ");
        let words: Vec<&str> = upper.split_whitespace().collect();
        Some(match words.join(" ").as_str() {
            "CASCADE" => Action::Cascade,
            "SET NULL" => Action::SetNull,
            "SET DEFAULT" => Action::SetDefault,
            "RESTRICT" => Action::Restrict,
            "NO ACTION" => Action::NoAction,
            _ => return None,
        })
    }

    /// The `ForeignKeyAction` variant's name.
    pub fn variant(self) -> &'static str {
        match self {
            Action::Cascade => "Cascade",
            Action::SetNull => "SetNull",
            Action::SetDefault => "SetDefault",
            Action::Restrict => "Restrict",
            Action::NoAction => "NoAction",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_and_expressions() {
        assert!(data_type("jsonb").is_ok());
        assert!(data_type("varchar(255)").is_ok());
        assert!(data_type("geometry").is_ok_and(|t| is_custom(&t)));
        assert!(data_type("numeric").is_ok_and(|t| is_bare_numeric(&t)));
        assert!(data_type("numeric(10, 2)").is_ok_and(|t| !is_bare_numeric(&t)));
        assert!(data_type("bigint").is_ok_and(|t| is_integer(&t)));
        assert!(data_type("varchar(").is_err());
        assert!(data_type("int int").is_err());
        assert!(data_type("").is_err());

        assert!(expr("now()").is_ok());
        assert!(expr("'x'").is_ok());
        assert!(expr("CURRENT_TIMESTAMP").is_ok());
        assert!(expr("age >= 0 AND age < 200").is_ok());
        assert!(expr("now(").is_err());
        assert!(expr("1 2").is_err());
        assert!(expr("").is_err());
    }

    #[test]
    fn foreign_key_targets() {
        assert_eq!(
            references("app.orgs(id, region)"),
            Ok(Target {
                schema: Some("app".into()),
                table: "orgs".into(),
                columns: vec!["id".into(), "region".into()],
            })
        );
        assert_eq!(
            references(" orgs ( id ) ").map(|t| t.table),
            Ok("orgs".into())
        );
        for bad in [
            "orgs",
            "orgs()",
            "orgs(id,)",
            "orgs.id",
            "a.b.c(id)",
            "(id)",
            "orgs(id",
        ] {
            assert!(references(bad).is_err(), "{bad}");
        }
        assert_eq!(
            column_reference("app.orgs.id").map(|t| (t.schema, t.table, t.columns)),
            Ok((Some("app".into()), "orgs".into(), vec!["id".into()]))
        );
        for bad in ["orgs", "orgs(id)", "a.b.c.d", "orgs.", ".id", "orgs.1d"] {
            assert!(column_reference(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn actions() {
        assert_eq!(Action::parse("set null"), Some(Action::SetNull));
        assert_eq!(Action::parse("SET_DEFAULT"), Some(Action::SetDefault));
        assert_eq!(Action::parse("No-Action"), Some(Action::NoAction));
        assert_eq!(Action::parse("cascade"), Some(Action::Cascade));
        assert_eq!(Action::parse("nullify"), None);
    }
}
