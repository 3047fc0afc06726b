"""The ``gatehouse`` command. Each subcommand lives in ``gatehouse.commands``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gatehouse import __version__
from gatehouse.booth.logfile import LINE_FORMAT, install_log_file
from gatehouse.commands import (
    autostart,
    booth,
    decide,
    decode,
    dry_run,
    export,
    hub,
    inspect_code,
    issuing,
    restore,
    self_test,
    setup,
    simulate,
    trust_list,
    verify_ledger,
)
from gatehouse.commands.errors import CommandError
from gatehouse.store.integrity import LedgerCorruptError, LedgerMissingError

# Add a command by writing gatehouse/commands/<name>.py with register() and listing it here.
COMMANDS = (
    booth,
    issuing,
    self_test,
    decode,
    verify_ledger,
    hub,
    simulate,
    inspect_code,
    decide,
    trust_list,
    dry_run,
    setup,
    restore,
    autostart,
    export,
)


class DefaultsShown(argparse.HelpFormatter):
    """Every option's help says its default, unless the text already does."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        shown = action.default not in (None, False, argparse.SUPPRESS) and action.option_strings
        if shown and "default" not in text:
            return f"{text} (default: %(default)s)"
        return text


class _Parser(argparse.ArgumentParser):
    """Each subcommand's parser, with the defaults shown (``add_subparsers`` makes these)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", DefaultsShown)
        super().__init__(*args, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gatehouse", description="Epidemic checkpoint booth for mine entrances.")
    parser.add_argument("--version", action="version", version=f"gatehouse {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )
    for command in COMMANDS:
        command.register(sub)
    return parser


def start_log_file() -> Path | None:
    """The booth's rotating log file; None (said on the terminal) where it cannot be written:
    a booth starts even then."""
    try:
        return install_log_file()
    except OSError as exc:
        logging.getLogger(__name__).warning("no log file: %s", exc)
        return None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format=LINE_FORMAT,
    )
    if getattr(args, "log_file", False):  # only the booth: read-only commands write nothing
        start_log_file()
    try:
        return _run(args)
    except (LedgerCorruptError, LedgerMissingError) as exc:  # says what to do: restore
        print(f"gatehouse: {exc}", file=sys.stderr)
        return verify_ledger.EXIT_TAMPERED  # as verify-ledger: damaged, missing or emptied
    except (CommandError, FileExistsError, FileNotFoundError, ValueError) as exc:
        print(f"gatehouse: {exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    """The command's handler; a configuration error is told as one (exit 2)."""
    try:
        result: int = args.handler(args)
    except Exception as exc:
        if not _config_error(exc):
            raise
        print(f"gatehouse: configuration error: {exc}", file=sys.stderr)
        return 2
    return result


def _config_error(exc: Exception) -> bool:
    """A ``config.ConfigError``: raised only once the configuration module is loaded, which
    the commands that print (--version, --help) never do."""
    config = sys.modules.get("gatehouse.config")
    return config is not None and isinstance(exc, config.ConfigError)
