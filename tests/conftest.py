"""Suite-wide guards."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any test creates a QApplication

# The suite's own home: nothing a test (or a command it runs in a child process) writes may land
# in the real ~/.config/gatehouse or ~/.local/share/gatehouse, where it would, for one, stop the
# first-run wizard from ever appearing. Set here, at import, before anything asks platformdirs.
SUITE_HOME = Path(tempfile.mkdtemp(prefix="gatehouse-suite-home-"))
HOME_VARIABLES = {
    "HOME": SUITE_HOME,
    "XDG_CONFIG_HOME": SUITE_HOME / ".config",
    "XDG_DATA_HOME": SUITE_HOME / ".local" / "share",
    "XDG_STATE_HOME": SUITE_HOME / ".local" / "state",
    "XDG_CACHE_HOME": SUITE_HOME / ".cache",
}
for _name, _folder in HOME_VARIABLES.items():
    _folder.mkdir(parents=True, exist_ok=True)
    os.environ[_name] = str(_folder)
os.environ.pop("GATEHOUSE_CONFIG", None)  # a developer's own file is not the suite's
atexit.register(shutil.rmtree, SUITE_HOME, ignore_errors=True)


@pytest.fixture(autouse=True)
def _no_dangling_threads() -> Iterator[None]:
    """Fail a test that leaves one of its threads running (the idea of napari's fixture)."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5
    while True:
        leftover = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        if not leftover or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert not leftover, f"test left threads running: {[t.name for t in leftover]}"
