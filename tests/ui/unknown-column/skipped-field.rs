use retort::Table;

#[derive(Table)]
#[table(index(columns(cache)))]
struct User {
    id: i64,
    #[column(skip)]
    cache: String,
}

fn main() {}
