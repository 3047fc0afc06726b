"""Finds files under ``resources/`` whether running from source or from a PyInstaller bundle.

Never relative to the working directory: a booth started from a desktop shortcut or a service has
an arbitrary one.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
