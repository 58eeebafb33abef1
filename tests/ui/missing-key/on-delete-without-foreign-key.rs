use retort::Table;

#[derive(Table)]
struct User {
    id: i64,
    #[column(on_delete = "cascade")]
    org_id: i64,
}

fn main() {}
