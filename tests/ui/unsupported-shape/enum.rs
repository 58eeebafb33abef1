use retort::Table;

#[derive(Table)]
enum Status {
    Draft,
    Published,
}

fn main() {}
