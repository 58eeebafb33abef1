use retort::Table;

#[derive(Table)]
struct User {
    id: i64,
    #[column(length = 10)]
    age: i32,
}

fn main() {}
