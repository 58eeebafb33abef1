use retort::Table;

struct Money(i64);

#[derive(Table)]
struct Order {
    id: i64,
    total: Money,
}

fn main() {}
