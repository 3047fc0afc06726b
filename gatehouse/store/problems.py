"""Why a write failed, in words for the guard: a full or read-only disk must be shown, not hidden.

Only problems the disk can recover from are classified; anything else is a bug in the record
and is left to propagate.
"""

from __future__ import annotations

import errno
import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class StorageProblem:
    kind: str  # "disk_full", "read_only", "busy" or "io_error"
    en: str
    zh: str


DISK_FULL = StorageProblem(
    "disk_full",
    "Disk full: passages are kept in memory until space is freed. Call IT.",
    "磁盘已满:通行记录暂存内存,腾出空间后自动保存。请联系信息部门。",
)
READ_ONLY = StorageProblem(
    "read_only",
    "Disk is read-only: passages are kept in memory until it can be written. Call IT.",
    "磁盘只读:通行记录暂存内存,恢复写入后自动保存。请联系信息部门。",
)
BUSY = StorageProblem(
    "busy",
    "The ledger is locked by another program: passages are kept in memory and retried.",
    "记录库被其他程序占用:通行记录暂存内存,稍后自动重试。",
)
IO_ERROR = StorageProblem(
    "io_error",
    "Disk error: passages are kept in memory and retried. Call IT.",
    "磁盘读写错误:通行记录暂存内存,稍后自动重试。请联系信息部门。",
)

_BY_SQLITE_CODE = {
    sqlite3.SQLITE_FULL: DISK_FULL,
    sqlite3.SQLITE_READONLY: READ_ONLY,
    sqlite3.SQLITE_BUSY: BUSY,
    sqlite3.SQLITE_LOCKED: BUSY,
    sqlite3.SQLITE_IOERR: IO_ERROR,
    sqlite3.SQLITE_CANTOPEN: IO_ERROR,
}
_BY_ERRNO = {errno.ENOSPC: DISK_FULL, errno.EDQUOT: DISK_FULL, errno.EROFS: READ_ONLY}


def storage_problem(error: BaseException | None) -> StorageProblem | None:
    """The recoverable storage problem behind ``error``, or ``None`` if it is not one."""
    if isinstance(error, sqlite3.DatabaseError):
        code = getattr(error, "sqlite_errorcode", None)
        if code is not None:
            return _BY_SQLITE_CODE.get(code & 0xFF)
        return None
    if isinstance(error, OSError):
        return _BY_ERRNO.get(error.errno or 0, IO_ERROR)
    return None
