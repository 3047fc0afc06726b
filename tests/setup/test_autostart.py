"""``gatehouse install-autostart``: the XDG autostart entry, written into a temporary
XDG_CONFIG_HOME, whose command line really starts Gatehouse."""

from __future__ import annotations

import configparser
import subprocess
from pathlib import Path

import pytest

from gatehouse import cli
from gatehouse.setup.autostart import ENTRY_NAME, desktop_entry, launcher


def read_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    # keys keep their case (configparser's documented hook; typeshed types it as a method)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def exec_argv(entry: configparser.SectionProxy) -> list[str]:
    """The Exec key split by a real shell (the specification's quoting is the shell's double
    quotes), then %% read as %."""
    command = entry["Exec"]
    done = subprocess.run(
        ["sh", "-c", f"printf '%s\\0' {command}"], capture_output=True, check=True, text=True
    )
    return [part.replace("%%", "%") for part in done.stdout.split("\0")[:-1]]


def test_the_entry_starts_the_booth_kept_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    booth_config = tmp_path / "north gate $1" / "gatehouse.toml"  # a space and a dollar
    assert cli.main(["install-autostart", "--config", str(booth_config)]) == 0
    path = tmp_path / "xdg" / "autostart" / ENTRY_NAME
    assert str(path) in capsys.readouterr().out
    entry = read_entry(path)
    assert entry["Type"] == "Application" and entry["Name[zh_CN]"] == "防疫岗亭"
    argv = exec_argv(entry)
    assert argv == [*launcher(), "run", "--keep-running", "--config", str(booth_config)]
    done = subprocess.run([*argv, "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "--keep-running" in done.stdout

    assert cli.main(["install-autostart", "--remove"]) == 0
    assert not path.exists()
    assert cli.main(["install-autostart", "--remove"]) == 0  # nothing to remove: said so
    assert "no autostart entry" in capsys.readouterr().out


def test_percent_signs_are_escaped() -> None:
    line = next(x for x in desktop_entry(["/opt/g", "50%"]).splitlines() if x.startswith("Exec"))
    assert line == "Exec=/opt/g 50%%"
