"""``gatehouse export``: the desk's passage export from the command line, for IT's scheduled
exports. The same ``ExportRequest`` the desk writes; the ledger is only read (never migrated,
never written), so ID numbers are masked as in any unaudited export."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a day: YYYY-MM-DD") from None


def _export(args: argparse.Namespace) -> int:
    import sqlite3

    from gatehouse.commands.errors import CommandError
    from gatehouse.reports.export import ExportRequest
    from gatehouse.store.queries import PassageFilter, PassageQueries

    if args.to < args.from_:
        raise CommandError(f"--to {args.to} is before --from {args.from_}")
    if not args.database.is_file():
        raise CommandError(f"{args.database}: 账本文件不存在 / no ledger file there")
    zone = _local_zone()
    search = PassageFilter(
        start=datetime.combine(args.from_, time(), zone),
        end=datetime.combine(args.to + timedelta(days=1), time(), zone),
    )
    request = ExportRequest(search, args.out, args.format, zone=zone)
    try:
        rows = request.write(PassageQueries(args.database), now=datetime.now(UTC))
    except sqlite3.Error as exc:
        raise CommandError(
            f"{args.database}: 无法读取账本 / cannot read the ledger: {exc}"
        ) from exc
    print(f"已导出 {rows} 条通行记录 / exported {rows} passages to {args.out}")
    return 0


def _local_zone() -> tzinfo:
    """The desk's zone: this computer's UTC offset now (China time on a booth PC)."""
    return datetime.now(UTC).astimezone().tzinfo or UTC


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "export",
        help="export the passages of some days to CSV or XLSX, as the desk does (read-only)",
        description="Days are whole days in this computer's time zone, --to included. "
        "ID numbers are masked. The file appears only when complete.",
    )
    parser.add_argument("--database", type=Path, required=True, help="ledger file (read only)")
    parser.add_argument(
        "--from",
        dest="from_",
        metavar="DAY",
        type=_day,
        required=True,
        help="first day, YYYY-MM-DD",
    )
    parser.add_argument(
        "--to", metavar="DAY", type=_day, required=True, help="last day, YYYY-MM-DD"
    )
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv", help="file format")
    parser.add_argument("--out", type=Path, required=True, help="file to write")
    parser.set_defaults(handler=_export)
