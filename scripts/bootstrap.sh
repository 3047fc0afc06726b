#!/usr/bin/env bash
# Prepares a fresh machine: Debian/Ubuntu system libraries, then .venv with Gatehouse installed.
# Usage: scripts/bootstrap.sh [EXTRAS]   (e.g. "dev"). Safe to run again: installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# libzbar0: pyzbar's decoder library. libgl1 ... libdbus-1-3: what Qt needs to start, also
# offscreen; libxcb-*: Qt's xcb platform on a Linux desktop (and the frozen build's copy of it).
# fonts-wqy-microhei: Chinese glyphs for the booth screen. postgresql: the server the hub's
# test suite also runs on (scripts/test_postgres.sh starts a throwaway one). chromium: the browser
# the hub console's tests drive through Playwright (never `playwright install`).
SYSTEM_PACKAGES=(libzbar0 libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 fonts-wqy-microhei
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0
  postgresql espeak-ng alsa-utils chromium)

if command -v dpkg >/dev/null 2>&1; then
  missing=()
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    # "install ok installed" only: a removed package whose configuration is left is missing
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "Installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
else
  echo "Not a Debian-like system: install the zbar library yourself for the pyzbar decoder." >&2
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
extras="${1:-}"
if [ -n "$extras" ]; then
  .venv/bin/python -m pip install -q -e ".[$extras]"
else
  .venv/bin/python -m pip install -q -e .
fi
# scripts/booth.sh starts offline from here on: it runs this script only while this is missing.
touch .venv/.gatehouse-installed
