use retort::Table;

#[derive(Table)]
struct User {
    id: i64,
    #[column(foreign_key = "orgs.id", on_delete = "nullify")]
    org_id: Option<i64>,
}

fn main() {}
