use retort::Table;

#[derive(Table)]
struct Invoice {
    id: i64,
    #[column(scale = 2)]
    total: f64,
}

fn main() {}
