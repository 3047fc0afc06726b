"""A process's resident memory, read from ``/proc`` (Linux), for the benchmarks that report
the peak of a process and of the export child it spawns."""

from __future__ import annotations

import os
import threading
from pathlib import Path


def rss_kib(field: str, pid: int | None = None) -> int:
    status = Path(f"/proc/{pid or 'self'}/status")
    for line in status.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _children() -> set[int]:
    """This process's child processes (the export runs in one, spawned for it)."""
    me, found = os.getpid(), set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me:
            found.add(int(stat.parent.name))
    return found


class ChildPeak:
    """The peak resident memory (VmHWM) of this process's children while it watches, read
    ``every`` seconds until ``stop`` (a child's own peak, so a sample late is not a loss). Every
    child counts: the export's process may have been spawned before the export, as the pool's
    replacement for the last one. Each look reads every process's ``stat`` (~0.07 s of CPU a
    second at 0.1 s on the benchmark machine): a way whose CPU is measured looks less often."""

    def __init__(self, every: float = 0.1) -> None:
        self._every = every
        self._peak_kib = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="bench-child-peak")
        self._thread.start()

    def _watch(self) -> None:
        while not self._done.wait(self._every):
            for pid in _children():
                try:
                    self._peak_kib = max(self._peak_kib, rss_kib("VmHWM", pid))
                except (OSError, RuntimeError):
                    continue  # it ended between the listing and the read

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return self._peak_kib // 1024


def reset_peak() -> None:
    """This process's peak resident set (VmHWM) back to its present size (Linux's
    ``clear_refs``), so the peak read later is that of what ran since."""
    Path("/proc/self/clear_refs").write_text("5")
