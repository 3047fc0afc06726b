"""``gatehouse decide``: what would the gate have done? One passage's evidence in, decision out.

Uses the booth's own policy (built-in documents, the hub's bundles in the ledger, the list
secret), trust material (``booth_trust``) and ``decide``, so it answers exactly as the booth
would, for every kind of code; ``--trust`` replaces the trust material, ``--pack``,
``--risk-areas`` and ``--lists`` swap in other documents for a what-if. Input schema and
output: docs/decision-input.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def _load(path: Path, signers: Any) -> Any:
    """A signed document (.cose, verified) or a plain JSON draft."""
    from gatehouse.bundles.policy import read_signed

    if path.suffix == ".cose":
        return read_signed(path, signers)
    return json.loads(path.read_text(encoding="utf-8"))


def _decide(args: argparse.Namespace) -> int:
    import dataclasses

    from gatehouse import config
    from gatehouse.bundles.policy import booth_policy, builtin_signers, ledger_policy
    from gatehouse.core.rules.pack import packs_from
    from gatehouse.core.rules.persons import PersonLists
    from gatehouse.core.rules.risk_areas import RiskAreaList
    from gatehouse.replay.what_if import decide_input, decision_json
    from gatehouse.store.ledger import Ledger

    cfg = config.load(args.config)
    data = json.loads(args.input.read_text(encoding="utf-8") if args.input else sys.stdin.read())
    at = args.at or (datetime.fromisoformat(data["at"]) if "at" in data else datetime.now(UTC))
    if at.tzinfo is None:
        raise ValueError("--at needs a UTC offset, e.g. 2026-11-20T08:00:00+08:00")
    if "checkpoint" in data:
        cfg = dataclasses.replace(
            cfg, booth=dataclasses.replace(cfg.booth, checkpoint_type=str(data["checkpoint"]))
        )
    database = args.database or cfg.database_path()
    if args.demo or not database.exists():
        policy = booth_policy(cfg, None, demo=args.demo)
    else:
        with Ledger.open(database) as ledger:
            policy = ledger_policy(cfg, ledger)
    signers = builtin_signers()
    if args.pack:
        policy = dataclasses.replace(policy, packs=packs_from(_load(args.pack, signers)))
    if args.risk_areas:
        risk_areas = RiskAreaList.from_json_data(_load(args.risk_areas, signers))
        policy = dataclasses.replace(policy, risk_areas=risk_areas)
    if args.lists:
        lists = PersonLists.from_json(json.dumps(_load(args.lists, signers)))
        policy = dataclasses.replace(policy, lists=lists)
    trust = _trust(cfg, args)
    print(
        json.dumps(
            decision_json(decide_input(data, policy, trust, at)), ensure_ascii=False, indent=2
        )
    )
    return 0


def _trust(cfg: Any, args: argparse.Namespace) -> Any:
    """The booth's trust material, or the files given with --trust (and the issuer table)."""
    from gatehouse.bundles.trust import (
        booth_trust,
        given_trust,
        health_code_issuers,
        root_keys,
    )
    from gatehouse.core.code_reader import TrustMaterial
    from gatehouse.core.trust_sources import combine

    if not args.trust:
        return booth_trust(cfg, demo=args.demo)
    roots_file = cfg.trust.root_keys_file
    roots = root_keys(Path(roots_file).expanduser()) if roots_file else []
    materials = given_trust(args.trust, roots)
    return combine([*materials, TrustMaterial(health_code_issuers=health_code_issuers(cfg))])


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{value!r} needs a UTC offset, e.g. +08:00")
    return moment


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "decide", help="decide one passage from JSON evidence and print the decision as JSON"
    )
    parser.add_argument("input", type=Path, nargs="?", help="evidence JSON (default: stdin)")
    parser.add_argument("--at", type=_moment, help="decide as of this time (ISO 8601 with offset)")
    parser.add_argument("--pack", type=Path, help="rule pack to use (.cose signed, or .json draft)")
    parser.add_argument("--risk-areas", type=Path, help="risk-area list to use (.cose or .json)")
    parser.add_argument("--lists", type=Path, help="person lists to use (.cose or .json)")
    parser.add_argument(
        "--trust",
        type=Path,
        action="append",
        default=[],
        help="trust list, trust file, JWKS or DCC signer certificate; repeatable "
        "(default: the booth's trust material)",
    )
    parser.add_argument("--config", type=Path, help="configuration file (default: per platform)")
    parser.add_argument("--database", type=Path, help="ledger whose hub documents to use")
    parser.add_argument("--demo", action="store_true", help="use the demo's data and issuer")
    parser.set_defaults(handler=_decide)
