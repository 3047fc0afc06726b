"""``gatehouse keygen`` and ``gatehouse issue-pass``: what the epidemic office runs."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from gatehouse.issuing import PassRequest, add_pass_arguments, issue_pass_files, write_issuer_key


def _keygen(args: argparse.Namespace) -> int:
    print(write_issuer_key(args.out, args.issuer, args.trust_file))
    return 0


def _issue_pass(args: argparse.Namespace) -> int:
    request = PassRequest.from_cli(args, _configured_secret(args.config))
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


def _configured_secret(path: Path | None) -> Path | None:
    """The configuration's person-list secret file, if a configuration exists (issuing never
    creates one)."""
    from gatehouse import config

    config_file = config.config_path(path, os.environ)
    if not config_file.exists():
        return None
    configured = config.load(config_file).policy.list_secret_file
    return Path(configured) if configured else None


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
