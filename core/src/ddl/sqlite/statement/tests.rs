//! Editing a table's own statement: each op changes only its part, everything else (table
//! options, collations, conflict clauses, generated columns, bare references) comes back as
//! written, and what sqlparser cannot carry is refused with the table and the feature named.

use super::*;
use crate::ops::{AddConstraint, Change, DropConstraint};
use crate::schema::{
    CheckConstraint, Column, ForeignKey, ForeignKeyAction, PrimaryKey, SqlType, UniqueConstraint,
};

fn alter(column: Column) -> AlterColumn {
    AlterColumn::new("t".into(), column)
}

fn add(constraint: Constraint) -> Op {
    Op::AddConstraint(AddConstraint {
        table: "t".into(),
        constraint,
    })
}

fn drop(name: &str, constraint: Option<Constraint>) -> Op {
    Op::DropConstraint(DropConstraint {
        table: "t".into(),
        name: name.into(),
        constraint,
        kind: None,
    })
}

fn edited(sql: &str, op: &Op) -> Result<String> {
    let mut statement = TableStatement::parse(sql, "t", op)?;
    statement.apply(&SqliteImpl, op)?;
    Ok(statement.create_sql("t"))
}

/// Each case: the original, the op, the statement after it.
#[test]
fn each_op_edits_only_its_part() {
    let not_null = Op::AlterColumn(AlterColumn {
        nullable: Some(Change {
            from: true,
            to: false,
        }),
        ..alter(Column::new("name", SqlType::Text))
    });
    let nullable = Op::AlterColumn(AlterColumn {
        nullable: Some(Change {
            from: false,
            to: true,
        }),
        ..alter(Column::new("name", SqlType::Text).not_null())
    });
    let default = Op::AlterColumn(AlterColumn {
        default: Some(Change {
            from: Some("'x'".into()),
            to: Some("'y'".into()),
        }),
        ..alter(Column::new("name", SqlType::Text))
    });
    let no_default = Op::AlterColumn(AlterColumn {
        default: Some(Change {
            from: Some("'x'".into()),
            to: None,
        }),
        ..alter(Column::new("name", SqlType::Text))
    });
    let new_default = Op::AlterColumn(AlterColumn {
        default: Some(Change {
            from: None,
            to: Some("CURRENT_TIMESTAMP".into()),
        }),
        ..alter(Column::new("name", SqlType::Text))
    });
    let widen = Op::AlterColumn(AlterColumn {
        sql_type: Some(Change {
            from: SqlType::Varchar(50),
            to: SqlType::Varchar(100),
        }),
        ..alter(Column::new("name", SqlType::Varchar(50)))
    });
    let key_type = Op::AlterColumn(AlterColumn {
        sql_type: Some(Change {
            from: SqlType::Integer,
            to: SqlType::BigInt,
        }),
        ..alter(Column::new("id", SqlType::Integer))
    });
    let unique = add(Constraint::Unique(
        UniqueConstraint::new(["name"]).named("uq_t_name"),
    ));
    let check = add(Constraint::Check(
        CheckConstraint::new("length(name) > 0").named("ck_t_name"),
    ));
    let bare_reference = add(Constraint::ForeignKey(
        ForeignKey::new(["user_id"], "users", Vec::<String>::new())
            .named("fk_t_user_id_users")
            .on_delete(ForeignKeyAction::Cascade),
    ));
    let cases: Vec<(&str, &Op)> = vec![
        (
            "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT COLLATE NOCASE) STRICT",
            &not_null,
        ),
        (
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL ON CONFLICT IGNORE UNIQUE ON CONFLICT REPLACE)",
            &nullable,
        ),
        (
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT CONSTRAINT df DEFAULT 'x' COLLATE RTRIM)",
            &default,
        ),
        (
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT DEFAULT 'x' NOT NULL)",
            &no_default,
        ),
        (
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, twice TEXT AS (name || name))",
            &new_default,
        ),
        (
            "CREATE TABLE [t] ([id] INTEGER PRIMARY KEY DESC, `name` varchar(50) COLLATE NOCASE CHECK (name <> ''))",
            &widen,
        ),
        (
            "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT)",
            &key_type,
        ),
        (
            "CREATE TABLE t (code TEXT PRIMARY KEY, name TEXT) WITHOUT ROWID",
            &unique,
        ),
        (
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, user_id INTEGER REFERENCES users DEFERRABLE INITIALLY DEFERRED)",
            &check,
        ),
        (
            "CREATE TABLE t (id INTEGER PRIMARY KEY, user_id INTEGER, d INT GENERATED ALWAYS AS (id * 2) VIRTUAL)",
            &bare_reference,
        ),
    ];
    let out: String = cases
        .into_iter()
        .map(|(sql, op)| {
            let after = edited(sql, op).unwrap_or_else(|e| panic!("{op}: {e}"));
            format!("{sql}\n  {op}\n  {after}\n\n")
        })
        .collect();
    insta::assert_snapshot!(out);
}

#[test]
fn drops_find_named_and_unnamed_constraints_where_they_are_declared() {
    let sql = "CREATE TABLE t (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        email TEXT CONSTRAINT uq_email UNIQUE ON CONFLICT ABORT NOT NULL,
        code TEXT UNIQUE ON CONFLICT REPLACE,
        user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
        score INT CHECK (score >= 0),
        CONSTRAINT ck_code CHECK (length(code) = 4),
        UNIQUE (email, code)
    )";
    let cases = [
        drop("uq_email", None),
        drop("ck_code", None),
        drop(
            "",
            Some(Constraint::Unique(UniqueConstraint::new(["code"]))),
        ),
        drop(
            "",
            Some(Constraint::Unique(UniqueConstraint::new(["email", "code"]))),
        ),
        drop(
            "",
            Some(Constraint::ForeignKey(ForeignKey::new(
                ["user_id"],
                "users",
                ["id"],
            ))),
        ),
        drop(
            "",
            Some(Constraint::Check(CheckConstraint::new("score >= 0"))),
        ),
        drop(
            "pk_t",
            Some(Constraint::PrimaryKey(PrimaryKey::new(["id"]))),
        ),
    ];
    let out: String = cases
        .iter()
        .map(|op| {
            let after = edited(sql, op).unwrap_or_else(|e| panic!("{op}: {e}"));
            format!("{op}\n  {after}\n\n")
        })
        .collect();
    insta::assert_snapshot!(out);
}

#[test]
fn what_cannot_be_carried_is_refused_naming_table_and_feature() {
    let op = drop("ck", None);
    let cases = [
        (
            "CREATE TABLE t (a INT PRIMARY KEY, b TEXT) WITHOUT ROWID, STRICT",
            "more than one table option",
        ),
        (
            "CREATE TABLE t (a INT, b INT, UNIQUE (a, b) ON CONFLICT REPLACE)",
            "ON CONFLICT on a table constraint",
        ),
        (
            "CREATE TABLE t (a INT REFERENCES u (id) MATCH FULL)",
            "MATCH in a foreign key",
        ),
        (
            "CREATE TABLE t (a TEXT CHECK (a GLOB '[a-z]*'))",
            "the GLOB operator",
        ),
        ("CREATE VIRTUAL TABLE t USING fts5(body)", "virtual table"),
    ];
    for (sql, feature) in cases {
        let err = TableStatement::parse(sql, "t", &op).expect_err(sql);
        let message = err.to_string();
        assert!(message.contains("table `t`"), "{message}");
        assert!(message.contains(feature), "{message}");
        assert!(message.contains("op.execute"), "{message}");
    }
    let missing =
        edited("CREATE TABLE t (a INT)", &drop("ck", None)).expect_err("no such constraint");
    assert!(missing.to_string().contains("constraint `ck`"), "{missing}");
    let absent_column = Op::AlterColumn(AlterColumn {
        nullable: Some(Change {
            from: true,
            to: false,
        }),
        ..alter(Column::new("b", SqlType::Text))
    });
    let err = edited("CREATE TABLE t (a INT)", &absent_column).expect_err("no column b");
    assert!(err.to_string().contains("column `b`"), "{err}");
    let second_key = add(Constraint::PrimaryKey(PrimaryKey::new(["a"])));
    let err =
        edited("CREATE TABLE t (a INT, b INT PRIMARY KEY)", &second_key).expect_err("has a key");
    assert!(err.to_string().contains("which has one"), "{err}");
}

/// Statements in SQLite's own idiom that the rebuild reprints: SQLite itself must read the
/// reprint as it read the original (same columns, keys, indexes and foreign keys).
#[cfg(feature = "sqlite")]
#[test]
fn reprinted_statements_mean_the_same_to_sqlite() {
    use crate::config::DatabaseUrl;
    use crate::executor::Executor;

    #[derive(diesel::QueryableByName)]
    struct Described {
        #[diesel(sql_type = diesel::sql_types::Text)]
        sql: String,
    }
    let corpus = [
        "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT COLLATE NOCASE NOT NULL UNIQUE)",
        "CREATE TABLE t (a INTEGER PRIMARY KEY DESC ON CONFLICT REPLACE, b NOT NULL ON CONFLICT IGNORE, c UNIQUE ON CONFLICT FAIL)",
        "CREATE TABLE t (a int, b text, PRIMARY KEY (a, b)) WITHOUT ROWID",
        "CREATE TABLE t (a int, b text, c any, d integer not null default 0) STRICT",
        "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a*2) VIRTUAL, c AS (a+1), d int AS (a+2) STORED)",
        "CREATE TABLE t (a int REFERENCES users, b int REFERENCES users(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED)",
        "CREATE TABLE t (a int, FOREIGN KEY (a) REFERENCES users (id) ON DELETE SET NULL ON UPDATE CASCADE)",
        "CREATE TABLE t (a int, b int, PRIMARY KEY (a DESC, b COLLATE NOCASE))",
        "CREATE TABLE t (a int DEFAULT -1, b text DEFAULT 'x''y', c DEFAULT (datetime('now')), d DEFAULT CURRENT_TIMESTAMP, e DEFAULT X'00ff', f DEFAULT +1.5, g DEFAULT TRUE, h DEFAULT NULL)",
        "CREATE TABLE \"t\" ([a b] varchar(255), `c` int, \"d\"\"q\" text, key TEXT, value TEXT, \"order\" int)",
        "CREATE TABLE t (a int CHECK (a IN (1,2,3)), b text CONSTRAINT ck_b CHECK (length(b) < 10 AND b LIKE 'x%'), CONSTRAINT ck_t CHECK (a IS NOT NULL OR b IS NULL))",
        "CREATE TABLE t (film_id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, title VARCHAR(255) NOT NULL, rental_rate DECIMAL(4,2) DEFAULT 4.99 NOT NULL, last_update TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')))",
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    let url = DatabaseUrl::Sqlite(dir.path().join("probe.db").display().to_string());
    let mut db = Executor::connect(&url).expect("open");
    // Every column, key, index and foreign key SQLite reports for `t`, as one text. Defaults
    // compare without spaces: sqlparser prints `f(a, b)` for `f(a,b)`, which SQLite reports.
    let describe = "SELECT (SELECT group_concat(lower(name || ' ' || type || ' ' || \"notnull\" \
        || ' ' || replace(coalesce(dflt_value, '-'), ' ', '') || ' ' || pk || ' ' || hidden), '; ') \
        FROM pragma_table_xinfo('t')) || ' | ' || coalesce((SELECT group_concat(il.seq || ' ' \
        || il.\"unique\" || ' ' || il.origin || ' ' || il.partial || ' ' || (SELECT \
        group_concat(coalesce(ii.name, '-') || ' ' || ii.\"desc\" || ' ' || ii.coll, ',') \
        FROM pragma_index_xinfo(il.name) ii), '; ') FROM pragma_index_list('t') il), '') || ' | ' \
        || coalesce((SELECT group_concat(\"table\" || ' ' || \"from\" || ' ' || coalesce(\"to\", '-') \
        || ' ' || on_update || ' ' || on_delete || ' ' || \"match\", '; ') \
        FROM pragma_foreign_key_list('t')), '') || ' | ' || (SELECT group_concat(type || ' ' || \
        wr || ' ' || strict) FROM pragma_table_list('t')) AS sql";
    let mut described = |sql: &str| {
        db.execute(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
        let rows: Vec<Described> = db.load(describe).expect("describe");
        db.execute("DROP TABLE \"t\"").expect("drop");
        rows.into_iter().next().map(|r| r.sql).unwrap_or_default()
    };
    let probe = drop("none", None);
    for sql in corpus {
        let statement = TableStatement::parse(sql, "t", &probe).unwrap_or_else(|e| panic!("{e}"));
        let reprinted = statement.create_sql("t");
        assert_eq!(described(sql), described(&reprinted), "{sql}\n{reprinted}");
    }
}

/// A rendered file says only the name the convention gives a key and its kind: a key the DDL
/// left unnamed is still found, on its column or on the table.
#[test]
fn an_unnamed_primary_key_is_dropped_by_kind() {
    let drop_key = Op::DropConstraint(DropConstraint {
        table: "t".into(),
        name: "pk_t".into(),
        constraint: None,
        kind: Some(crate::ops::ConstraintKind::PrimaryKey),
    });
    for sql in [
        "CREATE TABLE t (a TEXT PRIMARY KEY, b INT)",
        "CREATE TABLE t (a TEXT, b INT, PRIMARY KEY (a, b))",
    ] {
        let edited = edited(sql, &drop_key).expect("drops");
        assert!(!edited.to_uppercase().contains("PRIMARY KEY"), "{edited}");
    }
    assert!(edited("CREATE TABLE t (a TEXT)", &drop_key).is_err());
}

/// A type name of several words (Sakila's `BLOB SUB_TYPE TEXT`) is carried as written through
/// an edit of another column.
#[test]
fn type_names_of_several_words_survive_an_edit() {
    let op = Op::AlterColumn(AlterColumn {
        nullable: Some(Change {
            from: true,
            to: false,
        }),
        ..alter(Column::new("title", SqlType::Text))
    });
    let sql = "CREATE TABLE t (id INTEGER NOT NULL, title TEXT, \
               description BLOB SUB_TYPE TEXT DEFAULT NULL, PRIMARY KEY (id))";
    assert_eq!(
        edited(sql, &op).expect("edits"),
        "CREATE TABLE \"t\" (id INTEGER NOT NULL, title TEXT NOT NULL, \
         description BLOB SUB_TYPE TEXT DEFAULT NULL, PRIMARY KEY (id))"
    );
}
