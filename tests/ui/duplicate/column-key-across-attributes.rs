use retort::Table;

#[derive(Table)]
struct User {
    #[column(length = 100)]
    #[column(length = 255)]
    email: String,
}

fn main() {}
