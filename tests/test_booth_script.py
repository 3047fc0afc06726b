"""``scripts/booth.sh``: installing and running are separate. With .venv complete the booth
starts with the package index unreachable and apt and pip never called; only a machine whose
.venv was never completed is set up first."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.booth.dead_hub import closed_loopback_port

REPO = Path(__file__).resolve().parents[1]
STARTED = "started in demo mode"


def checkout(tmp_path: Path, *, installed: bool) -> Path:
    """The scripts of this checkout in a folder of their own, with this environment's
    Gatehouse as its .venv (complete, or never completed)."""
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    for name in ("booth.sh", "bootstrap.sh"):
        shutil.copy2(REPO / "scripts" / name, repo / "scripts" / name)
    shutil.copy2(REPO / "pyproject.toml", repo / "pyproject.toml")
    venv_bin = repo / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "gatehouse").symlink_to(Path(sys.executable).parent / "gatehouse")
    if installed:
        (repo / ".venv" / ".gatehouse-installed").touch()
    return repo


def offline_environment(tmp_path: Path) -> dict[str, str]:
    """No network for installers: the index on a closed port, apt-get, sudo and pip replaced
    by stand-ins that note the call and fail."""
    spies = tmp_path / "spies"
    spies.mkdir()
    for tool in ("apt-get", "sudo", "pip", "pip3", "curl", "wget"):
        spy = spies / tool
        spy.write_text(f'#!/bin/sh\necho "{tool} $*" >> "{tmp_path}/network-calls"\nexit 1\n')
        spy.chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "GATEHOUSE_"))}
    return {
        **env,
        "PATH": f"{spies}:{env['PATH']}",
        "HOME": str(home),
        "PIP_INDEX_URL": f"http://127.0.0.1:{closed_loopback_port()}/simple",
        "QT_QPA_PLATFORM": "offscreen",
        "GATEHOUSE_UI_SOUNDS": "off",
        "GATEHOUSE_UI_SPEECH": "off",
    }


def test_the_booth_starts_offline_from_a_complete_install(tmp_path: Path) -> None:
    repo = checkout(tmp_path, installed=True)
    env = offline_environment(tmp_path)
    log = Path(env["HOME"]) / ".local" / "state" / "gatehouse" / "log" / "gatehouse.log"
    booth = subprocess.Popen(
        [repo / "scripts" / "booth.sh", "--windowed"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and booth.poll() is None:
            if log.exists() and STARTED in log.read_text(encoding="utf-8"):
                break
            time.sleep(0.2)
        assert booth.poll() is None, booth.communicate()[0].decode(errors="replace")
        assert STARTED in log.read_text(encoding="utf-8")
    finally:
        os.killpg(booth.pid, signal.SIGTERM)
        booth.communicate(timeout=30)
    assert not (tmp_path / "network-calls").exists()
    assert not (repo / ".venv" / "bin" / "python").exists()  # bootstrap never ran
    assert (Path(env["HOME"]) / ".local/share/gatehouse/demo/demo.sqlite3").exists()


@pytest.mark.parametrize("incomplete", ["never finished", "no gatehouse"])
def test_an_incomplete_install_is_set_up_first(tmp_path: Path, incomplete: str) -> None:
    repo = checkout(tmp_path, installed=incomplete == "no gatehouse")
    if incomplete == "no gatehouse":
        (repo / ".venv" / "bin" / "gatehouse").unlink()
    (repo / "scripts" / "bootstrap.sh").write_text(
        f'#!/bin/sh\necho bootstrap >> "{tmp_path}/setup-calls"\nexit 7\n'
    )
    done = subprocess.run(
        [repo / "scripts" / "booth.sh"],
        env=offline_environment(tmp_path),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 7  # the set-up's failure stops the start, and says so
    assert (tmp_path / "setup-calls").read_text() == "bootstrap\n"


def test_a_changed_pyproject_still_starts_the_installed_version_offline(tmp_path: Path) -> None:
    repo = checkout(tmp_path, installed=True)
    marker = repo / ".venv" / ".gatehouse-installed"
    changed = (repo / "pyproject.toml").stat().st_mtime
    os.utime(marker, (changed - 60, changed - 60))  # installed before the change
    done = subprocess.run(
        [repo / "scripts" / "booth.sh", "--help"],
        env=offline_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and "usage: gatehouse run" in done.stdout
    assert "Run scripts/bootstrap.sh while online" in done.stderr
    assert not (tmp_path / "network-calls").exists()
