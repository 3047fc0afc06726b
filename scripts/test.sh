#!/usr/bin/env bash
# Runs every check CI runs: lint, types, architecture contracts, the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh dev
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
.venv/bin/mypy gatehouse drivers
.venv/bin/lint-imports
.venv/bin/pytest "$@"
