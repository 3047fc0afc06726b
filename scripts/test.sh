#!/usr/bin/env bash
# Runs every check CI runs: lint, types, architecture contracts, the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh dev
export QT_QPA_PLATFORM=offscreen
# The hub suite runs on SQLite and on this throwaway PostgreSQL (under CI it fails without it).
pg_folder="$(mktemp -d)"
trap 'scripts/test_postgres.sh stop "$pg_folder"' EXIT
if GATEHOUSE_TEST_POSTGRES_URL="$(scripts/test_postgres.sh start "$pg_folder")"; then
  export GATEHOUSE_TEST_POSTGRES_URL
else
  echo "could not start PostgreSQL: the hub's PostgreSQL tests will not run" >&2
fi
.venv/bin/ruff check .
.venv/bin/mypy gatehouse drivers
.venv/bin/lint-imports
.venv/bin/pytest "$@"
