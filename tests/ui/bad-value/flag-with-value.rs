use retort::Table;

#[derive(Table)]
struct User {
    #[column(primary_key = true)]
    id: i64,
}

fn main() {}
