use retort::Table;

#[derive(Table)]
#[table(foreign_key(columns(org_id), references = "orgs.id"))]
struct User {
    id: i64,
    org_id: i64,
}

fn main() {}
