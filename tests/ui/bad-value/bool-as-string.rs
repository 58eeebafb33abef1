use retort::Table;

#[derive(Table)]
struct User {
    #[column(primary_key, autoincrement = "no")]
    id: i64,
}

fn main() {}
