"""The record of one person at the gate: what was scanned, measured and decided, and why.

It lives in its own module, not in ``models``, because it needs ``Reason`` and
``reasons`` already imports ``models``; this way neither import is circular.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gatehouse.core.models import Outcome
from gatehouse.core.reasons import Reason


@dataclass(frozen=True)
class Passage:
    """One decision at the gate, as logged. ``passage_id`` (uuid4 hex) is the sync idempotency key.

    Pass fields are ``None`` when no valid Gatehouse pass was read; temperature fields are
    ``None`` when none was taken. ``decided_at`` is timezone-aware; ``clock_source`` says
    whether it came from the real ("system") or the demonstration ("demo") clock.
    """

    passage_id: str
    booth_id: str
    checkpoint_type: str
    decided_at: datetime
    clock_source: str
    scanned_text: str
    code_kind: str
    pass_id: str | None
    holder_name: str | None
    id_masked: str | None
    role: str | None
    temperature_c: float | None
    temperature_source: str | None
    outcome: Outcome
    reasons: tuple[Reason, ...]
    policy_version: str
