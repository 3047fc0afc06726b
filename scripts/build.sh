#!/usr/bin/env bash
# Builds the frozen one-folder booth and hub with PyInstaller, then checks both executables:
# the booth runs its self-test, the hub starts on 127.0.0.1 and answers its time endpoint.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh dev
.venv/bin/pyinstaller --noconfirm --log-level WARN pyinstaller.spec
QT_QPA_PLATFORM=offscreen dist/gatehouse/gatehouse self-test

state=$(mktemp -d)
port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dist/gatehouse/gatehouse-hub serve --state "$state" --host 127.0.0.1 --port "$port" &
hub_pid=$!
trap 'kill "$hub_pid" 2>/dev/null || true; rm -rf "$state"' EXIT
.venv/bin/python - "$port" <<'PY'
import sys, time, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/v1/time"
for _ in range(150):
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            print(f"frozen hub answered {url}: {answer.read().decode()}")
        break
    except OSError:
        time.sleep(0.2)
else:
    sys.exit(f"frozen hub did not answer {url} within 30 s")
# The office's console: its templates and styles are in the frozen build.
page = f"http://127.0.0.1:{sys.argv[1]}/console/login"
with urllib.request.urlopen(page, timeout=10) as answer:
    html = answer.read().decode()
if "<form" not in html:
    sys.exit(f"frozen hub's console login page has no form: {html[:200]!r}")
print(f"frozen hub served its console at {page}")
PY
