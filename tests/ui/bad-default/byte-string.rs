use retort::Table;

#[derive(Table)]
struct Post {
    id: i64,
    #[column(default = b"draft")]
    status: String,
}

fn main() {}
