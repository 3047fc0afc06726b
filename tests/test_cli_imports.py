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
    "sqlalchemy",
    "psycopg",
    "logging.handlers",
)
# Registries an option's choices come from (``commands.choices``): loaded for that command's
# own help or run, never for ``--version`` or the list of commands.
REGISTRIES = ("drivers.thermometer.protocols", "gatehouse.core.models", "dataclasses")
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


def _heavy(loaded: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(
        name for name in loaded if any(name == h or name.startswith(f"{h}.") for h in names)
    )


@pytest.mark.parametrize(
    "args",
    [("--version",), ("--help",), ("verify-ledger", "--help"), ("issue-pass", "--help")],
)
def test_printing_commands_load_no_heavy_library(args: tuple[str, ...]) -> None:
    heavy = _heavy(_loaded(*args), HEAVY)
    assert heavy == [], f"gatehouse {' '.join(args)} imported {heavy}"


@pytest.mark.parametrize("args", [("--version",), ("--help",)])
def test_version_and_help_load_no_registry(args: tuple[str, ...]) -> None:
    loaded = _heavy(_loaded(*args), REGISTRIES)
    assert loaded == [], f"gatehouse {' '.join(args)} imported {loaded}"


def test_a_commands_help_lists_the_choices_of_its_registry(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from drivers.thermometer.protocols import PROTOCOLS
    from gatehouse.cli import main

    with pytest.raises(SystemExit):
        main(["simulate", "thermometer", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert f"what the device speaks: {', '.join(PROTOCOLS)}" in shown
    with pytest.raises(SystemExit):
        main(["issue-pass", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "who holds it: employee, visitor, contractor" in shown


def test_a_value_outside_the_registry_is_refused_naming_the_choices(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from gatehouse.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["simulate", "thermometer", "--protocol", "morse"])
    assert exited.value.code == 2
    assert "invalid choice: 'morse' (choose from 'ascii'" in capsys.readouterr().err
