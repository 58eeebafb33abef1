use retort::Table;

#[derive(Table)]
struct User {
    #[column(primary_key, nullable)]
    id: i64,
}

fn main() {}
