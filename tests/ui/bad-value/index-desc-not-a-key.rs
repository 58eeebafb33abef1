use retort::Table;

#[derive(Table)]
#[table(index(columns(title), desc(created_at)))]
struct Post {
    #[column(primary_key)]
    id: i64,
    title: String,
    created_at: i64,
}

fn main() {}
