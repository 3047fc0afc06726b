"""Runs the real ``gatehouse`` command in its own process, its home folders under the test's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_gatehouse(*args: str, home: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m gatehouse ARGS`` offscreen, with HOME and the XDG folders inside ``home``."""
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    return subprocess.run(
        [sys.executable, "-m", "gatehouse", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
