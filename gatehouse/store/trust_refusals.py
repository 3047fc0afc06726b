"""The trust refusals a booth recorded (audit events ``trust_refused``), for the supervisor.

Each refused item says what was refused, why, and what the booth does instead; the two
outcomes that matter to a supervisor are spelt with the phrases below, which the booth's trust
loading writes (``gatehouse/bundles/last_good.py``, ``trust.py``) and the desk reads.
Queries run on their own read-only connection, never through the ledger's writer.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from gatehouse.store.audit import AuditKind

LAST_GOOD_STAYS = "stays in force"  # the last good copy is still used
NOTHING_TRUSTED = "nothing from it is trusted"  # codes only it could verify are referred


class Consequence(StrEnum):
    LAST_GOOD = "last_good"
    NOTHING = "nothing"
    PART = "part"  # only the refused item is left out (e.g. one revocation list)


@dataclass(frozen=True)
class TrustRefusal:
    at: datetime
    booth_id: str
    problem: str  # as the booth recorded it (English, with the file and the reason)

    @property
    def consequence(self) -> Consequence:
        if LAST_GOOD_STAYS in self.problem:
            return Consequence.LAST_GOOD
        if NOTHING_TRUSTED in self.problem:
            return Consequence.NOTHING
        return Consequence.PART


def recent_trust_refusals(ledger_path: Path, limit: int = 200) -> list[TrustRefusal]:
    """The latest refusals first, one per refused item; [] for a ledger without audit events."""
    uri = f"{ledger_path.resolve().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        rows = conn.execute(
            "SELECT at, booth_id, details FROM audit_events WHERE kind = ?"
            " ORDER BY at DESC, rowid DESC LIMIT ?",
            (AuditKind.TRUST_REFUSED.value, limit),
        ).fetchall()
    found = []
    for at, booth_id, details in rows:
        refused = json.loads(details).get("refused", [])
        moment = datetime.fromisoformat(at)
        found += [TrustRefusal(moment, booth_id, str(problem)) for problem in refused]
    return found
