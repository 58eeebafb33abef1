use retort::SqlEnum;

#[derive(SqlEnum)]
#[sql_enum(rename_all = "lowercase")]
enum Mood {
    Happy,
    #[sql_enum(rename = "happy")]
    Glad,
}

fn main() {}
