use retort::Table;

#[derive(Table)]
#[table(check(expr = "age >="))]
struct Person {
    id: i64,
    age: i32,
}

fn main() {}
