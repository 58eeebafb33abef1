use retort::Table;

#[derive(Table)]
#[table(primary_key(user_id, group_id))]
struct Membership {
    user_id: i64,
    #[column(primary_key)]
    group_id: i64,
}

fn main() {}
