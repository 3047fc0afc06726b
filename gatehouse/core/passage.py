"""The record of one person at the gate: what was scanned, measured and decided, and why.

It lives in its own module, not in ``models``, because it needs ``Reason`` and
``reasons`` already imports ``models``; this way neither import is circular.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from gatehouse.core.models import Outcome
from gatehouse.core.reasons import Reason


@dataclass(frozen=True)
class Passage:
    """One decision at the gate, as logged. ``passage_id`` (uuid4 hex) is the sync idempotency key.

    Pass fields are ``None`` when no valid Gatehouse pass was read; temperature fields are
    ``None`` when none was taken. ``decided_at`` is timezone-aware; ``clock_source`` says
    whether it came from the real ("system") or the demonstration ("demo") clock.

    ``evidence`` holds JSON-compatible facts about how the decision was reached beyond the
    columns above (issuer and key of the pass, when the reading was taken, list matches, …);
    ``guard_id`` is the guard on duty; ``id_hash`` is the keyed hash of the full ID number when
    one was known (the number itself is never logged).
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
    guard_id: str | None = None
    id_hash: str | None = None
    evidence: Mapping[str, Any] = field(default_factory=dict, hash=False)


# The fields that identify a person: a retention purge erases exactly these, and the ledger's
# hash chain digests them apart from the rest so the chain survives the purge.
PERSONAL_FIELDS = ("scanned_text", "pass_id", "holder_name", "id_masked", "id_hash")


def keyed_id_hash(id_number: str, key: bytes) -> str:
    """HMAC-SHA256 of an ID number (spaces dropped, check letter upper-cased), hex.

    What the ledger keeps instead of the number: a plain hash of an 18-digit ID number is
    brute-forced in minutes, this one not without the office's key (``id_hash_key`` in the
    hub's ``privacy`` bundle, the same for every booth so the office can search by number).
    """
    if len(key) < 16:
        raise ValueError("the ID hash key must be at least 16 bytes")
    normalised = "".join(id_number.split()).upper()
    return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()
