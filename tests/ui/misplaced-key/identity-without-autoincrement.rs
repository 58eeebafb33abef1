use retort::Table;

#[derive(Table)]
struct Ticket {
    #[column(primary_key)]
    id: i64,
    #[column(identity(start = 100))]
    counter: i64,
}

fn main() {}
