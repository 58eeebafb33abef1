use retort::Table;

#[derive(Table)]
#[table(primary_key(user_id, grup_id))]
struct Membership {
    user_id: i64,
    group_id: i64,
}

fn main() {}
