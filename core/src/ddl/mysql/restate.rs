//! MySQL's `MODIFY COLUMN` restates the whole column: whatever the statement leaves out is
//! reset. Restating from the schema model would drop what it does not hold (`DATETIME(6)`
//! fractions, `MEDIUMTEXT`, `int(10) unsigned`, a collation, `ON UPDATE CURRENT_TIMESTAMP`,
//! `AUTO_INCREMENT`, a virtual generated column), so online the column is restated from the full
//! catalog row (`information_schema.COLUMNS`), read just before, with only the op's changes
//! applied. Offline (`--sql`) there is no catalog and the op's `existing` column is restated.

use serde::Deserialize;

use super::MysqlImpl;
use crate::ddl::{unsupported, DdlImpl, Dialect};
use crate::error::Result;
use crate::ops::AlterColumn;
use crate::schema::SqlType;

/// The query whose one row (text column `sql`, a JSON object) is the column's catalog entry.
pub(super) fn catalog_query(ddl: &MysqlImpl, op: &AlterColumn) -> String {
    let schema = op
        .table
        .schema
        .as_deref()
        .map_or("DATABASE()".to_owned(), |s| ddl.literal(s));
    format!(
        "SELECT JSON_OBJECT('column_type', COLUMN_TYPE, 'is_nullable', IS_NULLABLE, \
         'column_default', COLUMN_DEFAULT, 'extra', EXTRA, 'collation', COLLATION_NAME, \
         'charset', CHARACTER_SET_NAME, 'comment', COLUMN_COMMENT, \
         'generation', GENERATION_EXPRESSION, 'mariadb', VERSION() LIKE '%MariaDB%') AS `sql` \
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = {schema} \
         AND TABLE_NAME = {} AND COLUMN_NAME = {}",
        ddl.literal(&op.table.name),
        ddl.literal(&op.existing.name)
    )
}

/// One `information_schema.COLUMNS` row, as [`catalog_query`] returns it.
#[derive(Debug, Deserialize)]
struct Catalog {
    column_type: String,
    is_nullable: String,
    column_default: Option<String>,
    extra: String,
    collation: Option<String>,
    charset: Option<String>,
    comment: String,
    generation: Option<String>,
    /// MariaDB prints defaults as SQL (`'x'`, `NULL`, `current_timestamp()`); MySQL 8 prints
    /// string literals bare and flags expressions `DEFAULT_GENERATED` in `EXTRA`.
    mariadb: serde_json::Value,
}

/// `ALTER TABLE .. MODIFY COLUMN`, restating the column as the catalog has it with the op's
/// changes, given the rows of [`catalog_query`].
pub(super) fn modify_column(
    ddl: &MysqlImpl,
    op: &AlterColumn,
    rows: &[String],
) -> Result<Vec<String>> {
    let [row] = rows else {
        return Err(unsupported(
            Dialect::Mysql,
            &format!(
                "find column `{}` of table `{}` in information_schema",
                op.existing.name, op.table
            ),
            "check the migration against the current schema",
        ));
    };
    let catalog: Catalog = serde_json::from_str(row).map_err(|e| {
        unsupported(
            Dialect::Mysql,
            &format!(
                "read the catalog entry of column `{}.{}` ({e})",
                op.table, op.existing.name
            ),
            "report this with the server's version",
        )
    })?;
    Ok(vec![format!(
        "ALTER TABLE {} MODIFY COLUMN {}",
        ddl.table_name(&op.table),
        definition(ddl, op, &catalog)
    )])
}

fn definition(ddl: &MysqlImpl, op: &AlterColumn, catalog: &Catalog) -> String {
    let altered = op.altered();
    let extra = catalog.extra.to_ascii_lowercase();
    let mut sql = ddl.quote(&altered.name);
    sql.push(' ');
    // A type the op does not change is restated as the server spells it.
    let keeps_collation = match &op.sql_type {
        Some(change) => {
            sql.push_str(&ddl.type_sql(&change.to, &altered));
            is_text(&change.to)
        }
        None => {
            sql.push_str(&catalog.column_type);
            true
        }
    };
    if let Some(change) = &op.collation {
        // A collation names its character set; `None` is the table's default.
        if let Some(collation) = &change.to {
            sql.push_str(&ddl.collate_sql(collation));
        }
    } else if keeps_collation {
        if let Some(charset) = &catalog.charset {
            sql.push_str(&format!(" CHARACTER SET {charset}"));
        }
        if let Some(collation) = &catalog.collation {
            sql.push_str(&format!(" COLLATE {collation}"));
        }
    }
    let generated = extra.contains("virtual generated") || extra.contains("stored generated");
    if let (true, Some(expr)) = (generated, &catalog.generation) {
        let kind = if extra.contains("virtual generated") {
            "VIRTUAL"
        } else {
            "STORED"
        };
        sql.push_str(&format!(" GENERATED ALWAYS AS ({expr}) {kind}"));
    } else {
        let nullable = match &op.nullable {
            Some(change) => change.to,
            None => catalog.is_nullable.eq_ignore_ascii_case("YES"),
        };
        sql.push_str(if nullable { " NULL" } else { " NOT NULL" });
        let default = match &op.default {
            Some(change) => change.to.clone(),
            None => catalog_default(catalog, &extra, ddl),
        }
        // `DEFAULT NULL` is what a nullable column has without a default; a NOT NULL one
        // cannot have it.
        .filter(|d| nullable || !d.eq_ignore_ascii_case("NULL"));
        if let Some(default) = default {
            sql.push_str(" DEFAULT ");
            sql.push_str(&default);
        }
        if let Some(on_update) = on_update(&catalog.extra) {
            sql.push_str(" ON UPDATE ");
            sql.push_str(on_update);
        }
        if extra.contains("auto_increment") {
            sql.push_str(" AUTO_INCREMENT");
        }
    }
    if extra.contains("invisible") {
        sql.push_str(" INVISIBLE");
    }
    let comment = match &op.comment {
        Some(change) => change.to.clone(),
        None => Some(catalog.comment.clone()).filter(|c| !c.is_empty()),
    };
    if let Some(comment) = comment {
        sql.push_str(" COMMENT ");
        sql.push_str(&ddl.literal(&comment));
    }
    sql
}

/// The catalog's default as SQL to restate, `None` for none.
fn catalog_default(catalog: &Catalog, extra: &str, ddl: &MysqlImpl) -> Option<String> {
    let default = catalog.column_default.as_deref()?;
    let mariadb = catalog.mariadb.as_bool().unwrap_or(catalog.mariadb == 1);
    if mariadb {
        // MariaDB 10.2.7+ prints a nullable column without default as `NULL`, which restates
        // as the same thing.
        return Some(default.to_owned());
    }
    if extra.contains("default_generated") {
        Some(format!("({default})"))
    } else {
        Some(ddl.literal(default))
    }
}

/// `on update current_timestamp()` in `EXTRA`: the expression after it.
fn on_update(extra: &str) -> Option<&str> {
    let at = extra.to_ascii_lowercase().find("on update ")?;
    let rest = &extra[at + "on update ".len()..];
    rest.split_whitespace().next()
}

fn is_text(sql_type: &SqlType) -> bool {
    match sql_type {
        SqlType::Domain(domain) => is_text(&domain.base),
        SqlType::Text
        | SqlType::Varchar(_)
        | SqlType::Char(_)
        | SqlType::Enum(_)
        | SqlType::Custom(_) => true,
        SqlType::Boolean
        | SqlType::SmallInt
        | SqlType::Integer
        | SqlType::BigInt
        | SqlType::Real
        | SqlType::Double
        | SqlType::Numeric { .. }
        | SqlType::Blob
        | SqlType::Date
        | SqlType::Time
        | SqlType::Timestamp
        | SqlType::TimestampTz
        | SqlType::Uuid
        | SqlType::Json
        | SqlType::Jsonb => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::Change;
    use crate::schema::Column;

    fn op() -> AlterColumn {
        AlterColumn {
            comment: Some(Change {
                from: None,
                to: Some("when it changed".into()),
            }),
            ..AlterColumn::new(
                "events".into(),
                Column::new("changed_at", SqlType::Timestamp),
            )
        }
    }

    fn row(json: &str) -> Vec<String> {
        vec![json.to_owned()]
    }

    #[test]
    fn what_the_model_does_not_hold_is_restated_from_the_catalog() {
        let rows = row(r#"{"column_type": "datetime(6)", "is_nullable": "NO",
            "column_default": "current_timestamp(6)", "extra": "on update current_timestamp(6)",
            "collation": null, "charset": null, "comment": "", "generation": null, "mariadb": 1}"#);
        let sql = modify_column(&MysqlImpl, &op(), &rows).expect("restates");
        assert_eq!(
            sql,
            [
                "ALTER TABLE `events` MODIFY COLUMN `changed_at` datetime(6) NOT NULL DEFAULT \
              current_timestamp(6) ON UPDATE current_timestamp(6) COMMENT 'when it changed'"
            ]
        );
    }

    #[test]
    fn collation_auto_increment_and_generated_columns_survive() {
        let text = row(r#"{"column_type": "mediumtext", "is_nullable": "YES",
            "column_default": "NULL", "extra": "", "collation": "utf8mb4_bin",
            "charset": "utf8mb4", "comment": "old", "generation": null, "mariadb": 1}"#);
        let mut nullable = op();
        nullable.comment = None;
        nullable.nullable = Some(Change {
            from: true,
            to: false,
        });
        assert_eq!(
            modify_column(&MysqlImpl, &nullable, &text).expect("restates"),
            [
                "ALTER TABLE `events` MODIFY COLUMN `changed_at` mediumtext CHARACTER SET utf8mb4 \
              COLLATE utf8mb4_bin NOT NULL COMMENT 'old'"
            ]
        );
        let key = row(r#"{"column_type": "int(10) unsigned", "is_nullable": "NO",
            "column_default": null, "extra": "auto_increment", "collation": null,
            "charset": null, "comment": "", "generation": null, "mariadb": 1}"#);
        assert_eq!(
            modify_column(&MysqlImpl, &op(), &key).expect("restates"),
            [
                "ALTER TABLE `events` MODIFY COLUMN `changed_at` int(10) unsigned NOT NULL \
              AUTO_INCREMENT COMMENT 'when it changed'"
            ]
        );
        let generated = row(r#"{"column_type": "int(11)", "is_nullable": "YES",
            "column_default": null, "extra": "VIRTUAL GENERATED", "collation": null,
            "charset": null, "comment": "", "generation": "`a` + `b`", "mariadb": 1}"#);
        assert_eq!(
            modify_column(&MysqlImpl, &op(), &generated).expect("restates"),
            [
                "ALTER TABLE `events` MODIFY COLUMN `changed_at` int(11) GENERATED ALWAYS AS \
              (`a` + `b`) VIRTUAL COMMENT 'when it changed'"
            ]
        );
    }

    #[test]
    fn a_type_change_uses_the_new_type_and_drops_a_collation_it_cannot_have() {
        let text = row(r#"{"column_type": "varchar(10)", "is_nullable": "YES",
            "column_default": "'0'", "extra": "", "collation": "utf8mb4_bin",
            "charset": "utf8mb4", "comment": "", "generation": null, "mariadb": 1}"#);
        let mut retype = op();
        retype.comment = None;
        retype.sql_type = Some(Change {
            from: SqlType::Varchar(10),
            to: SqlType::Integer,
        });
        assert_eq!(
            modify_column(&MysqlImpl, &retype, &text).expect("restates"),
            ["ALTER TABLE `events` MODIFY COLUMN `changed_at` INTEGER NULL DEFAULT '0'"]
        );
    }

    #[test]
    fn mysql_8_defaults_are_quoted_or_bracketed() {
        let rows = row(r#"{"column_type": "varchar(10)", "is_nullable": "NO",
            "column_default": "draft", "extra": "", "collation": null, "charset": null,
            "comment": "", "generation": null, "mariadb": 0}"#);
        let mut plain = op();
        plain.comment = None;
        assert_eq!(
            modify_column(&MysqlImpl, &plain, &rows).expect("restates"),
            ["ALTER TABLE `events` MODIFY COLUMN `changed_at` varchar(10) NOT NULL DEFAULT 'draft'"]
        );
    }

    #[test]
    fn a_column_the_catalog_lacks_is_refused() {
        assert!(modify_column(&MysqlImpl, &op(), &[]).is_err());
    }
}
