"""``gatehouse restore``: put the newest good backup in place of a damaged or lost ledger and
rejoin the hub.

The booth must be stopped. The damaged file is kept beside the ledger for IT. Then the links
the hub holds from this booth past the backup are taken back, so the chain continues as it
was; whatever could not be taken back (no hub reachable), the restored ledger declares a new
chain segment from where it stands, with an audited ``restore`` event the hub accepts as such.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gatehouse import config
    from gatehouse.sync.rejoin import Recovery

ACTOR = "restore"


def _restore(args: argparse.Namespace) -> int:
    from gatehouse.commands.errors import CommandError
    from gatehouse.store.backup import backups, default_backup_folder
    from gatehouse.store.ledger import Ledger
    from gatehouse.store.restore import newest_good_backup, put_in_place
    from gatehouse.sync.enrolment import load_settings
    from gatehouse.sync.rejoin import Recovery, recover_from_hub

    cfg = _configuration(args.config)
    path: Path = (args.database or cfg.database_path()).resolve()
    if not args.force and _intact(path):
        raise CommandError(
            f"账本完好,无需恢复 / the ledger {path} is intact: nothing to restore "
            "(--force restores anyway)"
        )
    folder = args.backups or default_backup_folder(path)
    candidates = [args.backup] if args.backup else backups(path, folder)
    good, passed_over = newest_good_backup(candidates)
    for rejected in passed_over:
        print(f"跳过损坏的备份 / skipped a damaged backup: {rejected.path}: {rejected.problem}")
    if good is None:
        raise CommandError(f"没有完好的备份 / no good backup of {path} in {folder}")
    now = datetime.now(UTC)
    kept = put_in_place(good.path, path, now)
    if kept is not None:
        print(f"原账本已保留 / the replaced ledger is kept for IT: {kept}")
    print(f"已恢复备份 / restored {good.path.name}: links 1-{good.links}")
    with Ledger.open(path) as ledger:
        settings = load_settings(ledger)
        if settings is None:
            recovery = Recovery(0, "not enrolled with a hub")
        else:
            recovery = recover_from_hub(ledger, settings)
        booth_id = settings.booth_id if settings else cfg.booth.booth_id
        details = {
            "note": f"restored from backup at link {good.links}",
            "backup": good.path.name,
            "backup_link": good.links,
            "recovered_from_hub": recovery.recovered,
            "hub": recovery.problem or "all links taken back",
        }
        ledger.declare_restore(at=now, booth_id=booth_id, actor=ACTOR, details=details).result()
        head = ledger.chain_head()
    _report(recovery, head.seq if head else 0)
    return 0


def _report(recovery: Recovery, head: int) -> None:
    print(f"从中心取回 / taken back from the hub: {recovery.recovered} links")
    if recovery.problem is None:
        print(f"链已接续 / the chain continues at link {head} (restore event recorded)")
    else:
        print(f"未能全部取回 / stopped: {recovery.problem}")
        print(
            f"新链段已声明 / a new chain segment is declared at link {head}; the hub accepts it "
            "as restored from backup and keeps the links it set aside"
        )


def _configuration(given: Path | None) -> config.Config:
    from gatehouse import config

    path = config.config_path(given)
    return config.load(path) if path.exists() else config.from_mapping({})


def _intact(path: Path) -> bool:
    """Whether ``path`` is a whole ledger (then restoring would throw passages away)."""
    import sqlite3

    from gatehouse.store.integrity import LedgerCorruptError, check_integrity
    from gatehouse.store.verify import NotALedgerError, verify_ledger

    if not path.is_file() or path.stat().st_size == 0:
        return False
    try:
        check_integrity(path)
        return verify_ledger(path).intact
    except (LedgerCorruptError, NotALedgerError, sqlite3.Error, OSError):
        return False


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "restore",
        help="restore the newest good backup of a damaged or lost ledger and rejoin the hub "
        "(stop the booth first)",
    )
    parser.add_argument("--config", type=Path, help="configuration file (default: per platform)")
    parser.add_argument("--database", type=Path, help="ledger file (overrides the configuration)")
    parser.add_argument("--backups", type=Path, help="backup folder (default: backups/ beside it)")
    parser.add_argument("--backup", type=Path, help="restore this backup file instead")
    parser.add_argument("--force", action="store_true", help="restore over an intact ledger")
    parser.set_defaults(handler=_restore)
