//! The models of Chinook's PostgreSQL edition (`Chinook_PostgreSql.sql`), written as a user
//! adopting that database would write them: snake_case names, every key, foreign key and index
//! under the name the DDL gave it, foreign keys with the `NO ACTION` the DDL spells out, and no
//! autoincrement, since the DDL declares its keys plain `INT NOT NULL` (no `SERIAL`, no
//! identity). `check` compares neither a primary key's name nor whether a key autoincrements,
//! so the catalog comparison of `tests/chinook.rs` is what holds those two. That test writes
//! this file into the test project as `migrations/src/models.rs`.
#![allow(dead_code)]

use retort::prelude::*;

#[derive(Table)]
#[table(
    name = "album",
    primary_key(name = "album_pkey", album_id),
    foreign_key(
        name = "album_artist_id_fkey",
        columns(artist_id),
        references = "artist(artist_id)",
        on_delete = "no action",
        on_update = "no action"
    ),
    index(name = "album_artist_id_idx", columns(artist_id))
)]
pub struct Album {
    #[column(autoincrement = false)]
    pub album_id: i32,
    #[column(length = 160)]
    pub title: String,
    pub artist_id: i32,
}

#[derive(Table)]
#[table(name = "artist", primary_key(name = "artist_pkey", artist_id))]
pub struct Artist {
    #[column(autoincrement = false)]
    pub artist_id: i32,
    #[column(length = 120)]
    pub name: Option<String>,
}

#[derive(Table)]
#[table(
    name = "customer",
    primary_key(name = "customer_pkey", customer_id),
    foreign_key(
        name = "customer_support_rep_id_fkey",
        columns(support_rep_id),
        references = "employee(employee_id)",
        on_delete = "no action",
        on_update = "no action"
    ),
    index(name = "customer_support_rep_id_idx", columns(support_rep_id))
)]
pub struct Customer {
    #[column(autoincrement = false)]
    pub customer_id: i32,
    #[column(length = 40)]
    pub first_name: String,
    #[column(length = 20)]
    pub last_name: String,
    #[column(length = 80)]
    pub company: Option<String>,
    #[column(length = 70)]
    pub address: Option<String>,
    #[column(length = 40)]
    pub city: Option<String>,
    #[column(length = 40)]
    pub state: Option<String>,
    #[column(length = 40)]
    pub country: Option<String>,
    #[column(length = 10)]
    pub postal_code: Option<String>,
    #[column(length = 24)]
    pub phone: Option<String>,
    #[column(length = 24)]
    pub fax: Option<String>,
    #[column(length = 60)]
    pub email: String,
    pub support_rep_id: Option<i32>,
}

#[derive(Table)]
#[table(
    name = "employee",
    primary_key(name = "employee_pkey", employee_id),
    foreign_key(
        name = "employee_reports_to_fkey",
        columns(reports_to),
        references = "employee(employee_id)",
        on_delete = "no action",
        on_update = "no action"
    ),
    index(name = "employee_reports_to_idx", columns(reports_to))
)]
pub struct Employee {
    #[column(autoincrement = false)]
    pub employee_id: i32,
    #[column(length = 20)]
    pub last_name: String,
    #[column(length = 20)]
    pub first_name: String,
    #[column(length = 30)]
    pub title: Option<String>,
    pub reports_to: Option<i32>,
    pub birth_date: Option<chrono::NaiveDateTime>,
    pub hire_date: Option<chrono::NaiveDateTime>,
    #[column(length = 70)]
    pub address: Option<String>,
    #[column(length = 40)]
    pub city: Option<String>,
    #[column(length = 40)]
    pub state: Option<String>,
    #[column(length = 40)]
    pub country: Option<String>,
    #[column(length = 10)]
    pub postal_code: Option<String>,
    #[column(length = 24)]
    pub phone: Option<String>,
    #[column(length = 24)]
    pub fax: Option<String>,
    #[column(length = 60)]
    pub email: Option<String>,
}

#[derive(Table)]
#[table(name = "genre", primary_key(name = "genre_pkey", genre_id))]
pub struct Genre {
    #[column(autoincrement = false)]
    pub genre_id: i32,
    #[column(length = 120)]
    pub name: Option<String>,
}

#[derive(Table)]
#[table(
    name = "invoice",
    primary_key(name = "invoice_pkey", invoice_id),
    foreign_key(
        name = "invoice_customer_id_fkey",
        columns(customer_id),
        references = "customer(customer_id)",
        on_delete = "no action",
        on_update = "no action"
    ),
    index(name = "invoice_customer_id_idx", columns(customer_id))
)]
pub struct Invoice {
    #[column(autoincrement = false)]
    pub invoice_id: i32,
    pub customer_id: i32,
    pub invoice_date: chrono::NaiveDateTime,
    #[column(length = 70)]
    pub billing_address: Option<String>,
    #[column(length = 40)]
    pub billing_city: Option<String>,
    #[column(length = 40)]
    pub billing_state: Option<String>,
    #[column(length = 40)]
    pub billing_country: Option<String>,
    #[column(length = 10)]
    pub billing_postal_code: Option<String>,
    #[column(precision = 10, scale = 2)]
    pub total: rust_decimal::Decimal,
}

#[derive(Table)]
#[table(
    name = "invoice_line",
    primary_key(name = "invoice_line_pkey", invoice_line_id),
    foreign_key(
        name = "invoice_line_invoice_id_fkey",
        columns(invoice_id),
        references = "invoice(invoice_id)",
        on_delete = "no action",
        on_update = "no action"
    ),
    foreign_key(
        name = "invoice_line_track_id_fkey",
        columns(track_id),
        references = "track(track_id)",
        on_delete = "no action",
        on_update = "no action"
    ),
    index(name = "invoice_line_invoice_id_idx", columns(invoice_id)),
    index(name = "invoice_line_track_id_idx", columns(track_id))
)]
pub struct InvoiceLine {
    #[column(autoincrement = false)]
    pub invoice_line_id: i32,
    pub invoice_id: i32,
    pub track_id: i32,
    #[column(precision = 10, scale = 2)]
    pub unit_price: rust_decimal::Decimal,
    pub quantity: i32,
}

#[derive(Table)]
#[table(
    name = "media_type",
    primary_key(name = "media_type_pkey", media_type_id)
)]
pub struct MediaType {
    #[column(autoincrement = false)]
    pub media_type_id: i32,
    #[column(length = 120)]
    pub name: Option<String>,
}

#[derive(Table)]
#[table(name = "playlist", primary_key(name = "playlist_pkey", playlist_id))]
pub struct Playlist {
    #[column(autoincrement = false)]
    pub playlist_id: i32,
    #[column(length = 120)]
    pub name: Option<String>,
}

#[derive(Table)]
#[table(
    name = "playlist_track",
    primary_key(name = "playlist_track_pkey", playlist_id, track_id),
    foreign_key(
        name = "playlist_track_playlist_id_fkey",
        columns(playlist_id),
        references = "playlist(playlist_id)",
        on_delete = "no action",
        on_update = "no action"
    ),
    foreign_key(
        name = "playlist_track_track_id_fkey",
        columns(track_id),
        references = "track(track_id)",
        on_delete = "no action",
        on_update = "no action"
    ),
    index(name = "playlist_track_playlist_id_idx", columns(playlist_id)),
    index(name = "playlist_track_track_id_idx", columns(track_id))
)]
pub struct PlaylistTrack {
    pub playlist_id: i32,
    pub track_id: i32,
}

#[derive(Table)]
#[table(
    name = "track",
    primary_key(name = "track_pkey", track_id),
    foreign_key(
        name = "track_album_id_fkey",
        columns(album_id),
        references = "album(album_id)",
        on_delete = "no action",
        on_update = "no action"
    ),
    foreign_key(
        name = "track_genre_id_fkey",
        columns(genre_id),
        references = "genre(genre_id)",
        on_delete = "no action",
        on_update = "no action"
    ),
    foreign_key(
        name = "track_media_type_id_fkey",
        columns(media_type_id),
        references = "media_type(media_type_id)",
        on_delete = "no action",
        on_update = "no action"
    ),
    index(name = "track_album_id_idx", columns(album_id)),
    index(name = "track_genre_id_idx", columns(genre_id)),
    index(name = "track_media_type_id_idx", columns(media_type_id))
)]
pub struct Track {
    #[column(autoincrement = false)]
    pub track_id: i32,
    #[column(length = 200)]
    pub name: String,
    pub album_id: Option<i32>,
    pub media_type_id: i32,
    pub genre_id: Option<i32>,
    #[column(length = 220)]
    pub composer: Option<String>,
    pub milliseconds: i32,
    pub bytes: Option<i32>,
    #[column(precision = 10, scale = 2)]
    pub unit_price: rust_decimal::Decimal,
}
