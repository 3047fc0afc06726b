"""``gatehouse verify-ledger``: check the booth ledger's hash chain, name the first broken link."""

from __future__ import annotations

import argparse
from pathlib import Path

from gatehouse import config
from gatehouse.store.verify import verify_ledger

EXIT_TAMPERED = 3


def _verify(args: argparse.Namespace) -> int:
    path = args.database or config.load(args.config).database_path()
    verdict = verify_ledger(path)
    if verdict.first_break is not None:
        print(f"账本已被篡改 / LEDGER TAMPERED: {path}")
        print(f"第一处断链 / first broken link: {verdict.first_break}")
        print(f"此前完好的链节 / intact links before it: {verdict.links}")
        return EXIT_TAMPERED
    head = verdict.head
    print(f"账本完好 / ledger intact: {path}")
    print(f"链节 / links: {verdict.links}")
    if head is not None:
        print(f"链头 / chain head: {head.seq} {head.hash}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "verify-ledger",
        help="check the ledger's hash chain; exit 3 and name the first broken link if tampered",
    )
    parser.add_argument("--config", type=Path, help="configuration file (default: per platform)")
    parser.add_argument("--database", type=Path, help="ledger file (overrides the configuration)")
    parser.set_defaults(handler=_verify)
