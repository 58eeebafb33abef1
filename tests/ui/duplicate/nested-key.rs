use retort::Table;

#[derive(Table)]
#[table(index(name = "ix_a", columns(email), name = "ix_b"))]
struct User {
    id: i64,
    email: String,
}

fn main() {}
