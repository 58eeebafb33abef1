use retort::Table;

#[derive(Table)]
#[table(index(name = "ix_user_email"))]
struct User {
    id: i64,
    email: String,
}

fn main() {}
