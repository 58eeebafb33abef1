//! Foreign-key targets in the derive's attributes, read by hand: a table's `references =
//! "orgs(id)"` ([`references`]) and a column's `foreign_key = "orgs.id"`
//! ([`column_reference`]), each into a [`Target`]. Only the derive reads these forms, so they
//! live here rather than in retort-syntax, which parses the SQL (types, expressions, actions)
//! the runtime reads too.
//!
//! Every function returns the message to show at the string literal when the text is refused.

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
