use retort::Table;

#[derive(Table)]
struct User {
    id: i64,
    #[column(length = "255")]
    email: String,
}

fn main() {}
