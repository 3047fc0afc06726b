#!/usr/bin/env bash
# Builds the frozen one-folder booth with PyInstaller and runs its self-test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh dev
.venv/bin/pyinstaller --noconfirm --log-level WARN pyinstaller.spec
QT_QPA_PLATFORM=offscreen dist/gatehouse/gatehouse self-test
