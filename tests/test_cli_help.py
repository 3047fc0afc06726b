"""Every option of every command has help, and the help shows its default."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from gatehouse.cli import build_parser


def every_parser(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from every_parser(child)


def test_every_option_has_help_showing_its_default() -> None:
    missing, no_default = [], []
    parsers = list(every_parser(build_parser()))
    assert len(parsers) > 20  # the walk reached the nested commands (hub, simulate, trust-list)
    for parser in parsers:
        formatter = parser._get_formatter()
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
                continue
            name = f"{parser.prog} {'/'.join(action.option_strings) or action.dest}"
            if not action.help:
                missing.append(name)
                continue
            has_default = action.default not in (None, False, argparse.SUPPRESS)
            shown = formatter._get_help_string(action) or ""
            if action.option_strings and has_default and "default" not in shown:
                no_default.append(f"{name} (default {action.default!r})")
    assert "(default: 8750)" in " ".join(every_help("hub", "serve"))
    assert missing == []
    assert no_default == []


def every_help(*command: str) -> list[str]:
    """The help lines of one command, as ``gatehouse COMMAND --help`` prints them."""
    parser = build_parser()
    for name in command:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[name]
    return parser.format_help().split("\n")
