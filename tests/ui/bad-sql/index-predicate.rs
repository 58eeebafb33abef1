use retort::Table;

#[derive(Table)]
#[table(index(columns(title), where = "deleted_at IS"))]
struct Post {
    #[column(primary_key)]
    id: i64,
    title: String,
    deleted_at: Option<i64>,
}

fn main() {}
