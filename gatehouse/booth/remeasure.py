"""Who was asked to re-measure their temperature, and who awaits the guard's confirmation.

The practice: a first abnormal reading asks the person to wait and re-measure; a second
abnormal reading after the wait is checked with a contact thermometer, and only the guard's
confirmation turns the person away and flags the case. The core decides each step from the
evidence; this book remembers the first reading between scans. Shared by the scan thread and
the UI (``pending()`` lists the people waiting, for the guard's screen).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from gatehouse.core.decision import Decision, Evidence
from gatehouse.core.models import TemperatureReading
from gatehouse.core.reasons import ReasonCode

FIRST_ABNORMAL = frozenset({ReasonCode.TEMP_HIGH, ReasonCode.TEMP_LOW})
AWAITS_CONFIRMATION = ReasonCode.TEMP_CONFIRM
RESOLVED = frozenset({ReasonCode.TEMP_NORMAL, ReasonCode.TEMP_CONFIRMED_ABNORMAL})


@dataclass(frozen=True)
class PendingRemeasure:
    person_key: str
    first: TemperatureReading
    evidence: Evidence  # the latest evidence, re-decided when the guard confirms
    awaiting_confirmation: bool


class RemeasureBook:
    """Thread-safe; entries are forgotten ``forget_after`` the first reading."""

    def __init__(self, forget_after: timedelta = timedelta(minutes=30)) -> None:
        self._forget_after = forget_after
        self._lock = threading.Lock()
        self._entries: dict[str, PendingRemeasure] = {}

    def first_abnormal(self, person_key: str, now: datetime) -> TemperatureReading | None:
        with self._lock:
            self._expire(now)
            entry = self._entries.get(person_key)
            return entry.first if entry else None

    def record(self, person_key: str, evidence: Evidence, decision: Decision) -> None:
        """Update the book from a decision just made for this person."""
        codes = {item.code for item in decision.reasons}
        with self._lock:
            if codes & RESOLVED:
                self._entries.pop(person_key, None)
                return
            entry = self._entries.get(person_key)
            if entry is None and codes & FIRST_ABNORMAL and evidence.temperature is not None:
                self._entries[person_key] = PendingRemeasure(
                    person_key, evidence.temperature, evidence, False
                )
            elif entry is not None:
                awaiting = AWAITS_CONFIRMATION in codes
                self._entries[person_key] = PendingRemeasure(
                    person_key, entry.first, evidence, awaiting
                )

    def awaiting_confirmation(self, person_key: str) -> Evidence | None:
        with self._lock:
            entry = self._entries.get(person_key)
            return entry.evidence if entry is not None and entry.awaiting_confirmation else None

    def pending(self, now: datetime) -> list[PendingRemeasure]:
        """Everyone waiting to re-measure or to be confirmed, first reading first."""
        with self._lock:
            self._expire(now)
            return sorted(self._entries.values(), key=lambda entry: entry.first.taken_at)

    def _expire(self, now: datetime) -> None:
        for key in [
            k for k, e in self._entries.items() if now - e.first.taken_at > self._forget_after
        ]:
            del self._entries[key]
