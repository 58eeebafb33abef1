#!/usr/bin/env python3
"""Writes sakila-data.sql, the rows of Sakila for SQLite, from the PostgreSQL edition's COPY
dump (postgres-sakila-insert-data-using-copy.sql of github.com/jOOQ/sakila): the SQLite
edition's own insert script is not in the snapshot this was made from, and the rows are the
same Sakila rows in every edition. What the editions spell differently is mapped here:

- `film.special_features` is a PostgreSQL array; SQLite's is MySQL's SET, comma-joined text.
- `film.fulltext` and `customer.activebool` have no SQLite column and are dropped.
- `payment` has no `last_update` in PostgreSQL: its `payment_date` is used, as in MySQL.
- `film_text` is MySQL's and SQLite's copy of each film's title and description.
- booleans (`staff.active`) are 1 and 0.

Usage: convert.py postgres-sakila-insert-data-using-copy.sql > sakila-data.sql
"""

import re
import sys

# Table -> SQLite columns, in the order written, each with the COPY column it comes from.
TABLES = {
    "language": ["language_id", "name", "last_update"],
    "country": ["country_id", "country", "last_update"],
    "city": ["city_id", "city", "country_id", "last_update"],
    "address": ["address_id", "address", "address2", "district", "city_id", "postal_code",
                "phone", "last_update"],
    "actor": ["actor_id", "first_name", "last_name", "last_update"],
    "category": ["category_id", "name", "last_update"],
    "staff": ["staff_id", "first_name", "last_name", "address_id", "picture", "email",
              "store_id", "active", "username", "password", "last_update"],
    "store": ["store_id", "manager_staff_id", "address_id", "last_update"],
    "film": ["film_id", "title", "description", "release_year", "language_id",
             "original_language_id", "rental_duration", "rental_rate", "length",
             "replacement_cost", "rating", "special_features", "last_update"],
    "inventory": ["inventory_id", "film_id", "store_id", "last_update"],
    "film_actor": ["actor_id", "film_id", "last_update"],
    "film_category": ["film_id", "category_id", "last_update"],
    "customer": ["customer_id", "store_id", "first_name", "last_name", "email", "address_id",
                 "active", "create_date", "last_update"],
    "rental": ["rental_id", "rental_date", "inventory_id", "customer_id", "return_date",
               "staff_id", "last_update"],
    "payment": ["payment_id", "customer_id", "staff_id", "rental_id", "amount",
                "payment_date", "last_update"],
}

SOURCE = {("payment", "last_update"): "payment_date"}
NUMERIC = re.compile(r"^-?\d+(\.\d+)?$")
ROWS_PER_INSERT = 500


def unescape(field):
    """A COPY text field as its value (None for \\N)."""
    if field == "\\N":
        return None
    return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r"}.get(m[1], m[1]), field)


def literal(table, column, value):
    if value is None:
        return "NULL"
    if column == "special_features":
        value = ",".join(v.strip('"') for v in re.findall(r'"[^"]*"|[^,{}]+', value))
    elif value in ("t", "f") and column == "active":
        value = "1" if value == "t" else "0"
    if NUMERIC.match(value) and not column.endswith(("phone", "postal_code", "release_year")):
        return value
    return "'" + value.replace("'", "''") + "'"


def main(path):
    copies = {}
    table = None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if table is None:
            match = re.match(r"COPY public\.(\w+) \(([^)]*)\) FROM stdin;", line)
            if match:
                table = match[1]
                copies[table] = ([c.strip() for c in match[2].split(",")], [])
        elif line == "\\.":
            table = None
        else:
            copies[table][1].append([unescape(f) for f in line.split("\t")])
    films = copies["film"]
    copies["film_text"] = (["film_id", "title", "description"], films[1])
    TABLES["film_text"] = ["film_id", "title", "description"]

    out = sys.stdout
    out.write("-- Sakila's rows for its SQLite edition, written by convert.py from the PostgreSQL\n"
              "-- edition of github.com/jOOQ/sakila (BSD, see LICENSE).\n")
    for name, columns in TABLES.items():
        source, rows = copies[name]
        at = [source.index(SOURCE.get((name, c), c)) for c in columns]
        for start in range(0, len(rows), ROWS_PER_INSERT):
            values = ",\n".join(
                "(" + ",".join(literal(name, c, row[i]) for c, i in zip(columns, at)) + ")"
                for row in rows[start:start + ROWS_PER_INSERT])
            out.write(f"INSERT INTO {name} ({', '.join(columns)}) VALUES\n{values};\n")


if __name__ == "__main__":
    main(sys.argv[1])
