use retort::Table;

#[derive(Table)]
struct Invoice {
    id: i64,
    #[column(precision = 10, scale = 2)]
    total: String,
}

fn main() {}
