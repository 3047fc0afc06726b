"""Restart-if-it-dies: runs the booth as a child process and starts it again when it crashes.

An unattended booth must come back by itself after a crash, without a person at a keyboard.
A child that exits 0 was closed on purpose and is not restarted. One that keeps dying soon
after starting (a damaged ledger, a broken install) is given up after a few tries rather than
restarted for ever: its own start-up window and the log say why. Stopping the supervisor
(SIGTERM, as a session's logout or systemd sends) stops the booth with it.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gatehouse.booth.startup import StartupProblem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RestartPolicy:
    quick_exit_s: float = 30.0  # a child that dies sooner than this counts as failing to start
    max_quick_exits: int = 5  # that many in a row and the supervisor gives up
    first_delay_s: float = 1.0  # the wait before a restart, doubled per quick exit
    max_delay_s: float = 60.0
    # Exit statuses a restart cannot cure, given up at once: 2 is gatehouse's configuration
    # error (the file must be fixed first), and each start-up failure (a damaged, missing,
    # read-only or locked ledger) has shown its window once: IT acts, not a restart.
    final_statuses: frozenset[int] = frozenset({2, *(int(p) for p in StartupProblem)})


def keep_running(
    argv: Sequence[str],
    policy: RestartPolicy = RestartPolicy(),
    *,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Runs ``argv`` until it exits 0; its last exit status when the supervisor gives up."""
    quick_exits = 0
    while True:
        started = monotonic()
        status, stopped = _run_once(argv)
        if status == 0 or stopped:
            return status
        if status in policy.final_statuses:
            log.error("the booth exited with status %d, which a restart cannot cure", status)
            return status
        lived = monotonic() - started
        quick_exits = quick_exits + 1 if lived < policy.quick_exit_s else 0
        if quick_exits >= policy.max_quick_exits:
            log.error(
                "the booth exited with status %d %d times in a row within %.0f s of starting; "
                "not restarting it again",
                status,
                quick_exits,
                policy.quick_exit_s,
            )
            return status
        delay = min(policy.max_delay_s, policy.first_delay_s * 2 ** max(0, quick_exits - 1))
        log.error(
            "the booth exited with status %d after %.0f s; restarting it in %.0f s",
            status,
            lived,
            delay,
        )
        sleep(delay)


def _run_once(argv: Sequence[str]) -> tuple[int, bool]:
    """The child's exit status, and whether the supervisor was told to stop meanwhile (the
    child was then terminated too: never left running without its supervisor)."""
    child = subprocess.Popen(list(argv))
    stopping: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        stopping.append(signum)
        child.terminate()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return child.wait(), bool(stopping)
    finally:
        signal.signal(signal.SIGTERM, previous)
