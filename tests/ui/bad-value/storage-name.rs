use retort::Table;

#[derive(Table)]
#[table(mysql_engine = "Inno DB")]
struct Event {
    #[column(primary_key)]
    id: i64,
}

fn main() {}
