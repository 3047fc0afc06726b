"""One passage, end to end: scanned text → read code → decision → durable ledger row.

Every code goes the one way ``gatehouse decide`` also goes: ``read_code`` identifies and
verifies it, ``evidence_from_code`` turns it into evidence, ``decide`` applies the policy. A
provincial health code is referred until the guard attests the colour on the phone
(``attest``); that passage is logged "attested, pending verification" and handed to
``on_attested`` (the re-verification worker). A code that carries no travel record is decided
again with the travel the person declares and the guard types (``declare_travel``).

Runs on the scan thread (verification and decision take well under a millisecond); the ledger
write goes to the store's single writer thread and the caller gets a future that completes
once the passage is committed. A passage whose write fails is kept in memory and written again
before the next one, so a passing disk error never drops a passage the guard has seen.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from gatehouse.booth.clock import Clock
from gatehouse.booth.remeasure import PendingRemeasure, RemeasureBook
from gatehouse.booth.temperature import LatestTemperature
from gatehouse.core.china_time import china_day
from gatehouse.core.code_reader import ScannedCode, TrustMaterial, read_code
from gatehouse.core.decision import Decision, Evidence, Policy, admit_blockers, decide
from gatehouse.core.evidence_record import encode_evidence
from gatehouse.core.id_card import IdCard
from gatehouse.core.models import HealthCodeColour, TravelVisit, VerifiedPass
from gatehouse.core.next_step import GuardStep
from gatehouse.core.passage import Passage
from gatehouse.core.reasons import Reason
from gatehouse.core.rules.pack import CheckpointPolicy
from gatehouse.core.rules.persons import mask_id_number
from gatehouse.core.rules.scanned import evidence_from_code, holder_name
from gatehouse.store.ledger import Ledger
from gatehouse.store.problems import IO_ERROR, StorageProblem, storage_problem


@dataclass(frozen=True)
class BoothIdentity:
    booth_id: str
    checkpoint_type: str


@dataclass(frozen=True)
class ScanResult:
    passage: Passage
    decision: Decision
    saved: Future[None]
    person_key: str = ""  # for confirm_abnormal / attest on this person

    @property
    def awaits_attestation(self) -> bool:
        """The guard must look at the phone and attest the colour (``BoothService.attest``):
        a provincial code, or a pass whose colour is older than the pack allows."""
        return self.decision.next_step.step is GuardStep.ATTEST_COLOUR


class PassageGroup(Protocol):
    """Passages that belong together (a vehicle's driver and passengers, gatehouse.booth.vehicle):
    the group sees each one before it is logged and may add to its evidence."""

    def take(self, person_key: str, passage: Passage, decision: Decision) -> Passage: ...


MAX_AWAITING_ATTESTATION = 32  # the oldest unanswered ones are forgotten (the person has left)
MAX_RECENT_PEOPLE = 32  # whose latest evidence is kept for the guard's next step on them


# Errors worth retrying: the disk may come back (full, read-only, locked). Anything else is a bug
# in the passage itself and retrying would fail forever.
_TRANSIENT_WRITE_ERRORS = (sqlite3.OperationalError, OSError)


class BoothService:
    def __init__(
        self,
        *,
        identity: BoothIdentity,
        trust: TrustMaterial,
        policy: Policy,
        clock: Clock,
        ledger: Ledger,
        temperature: LatestTemperature,
        on_attested: Callable[[Passage], None] | None = None,
        on_duty: Callable[[], str | None] = lambda: None,
    ) -> None:
        self._identity = identity
        self.on_duty = on_duty  # the guard on duty, recorded on every passage (``booth.duty``)
        self._trust = trust
        self._on_attested = on_attested
        self._awaiting_attestation: dict[str, Evidence] = {}
        self._latest: dict[str, Evidence] = {}  # per person key, for declare_travel
        self._attestation_lock = threading.Lock()
        self._policy = policy
        self._clock = clock
        self._ledger = ledger
        self._temperature = temperature
        self._remeasures = RemeasureBook()
        self._unsaved: list[Passage] = []
        self._unsaved_lock = threading.Lock()
        self._storage_problem: StorageProblem | None = None
        self._group: PassageGroup | None = None

    @property
    def identity(self) -> BoothIdentity:
        return self._identity

    @property
    def clock(self) -> Clock:
        return self._clock

    @property
    def policy(self) -> Policy:
        return self._policy

    def join(self, group: PassageGroup | None) -> None:
        """Every passage decided from now on (scanned, attested, confirmed) belongs to ``group``,
        until ``join(None)``."""
        self._group = group

    def set_policy(self, policy: Policy) -> None:
        """Decide by ``policy`` from the next scan on (e.g. after a sync brought a new list)."""
        self._policy = policy

    def checkpoint_policy(self) -> CheckpointPolicy | None:
        """What this checkpoint requires right now (threshold, test age, ...), for the screen."""
        return self._policy.checkpoint_at(self._clock.now())

    def admit_blockers(self) -> tuple[Reason, ...]:
        """Why automatic admits are stopped now (stale data, disputed clock); the screen shows
        these while they last. Empty when the booth can admit automatically."""
        return admit_blockers(self._policy, self._clock.now())

    def pending_remeasures(self) -> list[PendingRemeasure]:
        """People asked to re-measure, or waiting for the guard to confirm a second reading."""
        return self._remeasures.pending(self._clock.now())

    @property
    def unsaved_count(self) -> int:
        with self._unsaved_lock:
            return len(self._unsaved)

    def set_trust(self, trust: TrustMaterial) -> None:
        """Verify codes with ``trust`` from the next scan on (e.g. a newer trust list)."""
        self._trust = trust

    def handle_scan(
        self, text: str, id_number: str | None = None, id_card: IdCard | None = None
    ) -> ScanResult:
        """Read, decide and log one scanned code (``id_number``: typed by the guard, or the
        number on ``id_card``, used only for the person lists' keyed hash)."""
        if id_card is not None:
            id_number = id_card.id_number
        now = self._clock.now()
        scanned = read_code(text, self._trust, now)
        key = person_key(text, scanned.credential)
        evidence = evidence_from_code(
            text,
            scanned,
            temperature=self._temperature.latest(),
            id_number=id_number,
            first_abnormal=self._remeasures.first_abnormal(key, now),
        )
        evidence = dataclasses.replace(evidence, id_card=id_card)
        return self._decide_and_log(key, evidence, now, scanned)

    def today(self) -> date:
        """The day at the booth's clock in China: the day a travel card counts in."""
        return china_day(self._clock.now())

    def attest(
        self, key: str, colour: HealthCodeColour, guard_id: str | None = None
    ) -> ScanResult | None:
        """The guard attests the colour a provincial code shows on the phone: decide again on
        it (with the latest temperature) and log the passage as pending verification.

        ``None`` when nobody with this key is waiting for an attestation.
        """
        with self._attestation_lock:
            earlier = self._awaiting_attestation.pop(key, None)
        if earlier is None:
            return None
        return self._keeping_additions(key, earlier, guard_id, health_code=colour, attested=True)

    def declare_travel(
        self, key: str, visits: tuple[TravelVisit, ...], guard_id: str | None = None
    ) -> ScanResult | None:
        """The travel the person declares (``()``: none), typed by the guard from the travel
        card for a code that carries no signed travel: decide again on the same code, keeping
        what the guard added before (attested colour, ID number), with the latest temperature.

        ``None`` when this person is no longer known here; ValueError for a pass, whose signed
        travel always decides.
        """
        with self._attestation_lock:
            earlier = self._latest.get(key)
        if earlier is None:
            return None
        return self._keeping_additions(key, earlier, guard_id, declared_travel=visits)

    def decide_again(
        self,
        key: str,
        text: str,
        id_number: str | None = None,
        guard_id: str | None = None,
        id_card: IdCard | None = None,
    ) -> ScanResult:
        """The person on screen decided again now: after a temperature typed by hand, with
        the ID number the guard typed (``id_number``), or with the ID card on the reader
        (``id_card``: its number, and its name and validity checked against the pass). What
        the guard added before (an attested colour, declared travel, an ID number or card) is
        kept unless replaced; a person no longer remembered here is decided from ``text`` as
        scanned."""
        with self._attestation_lock:
            earlier = self._latest.get(key)
        if earlier is None:
            return self.handle_scan(text, id_number=id_number, id_card=id_card)
        if id_card is not None:
            changes = {"id_number": id_card.id_number, "id_card": id_card}
        elif id_number is not None:
            changes = {"id_number": id_number, "id_card": None}
        else:
            changes = {}
        return self._keeping_additions(key, earlier, guard_id, **changes)

    def _keeping_additions(
        self, key: str, earlier: Evidence, guard_id: str | None, **changes: Any
    ) -> ScanResult:
        """The same code read again now, with the latest temperature, keeping what the guard
        added before (an attested colour, declared travel, the ID number) with ``changes``
        over it. An attested code's new passage goes to re-verification like the first."""
        kept = dataclasses.replace(earlier, **changes)
        now = self._clock.now()
        scanned = read_code(kept.scanned_text, self._trust, now)
        evidence = evidence_from_code(
            kept.scanned_text,
            scanned,
            temperature=self._temperature.latest(),
            id_number=kept.id_number,
            first_abnormal=self._remeasures.first_abnormal(key, now),
            attested_colour=kept.health_code,
        )
        evidence = dataclasses.replace(
            evidence, declared_travel=kept.declared_travel, id_card=kept.id_card
        )
        result = self._decide_and_log(key, evidence, now, scanned, guard_id)
        if evidence.attested and self._on_attested is not None:
            self._on_attested(result.passage)  # a new passage, pending verification too
        return result

    def confirm_abnormal(self, key: str) -> ScanResult | None:
        """The guard confirmed a second abnormal reading (contact thermometer): turn away, flag.

        ``None`` when nobody with this key is waiting for a confirmation.
        """
        evidence = self._remeasures.awaiting_confirmation(key)
        if evidence is None:
            return None
        confirmed = dataclasses.replace(evidence, abnormal_confirmed=True)
        now = self._clock.now()
        scanned = read_code(evidence.scanned_text, self._trust, now)  # as scanned: same text
        return self._decide_and_log(key, confirmed, now, scanned)

    def _decide_and_log(
        self,
        key: str,
        evidence: Evidence,
        now: datetime,
        scanned: ScannedCode,
        guard_id: str | None = None,
    ) -> ScanResult:
        decision = decide(evidence, self._policy, now)
        self._temperature.used(evidence.temperature)
        self._remeasures.record(key, evidence, decision)
        passage = self._passage(evidence, decision, scanned, guard_id or self.on_duty())
        group = self._group
        if group is not None:
            passage = group.take(key, passage, decision)
        self._retry_unsaved()
        result = ScanResult(passage, decision, self._save(passage), key)
        self._remember(key, evidence, result)
        return result

    def _remember(self, key: str, evidence: Evidence, result: ScanResult) -> None:
        """What the guard's next step on this person (attest, declare travel) decides again on;
        the oldest people are forgotten (they have left)."""
        with self._attestation_lock:
            self._latest.pop(key, None)
            self._latest[key] = evidence
            while len(self._latest) > MAX_RECENT_PEOPLE:
                del self._latest[next(iter(self._latest))]
            if result.awaits_attestation:
                self._awaiting_attestation[key] = evidence
                while len(self._awaiting_attestation) > MAX_AWAITING_ATTESTATION:
                    del self._awaiting_attestation[next(iter(self._awaiting_attestation))]
            else:
                self._awaiting_attestation.pop(key, None)

    def _passage(
        self,
        evidence: Evidence,
        decision: Decision,
        scanned: ScannedCode,
        guard_id: str | None,
    ) -> Passage:
        claims = evidence.credential.claims if evidence.credential else None
        reading = evidence.temperature
        return Passage(
            passage_id=uuid.uuid4().hex,
            booth_id=self._identity.booth_id,
            checkpoint_type=self._identity.checkpoint_type,
            decided_at=decision.decided_at,
            clock_source=self._clock.source,
            scanned_text=evidence.scanned_text,
            code_kind=evidence.code_kind,
            pass_id=claims.pass_id if claims else None,
            holder_name=claims.holder_name if claims else holder_name(scanned),
            id_masked=claims.id_masked if claims else _card_masked(evidence.id_card),
            role=claims.role.value if claims else None,
            temperature_c=reading.celsius if reading else None,
            temperature_source=reading.source if reading else None,
            outcome=decision.outcome,
            reasons=decision.reasons,
            policy_version=decision.policy_version,
            guard_id=guard_id,
            id_hash=decision.id_hash,
            evidence=dict(encode_evidence(evidence, decision, scanned)),
        )

    def record(self, passage: Passage) -> Future[None]:
        """Log a passage decided outside the scan path (a vehicle's own); like every passage it
        is kept in memory and written again if the disk refuses it."""
        self._retry_unsaved()
        return self._save(passage)

    def _save(self, passage: Passage) -> Future[None]:
        future = self._ledger.record(passage)
        future.add_done_callback(lambda f: self._keep_if_failed(passage, f))
        return future

    def _keep_if_failed(self, passage: Passage, future: Future[None]) -> None:
        error = future.exception()
        with self._unsaved_lock:
            if isinstance(error, _TRANSIENT_WRITE_ERRORS):
                self._unsaved.append(passage)
                self._storage_problem = storage_problem(error) or IO_ERROR
            elif error is None and not self._unsaved:
                self._storage_problem = None

    @property
    def storage_problem(self) -> StorageProblem | None:
        """Why passages are being kept in memory (disk full, read-only, …), for the screen."""
        with self._unsaved_lock:
            return self._storage_problem

    def save_pending(self) -> None:
        """Try again to write the passages kept in memory (also done before every scan)."""
        self._retry_unsaved()

    def _retry_unsaved(self) -> None:
        with self._unsaved_lock:
            pending, self._unsaved = self._unsaved, []
        for passage in pending:
            self._save(passage)


def person_key(text: str, credential: VerifiedPass | None) -> str:
    """Who a re-measure belongs to: the pass id when the pass verified, else the scanned text."""
    return f"pass:{credential.claims.pass_id}" if credential is not None else f"text:{text}"


def _card_masked(card: IdCard | None) -> str | None:
    """The masked number of the card the ID came from (the only form of it kept)."""
    return mask_id_number(card.id_number) if card is not None else None
