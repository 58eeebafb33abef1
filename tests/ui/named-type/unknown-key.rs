use retort::SqlEnum;

#[derive(SqlEnum)]
#[sql_enum(labels = "happy")]
enum Mood {
    Happy,
}

fn main() {}
