use retort::Table;

#[derive(Table)]
#[table(index(colums(email)))]
struct User {
    id: i64,
    email: String,
}

fn main() {}
