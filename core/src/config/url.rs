//! Database URLs: [`DatabaseUrl`] (which backend a URL names) and the redaction of secrets for
//! every message, `Debug` output and driver error that could show one.
//!
//! Three places can hold a password: the userinfo of a URL (`postgres://u:secret@h/db`), a query
//! parameter (`?password=secret`), and a libpq `key=value` connection string
//! (`host=h password=secret`). [`redact`] replaces each with `***`; [`scrub`] removes the secrets
//! of a URL from any other text (a driver's message that quotes part of the URL).

use std::fmt;

use percent_encoding::percent_decode_str;

use super::ConfigError;
use crate::ddl::Dialect;

/// What replaces a secret in messages.
const MASK: &str = "***";

/// Query and `key=value` parameters that carry a password (libpq's `password`, and the
/// spellings other drivers accept).
fn is_secret_key(key: &str) -> bool {
    ["password", "passwd", "pwd", "pass"]
        .iter()
        .any(|k| key.trim().eq_ignore_ascii_case(k))
}

/// A database URL, by scheme.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A SQLite file (relative paths are relative to the working directory) or `:memory:`.
    Sqlite(String),
    Postgres(String),
    Mysql(String),
}

/// The schemes users may write.
pub const ACCEPTED_SCHEMES: &str =
    "sqlite://path, sqlite::memory:, postgres://, postgresql://, mysql://, mariadb://";

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<DatabaseUrl, ConfigError> {
        if url == "sqlite::memory:" || url == "sqlite://:memory:" {
            return Ok(DatabaseUrl::Sqlite(":memory:".to_owned()));
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err(ConfigError::NoSqlitePath);
            }
            return Ok(DatabaseUrl::Sqlite(path.to_owned()));
        }
        match url.split_once("://").map(|(scheme, _)| scheme) {
            Some("postgres" | "postgresql") => Ok(DatabaseUrl::Postgres(url.to_owned())),
            Some("mysql" | "mariadb") => Ok(DatabaseUrl::Mysql(url.to_owned())),
            _ => Err(ConfigError::UnknownScheme { url: redact(url) }),
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            DatabaseUrl::Sqlite(_) => Dialect::Sqlite,
            DatabaseUrl::Postgres(_) => Dialect::Postgres,
            DatabaseUrl::Mysql(_) => Dialect::Mysql,
        }
    }

    /// The URL or path as given, secrets included: for drivers only, never for messages.
    pub fn as_str(&self) -> &str {
        match self {
            DatabaseUrl::Sqlite(s) | DatabaseUrl::Postgres(s) | DatabaseUrl::Mysql(s) => s,
        }
    }
}

/// Shows the URL with its secrets replaced, so a `{:?}` in a log cannot leak them.
impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let variant = match self {
            DatabaseUrl::Sqlite(_) => "Sqlite",
            DatabaseUrl::Postgres(_) => "Postgres",
            DatabaseUrl::Mysql(_) => "Mysql",
        };
        f.debug_tuple(variant)
            .field(&redact(self.as_str()))
            .finish()
    }
}

/// `url` with every password replaced by `***`, for messages: in the userinfo, in a
/// `password=` query parameter, or in a libpq `key=value` string.
pub fn redact(url: &str) -> String {
    if !url.contains("://") {
        return redact_key_values(url);
    }
    match ::url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                // Only fails for URLs that cannot have a password, and this one has one.
                let _ = parsed.set_password(Some(MASK));
            }
            if parsed.query().is_some() {
                let pairs: Vec<(String, String)> = parsed
                    .query_pairs()
                    .map(|(k, v)| {
                        let v = if is_secret_key(&k) {
                            MASK.to_owned()
                        } else {
                            v.into_owned()
                        };
                        (k.into_owned(), v)
                    })
                    .collect();
                parsed.query_pairs_mut().clear().extend_pairs(pairs);
            }
            parsed.to_string()
        }
        // The URL parser refused it (a bad port, say): mask by position instead.
        Err(_) => {
            let mut out = url.to_owned();
            for secret in secrets(url) {
                out = out.replace(&secret, MASK);
            }
            out
        }
    }
}

/// `text` with every secret of `url` replaced by `***`: for messages of drivers that quote the
/// URL or part of it (libpq's "invalid percent-encoded token" does).
pub fn scrub(text: &str, url: &str) -> String {
    let mut secrets = secrets(url);
    // Longer first, so a secret that contains another is masked whole.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut out = text.to_owned();
    for secret in secrets {
        out = out.replace(&secret, MASK);
    }
    out
}

/// The passwords in `url`, as written and percent-decoded, found by position so that a URL no
/// parser accepts still gives them up.
fn secrets(url: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut add = |raw: &str| {
        for candidate in [raw.to_owned(), decoded(raw)] {
            if !candidate.is_empty() && candidate != MASK && !found.contains(&candidate) {
                found.push(candidate);
            }
        }
    };
    match url.split_once("://") {
        Some((_, rest)) => {
            let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let authority = &rest[..authority_end];
            if let Some((userinfo, _host)) = authority.rsplit_once('@') {
                if let Some((_user, password)) = userinfo.split_once(':') {
                    add(password);
                }
            }
            if let Some((_, query)) = rest.split_once('?') {
                let query = query.split('#').next().unwrap_or_default();
                for pair in query.split('&') {
                    if let Some((key, value)) = pair.split_once('=') {
                        if is_secret_key(&decoded(key)) {
                            add(value);
                        }
                    }
                }
            }
        }
        None => {
            for (key, value) in key_values(url) {
                if is_secret_key(key) {
                    add(&value);
                }
            }
        }
    }
    found
}

fn decoded(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// A libpq connection string with its password values masked.
fn redact_key_values(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for span in key_value_spans(text) {
        if is_secret_key(&text[span.key.clone()]) {
            out.push_str(&text[last..span.value.start]);
            out.push_str(MASK);
            last = span.value.end;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// The `(key, value)` pairs of a libpq `key=value` string, values unquoted.
fn key_values(text: &str) -> Vec<(&str, String)> {
    key_value_spans(text)
        .into_iter()
        .map(|span| (&text[span.key], span.unquoted))
        .collect()
}

struct KeyValueSpan {
    key: std::ops::Range<usize>,
    /// The value as written, quotes included.
    value: std::ops::Range<usize>,
    unquoted: String,
}

/// Scans `key = value` pairs separated by whitespace, where a value may be single-quoted with
/// `\'` and `\\` escapes (<https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-CONNSTRING>).
/// Anything that does not scan ends the scan: the rest is left as it is.
fn key_value_spans(text: &str) -> Vec<KeyValueSpan> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    let skip_space = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    loop {
        i = skip_space(i);
        let key_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' {
            i += 1;
        }
        let key = key_start..i;
        i = skip_space(i);
        if key.is_empty() || bytes.get(i) != Some(&b'=') {
            return spans;
        }
        i = skip_space(i + 1);
        let value_start = i;
        let mut unquoted = Vec::new();
        if bytes.get(i) == Some(&b'\'') {
            i += 1;
            while i < bytes.len() && bytes[i] != b'\'' {
                if bytes[i] == b'\\' && i + 1 < bytes.len() {
                    i += 1;
                }
                unquoted.push(bytes[i]);
                i += 1;
            }
            // The closing quote, when there is one.
            i = (i + 1).min(bytes.len());
        } else {
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                unquoted.push(bytes[i]);
                i += 1;
            }
        }
        spans.push(KeyValueSpan {
            key,
            value: value_start..i,
            unquoted: String::from_utf8_lossy(&unquoted).into_owned(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_scheme() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://app.db").ok(),
            Some(DatabaseUrl::Sqlite("app.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/x.db").ok(),
            Some(DatabaseUrl::Sqlite("/tmp/x.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite::memory:").ok(),
            Some(DatabaseUrl::Sqlite(":memory:".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://u@h/db")
                .map(|u| u.dialect())
                .ok(),
            Some(Dialect::Postgres)
        );
        assert_eq!(
            DatabaseUrl::parse("mariadb://root@h/db")
                .map(|u| u.dialect())
                .ok(),
            Some(Dialect::Mysql)
        );
    }

    #[test]
    fn unknown_scheme_names_the_accepted_ones_and_hides_passwords() {
        let err = DatabaseUrl::parse("oracle://scott:tiger@db/x").expect_err("unknown");
        let msg = err.to_string();
        assert!(msg.contains("oracle://scott:***@db/x"), "{msg}");
        assert!(
            msg.contains("sqlite://path") && msg.contains("mariadb://"),
            "{msg}"
        );
    }

    #[test]
    fn userinfo_passwords_are_redacted() {
        assert_eq!(
            redact("postgres://nobody:secret@127.0.0.1:1/x"),
            "postgres://nobody:***@127.0.0.1:1/x"
        );
        assert_eq!(
            redact("mysql://root:p%40ss@db:3306/app"),
            "mysql://root:***@db:3306/app"
        );
        // No password, nothing to hide.
        assert_eq!(redact("postgres://app@db/app"), "postgres://app@db/app");
        // A password holding `@` and `:` unescaped, and a port no parser accepts.
        let odd = "postgres://u:a@b:c@db:99999/x";
        let shown = redact(odd);
        assert!(!shown.contains("a@b:c"), "{shown}");
        assert!(shown.contains("db:99999/x"), "{shown}");
    }

    #[test]
    fn query_passwords_are_redacted() {
        let shown = redact("postgres://db/app?user=app&password=hunter2&sslmode=require");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(
            shown.contains("user=app") && shown.contains("sslmode=require"),
            "{shown}"
        );
        let shown = redact("mysql://db/app?PASSWORD=hunter2");
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn key_value_passwords_are_redacted() {
        assert_eq!(
            redact("host=db user=app password=hunter2 dbname=app"),
            "host=db user=app password=*** dbname=app"
        );
        assert_eq!(
            redact("host=db password = 'two words \\' quote' port=5432"),
            "host=db password = *** port=5432"
        );
        assert_eq!(redact("host=db"), "host=db");
    }

    #[test]
    fn driver_messages_lose_the_secrets_of_their_url() {
        // libpq quotes the token it cannot decode: the password itself.
        let url = "postgres://u:p%zzsecret@db/x";
        let message = "invalid percent-encoded token: \"p%zzsecret\"";
        assert_eq!(
            scrub(message, url),
            "invalid percent-encoded token: \"***\""
        );
        let url = "postgres://u:s%40cret@db/x";
        assert_eq!(scrub("bad s@cret and s%40cret", url), "bad *** and ***");
        assert_eq!(
            scrub("password=abc was refused", "host=db password=abc"),
            "password=*** was refused"
        );
    }

    #[test]
    fn debug_output_is_redacted() {
        let url = DatabaseUrl::parse("postgres://u:secret@db/x").expect("parses");
        let shown = format!("{url:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("Postgres"), "{shown}");
    }
}
