//! Integration tests of autogenerate against real SQLite files.

mod sqlite_round_trip;
mod version_table;
