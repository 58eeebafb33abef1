use retort::Table;

#[derive(Table)]
#[table(nmae = "users")]
struct User {
    id: i64,
}

fn main() {}
