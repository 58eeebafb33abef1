use retort::Table;

#[derive(Table)]
#[table(index(columns(email, email_address)))]
struct User {
    id: i64,
    #[column(name = "email_address")]
    email: String,
}

fn main() {}
