"""Re-verifying attested provincial health codes once the verification service answers.

A passage the guard attested (``BoothService.attest``) is logged "attested, pending
verification". This worker asks the issuer's service (``HealthCodeVerifier``) for the colour of
each pending code, on its own thread, every ``retry_interval`` seconds and at once when a new
one comes; while the network or the service is down it simply tries again later. An answer
other than green alerts a supervisor: ``alerts`` holds them for the screen and ``on_result``
reports every answer.

Every answer is written to the ledger as an audit event naming the passage (``remember``), so
the supervisor's desk shows it beside the passage weeks later. On start the worker picks up
the attestations among the ledger's recent passages that have no answer yet, so a restart
loses none and asks none twice. An answer that cannot be written (a full disk) stays pending
and is asked, and written, again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from gatehouse.config import Config
from gatehouse.core.evidence_record import EvidenceRecordError, decode_evidence
from gatehouse.core.health_codes import ReverificationResult, reverification_result
from gatehouse.core.models import HealthCodeColour
from gatehouse.core.passage import Passage
from gatehouse.store.audit import AuditKind
from gatehouse.store.ledger import Ledger
from gatehouse.store.queries import PassageQueries
from gatehouse.supervision import SUPERVISOR, Supervisor
from gatehouse.verification.client import (
    HealthCodeVerifier,
    VerificationError,
    VerificationUnavailable,
    VerifierAccount,
)

log = logging.getLogger(__name__)

RECENT_PASSAGES = 2000  # how far back a restarted booth looks for pending attestations
VERIFICATION_ACTOR = "verification-service"  # who answered, in the audit chain


@dataclass(frozen=True)
class Reverification:
    """The service's answer for one attested passage, and whether a supervisor is alerted."""

    passage_id: str
    issuer: str | None
    attested: HealthCodeColour
    result: ReverificationResult


@dataclass(frozen=True)
class _Pending:
    passage: Passage
    issuer_id: str
    attested: HealthCodeColour
    issuer: str | None


def pending_attestation(passage: Passage) -> _Pending | None:
    """The attestation ``passage`` waits on, if it is an attested provincial code."""
    try:
        record = decode_evidence(passage.evidence)
    except EvidenceRecordError as exc:
        if "attestation" in passage.evidence:  # one the service should have been asked about
            log.error("passage %s: attestation not re-verified: %s", passage.passage_id, exc)
        return None
    colour, issuer_id = record.attested_colour, record.issuer_id
    if colour is None or issuer_id is None:
        return None
    return _Pending(passage, issuer_id, colour, record.issuer)


class ReverificationWorker:
    """Thread-safe: ``add`` from the scan or UI thread; callbacks run on the worker thread."""

    def __init__(
        self,
        verifier: HealthCodeVerifier,
        booth_id: str,
        *,
        retry_interval: float,
        on_result: Callable[[Reverification], None] | None = None,
        pending: Iterable[Passage] = (),
        remember: Callable[[Reverification], None] | None = None,
        supervisor: Supervisor = SUPERVISOR,
    ) -> None:
        self._verifier = verifier
        self._supervisor = supervisor
        self._remember = remember
        self._booth_id = booth_id
        self._retry_interval = retry_interval
        self._on_result = on_result
        self._lock = threading.Lock()
        self._pending: dict[str, _Pending] = {}
        self._alerts: list[Reverification] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = supervisor.thread(
            "reverification", self._run, self._stop, "gatehouse-reverification"
        )
        for passage in pending:
            self.add(passage)

    def add(self, passage: Passage) -> None:
        """Queue an attested passage (others are ignored) and try it soon."""
        item = pending_attestation(passage)
        if item is None:
            return
        with self._lock:
            self._pending[passage.passage_id] = item
        self._wake.set()

    @property
    def pending_count(self) -> int:
        with self._lock:
            return len(self._pending)

    @property
    def alerts(self) -> list[Reverification]:
        """Answers that need a supervisor (yellow, red, unknown code), oldest first."""
        with self._lock:
            return list(self._alerts)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def run_once(self) -> int:
        """Ask about every pending attestation now; how many got an answer."""
        with self._lock:
            items = list(self._pending.values())
        answered = 0
        for item in items:
            if self._stop.is_set():
                break
            try:
                answer = self._verifier.verify(
                    item.issuer_id,
                    item.passage.scanned_text,
                    self._booth_id,
                    item.passage.decided_at,
                )
            except VerificationUnavailable as exc:
                log.info("health-code verification unavailable, will retry: %s", exc)
                break  # the network or service is down: the rest would fail the same way
            except VerificationError as exc:
                log.error("health-code verification failed for %s: %s", item.issuer_id, exc)
                continue
            self._resolve(item, reverification_result(item.attested, answer))
            answered += 1
        return answered

    def _resolve(self, item: _Pending, result: ReverificationResult) -> None:
        outcome = Reverification(
            item.passage.passage_id,
            item.issuer,
            item.attested,
            result,
        )
        written = True
        if self._remember is not None:
            try:
                self._remember(outcome)
            except Exception:  # the alert matters more: shown now, written when asked again
                log.exception("could not log the re-verification of %s", outcome.passage_id)
                written = False
        with self._lock:
            if written:
                self._pending.pop(item.passage.passage_id, None)
            if result.alert_supervisor:
                self._alerts.append(outcome)
        if self._on_result is not None:
            self._on_result(outcome)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            if self.pending_count:
                self.run_once()
                self._supervisor.recovered("reverification")
            self._wake.wait(self._retry_interval)


def worker_for(
    config: Config, ledger: Ledger, on_result: Callable[[Reverification], None] | None
) -> ReverificationWorker | None:
    """The worker for this booth's verification account; None when none is configured."""
    settings = config.verification
    if not settings.url:
        return None
    token_file = Path(settings.token_file).expanduser() if settings.token_file else None
    token = token_file.read_text(encoding="utf-8").strip() if token_file else ""
    booth_id = config.booth.booth_id
    return ReverificationWorker(
        HealthCodeVerifier(VerifierAccount(settings.url, token)),
        booth_id,
        retry_interval=settings.retry_seconds,
        on_result=on_result,
        pending=unanswered(ledger),
        remember=lambda answer: remember_answer(ledger, booth_id, answer),
    )


def unanswered(ledger: Ledger) -> list[Passage]:
    """The ledger's recent passages without a re-verification answer logged."""
    recent = ledger.recent(RECENT_PASSAGES)
    events = PassageQueries(ledger.path).passage_events(
        (AuditKind.REVERIFICATION,), [passage.passage_id for passage in recent]
    )
    answered = events[AuditKind.REVERIFICATION]
    return [passage for passage in recent if passage.passage_id not in answered]


def remember_answer(ledger: Ledger, booth_id: str, answer: Reverification) -> None:
    """The issuer's answer as an audit event naming the passage; returns once it is durable."""
    reason = answer.result.reason
    ledger.record_event(
        AuditKind.REVERIFICATION,
        at=datetime.now(UTC),
        booth_id=booth_id,
        actor=VERIFICATION_ACTOR,
        details={
            "passage_id": answer.passage_id,
            "issuer": answer.issuer,
            "attested": answer.attested.value,
            "alert_supervisor": answer.result.alert_supervisor,
            "reason": {"code": reason.code, "zh": reason.zh, "en": reason.en},
        },
    ).result()
