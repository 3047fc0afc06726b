"""Restart-if-it-dies with real child processes: a crash is restarted, a clean exit is not,
and a booth that cannot start is given up on instead of restarted for ever."""

from __future__ import annotations

import sys
from pathlib import Path

from gatehouse.booth.keep_running import RestartPolicy, keep_running

FAST = RestartPolicy(quick_exit_s=30.0, max_quick_exits=4, first_delay_s=0.5, max_delay_s=1.5)


def child(tmp_path: Path, crashes: int) -> list[str]:
    """A process that counts its starts in a file and crashes the first ``crashes`` times."""
    counter = tmp_path / "starts"
    script = (
        "import pathlib, sys, os\n"
        f"p = pathlib.Path({str(counter)!r})\n"
        "n = int(p.read_text()) + 1 if p.exists() else 1\n"
        "p.write_text(str(n))\n"
        f"if n <= {crashes}: os.abort()\n"
        "sys.exit(0)\n"
    )
    return [sys.executable, "-c", script]


def test_a_crashed_booth_is_restarted_until_it_exits_cleanly(tmp_path: Path) -> None:
    waits: list[float] = []
    assert keep_running(child(tmp_path, crashes=2), FAST, sleep=waits.append) == 0
    assert (tmp_path / "starts").read_text() == "3"
    assert waits == [0.5, 1.0]


def test_a_booth_that_keeps_failing_to_start_is_given_up(tmp_path: Path) -> None:
    waits: list[float] = []
    status = keep_running(child(tmp_path, crashes=99), FAST, sleep=waits.append)
    assert status != 0
    assert (tmp_path / "starts").read_text() == "4"
    assert waits == [0.5, 1.0, 1.5]  # doubled, capped


def test_a_booth_that_ran_a_while_starts_the_count_again(tmp_path: Path) -> None:
    moments = iter([0.0, 100.0, 100.0, 200.0, 200.0, 300.0, 300.0, 300.5])
    waits: list[float] = []
    status = keep_running(
        child(tmp_path, crashes=3), FAST, monotonic=lambda: next(moments), sleep=waits.append
    )
    assert status == 0
    assert waits == [0.5, 0.5, 0.5]  # each crash after a long run waits the first delay
