"""Restart-if-it-dies with real child processes: a crash is restarted, a clean exit is not,
and a booth that cannot start is given up on instead of restarted for ever."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


def test_stopping_the_supervisor_stops_the_booth_and_does_not_restart_it(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    child = [
        sys.executable,
        "-c",
        f"import os, time, pathlib; pathlib.Path({str(pid_file)!r}).write_text(str(os.getpid()));"
        " time.sleep(120)",
    ]
    supervisor = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from gatehouse.booth.keep_running import keep_running;"
            f" sys.exit(keep_running({child!r}) and 3)",
        ]
    )
    deadline = time.monotonic() + 30
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    booth_pid = int(pid_file.read_text())
    supervisor.send_signal(signal.SIGTERM)
    assert supervisor.wait(timeout=30) == 3  # the booth's own (non-zero) status, not restarted
    with pytest.raises(ProcessLookupError):  # the booth went with it
        for _ in range(100):
            os.kill(booth_pid, 0)
            time.sleep(0.05)
    assert pid_file.read_text() == str(booth_pid)  # started once


def test_a_configuration_error_is_not_restarted(tmp_path: Path) -> None:
    waits: list[float] = []
    config = tmp_path / "gatehouse.toml"
    config.write_text("[booth\n", encoding="utf-8")  # not TOML: exit status 2
    argv = [sys.executable, "-m", "gatehouse", "run", "--config", str(config)]
    assert keep_running(argv, FAST, sleep=waits.append) == 2
    assert waits == []
