"""Where every scanned text enters the booth, whichever device read it.

The camera's decode thread, a serial scanner's monitor and the GUI (keyboard-wedge scanners)
all hand their texts here and return at once: texts are decided one at a time on the intake's
own worker thread, so no device thread and never the GUI thread verifies, decides or writes.

Repeats: the same pass shown again within the window of ``RepeatedPasses``. When no new
temperature was measured since its last showing, it is the same person at the same moment (the
pass held up twice, or again after the verdict): the guard is told (``on_repeat``) and no
second passage is logged. After a new measurement it is decided and logged again, because the
person did what the booth asked (re-measured) or came back through. Without ``on_repeat`` (a
receiver that cannot show repeats) every repeat is decided, so nothing is left unanswered.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from gatehouse.supervision import SUPERVISOR, Supervisor

log = logging.getLogger(__name__)


class RepeatedPasses:
    """Remembers when each text was last scanned, to tell a new showing from a repeat."""

    def __init__(self, window: float, monotonic: Callable[[], float] = time.monotonic):
        if window < 0:
            raise ValueError(f"repeat window must not be negative, got {window}")
        self._window = window
        self._monotonic = monotonic
        self._scanned: dict[str, float] = {}

    def seconds_since_last_scan(self, text: str) -> float | None:
        """None for a first scan (or one older than the window); records this scan either way."""
        now = self._monotonic()
        self._scanned = {t: at for t, at in self._scanned.items() if now - at <= self._window}
        previous = self._scanned.get(text)
        self._scanned[text] = now
        return None if previous is None else now - previous


class ScanIntake:
    """Queues scanned texts for one worker thread; ``close()`` finishes the queued ones."""

    def __init__(
        self,
        decide: Callable[[str], None],
        *,
        repeats: RepeatedPasses,
        measured_within: Callable[[float], bool],
        on_repeat: Callable[[str, float], None] | None,
        supervisor: Supervisor = SUPERVISOR,
    ) -> None:
        self._decide = decide
        self._take_guarded = supervisor.guarded("intake", self._take, None)
        self._on_repeat = on_repeat
        self._repeats = repeats
        self._measured_within = measured_within
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gatehouse-scan")

    def submit(self, text: str) -> None:
        """Hand over one scanned text; never blocks. After close() the text is dropped."""
        try:
            self._worker.submit(self._take_guarded, text)
        except RuntimeError:  # shut down: the booth is stopping
            log.warning("scan arrived while the booth was stopping; dropped")

    def close(self) -> None:
        self._worker.shutdown(wait=True)

    def _take(self, text: str) -> None:
        """One scan; an exception is the supervisor's to log and show (the next scan runs)."""
        since = self._repeats.seconds_since_last_scan(text)
        same_showing = since is not None and not self._measured_within(since)
        if since is not None and same_showing and self._on_repeat is not None:
            self._on_repeat(text, since)
        else:
            self._decide(text)
