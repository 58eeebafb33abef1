//! PostgreSQL domains through the rendered file on the real servers: a `#[derive(SqlDomain)]`
//! field is a column of the domain, created before its table and dropped after it; the
//! domain's CHECK holds; a changed CHECK is one `op.alter_domain`, applied with the rows kept
//! (refused while a row breaks it, nothing changed); downgrades restore each step. A schema
//! written by hand in pagila's idiom (Sakila on PostgreSQL: `year` is a domain, `rating` an
//! enum) compares clean after `stamp head`, and captured by autogenerate (a revision dropping
//! it all) it is recreated by that revision's downgrade. MySQL and SQLite have no domains: the
//! column is of the base type and the domain's definition is not compared.

use retort::core::ddl::Dialect;

use crate::support::{
    adopt, assert_clean, client, create_from_models, revert, revision_text, run, succeeds, Project,
};

const YEARS: &str = "VALUE >= 1901 AND VALUE <= 2155";
const WIDER: &str = "VALUE >= 1888 AND VALUE <= 2155";
const NARROWER: &str = "VALUE >= 1950 AND VALUE <= 2155";

/// The models with the domain's CHECK and, after it, more of its attribute (`, default = ..`).
fn models_with(check: &str, more: &str) -> String {
    format!(
        r#"#![allow(dead_code)]
use retort::prelude::*;

#[derive(SqlDomain)]
#[sql_domain(name = "year", check(name = "year_check", expr = "{check}"){more})]
pub struct Year(pub i32);

#[derive(SqlEnum)]
#[sql_enum(name = "mpaa_rating")]
pub enum MpaaRating {{
    G,
    #[sql_enum(rename = "PG")]
    Pg,
    #[sql_enum(rename = "PG-13")]
    Pg13,
    R,
    #[sql_enum(rename = "NC-17")]
    Nc17,
}}

#[derive(Table)]
#[table(name = "film")]
pub struct Film {{
    #[column(primary_key, autoincrement = false)]
    pub film_id: i32,
    #[column(length = 255)]
    pub title: String,
    pub release_year: Option<Year>,
    #[column(default = "'G'")]
    pub rating: Option<MpaaRating>,
}}
"#
    )
}

fn models(check: &str) -> String {
    models_with(check, "")
}

fn domains(project: &Project) -> String {
    run(
        client(project),
        "SELECT typname FROM pg_type WHERE typtype = 'd' \
         AND typnamespace = 'public'::regnamespace ORDER BY typname;",
    )
}

fn insert(year: i32) -> String {
    format!("INSERT INTO film (film_id, title, release_year) VALUES ({year}, 'f', {year})")
}

#[test]
fn postgres_domains() {
    let Some(project) = Project::on(Dialect::Postgres) else {
        return;
    };
    let project = &project;
    let initial = models(YEARS);
    create_from_models(
        project,
        &initial,
        "create",
        &[
            "op.create_domain(",
            &format!(r#".check("year_check", "{YEARS}")"#),
            r#"op.create_enum("mpaa_rating", ["G", "PG", "PG-13", "R", "NC-17"])?;"#,
            "SqlType::Domain(",
        ],
    );
    let file = revision_text(project, "create");
    assert!(
        file.find("op.create_domain") < file.find("op.create_table"),
        "{file}"
    );
    assert!(
        file.find("op.drop_table") < file.find("op.drop_domain"),
        "{file}"
    );
    assert!(domains(project).contains("year"));
    run(client(project), &format!("{};", insert(2006)));
    assert!(
        !succeeds(project, &insert(1890)),
        "the domain's CHECK holds"
    );

    // A wider CHECK and a default: one op, applied with the row kept.
    let wider = models_with(WIDER, r#", default = "2000""#);
    project.write("migrations/src/models.rs", &wider);
    project
        .migrate(&["revision", "--autogenerate", "-m", "wider years"])
        .expect(0);
    let file = revision_text(project, "wider_years");
    let upgrade =
        &file[file.find("fn upgrade").expect("upgrade")..file.find("fn downgrade").expect("down")];
    assert_eq!(upgrade.matches("op.").count(), 1, "{upgrade}");
    assert!(
        upgrade.contains("op.alter_domain(") && upgrade.contains(WIDER),
        "{upgrade}"
    );
    project.migrate(&["upgrade", "head"]).expect(0);
    assert_clean(project);
    assert!(succeeds(project, &insert(1890)));
    run(
        client(project),
        "INSERT INTO film (film_id, title) VALUES (7, 'g');",
    );
    assert_eq!(
        run(
            client(project),
            "SELECT release_year FROM film WHERE film_id = 7;"
        )
        .trim(),
        "2000",
        "the domain's default"
    );
    run(client(project), "DELETE FROM film WHERE film_id = 7;");

    // A narrower CHECK that row 1890 breaks: refused, nothing changed; then it runs.
    project.write(
        "migrations/src/models.rs",
        &models_with(NARROWER, r#", default = "2000""#),
    );
    project
        .migrate(&["revision", "--autogenerate", "-m", "narrower years"])
        .expect(0);
    let failed = project.migrate(&["upgrade", "head"]).expect(1);
    assert!(failed.stderr.contains("narrower"), "{failed:#?}");
    assert_eq!(project.count("film"), 2);
    assert!(
        succeeds(project, &insert(1891)),
        "the wider CHECK still holds"
    );
    run(
        client(project),
        "DELETE FROM film WHERE release_year < 1950;",
    );
    project.migrate(&["upgrade", "head"]).expect(0);
    assert_clean(project);
    assert!(!succeeds(project, &insert(1900)));

    revert(project, "narrower_years", &wider);
    assert!(succeeds(project, &insert(1890)));
    run(
        client(project),
        "DELETE FROM film WHERE release_year < 1901;",
    );
    revert(project, "wider_years", &initial);
    assert!(!succeeds(project, &insert(1890)));
    assert_eq!(project.count("film"), 1);
    project.migrate(&["downgrade", "base"]).expect(0);
    assert!(!domains(project).contains("year"), "the domain is dropped");
}

/// pagila's own DDL (as `pg_dump` writes it), with rows and a view, adopted by the models; then
/// captured: a revision from models that declare nothing drops the table, the domain and the
/// enum, and its downgrade, rendered from what reflection read, creates them again.
#[test]
fn hand_written_domain_compares_clean_and_round_trips() {
    let Some(project) = Project::on(Dialect::Postgres) else {
        return;
    };
    run(
        client(&project),
        "CREATE DOMAIN public.year AS integer
           CONSTRAINT year_check CHECK (((VALUE >= 1901) AND (VALUE <= 2155)));
         CREATE TYPE public.mpaa_rating AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17');
         CREATE TABLE public.film (film_id integer NOT NULL PRIMARY KEY,
           title character varying(255) NOT NULL, release_year public.year,
           rating public.mpaa_rating DEFAULT 'G'::public.mpaa_rating);
         INSERT INTO film VALUES (1, 'ACADEMY DINOSAUR', 2006, 'PG');",
    );
    adopt(&project, &models(YEARS));
    project.write("migrations/src/models.rs", &models(WIDER));
    let check = project.migrate(&["check"]).expect(1);
    assert!(check.stdout.contains("domain `year`"), "{check:#?}");

    project.write("migrations/src/models.rs", "");
    project
        .migrate(&[
            "revision",
            "--autogenerate",
            "--allow-empty-target",
            "-m",
            "capture",
        ])
        .expect(0);
    let file = revision_text(&project, "capture");
    for part in [
        r#"op.drop_table("film")?;"#,
        "op.drop_domain(",
        r#"op.drop_enum("mpaa_rating", ["G", "PG", "PG-13", "R", "NC-17"])?;"#,
        "op.create_domain(",
        "SqlType::Domain(",
    ] {
        assert!(file.contains(part), "no `{part}` in:\n{file}");
    }
    project.migrate(&["upgrade", "head"]).expect(0);
    assert!(!domains(&project).contains("year"));
    revert(&project, "capture", &models(YEARS));
    assert!(domains(&project).contains("year"));
    assert!(!succeeds(&project, &insert(1800)), "the CHECK came back");
    assert!(succeeds(&project, &insert(2001)));
}

/// No domains here: the column is of the base type, created, holding rows and compared clean;
/// a changed domain definition changes nothing.
#[test]
fn mysql_and_sqlite_columns_of_a_domain_are_its_base_type() {
    for dialect in [Dialect::Mysql, Dialect::Sqlite] {
        let Some(project) = Project::on(dialect) else {
            continue;
        };
        let initial = models(YEARS);
        create_from_models(&project, &initial, "create", &["SqlType::Domain("]);
        let file = revision_text(&project, "create");
        assert!(!file.contains("op.create_domain"), "{file}");
        run(client(&project), &format!("{};", insert(1800)));
        project.write("migrations/src/models.rs", &models(WIDER));
        assert_clean(&project);
        assert_eq!(project.count("film"), 1);
    }
}
