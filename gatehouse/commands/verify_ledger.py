"""``gatehouse verify-ledger``: check the booth ledger's hash chain, name the first broken link.

Whatever is wrong with the file (edited, truncated, bytes flipped, not a database, missing)
ends in a sentence and exit status 3, never a traceback: the person running it is checking a
booth, not debugging one.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from gatehouse.store.integrity import RESTORE_COMMAND

if TYPE_CHECKING:
    from gatehouse.store.verify import LedgerVerdict

EXIT_TAMPERED = 3

log = logging.getLogger(__name__)


def _verify(args: argparse.Namespace) -> int:
    import sqlite3

    from gatehouse.store.verify import NotALedgerError, verify_ledger

    path = args.database or _configured_ledger(args.config)
    try:
        verdict = verify_ledger(path)
    except FileNotFoundError:
        return _damaged(path, "账本文件不存在 / the ledger file is missing")
    except NotALedgerError as exc:
        return _damaged(path, f"不是门岗账本 / {exc}")
    except (sqlite3.Error, OSError) as exc:
        log.debug("verify-ledger could not read %s", path, exc_info=True)
        return _damaged(path, f"无法读取 / cannot be read: {exc}")
    problem = verdict.problem()
    if problem is not None:
        return _tampered(path, verdict, problem)
    head = verdict.head
    print(f"账本完好 / ledger intact: {path}")
    print(f"链节 / links: {verdict.links}")
    if head is not None:
        print(f"链头 / chain head: {head.seq} {head.hash}")
    return 0


def _configured_ledger(given: Path | None) -> Path:
    """The configured ledger; a read-only command never writes a configuration file."""
    from gatehouse import config

    path = config.config_path(given)
    return (config.load(path) if path.exists() else config.from_mapping({})).database_path()


def _tampered(path: Path, verdict: LedgerVerdict, problem: str) -> int:
    if verdict.first_break is not None:
        print(f"账本已被篡改 / LEDGER TAMPERED: {path}")
        print(f"第一处断链 / first broken link: {problem}")
    else:
        print(f"账本已损坏 / LEDGER DAMAGED: {path}")
        print(f"第一处损坏 / first damage: {problem}")
    print(f"此前完好的链节 / intact links before it: {verdict.links}")
    print(f"保留此文件交信息部门;恢复备份 / keep this file for IT; restore: {RESTORE_COMMAND}")
    return EXIT_TAMPERED


def _damaged(path: Path, problem: str) -> int:
    print(f"账本已损坏 / LEDGER DAMAGED: {path}")
    print(problem)
    print(f"恢复备份 / restore: {RESTORE_COMMAND}")
    return EXIT_TAMPERED


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "verify-ledger",
        help="check the ledger's hash chain (read-only); exit 3 naming the first broken or "
        "damaged link",
    )
    parser.add_argument("--config", type=Path, help="configuration file (default: per platform)")
    parser.add_argument("--database", type=Path, help="ledger file (overrides the configuration)")
    parser.set_defaults(handler=_verify)
