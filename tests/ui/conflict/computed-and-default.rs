use retort::Table;

#[derive(Table)]
struct Line {
    id: i64,
    #[column(computed = "price * quantity", default = 0)]
    total: i64,
}

fn main() {}
