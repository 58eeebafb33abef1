use retort::SqlEnum;

#[derive(SqlEnum)]
enum Mood {
    Happy,
    Sad(u8),
}

fn main() {}
