"""PyInstaller runtime hook: make pyzbar load the zbar library bundled with the frozen booth.

On Linux pyzbar asks ``ctypes.util.find_library("zbar")``, which only searches the system; the
booth PC need not have zbar installed, so point that one lookup at the bundled copy.
"""

import ctypes.util
import sys
from pathlib import Path

_bundled = sorted(Path(getattr(sys, "_MEIPASS", "")).glob("libzbar.so*"))
if sys.platform.startswith("linux") and _bundled:
    _system_find_library = ctypes.util.find_library

    def _find_library(name: str) -> str | None:
        return str(_bundled[0]) if name == "zbar" else _system_find_library(name)

    ctypes.util.find_library = _find_library
