use retort::Table;

#[derive(Table)]
struct User {
    id: i64,
    #[column(unique, index)]
    email: String,
}

fn main() {}
