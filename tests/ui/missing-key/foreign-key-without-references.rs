use retort::Table;

#[derive(Table)]
#[table(foreign_key(columns(org_id), on_delete = "cascade"))]
struct User {
    id: i64,
    org_id: i64,
}

fn main() {}
