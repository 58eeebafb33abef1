use retort::Table;

#[derive(Table)]
struct Wrapper<T> {
    id: i64,
    value: T,
}

fn main() {}
