use retort::Table;

#[derive(Table)]
struct Event {
    #[column(primary_key)]
    id: i64,
    #[column(collation = "utf8mb4 bin")]
    label: String,
}

fn main() {}
