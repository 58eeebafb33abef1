#!/usr/bin/env bash
# Compile-time benchmark: N tables as #[derive(Table)] models vs the same schema as diesel
# `table!` macros.  usage: bench/compile/run.sh [N]   (N default 1000; RUNS default 3)
#
# Generates two standalone crates under target/bench-compile/ (not committed), sharing one
# CARGO_TARGET_DIR so dependencies build once, then measures with dependencies cached:
#   full        the crate alone built from scratch (src/lib.rs touched, its incremental cache
#               removed), RUNS runs per side, interleaved, median;
#   incremental one model's table comment edited, then `cargo build` of the derive crate's
#               lib + a runner-like bin (links sqlite and all N tables), RUNS runs, median.
# The shared bench dir (schema_spec.py, gen_rust_models.py) is $RETORT_SHARED_BENCH or
# <repo root>/../shared/bench.
set -euo pipefail
shopt -s inherit_errexit

N=${1:-1000}
RUNS=${RUNS:-3}
ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
SHARED=${RETORT_SHARED_BENCH:-$ROOT/../shared/bench}
OUT=$ROOT/target/bench-compile
export CARGO_TARGET_DIR=$OUT/target
export RETORT_SHARED_BENCH=$SHARED
[ -f "$SHARED/gen_rust_models.py" ] || { echo "no shared bench dir at $SHARED" >&2; exit 2; }

# The diesel version retort itself locks, so both crates build against the same diesel.
DIESEL_VERSION=$(awk '/^name = "diesel"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' "$ROOT/Cargo.lock")

mkdir -p "$OUT/derive_models/src" "$OUT/diesel_tables/src"

# The derive crate builds against a snapshot of the committed HEAD, not the live work tree, so
# edits made while the benchmark runs cannot trigger rebuilds inside a timed step. Re-extracted
# only when HEAD moves (RETORT_SRC=path overrides, e.g. RETORT_SRC=$ROOT for the work tree).
if [ -n "${RETORT_SRC:-}" ]; then
    RETORT=$RETORT_SRC
else
    RETORT=$OUT/retort-head
    head=$(git -C "$ROOT" rev-parse HEAD)
    if [ "$(cat "$RETORT/.head" 2>/dev/null)" != "$head" ]; then
        rm -rf "$RETORT" && mkdir -p "$RETORT"
        git -C "$ROOT" archive "$head" | tar -x -C "$RETORT"
        echo "$head" > "$RETORT/.head"
    fi
fi

cat > "$OUT/derive_models/Cargo.toml" <<TOML
[package]
name = "derive_models"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
retort = { path = "$RETORT", features = ["chrono", "serde_json", "rust_decimal"] }

[workspace]

# As \`cargo migrate init\` writes it for a runner: macros optimised.
[profile.dev.build-override]
opt-level = 3
TOML
python3 "$SHARED/gen_rust_models.py" "$N" sqlite > "$OUT/derive_models/src/lib.rs"
# A runner-like binary: links every derived table and the sqlite driver, and checks that the
# derive registered all N tables.
cat > "$OUT/derive_models/src/main.rs" <<'RS'
use derive_models as _;

fn main() {
    let tables = retort::registered_tables().expect("no duplicate tables");
    println!("{}", tables.len());
}
RS

cat > "$OUT/diesel_tables/Cargo.toml" <<TOML
[package]
name = "diesel_tables"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
diesel = { version = "=$DIESEL_VERSION", default-features = false, features = ["sqlite"] }
libsqlite3-sys = { version = "0.30", features = ["bundled"] }

[workspace]

# The same profile as the derive side.
[profile.dev.build-override]
opt-level = 3
TOML
python3 "$ROOT/bench/compile/gen_diesel_tables.py" "$N" > "$OUT/diesel_tables/src/lib.rs"

# Same dependency versions as the workspace, and no network once they are fetched.
for c in derive_models diesel_tables; do
    [ -f "$OUT/$c/Cargo.lock" ] || cp "$ROOT/Cargo.lock" "$OUT/$c/Cargo.lock"
done

build() {  # build CRATE [cargo args...]
    local crate=$1; shift
    cargo build --offline -q --manifest-path "$OUT/$crate/Cargo.toml" "$@" 2>/dev/null \
        || cargo build -q --manifest-path "$OUT/$crate/Cargo.toml" "$@"
}

timed() {  # timed CRATE [cargo args...] -> seconds on stdout
    local crate=$1; shift
    local t0 t1
    t0=$(date +%s.%N)
    cargo build --offline -q --manifest-path "$OUT/$crate/Cargo.toml" "$@" >&2
    t1=$(date +%s.%N)
    python3 -c "print(f'{$t1 - $t0:.2f}')"
}

median() { python3 -c 'import statistics,sys; print(f"{statistics.median(map(float, sys.argv[1:])):.2f}")' "$@"; }

echo "N = $N tables; building dependencies (once)..." >&2
build derive_models --lib --bin derive_models
build diesel_tables --lib
registered=$("$CARGO_TARGET_DIR/debug/derive_models")
[ "$registered" = "$N" ] || { echo "derive registered $registered tables, expected $N" >&2; exit 1; }

full() {  # full CRATE -> seconds
    rm -rf "$CARGO_TARGET_DIR"/debug/incremental/"$1"-*
    touch "$OUT/$1/src/lib.rs"
    timed "$1" --lib
}

derive_runs=() diesel_runs=()
# SKIP_FULL=1 measures only the incremental rebuild (the full diesel builds take ~25 minutes).
for i in $(seq "$([ -n "${SKIP_FULL:-}" ] && echo 0 || echo "$RUNS")"); do
    derive_runs+=("$(full derive_models)")
    diesel_runs+=("$(full diesel_tables)")
    echo "run $i: derive ${derive_runs[-1]} s, diesel table! ${diesel_runs[-1]} s" >&2
done
derive=$( [ ${#derive_runs[@]} -gt 0 ] && median "${derive_runs[@]}" || echo nan)
diesel=$( [ ${#diesel_runs[@]} -gt 0 ] && median "${diesel_runs[@]}" || echo nan)

# Incremental: edit one model (the middle table's comment), rebuild lib + runner bin.
build derive_models --lib --bin derive_models
mid=$(( (N + 1) / 2 ))
incr_runs=()
for i in $(seq "$RUNS"); do
    if grep -q "synthetic table $mid (edit)" "$OUT/derive_models/src/lib.rs"; then
        sed -i "s/\"synthetic table $mid (edit)\"/\"synthetic table $mid\"/" "$OUT/derive_models/src/lib.rs"
    else
        sed -i "s/\"synthetic table $mid\"/\"synthetic table $mid (edit)\"/" "$OUT/derive_models/src/lib.rs"
    fi
    incr_runs+=("$(timed derive_models --lib --bin derive_models)")
    echo "incremental run $i: ${incr_runs[-1]} s" >&2
done
incr=$(median "${incr_runs[@]}")

echo "N = $N, retort $(cat "$RETORT/.head" 2>/dev/null | cut -c1-7), median of $RUNS (rustc $(rustc --version | cut -d' ' -f2), $(nproc) cores)"
[ -n "${SKIP_FULL:-}" ] || echo "derive: $derive s, diesel table!: $diesel s, ratio derive/diesel: $(python3 -c "print(f'{$derive / $diesel:.2f}')")"
echo "incremental (one model edited, lib + runner bin): $incr s"
