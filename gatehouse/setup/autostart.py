"""Starting the booth at login: the XDG autostart entry on a Linux desktop.

A booth PC is an appliance: switched on, it logs the guard's account in and the booth comes up
by itself, restarted if it crashes (``gatehouse run --keep-running``). Windows has no
installer here; docs/booth-pc.md gives the Startup-folder and scheduled-task recipes.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import platformdirs

ENTRY_NAME = "gatehouse.desktop"
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def launcher() -> list[str]:
    """How to start this Gatehouse again: the frozen executable, or this Python's module."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "gatehouse"]


def autostart_folder() -> Path:
    """``$XDG_CONFIG_HOME/autostart`` (``~/.config/autostart``): where sessions look."""
    return Path(platformdirs.user_config_dir()) / "autostart"


def _exec_argument(argument: str) -> str:
    """One argument of a desktop entry's Exec key, quoted as the specification asks."""
    if argument and not _RESERVED & set(argument):
        return argument.replace("%", "%%")
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument).replace("%", "%%")
    return f'"{escaped}"'


def desktop_entry(argv: Sequence[str]) -> str:
    """The .desktop file that runs ``argv`` when the guard's session starts."""
    command = " ".join(_exec_argument(a) for a in argv)
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Gatehouse booth\n"
        "Name[zh_CN]=防疫岗亭\n"
        "Comment=Epidemic checkpoint booth, restarted if it stops\n"
        "Comment[zh_CN]=防疫检查岗亭,异常退出后自动重启\n"
        f"Exec={command}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def install_autostart(arguments: Sequence[str], folder: Path | None = None) -> Path:
    """Writes (or replaces) the entry starting the booth with ``arguments``; its path."""
    folder = folder or autostart_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ENTRY_NAME
    tmp = path.with_suffix(".tmp")
    tmp.write_text(desktop_entry([*launcher(), *arguments]), encoding="utf-8")
    tmp.replace(path)
    return path


def remove_autostart(folder: Path | None = None) -> Path | None:
    """Removes the entry; its path, or None when there was none."""
    path = (folder or autostart_folder()) / ENTRY_NAME
    if not path.exists():
        return None
    path.unlink()
    return path
