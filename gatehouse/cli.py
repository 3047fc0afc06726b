"""The ``gatehouse`` command: run the booth, run the demo, make issuer keys, issue passes."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from gatehouse import __version__, config
from gatehouse.booth.runtime import RuntimeOptions


def _run(args: argparse.Namespace, demo: bool | None) -> int:
    from gatehouse.ui.app import run_booth  # Qt is loaded only by the commands that show a window

    cfg = config.load(args.config)
    options = RuntimeOptions(demo=demo, demo_speed=args.speed, database=args.database)
    return run_booth(cfg, options)


def _keygen(args: argparse.Namespace) -> int:
    from gatehouse.issuing import write_issuer_key

    trust_entry = write_issuer_key(args.out, args.issuer, args.trust_file)
    print(trust_entry)
    return 0


def _issue_pass(args: argparse.Namespace) -> int:
    from gatehouse.issuing import PassRequest, issue_pass_files

    request = PassRequest.from_cli(args)
    text = issue_pass_files(request, args.key, args.issuer, args.png)
    print(text)
    return 0


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="configuration file (default: per platform)")
    parser.add_argument("--database", type=Path, help="ledger file (overrides the configuration)")
    parser.add_argument(
        "--speed", type=float, default=1.0, help="demo video playback speed (default 1.0)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gatehouse", description="Epidemic checkpoint booth for mine entrances."
    )
    parser.add_argument("--version", action="version", version=f"gatehouse {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the booth (demo mode when no webcam is attached)")
    _add_run_options(run)
    run.set_defaults(handler=lambda a: _run(a, demo=None))

    demo = sub.add_parser("demo", help="run the booth on the demo video and thermometer")
    _add_run_options(demo)
    demo.set_defaults(handler=lambda a: _run(a, demo=True))

    keygen = sub.add_parser("keygen", help="create an issuer signing key for passes")
    keygen.add_argument("--out", type=Path, required=True, help="private key file to write (PEM)")
    keygen.add_argument("--issuer", required=True, help="issuer name, e.g. the mine's office")
    keygen.add_argument("--trust-file", type=Path, help="add the public key to this trust file")
    keygen.set_defaults(handler=_keygen)

    issue = sub.add_parser("issue-pass", help="sign a pass and print its QR text")
    from gatehouse.issuing import add_pass_arguments

    add_pass_arguments(issue)
    issue.set_defaults(handler=_issue_pass)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        result: int = args.handler(args)
    except config.ConfigError as exc:
        print(f"gatehouse: configuration error: {exc}", file=sys.stderr)
        return 2
    return result
