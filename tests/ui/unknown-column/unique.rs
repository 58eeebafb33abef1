use retort::Table;

#[derive(Table)]
#[table(unique(columns(org, email)))]
struct User {
    id: i64,
    org_id: i64,
    email: String,
}

fn main() {}
