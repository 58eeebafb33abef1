use retort::SqlEnum;

#[derive(SqlEnum)]
#[sql_enum(rename_all = "Title Case")]
enum Mood {
    Happy,
}

fn main() {}
