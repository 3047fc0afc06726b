"""The booth's sync worker: every ``interval_s`` and on demand, push the outbox, pull bundles.

A local row leaves the outbox only once the hub has acknowledged it, so a lost request or a
lost reply just means the same items are sent again (the hub acknowledges what it already
holds). Failures back off exponentially with jitter and are logged and shown, never swallowed;
an exception nobody expected restarts the loop under the ``Supervisor`` (and is shown too).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from gatehouse import __version__
from gatehouse.backoff import Backoff
from gatehouse.core.bundle_checks import BundleContentError, check_bundle
from gatehouse.store.audit import AuditKind
from gatehouse.store.bundles import StoredBundle
from gatehouse.store.ledger import Ledger
from gatehouse.store.outbox import OutboxItem
from gatehouse.store.trust_refusals import LAST_GOOD_STAYS, NOTHING_TRUSTED
from gatehouse.supervision import SUPERVISOR, Supervisor
from gatehouse.sync import protocol
from gatehouse.sync.batching import BatchSizer
from gatehouse.sync.client import (
    HubClient,
    HubError,
    HubRefusedError,
    HubReply,
    HubUnavailableError,
)
from gatehouse.sync.contact import HubContact, load_contact
from gatehouse.sync.enrolment import SyncSettings, load_settings

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 60.0
DEFAULT_BATCH = 500
_SYNC_ERRORS = (HubError, protocol.BundleError, sqlite3.Error, OSError)
WORKER = "sync"


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows, and what the booth's keepers are fed (``gatehouse.bundles``).

    Times are UTC; ``clock_skew`` is hub minus booth at the latest reply; ``hub_time`` the
    hub's clock in that reply and ``checked_at`` per bundle the hub's time when it last
    confirmed the booth's copy current (both kept in the ledger across restarts).
    """

    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    backlog: int = 0
    rejected: int = 0
    oldest_unsynced_at: datetime | None = None
    clock_skew: timedelta | None = None
    bundle_versions: dict[str, int] = field(default_factory=dict)
    hub_time: datetime | None = None
    checked_at: dict[str, datetime] = field(default_factory=dict)

    @property
    def clock_skew_alarm(self) -> bool:
        return self.clock_skew is not None and abs(self.clock_skew) > protocol.CLOCK_SKEW_LIMIT

    def data_age(self, now: datetime) -> timedelta | None:
        """How old the booth's copy of the office's data is (since the last full sync)."""
        return None if self.last_success is None else now - self.last_success


@dataclass(frozen=True)
class SyncReport:
    acknowledged: int
    rejected: int
    bundles_updated: tuple[str, ...]


def utc_now() -> datetime:
    return datetime.now(UTC)


class SyncWorker:
    def __init__(
        self,
        ledger: Ledger,
        settings: SyncSettings,
        *,
        client: HubClient | None = None,
        interval_s: float = DEFAULT_INTERVAL_S,
        batch_size: int = DEFAULT_BATCH,
        backoff: Backoff | None = None,
        clock: Callable[[], datetime] = utc_now,
        on_status: Callable[[SyncStatus], None] | None = None,
        supervisor: Supervisor = SUPERVISOR,
        checkpoint_type: str | None = None,
    ) -> None:
        """``checkpoint_type``: what the booth is set up as, told to the hub at every sync."""
        self._ledger = ledger
        self._settings = settings
        self._client = client or HubClient(settings.hub_url, settings.token, clock=clock)
        self._interval_s = interval_s
        self._batch = BatchSizer(batch_size, self._client.timeout_s)
        self._backoff = backoff or Backoff()
        self._clock = clock
        self._on_status = on_status
        self._lock = threading.Lock()
        contact = load_contact(ledger)
        self._status = SyncStatus(hub_time=contact.hub_time, checked_at=dict(contact.checked_at))
        self._supervisor = supervisor
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._refused: set[tuple[str, int]] = set()  # bundle versions recorded as refused
        self._checkpoint_type = checkpoint_type
        self._bundles_held: dict[str, int] = {}  # read from the ledger at each sync

    def start(self) -> None:
        self._thread = self._supervisor.thread(WORKER, self._run, self._stopping, "gatehouse-sync")
        self._thread.start()

    def stop(self) -> None:
        """Stop after the current attempt (an upload in flight finishes or times out)."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()

    @property
    def batch_size(self) -> int:
        """Items in the next upload (adapted to the hub's answer time, see ``BatchSizer``)."""
        return self._batch.size

    def request_sync(self) -> None:
        """Sync now (the guard's button, or a burst of passages) instead of at the next tick."""
        self._wake.set()

    def status(self) -> SyncStatus:
        """The latest status with the backlog read fresh from the ledger."""
        counts = self._ledger.outbox_counts()
        oldest = counts.oldest_pending_recorded_at
        with self._lock:
            return replace(
                self._status,
                backlog=counts.pending,
                rejected=counts.rejected,
                oldest_unsynced_at=datetime.fromisoformat(oldest) if oldest else None,
            )

    def sync_once(self) -> SyncReport:
        """Push the whole outbox, then pull every bundle. Raises on the first failure."""
        self._update(last_attempt=self._clock())
        try:
            try:
                acknowledged, rejected = self._push()
                updated = tuple(name for name in protocol.BUNDLE_NAMES if self._pull(name))
            finally:
                self._keep_contact()
        except Exception as exc:  # the unexpected ones too: the status bar must say it failed
            self._update(last_error=str(exc) or type(exc).__name__)
            raise
        self._update(last_success=self._clock(), last_error=None)
        return SyncReport(acknowledged, rejected, updated)

    def _run(self) -> None:
        failures = 0
        delay = 0.0
        while True:
            self._wake.wait(timeout=delay)
            self._wake.clear()
            if self._stopping.is_set():
                return
            try:
                self.sync_once()
            except _SYNC_ERRORS as exc:
                failures += 1
                delay = retry_delay(self._backoff, failures, exc)
                log.warning(
                    "sync failed (%d in a row), next try in %.0f s: %s", failures, delay, exc
                )
            else:
                failures, delay = 0, self._interval_s
                self._supervisor.recovered(WORKER)

    def _push(self) -> tuple[int, int]:
        acknowledged = rejected = 0
        self._bundles_held = {
            name: held.version
            for name in protocol.BUNDLE_NAMES
            if (held := self._ledger.bundle(name)) is not None
        }
        if not self._ledger.pending(1):
            self._upload([])  # nothing to send: the hub still hears how this booth is
        while items := self._ledger.pending(self._batch.size):
            notes = self._kept_notes(items)
            sent = {item.link.seq for item in items}
            results, reply = self._upload([_upload_item(i, notes) for i in items])
            answers = _answers(results, sent)
            for seq, reason in answers.refusals.items():
                log.error(
                    "hub rejected link %s (kept in the ledger, quarantined there): %s", seq, reason
                )
            self._mark_kept([seq for seq in answers.acks if seq in notes], notes)
            acknowledged += self._ledger.mark_synced(answers.acks).result()
            rejected += self._ledger.mark_rejected(answers.refusals).result()
            if answers.resend_from is not None and answers.resend_from < min(sent):
                self._send_again(answers.resend_from, answers.resend_reason)
            elif not answers.acks and not answers.refusals:
                why = answers.resend_reason or "the hub acknowledged none of the items sent"
                raise HubRefusedError(reply.status, why)
        return acknowledged, rejected

    def _upload(self, items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], HubReply]:
        """One batch; the next batch's size follows how long the hub took, or that it did not
        answer in time (a busy hub's 503 says when to come back, not to send less: smaller
        batches would only mean more requests)."""
        try:
            results, reply = self._client.upload(items, self._report())
        except HubUnavailableError as exc:
            if exc.timed_out:  # not a cut connection: that says nothing about the hub's load
                self._batch.failed()
            raise

        self._batch.answered(len(items), (reply.received_at - reply.sent_at).total_seconds())
        self._observe_clock(reply)
        return results, reply

    def _report(self) -> protocol.BoothReport:
        """This booth's state as the office's booth list shows it, with every upload."""
        return protocol.BoothReport(
            booth_time=self._clock(),
            backlog=self._ledger.outbox_counts().pending,
            app_version=__version__,
            bundle_versions=dict(self._bundles_held),
            checkpoint_type=self._checkpoint_type,
        )

    def _send_again(self, first: int, reason: str) -> None:
        """The hub lacks links this booth counted as delivered (a hub restored from an older
        backup, a lost commit): they go back into the outbox, so the hub's chain stays whole."""
        reopened = self._ledger.mark_pending_from(first).result()
        if not reopened:
            raise HubRefusedError(200, f"{reason}; this booth has no unsent copy of that link")
        log.warning("the hub lacks links from %d: %d link(s) sent again", first, reopened)

    def _kept_notes(self, items: list[OutboxItem]) -> dict[int, protocol.KeptNote]:
        """Records made under another booth id (before the booth was renamed or enrolled anew)
        stay in the ledger under that id: the hub takes from this booth only records of the id
        it enrolled, so only their links are sent, which keeps its chain of this booth whole."""
        enrolled = self._settings.booth_id
        notes = {}
        for item in items:
            booth_id = str(item.record.get("booth_id"))
            if booth_id != enrolled:
                reason = (
                    f"recorded as booth {booth_id!r}, before this booth was enrolled as "
                    f"{enrolled!r}: kept in this ledger under that id; only its chain link was "
                    "sent to the hub"
                )
                notes[item.link.seq] = protocol.KeptNote(booth_id, reason)
        return notes

    def _mark_kept(self, seqs: list[int], notes: dict[int, protocol.KeptNote]) -> None:
        """The hub acknowledged these links without their records: their outbox rows say so."""
        for note in {notes[seq] for seq in seqs}:
            chosen = [seq for seq in seqs if notes[seq] == note]
            kept = self._ledger.mark_kept(chosen, note.reason).result()
            log.warning("%d record(s) %s", kept, note.reason)

    def _pull(self, name: str) -> bool:
        """Fetch bundle ``name`` if changed; True if a newer version was stored."""
        held = self._ledger.bundle(name)
        reply = self._client.bundle(name, held.etag if held else None)
        self._observe_clock(reply)
        if reply.status == 404:
            return False
        if reply.status == 304:
            self._checked(name, reply)
            return False
        bundle = protocol.open_bundle(reply.body, self._settings.bundle_key, name)
        try:  # what the hub checks before signing; a hub of an older version did not
            check_bundle(name, bundle.content)
        except BundleContentError as exc:
            self._refuse(name, bundle.version, held, str(exc))
            return False
        if held is not None and bundle.version <= held.version:
            if bundle.version == held.version:
                self._checked(name, reply)
            else:
                log.warning(
                    "hub offered %s version %d, older than the %d in use: kept %d",
                    name,
                    bundle.version,
                    held.version,
                    held.version,
                )
            return False
        stored = StoredBundle(
            name=name,
            version=bundle.version,
            content=bundle.content,
            signed=reply.body,
            etag=reply.etag or "",
            published_at=bundle.published_at,
            received_at=self._clock(),
        )
        accepted = self._ledger.store_bundle(stored, self._settings.booth_id).result()
        if accepted:
            self._checked(name, reply)
            self._record_version(name, bundle.version)
        return accepted

    def _refuse(self, name: str, version: int, held: StoredBundle | None, why: str) -> None:
        """A signed bundle no booth can use is not stored: the one held stays in force. Logged
        at every sync, recorded once per version for the supervisor (the desk's Trust tab)."""
        kept = f"version {held.version} {LAST_GOOD_STAYS}" if held else NOTHING_TRUSTED
        problem = f"hub bundle {name} version {version}: refused: {why}; {kept}"
        log.error("%s", problem)
        if (name, version) in self._refused:
            return
        self._refused.add((name, version))
        self._ledger.record_event(
            AuditKind.TRUST_REFUSED,
            at=self._clock(),
            booth_id=self._settings.booth_id,
            actor=WORKER,
            details={"refused": [problem]},
        )

    def _observe_clock(self, reply: HubReply) -> None:
        if reply.server_time is None:
            return
        midpoint = reply.sent_at + (reply.received_at - reply.sent_at) / 2
        self._update(clock_skew=reply.server_time - midpoint, hub_time=reply.server_time)

    def _checked(self, name: str, reply: HubReply) -> None:
        """The hub confirmed that the booth's copy of ``name`` is its newest, as of its time."""
        at = reply.server_time or reply.received_at
        with self._lock:
            checked = {**self._status.checked_at, name: at}
        self._update(checked_at=checked)

    def _keep_contact(self) -> None:
        with self._lock:
            contact = HubContact(self._status.hub_time, dict(self._status.checked_at))
        values = contact.to_settings()
        if values:
            self._ledger.save_settings(values).result()

    def _record_version(self, name: str, version: int) -> None:
        with self._lock:
            versions = {**self._status.bundle_versions, name: version}
        self._update(bundle_versions=versions)

    def _update(self, **changes: Any) -> None:
        with self._lock:
            self._status = replace(self._status, **changes)
            status = self._status
        if self._on_status is not None:
            self._on_status(status)


def _upload_item(item: OutboxItem, notes: dict[int, protocol.KeptNote]) -> dict[str, Any]:
    note = notes.get(item.link.seq)
    if note is not None:
        return protocol.kept_item(item.link, note)
    return {"link": protocol.link_to_json(item.link), "record": item.record}


def retry_delay(backoff: Backoff, failures: int, exc: Exception) -> float:
    """When to try again: when a busy hub said (``Retry-After``, jittered), else backoff."""
    asked = exc.retry_after_s if isinstance(exc, HubRefusedError) else None
    return backoff.delay(failures) if asked is None else backoff.after(asked)


@dataclass(frozen=True)
class _Answers:
    acks: list[int]
    refusals: dict[int, str]
    resend_from: int | None  # the lowest link the hub asked for again
    resend_reason: str


def _answers(results: list[dict[str, Any]], sent: set[int]) -> _Answers:
    """The hub's per-item answers about links this booth sent (anything else ignored)."""
    acks: list[int] = []
    refusals: dict[int, str] = {}
    resend: dict[int, str] = {}
    for result in results:
        seq, status = result.get("seq"), result.get("status")
        if not isinstance(seq, int) or seq not in sent:
            continue
        if status == protocol.ACK:
            acks.append(seq)
        elif status == protocol.REJECTED:
            refusals[seq] = str(result.get("reason"))
        elif status == protocol.RESEND and isinstance(result.get("resend_from"), int):
            resend[result["resend_from"]] = str(result.get("reason"))
    first = min(resend, default=None)
    return _Answers(acks, refusals, first, resend[first] if first is not None else "")


def worker_for(ledger: Ledger, **options: Any) -> SyncWorker | None:
    """A sync worker for this booth's enrolment, or ``None`` if it has never been enrolled."""
    settings = load_settings(ledger)
    return None if settings is None else SyncWorker(ledger, settings, **options)
