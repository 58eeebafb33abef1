use retort::Table;

#[derive(Table)]
struct User {
    #[column(primary_key)]
    id: i64,
    #[column(lenght = 255)]
    email: String,
}

fn main() {}
