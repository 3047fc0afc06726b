"""One passage, end to end: scanned text → verified pass → decision → durable ledger row.

Runs on the scan thread (verification and decision take well under a millisecond); the ledger
write goes to the store's single writer thread and the caller gets a future that completes
once the passage is committed. A passage whose write fails is kept in memory and written again
before the next one, so a passing disk error never drops a passage the guard has seen.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from concurrent.futures import Future
from dataclasses import dataclass

from gatehouse.booth.clock import Clock
from gatehouse.booth.temperature import LatestTemperature
from gatehouse.core.decision import Decision, Evidence, Policy, decide
from gatehouse.core.gatehouse_pass import PASS_PREFIX, CredentialError, verify_pass
from gatehouse.core.keys import TrustStore
from gatehouse.core.models import VerifiedPass
from gatehouse.core.passage import Passage
from gatehouse.store.ledger import Ledger


@dataclass(frozen=True)
class BoothIdentity:
    booth_id: str
    checkpoint_type: str


@dataclass(frozen=True)
class ScanResult:
    passage: Passage
    decision: Decision
    saved: Future[None]


# Errors worth retrying: the disk may come back (full, read-only, locked). Anything else is a bug
# in the passage itself and retrying would fail forever.
_TRANSIENT_WRITE_ERRORS = (sqlite3.OperationalError, OSError)


class BoothService:
    def __init__(
        self,
        *,
        identity: BoothIdentity,
        trust: TrustStore,
        policy: Policy,
        clock: Clock,
        ledger: Ledger,
        temperature: LatestTemperature,
    ) -> None:
        self._identity = identity
        self._trust = trust
        self._policy = policy
        self._clock = clock
        self._ledger = ledger
        self._temperature = temperature
        self._unsaved: list[Passage] = []
        self._unsaved_lock = threading.Lock()

    @property
    def unsaved_count(self) -> int:
        with self._unsaved_lock:
            return len(self._unsaved)

    def handle_scan(self, text: str) -> ScanResult:
        """Verify, decide and log one scanned code."""
        credential: VerifiedPass | None = None
        error = None
        try:
            credential = verify_pass(text, self._trust)
        except CredentialError as exc:
            error = exc.reason
        now = self._clock.now()
        evidence = Evidence(
            scanned_text=text,
            credential=credential,
            credential_error=error,
            temperature=self._temperature.latest(),
        )
        decision = decide(evidence, self._policy, now)
        passage = self._passage(evidence, decision)
        self._retry_unsaved()
        return ScanResult(passage, decision, self._save(passage))

    def _passage(self, evidence: Evidence, decision: Decision) -> Passage:
        claims = evidence.credential.claims if evidence.credential else None
        reading = evidence.temperature
        return Passage(
            passage_id=uuid.uuid4().hex,
            booth_id=self._identity.booth_id,
            checkpoint_type=self._identity.checkpoint_type,
            decided_at=decision.decided_at,
            clock_source=self._clock.source,
            scanned_text=evidence.scanned_text,
            code_kind="gatehouse-pass"
            if evidence.scanned_text.startswith(PASS_PREFIX)
            else "unknown",
            pass_id=claims.pass_id if claims else None,
            holder_name=claims.holder_name if claims else None,
            id_masked=claims.id_masked if claims else None,
            role=claims.role.value if claims else None,
            temperature_c=reading.celsius if reading else None,
            temperature_source=reading.source if reading else None,
            outcome=decision.outcome,
            reasons=decision.reasons,
            policy_version=decision.policy_version,
        )

    def _save(self, passage: Passage) -> Future[None]:
        future = self._ledger.record(passage)
        future.add_done_callback(lambda f: self._keep_if_failed(passage, f))
        return future

    def _keep_if_failed(self, passage: Passage, future: Future[None]) -> None:
        if isinstance(future.exception(), _TRANSIENT_WRITE_ERRORS):
            with self._unsaved_lock:
                self._unsaved.append(passage)

    def _retry_unsaved(self) -> None:
        with self._unsaved_lock:
            pending, self._unsaved = self._unsaved, []
        for passage in pending:
            self._save(passage)
