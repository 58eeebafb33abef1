use retort::SqlDomain;

#[derive(SqlDomain)]
#[sql_domain(check(name = "year_check", expr = "VALUE >="))]
struct Year(i32);

fn main() {}
