use retort::Table;

#[derive(Table)]
struct User {
    id: i64,
    #[column(autoincrement)]
    counter: i64,
}

fn main() {}
