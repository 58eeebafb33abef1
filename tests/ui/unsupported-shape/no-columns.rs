use retort::Table;

#[derive(Table)]
struct Empty {
    #[column(skip)]
    cache: Vec<u8>,
}

fn main() {}
