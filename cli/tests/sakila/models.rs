//! The models of Sakila's SQLite edition (`data/sakila/sakila-schema.sql`), written as a user
//! adopting that database would write them. Keys, foreign keys and indexes keep the DDL's
//! names; each single-column `INTEGER` key is SQLite's rowid alias (the models' default
//! autoincrement), and the composite keys of `film_actor` and `film_category` are unnamed, as in
//! the DDL. `INT` is `i32`, `SMALLINT` `i16`, `TIMESTAMP` a `NaiveDateTime`, `DECIMAL(p,s)` a
//! `Decimal`, `CHAR(n)` a `String` of that SQL type, `BLOB` bytes. The edition's
//! `BLOB SUB_TYPE TEXT` (a Firebird spelling SQLite reads as TEXT affinity) is named as written.
//! Its `DEFAULT NULL` clauses are what a nullable column without a default already means.
//! `tests/sakila.rs` writes this file into the test project as `migrations/src/models.rs`, and
//! edits it for the four changes it makes.
#![allow(dead_code)]
#![allow(clippy::duplicated_attributes)]

use retort::prelude::*;

#[derive(Table)]
#[table(name = "actor", index(name = "idx_actor_last_name", columns(last_name)))]
pub struct Actor {
    #[column(primary_key)]
    pub actor_id: i32,
    #[column(length = 45)]
    pub first_name: String,
    #[column(length = 45)]
    pub last_name: String,
    pub last_update: chrono::NaiveDateTime,
}

#[derive(Table)]
#[table(name = "country")]
pub struct Country {
    #[column(primary_key)]
    pub country_id: i32,
    #[column(length = 50)]
    pub country: String,
    pub last_update: Option<chrono::NaiveDateTime>,
}

#[derive(Table)]
#[table(
    name = "city",
    foreign_key(
        name = "fk_city_country",
        columns(country_id),
        references = "country(country_id)",
        on_delete = "no action",
        on_update = "cascade"
    ),
    index(name = "idx_fk_country_id", columns(country_id))
)]
pub struct City {
    #[column(primary_key)]
    pub city_id: i32,
    #[column(length = 50)]
    pub city: String,
    pub country_id: i32,
    pub last_update: chrono::NaiveDateTime,
}

#[derive(Table)]
#[table(
    name = "address",
    foreign_key(
        name = "fk_address_city",
        columns(city_id),
        references = "city(city_id)",
        on_delete = "no action",
        on_update = "cascade"
    ),
    index(name = "idx_fk_city_id", columns(city_id))
)]
pub struct Address {
    #[column(primary_key)]
    pub address_id: i32,
    #[column(length = 50)]
    pub address: String,
    #[column(length = 50)]
    pub address2: Option<String>,
    #[column(length = 20)]
    pub district: String,
    pub city_id: i32,
    #[column(length = 10)]
    pub postal_code: Option<String>,
    #[column(length = 20)]
    pub phone: String,
    pub last_update: chrono::NaiveDateTime,
}

#[derive(Table)]
#[table(name = "language")]
pub struct Language {
    #[column(primary_key)]
    pub language_id: i32,
    #[column(sql_type = "char(20)")]
    pub name: String,
    pub last_update: chrono::NaiveDateTime,
}

#[derive(Table)]
#[table(name = "category")]
pub struct Category {
    #[column(primary_key)]
    pub category_id: i32,
    #[column(length = 25)]
    pub name: String,
    pub last_update: chrono::NaiveDateTime,
}

#[derive(Table)]
#[table(
    name = "customer",
    foreign_key(
        name = "fk_customer_store",
        columns(store_id),
        references = "store(store_id)",
        on_delete = "no action",
        on_update = "cascade"
    ),
    foreign_key(
        name = "fk_customer_address",
        columns(address_id),
        references = "address(address_id)",
        on_delete = "no action",
        on_update = "cascade"
    ),
    index(name = "idx_customer_fk_store_id", columns(store_id)),
    index(name = "idx_customer_fk_address_id", columns(address_id)),
    index(name = "idx_customer_last_name", columns(last_name))
)]
pub struct Customer {
    #[column(primary_key)]
    pub customer_id: i32,
    pub store_id: i32,
    #[column(length = 45)]
    pub first_name: String,
    #[column(length = 45)]
    pub last_name: String,
    #[column(length = 50)]
    pub email: Option<String>,
    pub address_id: i32,
    #[column(sql_type = "char(1)", default = "'Y'")]
    pub active: String,
    pub create_date: chrono::NaiveDateTime,
    pub last_update: chrono::NaiveDateTime,
}

#[derive(Table)]
#[table(
    name = "film",
    check(
        name = "CHECK_special_features",
        expr = "special_features IS NULL OR special_features LIKE '%Trailers%' OR \
                special_features LIKE '%Commentaries%' OR \
                special_features LIKE '%Deleted Scenes%' OR \
                special_features LIKE '%Behind the Scenes%'"
    ),
    check(
        name = "CHECK_special_rating",
        expr = "rating IN ('G', 'PG', 'PG-13', 'R', 'NC-17')"
    ),
    foreign_key(
        name = "fk_film_language",
        columns(language_id),
        references = "language(language_id)"
    ),
    foreign_key(
        name = "fk_film_language_original",
        columns(original_language_id),
        references = "language(language_id)"
    ),
    index(name = "idx_fk_language_id", columns(language_id)),
    index(name = "idx_fk_original_language_id", columns(original_language_id))
)]
pub struct Film {
    #[column(primary_key)]
    pub film_id: i32,
    #[column(length = 255)]
    pub title: String,
    #[column(sql_type = "BLOB SUB_TYPE TEXT")]
    pub description: Option<String>,
    #[column(length = 4)]
    pub release_year: Option<String>,
    pub language_id: i32,
    pub original_language_id: Option<i32>,
    #[column(default = 3)]
    pub rental_duration: i16,
    #[column(precision = 4, scale = 2, default = 4.99)]
    pub rental_rate: rust_decimal::Decimal,
    pub length: Option<i16>,
    #[column(precision = 5, scale = 2, default = 19.99)]
    pub replacement_cost: rust_decimal::Decimal,
    #[column(length = 10, default = "'G'")]
    pub rating: Option<String>,
    #[column(length = 100)]
    pub special_features: Option<String>,
    pub last_update: chrono::NaiveDateTime,
}

#[derive(Table)]
#[table(
    name = "film_actor",
    primary_key(actor_id, film_id),
    foreign_key(
        name = "fk_film_actor_actor",
        columns(actor_id),
        references = "actor(actor_id)",
        on_delete = "no action",
        on_update = "cascade"
    ),
    foreign_key(
        name = "fk_film_actor_film",
        columns(film_id),
        references = "film(film_id)",
        on_delete = "no action",
        on_update = "cascade"
    ),
    index(name = "idx_fk_film_actor_film", columns(film_id)),
    index(name = "idx_fk_film_actor_actor", columns(actor_id))
)]
pub struct FilmActor {
    pub actor_id: i32,
    pub film_id: i32,
    pub last_update: chrono::NaiveDateTime,
}

#[derive(Table)]
#[table(
    name = "film_category",
    primary_key(film_id, category_id),
    foreign_key(
        name = "fk_film_category_film",
        columns(film_id),
        references = "film(film_id)",
        on_delete = "no action",
        on_update = "cascade"
    ),
    foreign_key(
        name = "fk_film_category_category",
        columns(category_id),
        references = "category(category_id)",
        on_delete = "no action",
        on_update = "cascade"
    ),
    index(name = "idx_fk_film_category_film", columns(film_id)),
    index(name = "idx_fk_film_category_category", columns(category_id))
)]
pub struct FilmCategory {
    pub film_id: i32,
    pub category_id: i32,
    pub last_update: chrono::NaiveDateTime,
}

#[derive(Table)]
#[table(name = "film_text")]
pub struct FilmText {
    #[column(primary_key)]
    pub film_id: i32,
    #[column(length = 255)]
    pub title: String,
    #[column(sql_type = "BLOB SUB_TYPE TEXT")]
    pub description: Option<String>,
}

#[derive(Table)]
#[table(
    name = "inventory",
    foreign_key(
        name = "fk_inventory_store",
        columns(store_id),
        references = "store(store_id)",
        on_delete = "no action",
        on_update = "cascade"
    ),
    foreign_key(
        name = "fk_inventory_film",
        columns(film_id),
        references = "film(film_id)",
        on_delete = "no action",
        on_update = "cascade"
    ),
    index(name = "idx_fk_film_id", columns(film_id)),
    index(name = "idx_fk_film_id_store_id", columns(store_id, film_id))
)]
pub struct Inventory {
    #[column(primary_key)]
    pub inventory_id: i32,
    pub film_id: i32,
    pub store_id: i32,
    pub last_update: chrono::NaiveDateTime,
}

#[derive(Table)]
#[table(
    name = "staff",
    foreign_key(
        name = "fk_staff_store",
        columns(store_id),
        references = "store(store_id)",
        on_delete = "no action",
        on_update = "cascade"
    ),
    foreign_key(
        name = "fk_staff_address",
        columns(address_id),
        references = "address(address_id)",
        on_delete = "no action",
        on_update = "cascade"
    ),
    index(name = "idx_fk_staff_store_id", columns(store_id)),
    index(name = "idx_fk_staff_address_id", columns(address_id))
)]
pub struct Staff {
    #[column(primary_key)]
    pub staff_id: i32,
    #[column(length = 45)]
    pub first_name: String,
    #[column(length = 45)]
    pub last_name: String,
    pub address_id: i32,
    pub picture: Option<Vec<u8>>,
    #[column(length = 50)]
    pub email: Option<String>,
    pub store_id: i32,
    #[column(default = 1)]
    pub active: i16,
    #[column(length = 16)]
    pub username: String,
    #[column(length = 40)]
    pub password: Option<String>,
    pub last_update: chrono::NaiveDateTime,
}

#[derive(Table)]
#[table(
    name = "store",
    foreign_key(
        name = "fk_store_staff",
        columns(manager_staff_id),
        references = "staff(staff_id)"
    ),
    foreign_key(
        name = "fk_store_address",
        columns(address_id),
        references = "address(address_id)"
    ),
    index(name = "idx_store_fk_manager_staff_id", columns(manager_staff_id)),
    index(name = "idx_fk_store_address", columns(address_id))
)]
pub struct Store {
    #[column(primary_key)]
    pub store_id: i32,
    pub manager_staff_id: i32,
    pub address_id: i32,
    pub last_update: chrono::NaiveDateTime,
}

#[derive(Table)]
#[table(
    name = "payment",
    foreign_key(
        name = "fk_payment_rental",
        columns(rental_id),
        references = "rental(rental_id)",
        on_delete = "set null",
        on_update = "cascade"
    ),
    foreign_key(
        name = "fk_payment_customer",
        columns(customer_id),
        references = "customer(customer_id)"
    ),
    foreign_key(
        name = "fk_payment_staff",
        columns(staff_id),
        references = "staff(staff_id)"
    ),
    index(name = "idx_fk_staff_id", columns(staff_id)),
    index(name = "idx_fk_customer_id", columns(customer_id))
)]
pub struct Payment {
    #[column(primary_key)]
    pub payment_id: i32,
    pub customer_id: i32,
    pub staff_id: i32,
    pub rental_id: Option<i32>,
    #[column(precision = 5, scale = 2)]
    pub amount: rust_decimal::Decimal,
    pub payment_date: chrono::NaiveDateTime,
    pub last_update: chrono::NaiveDateTime,
}

#[derive(Table)]
#[table(
    name = "rental",
    foreign_key(
        name = "fk_rental_staff",
        columns(staff_id),
        references = "staff(staff_id)"
    ),
    foreign_key(
        name = "fk_rental_inventory",
        columns(inventory_id),
        references = "inventory(inventory_id)"
    ),
    foreign_key(
        name = "fk_rental_customer",
        columns(customer_id),
        references = "customer(customer_id)"
    ),
    index(name = "idx_rental_fk_inventory_id", columns(inventory_id)),
    index(name = "idx_rental_fk_customer_id", columns(customer_id)),
    index(name = "idx_rental_fk_staff_id", columns(staff_id)),
    index(
        name = "idx_rental_uq",
        columns(rental_date, inventory_id, customer_id),
        unique
    )
)]
pub struct Rental {
    #[column(primary_key)]
    pub rental_id: i32,
    pub rental_date: chrono::NaiveDateTime,
    pub inventory_id: i32,
    pub customer_id: i32,
    pub return_date: Option<chrono::NaiveDateTime>,
    pub staff_id: i32,
    pub last_update: chrono::NaiveDateTime,
}
