"""Runs the real ``gatehouse`` command in its own process, its home folders under the test's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def gatehouse_command(*args: str) -> list[str]:
    """``python -m gatehouse ARGS`` with this interpreter."""
    return [sys.executable, "-m", "gatehouse", *args]


def gatehouse_env(home: Path) -> dict[str, str]:
    """This environment offscreen, with HOME and the XDG folders inside ``home``."""
    return {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "QT_QPA_PLATFORM": "offscreen",
    }


def run_gatehouse(*args: str, home: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m gatehouse ARGS`` offscreen, with HOME and the XDG folders inside ``home``."""
    return subprocess.run(
        gatehouse_command(*args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=gatehouse_env(home),
        check=False,
    )
