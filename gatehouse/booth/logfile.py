"""The booth's rotating log file in the platform's log folder, and its latest errors.

A booth runs unattended: what went wrong at 3 a.m. must still be readable in the morning, by
IT from the file and by a supervisor on the desk (``latest_problems``). Only the commands that
run the booth write it; read-only commands leave the machine as they found it.
"""

from __future__ import annotations

import logging
from pathlib import Path

LOG_NAME = "gatehouse.log"
MAX_BYTES = 1_000_000  # about a week of a busy booth's warnings; five old files are kept
BACKUPS = 5
LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
PROBLEM_LEVELS = (" WARNING ", " ERROR ", " CRITICAL ")


def log_folder() -> Path:
    """Linux: ~/.local/state/gatehouse/log; Windows: %LOCALAPPDATA%\\gatehouse\\Logs."""
    import platformdirs  # loaded by the booth only: ``gatehouse --help`` imports LINE_FORMAT

    from gatehouse.config import APP_NAME

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def install_log_file(folder: Path | None = None) -> Path:
    """Adds the rotating file to the root logger; the file's path."""
    from logging.handlers import RotatingFileHandler  # only the booth: the help stays fast

    folder = folder or log_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter(LINE_FORMAT))
    handler.setLevel(logging.INFO)
    logging.getLogger().addHandler(handler)
    return path


def latest_problems(folder: Path | None = None, limit: int = 20) -> list[str]:
    """The last ``limit`` warnings and errors, oldest first, across the rotated files; a
    traceback's lines stay with the line that logged it. Empty when there is no log yet."""
    folder = folder or log_folder()
    files = [folder / f"{LOG_NAME}.{n}" for n in range(BACKUPS, 0, -1)] + [folder / LOG_NAME]
    problems: list[str] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            continue
        in_problem = False
        for line in text.splitlines():
            if line[:4].isdigit() and " " in line:  # a new record starts with its date
                in_problem = any(level in line for level in PROBLEM_LEVELS)
                if in_problem:
                    problems.append(line)
            elif in_problem and problems:
                problems[-1] += "\n" + line
    return problems[-limit:]
