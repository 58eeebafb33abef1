use retort::Table;

#[derive(Table)]
#[table(index(columns(email, create_at)))]
struct User {
    id: i64,
    email: String,
    created_at: String,
}

fn main() {}
