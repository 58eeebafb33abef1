use retort::Table;

#[derive(Table)]
struct User {
    id: i64,
    #[column(sql_type = "varchar(")]
    email: String,
}

fn main() {}
