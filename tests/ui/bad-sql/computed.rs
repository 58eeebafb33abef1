use retort::Table;

#[derive(Table)]
struct Line {
    id: i64,
    price: i64,
    quantity: i64,
    #[column(computed = "price *")]
    total: i64,
}

fn main() {}
