"""Commands that only print (version, help) load no heavy library: checked on ``sys.modules`` of
a real process, not timed (the start-up times are in ``python -m bench startup``)."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Imported by the commands that use them, never to parse arguments or print help.
HEAVY = (
    "PySide6",
    "cv2",
    "numpy",
    "sqlite_utils",
    "cryptography",
    "pymodbus",
    "serial",
    "openpyxl",
    "xlsxwriter",
    "starlette",
    "uvicorn",
    "segno",
    "PIL",
    "zxingcpp",
    "pyzbar",
    "cbor2",
    "gatehouse.booth.runtime",
    "gatehouse.store.ledger",
    "gatehouse.reports.export",
    "gatehouse.config",  # dataclasses, tomllib and platformdirs: read by the commands that run
    "platformdirs",
)
_PROBE = """
import sys
from gatehouse.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("--- modules ---")
print("\\n".join(sys.modules))
"""


def _loaded(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    printed, _, modules = done.stdout.partition("--- modules ---\n")
    assert "usage:" in printed or "gatehouse " in printed, done.stderr
    return set(modules.split())


@pytest.mark.parametrize(
    "args",
    [("--version",), ("--help",), ("verify-ledger", "--help"), ("issue-pass", "--help")],
)
def test_printing_commands_load_no_heavy_library(args: tuple[str, ...]) -> None:
    loaded = _loaded(*args)
    heavy = sorted(
        name for name in loaded if any(name == h or name.startswith(f"{h}.") for h in HEAVY)
    )
    assert heavy == [], f"gatehouse {' '.join(args)} imported {heavy}"
