use retort::Table;

#[derive(Table)]
#[table(index(columns(tags), using = "inverted"))]
struct Post {
    #[column(primary_key)]
    id: i64,
    tags: String,
}

fn main() {}
