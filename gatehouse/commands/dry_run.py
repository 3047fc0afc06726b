"""``gatehouse dry-run``: which logged passages would a new rule pack have decided otherwise?

Re-decides the last ``--days`` of the ledger with the pack in force throughout, using the
booth's own risk areas, lists and trusted keys (``gatehouse.replay.dry_run``), and prints one
JSON line (or table row) per passage whose outcome would change or that cannot be re-decided,
with why. A summary goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

TABLE_COLUMNS = (
    ("decided_at", 32),
    ("booth_id", 12),
    ("id_masked", 18),
    ("status", 11),
    ("logged", 9),
    ("new", 9),
)


def _dry_run(args: argparse.Namespace) -> int:
    from gatehouse import config
    from gatehouse.bundles.policy import ledger_policy, load_document
    from gatehouse.bundles.trust import booth_trust
    from gatehouse.core.rules.checks import id_waivers
    from gatehouse.core.rules.pack import packs_from
    from gatehouse.replay.dry_run import Status, dry_run
    from gatehouse.store.ledger import Ledger
    from gatehouse.store.queries import PassageFilter, PassageQueries
    from gatehouse.store.rows import row_to_passage

    cfg = config.load(args.config)
    database = args.database or cfg.database_path()
    if not database.exists():
        raise FileNotFoundError(f"no ledger at {database}")
    packs = packs_from(load_document(args.pack))
    for pack in packs:
        for checkpoint_type in pack.checkpoints:
            waived = id_waivers(pack, checkpoint_type)
            if waived:
                print(
                    f"warning: pack {pack.pack_id}@{pack.version} turns require_id off for "
                    f"{', '.join(waived)} at {checkpoint_type}: a person nobody identified "
                    "passes the list check unchecked",
                    file=sys.stderr,
                )
    start = datetime.now(UTC) - timedelta(days=args.days)
    counts = dict.fromkeys(Status, 0)
    with Ledger.open(database) as ledger:
        policy = ledger_policy(cfg, ledger)
        rows = PassageQueries(ledger.path).iter_rows(PassageFilter(start=start))
        passages = (row_to_passage(row) for row in rows)
        if args.table:
            print("  ".join(name.ljust(width) for name, width in TABLE_COLUMNS) + "  note")
        for row in dry_run(passages, policy, packs, booth_trust(cfg, demo=False)):
            counts[row.status] += 1
            if row.status is Status.UNCHANGED and not args.all:
                continue
            data = row.to_json_data()
            if args.table:
                cells = (str(data[name] or "—").ljust(width) for name, width in TABLE_COLUMNS)
                print("  ".join(cells) + "  " + (data["note"] or ""))
            else:
                print(json.dumps(data, ensure_ascii=False))
    total = sum(counts.values())
    print(
        f"{total} passages in the last {args.days} days: {counts[Status.CHANGED]} would change, "
        f"{counts[Status.UNDECIDABLE]} cannot be re-decided, {counts[Status.UNCHANGED]} unchanged",
        file=sys.stderr,
    )
    return 0


def _days(value: str) -> int:
    days = int(value)
    if days < 1:
        raise argparse.ArgumentTypeError("--days must be at least 1")
    return days


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "dry-run",
        help="list the logged passages a new rule pack would decide otherwise",
    )
    parser.add_argument(
        "--pack", type=Path, required=True, help="the new rule pack (.cose signed, or .json draft)"
    )
    parser.add_argument("--days", type=_days, default=7, help="how far back (default: 7 days)")
    parser.add_argument("--database", type=Path, help="ledger file (overrides the configuration)")
    parser.add_argument("--config", type=Path, help="configuration file (default: per platform)")
    parser.add_argument("--table", action="store_true", help="a table instead of JSON lines")
    parser.add_argument("--all", action="store_true", help="also list unchanged passages")
    parser.set_defaults(handler=_dry_run)
