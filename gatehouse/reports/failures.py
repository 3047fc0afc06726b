"""Why a report could not be written, in words a supervisor can act on (Chinese and English).

A child process cannot hand back its exception object safely, and "OSError: [Errno 28]" helps
nobody at a mine's epidemic office: the common causes are named, the rest keep their text.
"""

from __future__ import annotations

import errno
import sqlite3

_BY_ERRNO = {
    errno.ENOSPC: "磁盘已满,文件未保存 · The disk is full: the file was not saved",
    errno.EDQUOT: "磁盘配额已满,文件未保存 · The disk quota is used up: the file was not saved",
    errno.EROFS: "磁盘只读,文件未保存 · The disk is read-only: the file was not saved",
    errno.EACCES: "没有写入此处的权限 · No permission to write here",
    errno.EPERM: "没有写入此处的权限 · No permission to write here",
    errno.ENOENT: "文件夹不存在 · The folder does not exist",
    errno.ENOTDIR: "路径中有一项不是文件夹 · Part of the path is not a folder",
    errno.EISDIR: "该名称已是一个文件夹 · That name is already a folder",
    errno.EEXIST: "该名称已被一个文件占用 · A file of that name is in the way",
    errno.ENAMETOOLONG: "文件名过长 · The file name is too long",
}


class ReportFailedError(Exception):
    """A report or export failed; the message is already in plain words."""


def plain_words(error: BaseException) -> str:
    """``error`` as the desk shows it: what went wrong and, for a file, where."""
    if isinstance(error, ReportFailedError):
        return str(error)
    if isinstance(error, OSError) and error.errno in _BY_ERRNO:
        where = error.filename or error.filename2
        return _BY_ERRNO[error.errno] + (f": {where}" if where else "")
    if isinstance(error, sqlite3.Error):
        return f"无法读取记录库 · The ledger could not be read: {error}"
    return f"{type(error).__name__}: {error}"
