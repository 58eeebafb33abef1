use retort::Table;

#[derive(Table)]
struct User {
    id: i64,
    #[column(sql_type = "varchar", length = 255)]
    email: String,
}

fn main() {}
