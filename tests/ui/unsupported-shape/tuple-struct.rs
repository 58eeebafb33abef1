use retort::Table;

#[derive(Table)]
struct Pair(i64, String);

fn main() {}
