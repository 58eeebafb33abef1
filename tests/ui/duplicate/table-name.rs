use retort::Table;

#[derive(Table)]
#[table(name = "users", name = "people")]
struct User {
    id: i64,
}

fn main() {}
