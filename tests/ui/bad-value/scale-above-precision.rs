use retort::Table;

#[derive(Table)]
struct Invoice {
    id: i64,
    #[column(precision = 4, scale = 6)]
    total: f64,
}

fn main() {}
