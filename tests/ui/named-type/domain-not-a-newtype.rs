use retort::SqlDomain;

#[derive(SqlDomain)]
#[sql_domain(name = "year")]
struct Year {
    value: i32,
}

fn main() {}
