use retort::Table;

#[derive(Table)]
struct Tag {
    #[column(primary_key, autoincrement)]
    slug: String,
}

fn main() {}
