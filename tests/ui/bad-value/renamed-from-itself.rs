use retort::Table;

#[derive(Table)]
struct User {
    id: i64,
    #[column(name = "email", renamed_from = "email")]
    mail: String,
}

fn main() {}
