//! [`ForeignKeyAction`]: what a foreign key does on `ON DELETE` / `ON UPDATE`, read from
//! `on_delete = "cascade"` attributes and from the catalogs of SQLite and MySQL.

/// What a foreign key does when the referred row is deleted or updated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ForeignKeyAction {
    Cascade,
    SetNull,
    SetDefault,
    Restrict,
    NoAction,
}

/// The spellings of every action, for messages that refuse one.
pub const ACTIONS: &str = "\"cascade\", \"set null\", \"set default\", \"restrict\", \"no action\"";

impl ForeignKeyAction {
    /// Parses `cascade`, `set null`, `SET_DEFAULT`, `restrict`, `no action` (any case, with
    /// spaces, underscores or hyphens).
    pub fn parse(text: &str) -> Option<Self> {
        let upper = text.trim().to_ascii_uppercase().replace(['_', '-'], " ");
        let words: Vec<&str> = upper.split_whitespace().collect();
        Some(match words.join(" ").as_str() {
            "CASCADE" => ForeignKeyAction::Cascade,
            "SET NULL" => ForeignKeyAction::SetNull,
            "SET DEFAULT" => ForeignKeyAction::SetDefault,
            "RESTRICT" => ForeignKeyAction::Restrict,
            "NO ACTION" => ForeignKeyAction::NoAction,
            _ => return None,
        })
    }

    /// The action as SQL writes it after `ON DELETE` / `ON UPDATE`.
    pub fn sql(self) -> &'static str {
        match self {
            ForeignKeyAction::Cascade => "CASCADE",
            ForeignKeyAction::SetNull => "SET NULL",
            ForeignKeyAction::SetDefault => "SET DEFAULT",
            ForeignKeyAction::Restrict => "RESTRICT",
            ForeignKeyAction::NoAction => "NO ACTION",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ForeignKeyAction;

    #[test]
    fn parses_any_case_and_separator() {
        assert_eq!(
            ForeignKeyAction::parse("set null"),
            Some(ForeignKeyAction::SetNull)
        );
        assert_eq!(
            ForeignKeyAction::parse("SET_DEFAULT"),
            Some(ForeignKeyAction::SetDefault)
        );
        assert_eq!(
            ForeignKeyAction::parse("No-Action"),
            Some(ForeignKeyAction::NoAction)
        );
        assert_eq!(
            ForeignKeyAction::parse("cascade"),
            Some(ForeignKeyAction::Cascade)
        );
        assert_eq!(ForeignKeyAction::parse("nullify"), None);
    }

    #[test]
    fn sql_parses_back_to_the_same_action() {
        for action in [
            ForeignKeyAction::Cascade,
            ForeignKeyAction::SetNull,
            ForeignKeyAction::SetDefault,
            ForeignKeyAction::Restrict,
            ForeignKeyAction::NoAction,
        ] {
            assert_eq!(ForeignKeyAction::parse(action.sql()), Some(action));
        }
    }
}
