"""Why the booth cannot start, in words for the guard and what to do, with its own exit status.

A booth that cannot open its ledger must not start (it could not log what it decides), and
must not die with a traceback nobody at the gate can read: each cause is named, logged, shown
in a window, and ends the process with a status of its own so a supervisor script can tell
them apart.
"""

from __future__ import annotations

import errno
import sqlite3
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from gatehouse.store.integrity import RESTORE_COMMAND, LedgerCorruptError, LedgerMissingError


class StartupProblem(IntEnum):
    """Each value is the process's exit status for that cause (1 and 2 are the CLI's own)."""

    DAMAGED = 10
    MISSING = 11
    READ_ONLY = 12
    LOCKED = 13
    CANNOT_OPEN = 14


_WORDS: dict[StartupProblem, tuple[str, str]] = {
    StartupProblem.DAMAGED: (
        "The passage ledger is damaged: {detail}. Do not delete or copy over it. Call IT: "
        f"they keep the damaged file and run `{RESTORE_COMMAND}`, which restores the newest "
        "good backup and recovers later passages from the hub.",
        "通行记录库已损坏:{detail}。请勿删除或覆盖该文件。请联系信息部门:保留损坏的文件,"
        f"运行 `{RESTORE_COMMAND}` 恢复最新的完好备份,并从中心取回之后的通行记录。",
    ),
    StartupProblem.MISSING: (
        "The passage ledger is {detail}, but this booth already had one. A new empty one "
        f"is not created, so no history is lost silently. Call IT: they run `{RESTORE_COMMAND}`.",
        "通行记录库{detail},但本岗亭此前已有记录库。为免历史记录无声丢失,不会新建空库。"
        f"请联系信息部门运行 `{RESTORE_COMMAND}`。",
    ),
    StartupProblem.READ_ONLY: (
        "The passage ledger cannot be written (read-only disk or file): {detail}. Call IT: "
        "the disk must be writable before the booth can log passages.",
        "通行记录库无法写入(磁盘或文件只读):{detail}。请联系信息部门:磁盘可写后才能记录通行。",
    ),
    StartupProblem.LOCKED: (
        "The passage ledger is locked by another program (is the booth already running?): "
        "{detail}. Close the other booth window or restart the PC; if this stays, call IT.",
        "通行记录库被其他程序锁定(门岗程序是否已在运行?):{detail}。"
        "请关闭另一个门岗窗口或重启电脑;仍然如此请联系信息部门。",
    ),
    StartupProblem.CANNOT_OPEN: (
        "The passage ledger's folder cannot be opened: {detail}. Call IT: check that the "
        "disk is attached and the [store] database setting.",
        "无法打开通行记录库所在的文件夹:{detail}。"
        "请联系信息部门:检查磁盘是否连接及 [store] database 设置。",
    ),
}

_MISSING_ZH = {"missing": "不存在", "empty": "为空(0 字节)", "folder missing": "所在文件夹不存在"}


@dataclass(frozen=True)
class StartupFailure:
    problem: StartupProblem
    path: Path | None
    detail: str
    detail_zh: str

    @property
    def exit_status(self) -> int:
        return int(self.problem)

    def words(self, language: str) -> str:
        """What happened and what to do, in the guard's language ("zh" or "en")."""
        en, zh = _WORDS[self.problem]
        if language == "zh":
            return zh.format(detail=self.detail_zh)
        return en.format(detail=self.detail)


def classify(error: BaseException, path: Path | None = None) -> StartupFailure | None:
    """The start-up failure behind ``error``, or ``None`` when it is not one (a bug)."""
    if isinstance(error, LedgerCorruptError):
        return StartupFailure(StartupProblem.DAMAGED, error.path, error.message, error.message)
    if isinstance(error, LedgerMissingError):
        problem = error.problem
        if problem == "missing" and not error.path.parent.exists():
            problem = "folder missing"
        detail = f"{problem} ({error.path})"
        return StartupFailure(
            StartupProblem.MISSING, error.path, detail, f"{_MISSING_ZH[problem]}({error.path})"
        )
    kind = _kind(error)
    if kind is None:
        return None
    return StartupFailure(kind, path, str(error), str(error))


def _kind(error: BaseException) -> StartupProblem | None:
    if isinstance(error, sqlite3.DatabaseError):
        code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
        return {
            sqlite3.SQLITE_READONLY: StartupProblem.READ_ONLY,
            sqlite3.SQLITE_BUSY: StartupProblem.LOCKED,
            sqlite3.SQLITE_LOCKED: StartupProblem.LOCKED,
            sqlite3.SQLITE_CANTOPEN: StartupProblem.CANNOT_OPEN,
            sqlite3.SQLITE_PERM: StartupProblem.READ_ONLY,
        }.get(code)
    if isinstance(error, OSError):
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return StartupProblem.READ_ONLY
        return StartupProblem.CANNOT_OPEN
    return None


TITLE = ("Gatehouse cannot start", "门岗程序无法启动")
LOGGED = ("This has been written to the log.", "此情况已记入日志。")
CLOSE = ("Close", "关闭")


def in_language(texts: tuple[str, str], language: str) -> str:
    """The Chinese of an (English, Chinese) pair for "zh", else the English."""
    return texts[1] if language == "zh" else texts[0]
