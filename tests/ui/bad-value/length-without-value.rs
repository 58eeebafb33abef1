use retort::Table;

#[derive(Table)]
struct User {
    id: i64,
    #[column(length)]
    email: String,
}

fn main() {}
