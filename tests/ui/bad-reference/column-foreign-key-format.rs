use retort::Table;

#[derive(Table)]
struct User {
    id: i64,
    #[column(foreign_key = "orgs(id)")]
    org_id: i64,
}

fn main() {}
