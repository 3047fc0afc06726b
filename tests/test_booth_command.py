"""``gatehouse run`` fills the screen and ``gatehouse demo`` opens a window unless asked
otherwise; ``--keep-running`` restarts exactly the command it was given."""

from __future__ import annotations

import pytest

from gatehouse.cli import build_parser
from gatehouse.commands.booth import child_arguments, full_screen


@pytest.mark.parametrize(
    ("command", "setting", "asked", "filled"),
    [
        ("run", "auto", None, True),
        ("demo", "auto", None, False),
        ("run", "windowed", None, False),
        ("demo", "full_screen", None, True),
        ("run", "auto", "windowed", False),
        ("demo", "windowed", "full_screen", True),
    ],
)
def test_who_decides_full_screen(
    command: str, setting: str, asked: str | None, filled: bool
) -> None:
    assert full_screen(command, setting, asked) is filled


def test_the_supervised_child_is_the_same_command_without_keep_running() -> None:
    parser = build_parser()
    given = ["demo", "--keep-running", "--windowed", "--config", "/b/g.toml", "--speed", "2"]
    args = parser.parse_args(given)
    child = child_arguments(args)
    assert "--keep-running" not in child
    again = parser.parse_args(child)
    for name in ("command", "window", "config", "database", "speed"):
        assert getattr(again, name) == getattr(args, name), name
    assert again.keep_running is False
