use retort::Table;

#[derive(Table)]
#[table(check(name = "ck_person_age"))]
struct Person {
    id: i64,
    age: i32,
}

fn main() {}
