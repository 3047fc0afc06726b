#!/usr/bin/env bash
# Runs the booth: starts Gatehouse (demo mode when no webcam is attached). Extra arguments go to
# `gatehouse run`. Installing and running are separate: only a machine whose .venv was never
# completed is set up first (scripts/bootstrap.sh, which needs the network); every other start
# stays offline, as a booth must.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f .venv/.gatehouse-installed ] || [ ! -x .venv/bin/gatehouse ]; then
  scripts/bootstrap.sh
elif [ pyproject.toml -nt .venv/.gatehouse-installed ]; then
  echo "Gatehouse's requirements changed since it was installed; starting the installed" \
    "version. Run scripts/bootstrap.sh while online to update." >&2
fi
exec .venv/bin/gatehouse run "$@"
