#!/usr/bin/env bash
# Runs the booth: sets the machine up on first use, then starts Gatehouse (demo mode when no
# webcam is attached). Extra arguments go to `gatehouse run`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/gatehouse run "$@"
