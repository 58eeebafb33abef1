use retort::Table;

#[derive(Table)]
struct User {
    email: String,
    #[column(name = "email")]
    email_address: String,
}

fn main() {}
