"""``gatehouse keygen`` and ``gatehouse issue-pass``: what the epidemic office runs."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from gatehouse.commands.choices import LazyChoices

if TYPE_CHECKING:
    from enum import StrEnum

    from gatehouse.core.models import TravelVisit, Vaccination
    from gatehouse.office.passes import PassRequest


def _keygen(args: argparse.Namespace) -> int:
    from gatehouse.office.passes import write_issuer_key  # cryptography loads only when used

    print(write_issuer_key(args.out, args.issuer, args.trust_file))
    return 0


def _issue_pass(args: argparse.Namespace) -> int:
    from gatehouse.office.passes import issue_pass_files

    request = _pass_request(args, _configured_secret(args.config))
    if not request.travel:
        print(
            "note: no --travel: the pass says travel not shown, and booths ask for the travel "
            "card (F4)",
            file=sys.stderr,
        )
    text = issue_pass_files(
        request,
        args.key,
        args.issuer,
        args.png,
        card=args.card,
        colour_max_age_hours=args.colour_max_age_hours,
    )
    print(text)
    return 0


def _pass_request(args: argparse.Namespace, configured_secret: Path | None) -> PassRequest:
    """The request as typed; the list secret is ``--id-hash-secret`` or else the configured
    one (``configured_secret``), so a mine with lists never issues a pass without the hash."""
    from gatehouse.core.models import HealthCodeColour, Role, TestResult
    from gatehouse.office.passes import PassRequest, read_id_hash_secret

    secret_file = args.id_hash_secret or configured_secret
    secret = read_id_hash_secret(secret_file) if secret_file else None
    return PassRequest(
        pass_id=args.pass_id,
        holder_name=args.name,
        id_number=args.id_number,
        role=Role(args.role),
        health_code=HealthCodeColour(args.health_code),
        test_sampled_at=args.test_sampled,
        test_result=TestResult(args.test_result),
        travel=tuple(args.travel),
        valid_days=args.valid_days,
        vaccination=args.vaccination,
        host=args.host,
        approval_id=args.approval_id,
        id_hash_secret=secret,
        health_code_checked_at=args.health_code_checked,
    )


def _configured_secret(path: Path | None) -> Path | None:
    """The configuration's person-list secret file, if a configuration exists (issuing never
    creates one)."""
    from gatehouse import config

    config_file = config.config_path(path, os.environ)
    if not config_file.exists():
        return None
    configured = config.load(config_file).policy.list_secret_file
    return Path(configured) if configured else None


def _aware_datetime(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{value!r} needs a UTC offset, e.g. +08:00")
    return moment


def _models_values(name: str) -> LazyChoices:
    """The values of ``core.models``' enum ``name``, imported when issue-pass runs or shows help."""

    def values() -> list[str]:
        from gatehouse.core import models

        kind: type[StrEnum] = getattr(models, name)
        return [member.value for member in kind]

    return LazyChoices(values)


def _travel_visit(value: str) -> TravelVisit:
    from gatehouse.core.models import TravelVisit

    code, _, day = value.partition(":")
    if not (code.isdigit() and len(code) == 6 and day):
        raise argparse.ArgumentTypeError(
            f"{value!r} must be REGIONCODE:YYYY-MM-DD, e.g. 610100:2026-11-20"
        )
    return TravelVisit(code, date.fromisoformat(day))


def _vaccination(value: str) -> Vaccination:
    from gatehouse.core.models import Vaccination

    doses, _, day = value.partition(":")
    if not (doses.isdigit() and day):
        raise argparse.ArgumentTypeError(f"{value!r} must be DOSES:YYYY-MM-DD, e.g. 3:2022-05-01")
    return Vaccination(int(doses), date.fromisoformat(day))


def _add_choice(
    parser: argparse.ArgumentParser,
    flag: str,
    enum_name: str,
    default: str,
    metavar: str,
    words: str,
) -> None:
    """An option taking one value of ``core.models``' enum ``enum_name``; its own --help lists
    them, loaded only then (``--version`` and ``--help`` stay fast)."""
    parser.add_argument(
        flag,
        choices=_models_values(enum_name),
        metavar=metavar,
        default=default,
        help=f"{words}: %(choices)s",
    )


def add_pass_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--key", type=Path, required=True, help="issuer private key (PEM)")
    parser.add_argument("--issuer", required=True, help="issuer name printed in the pass")
    parser.add_argument("--pass-id", required=True, help="the pass's unique id")
    parser.add_argument("--name", required=True, help="holder's name")
    parser.add_argument(
        "--id-number", required=True, help="ID number (only its masked form is kept)"
    )
    _add_choice(parser, "--role", "Role", "employee", "ROLE", "who holds it")
    _add_choice(
        parser, "--health-code", "HealthCodeColour", "green", "COLOUR", "health-code colour"
    )
    parser.add_argument(
        "--health-code-checked",
        type=_aware_datetime,
        help="when the health code was looked at (ISO 8601 with offset; default: now)",
    )
    parser.add_argument(
        "--colour-max-age-hours",
        type=float,
        help="the rule pack's maximum colour age, for the card (default: the same China day)",
    )
    parser.add_argument("--test-sampled", type=_aware_datetime, help="ISO 8601 with offset")
    _add_choice(
        parser, "--test-result", "TestResult", "negative", "RESULT", "nucleic-acid test result"
    )
    parser.add_argument(
        "--travel",
        type=_travel_visit,
        action="append",
        default=[],
        help="REGIONCODE:YYYY-MM-DD, repeatable",
    )
    parser.add_argument("--valid-days", type=int, default=7, help="days the pass is valid")
    parser.add_argument("--vaccination", type=_vaccination, help="DOSES:YYYY-MM-DD of last dose")
    parser.add_argument("--host", help="visitors: the employee they visit")
    parser.add_argument("--approval-id", help="visitors: the epidemic office's approval id")
    parser.add_argument(
        "--id-hash-secret",
        type=Path,
        help="person-list secret (hex text file): embeds the keyed hash of the ID number "
        "(default: [policy] list_secret_file of the configuration)",
    )
    parser.add_argument("--png", type=Path, help="also write the QR code to this PNG file")
    parser.add_argument(
        "--card", type=Path, help="also write a printable card (.png or .pdf) with QR and name"
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keygen = sub.add_parser("keygen", help="create an issuer signing key for passes")
    keygen.add_argument("--out", type=Path, required=True, help="private key file to write (PEM)")
    keygen.add_argument("--issuer", required=True, help="issuer name, e.g. the mine's office")
    keygen.add_argument("--trust-file", type=Path, help="add the public key to this trust file")
    keygen.set_defaults(handler=_keygen)

    issue = sub.add_parser("issue-pass", help="sign a pass and print its QR text")
    add_pass_arguments(issue)
    issue.add_argument("--config", type=Path, help="configuration file (default: per platform)")
    issue.set_defaults(handler=_issue_pass)
