"""Background workers that cannot die silently: one pattern for every thread the booth runs.

A worker's loop (or each task it runs) goes through a ``Supervisor``. An exception the worker
did not expect is logged with its traceback, kept as a ``WorkerFault`` that the status bar
shows in words, and the worker carries on: a task wrapper returns to its caller, a loop is
started again after a growing pause (``Backoff``) until it stops or succeeds. The fault stays
on the status bar while the worker keeps failing and for ``SHOWN_FOR`` after it reports a
success (``recovered``), so a guard sees that something went wrong even when it healed in a
second.

Process-wide by default (``SUPERVISOR``): the workers are created in many places, the status
bar reads them all in one. Tests pass their own.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import ParamSpec, TypeVar

from gatehouse.backoff import Backoff

log = logging.getLogger(__name__)

SHOWN_FOR = timedelta(minutes=10)
P = ParamSpec("P")
R = TypeVar("R")

# worker name -> (English, Chinese) words for the status bar
WORKER_WORDS: dict[str, tuple[str, str]] = {
    "sync": ("Sync with the hub", "与中心同步"),
    "reverification": ("Health-code re-verification", "健康码复核"),
    "intake": ("Scan intake", "扫码处理"),
    "writer": ("Ledger writer", "记录写入"),
    "camera": ("Camera", "摄像头"),
    "decoder": ("QR decoding", "二维码识别"),
    "thermometer": ("Thermometer", "测温仪"),
    "scanner": ("Barcode scanner", "扫码枪"),
    "export": ("Export", "导出"),
    "housekeeping": ("Daily backup and purge", "每日备份与清理"),
    "policy": ("Policy reload", "规则重新加载"),
}


@dataclass(frozen=True)
class WorkerFault:
    """The latest unexpected failure of one worker and how many in a row it has had."""

    worker: str
    error: str  # "TypeError: …", one line
    at: datetime
    count: int
    recovered_at: datetime | None = None

    @property
    def en(self) -> str:
        return self._words(0)

    @property
    def zh(self) -> str:
        return self._words(1)

    def _words(self, language: int) -> str:
        what = WORKER_WORDS.get(self.worker, (self.worker, self.worker))[language]
        template = _HEALED if self.recovered_at is not None else _FAILING
        return template[language].format(what=what, error=self.error, count=self.count)


# (English, Chinese) status-bar words for a worker that recovered, and one still failing
_HEALED = (
    "{what} hit an unexpected error ({error}), was restarted and works again.",
    "{what}遇到意外错误（{error}），已自动重启并恢复正常。",
)
_FAILING = (
    "{what} failed unexpectedly ({error}; {count}× in a row): restarting; see the log.",
    "{what}意外出错（{error}；连续{count}次），正在重启；详情见日志。",
)


def utc_now() -> datetime:
    return datetime.now(UTC)


class Supervisor:
    """Thread-safe record of the workers' unexpected failures; see the module docstring."""

    def __init__(
        self, backoff: Backoff | None = None, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._backoff = backoff or Backoff(base_s=1.0, cap_s=60.0)
        self._clock = clock
        self._lock = threading.Lock()
        self._faults: dict[str, WorkerFault] = {}

    def failed(self, worker: str, exc: BaseException) -> float:
        """Log ``exc`` with its traceback, keep it for the status bar; the pause before the
        worker's next try (growing with the failures in a row)."""
        error = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        with self._lock:
            previous = self._faults.get(worker)
            ongoing = previous is not None and previous.recovered_at is None
            count = previous.count + 1 if previous and ongoing else 1
            self._faults[worker] = WorkerFault(worker, error, self._clock(), count)
        log.error(
            "worker %s failed unexpectedly (%d in a row); it carries on",
            worker,
            count,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        return self._backoff.delay(count)

    def recovered(self, worker: str) -> None:
        """``worker`` did its work again: its fault is shown as healed, then leaves."""
        with self._lock:
            fault = self._faults.get(worker)
            if fault is None or fault.recovered_at is not None:
                return
            self._faults[worker] = replace(fault, recovered_at=self._clock())
        log.info("worker %s works again after %d unexpected failure(s)", worker, fault.count)

    def faults(self) -> tuple[WorkerFault, ...]:
        """Workers failing now, and those that recovered within ``SHOWN_FOR``, oldest first."""
        now = self._clock()
        with self._lock:
            for worker, fault in list(self._faults.items()):
                if fault.recovered_at is not None and now - fault.recovered_at > SHOWN_FOR:
                    del self._faults[worker]
            return tuple(sorted(self._faults.values(), key=lambda f: f.at))

    def guarded(self, worker: str, task: Callable[P, R], fallback: R) -> Callable[P, R]:
        """``task`` that reports an unexpected exception and returns ``fallback`` instead, and
        reports a success as recovery (for tasks run by an executor or a callback)."""

        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                result = task(*args, **kwargs)
            except Exception as exc:
                self.failed(worker, exc)
                return fallback
            self.recovered(worker)
            return result

        return run

    def run_forever(self, worker: str, loop: Callable[[], None], stop: threading.Event) -> None:
        """Run ``loop`` until it returns or ``stop`` is set; after an unexpected exception
        start it again after the backoff pause (the body of a worker thread)."""
        while not stop.is_set():
            try:
                loop()
            except Exception as exc:
                stop.wait(self.failed(worker, exc))
            else:
                return

    def thread(
        self, worker: str, loop: Callable[[], None], stop: threading.Event, name: str
    ) -> threading.Thread:
        """A daemon thread (not started) running ``loop`` under ``run_forever``."""
        return threading.Thread(
            target=self.run_forever, args=(worker, loop, stop), name=name, daemon=True
        )


SUPERVISOR = Supervisor()
