use retort::Table;

#[derive(Table)]
#[table(index = "email")]
struct User {
    id: i64,
    email: String,
}

fn main() {}
