#!/usr/bin/env bash
# Runs every test of the workspace with every backend feature.
#
# On a fresh Debian machine it first installs what the build needs and the machine may lack:
# the MySQL client library (default-libmysqlclient-dev) for the `mysql` feature. PostgreSQL and
# MariaDB are expected at 127.0.0.1:5432 (user postgres) and 127.0.0.1:3306 (root); with
# RETORT_TEST_REQUIRE_ALL=1 (set by .ci/run) a backend test that cannot reach its server fails
# instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! pkg-config --exists mysqlclient 2>/dev/null && [ ! -e /usr/include/mysql/mysql.h ]; then
  echo "installing default-libmysqlclient-dev (needed by the mysql backend)" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq default-libmysqlclient-dev pkg-config
fi

exec cargo test --workspace --all-features --locked "$@"
