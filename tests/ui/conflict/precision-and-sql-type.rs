use retort::Table;

#[derive(Table)]
struct Invoice {
    id: i64,
    #[column(sql_type = "text", precision = 10)]
    total: f64,
}

fn main() {}
