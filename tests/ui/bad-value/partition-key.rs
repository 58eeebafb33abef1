use retort::Table;

#[derive(Table)]
#[table(postgresql_partition_by = "taken_on")]
struct Reading {
    #[column(primary_key)]
    id: i64,
}

fn main() {}
