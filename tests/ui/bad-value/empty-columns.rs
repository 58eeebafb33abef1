use retort::Table;

#[derive(Table)]
#[table(unique(columns()))]
struct User {
    id: i64,
}

fn main() {}
