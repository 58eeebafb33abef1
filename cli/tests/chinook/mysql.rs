//! The models of Chinook's MySQL edition (`Chinook_MySql.sql`), written as a user adopting that
//! database would write them. The edition names its tables and columns in PascalCase (`Album`,
//! `AlbumId`), so every name is given. Its keys are plain `INT NOT NULL` (no `AUTO_INCREMENT`),
//! so no key autoincrements. Its foreign keys and their indexes keep the DDL's names
//! (`FK_AlbumArtistId`, `IFK_AlbumArtistId`), and the keys say `NO ACTION` as the DDL does:
//! InnoDB enforces that as its default RESTRICT, and retort compares the two alike, but
//! MariaDB's catalog keeps an action spelled out (`SHOW CREATE TABLE` prints it). MySQL names
//! every primary key `PRIMARY`; the `PK_*` names are the DDL's, which the server does not keep.
//! The edition's `NVARCHAR(n)` is a `String` with a length: its utf8mb3 character set is the
//! one thing the models cannot say (see `without_national_charset` in `tests/chinook.rs`,
//! which writes this file into the test project as `migrations/src/models.rs`).
#![allow(dead_code)]

use retort::prelude::*;

#[derive(Table)]
#[table(
    name = "Album",
    primary_key(name = "PK_Album", album_id),
    foreign_key(
        name = "FK_AlbumArtistId",
        columns(artist_id),
        references = "Artist(ArtistId)",
        on_delete = "no action",
        on_update = "no action"
    ),
    index(name = "IFK_AlbumArtistId", columns(artist_id))
)]
pub struct Album {
    #[column(name = "AlbumId", autoincrement = false)]
    pub album_id: i32,
    #[column(name = "Title", length = 160)]
    pub title: String,
    #[column(name = "ArtistId")]
    pub artist_id: i32,
}

#[derive(Table)]
#[table(name = "Artist", primary_key(name = "PK_Artist", artist_id))]
pub struct Artist {
    #[column(name = "ArtistId", autoincrement = false)]
    pub artist_id: i32,
    #[column(name = "Name", length = 120)]
    pub name: Option<String>,
}

#[derive(Table)]
#[table(
    name = "Customer",
    primary_key(name = "PK_Customer", customer_id),
    foreign_key(
        name = "FK_CustomerSupportRepId",
        columns(support_rep_id),
        references = "Employee(EmployeeId)",
        on_delete = "no action",
        on_update = "no action"
    ),
    index(name = "IFK_CustomerSupportRepId", columns(support_rep_id))
)]
pub struct Customer {
    #[column(name = "CustomerId", autoincrement = false)]
    pub customer_id: i32,
    #[column(name = "FirstName", length = 40)]
    pub first_name: String,
    #[column(name = "LastName", length = 20)]
    pub last_name: String,
    #[column(name = "Company", length = 80)]
    pub company: Option<String>,
    #[column(name = "Address", length = 70)]
    pub address: Option<String>,
    #[column(name = "City", length = 40)]
    pub city: Option<String>,
    #[column(name = "State", length = 40)]
    pub state: Option<String>,
    #[column(name = "Country", length = 40)]
    pub country: Option<String>,
    #[column(name = "PostalCode", length = 10)]
    pub postal_code: Option<String>,
    #[column(name = "Phone", length = 24)]
    pub phone: Option<String>,
    #[column(name = "Fax", length = 24)]
    pub fax: Option<String>,
    #[column(name = "Email", length = 60)]
    pub email: String,
    #[column(name = "SupportRepId")]
    pub support_rep_id: Option<i32>,
}

#[derive(Table)]
#[table(
    name = "Employee",
    primary_key(name = "PK_Employee", employee_id),
    foreign_key(
        name = "FK_EmployeeReportsTo",
        columns(reports_to),
        references = "Employee(EmployeeId)",
        on_delete = "no action",
        on_update = "no action"
    ),
    index(name = "IFK_EmployeeReportsTo", columns(reports_to))
)]
pub struct Employee {
    #[column(name = "EmployeeId", autoincrement = false)]
    pub employee_id: i32,
    #[column(name = "LastName", length = 20)]
    pub last_name: String,
    #[column(name = "FirstName", length = 20)]
    pub first_name: String,
    #[column(name = "Title", length = 30)]
    pub title: Option<String>,
    #[column(name = "ReportsTo")]
    pub reports_to: Option<i32>,
    #[column(name = "BirthDate")]
    pub birth_date: Option<chrono::NaiveDateTime>,
    #[column(name = "HireDate")]
    pub hire_date: Option<chrono::NaiveDateTime>,
    #[column(name = "Address", length = 70)]
    pub address: Option<String>,
    #[column(name = "City", length = 40)]
    pub city: Option<String>,
    #[column(name = "State", length = 40)]
    pub state: Option<String>,
    #[column(name = "Country", length = 40)]
    pub country: Option<String>,
    #[column(name = "PostalCode", length = 10)]
    pub postal_code: Option<String>,
    #[column(name = "Phone", length = 24)]
    pub phone: Option<String>,
    #[column(name = "Fax", length = 24)]
    pub fax: Option<String>,
    #[column(name = "Email", length = 60)]
    pub email: Option<String>,
}

#[derive(Table)]
#[table(name = "Genre", primary_key(name = "PK_Genre", genre_id))]
pub struct Genre {
    #[column(name = "GenreId", autoincrement = false)]
    pub genre_id: i32,
    #[column(name = "Name", length = 120)]
    pub name: Option<String>,
}

#[derive(Table)]
#[table(
    name = "Invoice",
    primary_key(name = "PK_Invoice", invoice_id),
    foreign_key(
        name = "FK_InvoiceCustomerId",
        columns(customer_id),
        references = "Customer(CustomerId)",
        on_delete = "no action",
        on_update = "no action"
    ),
    index(name = "IFK_InvoiceCustomerId", columns(customer_id))
)]
pub struct Invoice {
    #[column(name = "InvoiceId", autoincrement = false)]
    pub invoice_id: i32,
    #[column(name = "CustomerId")]
    pub customer_id: i32,
    #[column(name = "InvoiceDate")]
    pub invoice_date: chrono::NaiveDateTime,
    #[column(name = "BillingAddress", length = 70)]
    pub billing_address: Option<String>,
    #[column(name = "BillingCity", length = 40)]
    pub billing_city: Option<String>,
    #[column(name = "BillingState", length = 40)]
    pub billing_state: Option<String>,
    #[column(name = "BillingCountry", length = 40)]
    pub billing_country: Option<String>,
    #[column(name = "BillingPostalCode", length = 10)]
    pub billing_postal_code: Option<String>,
    #[column(name = "Total", precision = 10, scale = 2)]
    pub total: rust_decimal::Decimal,
}

#[derive(Table)]
#[table(
    name = "InvoiceLine",
    primary_key(name = "PK_InvoiceLine", invoice_line_id),
    foreign_key(
        name = "FK_InvoiceLineInvoiceId",
        columns(invoice_id),
        references = "Invoice(InvoiceId)",
        on_delete = "no action",
        on_update = "no action"
    ),
    foreign_key(
        name = "FK_InvoiceLineTrackId",
        columns(track_id),
        references = "Track(TrackId)",
        on_delete = "no action",
        on_update = "no action"
    ),
    index(name = "IFK_InvoiceLineInvoiceId", columns(invoice_id)),
    index(name = "IFK_InvoiceLineTrackId", columns(track_id))
)]
pub struct InvoiceLine {
    #[column(name = "InvoiceLineId", autoincrement = false)]
    pub invoice_line_id: i32,
    #[column(name = "InvoiceId")]
    pub invoice_id: i32,
    #[column(name = "TrackId")]
    pub track_id: i32,
    #[column(name = "UnitPrice", precision = 10, scale = 2)]
    pub unit_price: rust_decimal::Decimal,
    #[column(name = "Quantity")]
    pub quantity: i32,
}

#[derive(Table)]
#[table(name = "MediaType", primary_key(name = "PK_MediaType", media_type_id))]
pub struct MediaType {
    #[column(name = "MediaTypeId", autoincrement = false)]
    pub media_type_id: i32,
    #[column(name = "Name", length = 120)]
    pub name: Option<String>,
}

#[derive(Table)]
#[table(name = "Playlist", primary_key(name = "PK_Playlist", playlist_id))]
pub struct Playlist {
    #[column(name = "PlaylistId", autoincrement = false)]
    pub playlist_id: i32,
    #[column(name = "Name", length = 120)]
    pub name: Option<String>,
}

#[derive(Table)]
#[table(
    name = "PlaylistTrack",
    primary_key(name = "PK_PlaylistTrack", playlist_id, track_id),
    foreign_key(
        name = "FK_PlaylistTrackPlaylistId",
        columns(playlist_id),
        references = "Playlist(PlaylistId)",
        on_delete = "no action",
        on_update = "no action"
    ),
    foreign_key(
        name = "FK_PlaylistTrackTrackId",
        columns(track_id),
        references = "Track(TrackId)",
        on_delete = "no action",
        on_update = "no action"
    ),
    index(name = "IFK_PlaylistTrackPlaylistId", columns(playlist_id)),
    index(name = "IFK_PlaylistTrackTrackId", columns(track_id))
)]
pub struct PlaylistTrack {
    #[column(name = "PlaylistId")]
    pub playlist_id: i32,
    #[column(name = "TrackId")]
    pub track_id: i32,
}

#[derive(Table)]
#[table(
    name = "Track",
    primary_key(name = "PK_Track", track_id),
    foreign_key(
        name = "FK_TrackAlbumId",
        columns(album_id),
        references = "Album(AlbumId)",
        on_delete = "no action",
        on_update = "no action"
    ),
    foreign_key(
        name = "FK_TrackGenreId",
        columns(genre_id),
        references = "Genre(GenreId)",
        on_delete = "no action",
        on_update = "no action"
    ),
    foreign_key(
        name = "FK_TrackMediaTypeId",
        columns(media_type_id),
        references = "MediaType(MediaTypeId)",
        on_delete = "no action",
        on_update = "no action"
    ),
    index(name = "IFK_TrackAlbumId", columns(album_id)),
    index(name = "IFK_TrackGenreId", columns(genre_id)),
    index(name = "IFK_TrackMediaTypeId", columns(media_type_id))
)]
pub struct Track {
    #[column(name = "TrackId", autoincrement = false)]
    pub track_id: i32,
    #[column(name = "Name", length = 200)]
    pub name: String,
    #[column(name = "AlbumId")]
    pub album_id: Option<i32>,
    #[column(name = "MediaTypeId")]
    pub media_type_id: i32,
    #[column(name = "GenreId")]
    pub genre_id: Option<i32>,
    #[column(name = "Composer", length = 220)]
    pub composer: Option<String>,
    #[column(name = "Milliseconds")]
    pub milliseconds: i32,
    #[column(name = "Bytes")]
    pub bytes: Option<i32>,
    #[column(name = "UnitPrice", precision = 10, scale = 2)]
    pub unit_price: rust_decimal::Decimal,
}
