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
# tests/ and bench/ strict as well: a wrong call in a test is a test that checks the wrong thing.
.venv/bin/mypy gatehouse drivers tests bench
.venv/bin/lint-imports
# The suite runs in a home of its own (tests/conftest.py); prove the real one was left alone.
home_state() {
  for folder in "${XDG_CONFIG_HOME:-$HOME/.config}/gatehouse" "${XDG_DATA_HOME:-$HOME/.local/share}/gatehouse" \
    "${XDG_STATE_HOME:-$HOME/.local/state}/gatehouse" "${XDG_CACHE_HOME:-$HOME/.cache}/gatehouse"; do
    echo "== $folder"
    [ ! -e "$folder" ] || find "$folder" -printf '%P %y %s %T@\n' | sort
  done
}
home_before="$(home_state)"
status=0
.venv/bin/pytest "$@" || status=$?
if [ "$home_before" != "$(home_state)" ]; then
  echo "FAILED: the test run changed the real home's Gatehouse folders:" >&2
  diff <(echo "$home_before") <(home_state) >&2 || true
  exit 1
fi
exit "$status"
