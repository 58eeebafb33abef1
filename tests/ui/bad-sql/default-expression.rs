use retort::Table;

#[derive(Table)]
struct Post {
    id: i64,
    #[column(default = "now(")]
    published_at: String,
}

fn main() {}
