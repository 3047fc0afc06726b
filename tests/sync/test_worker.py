"""The booth's sync worker against a real hub on 127.0.0.1."""

from __future__ import annotations

import json
import random
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select

from gatehouse.backoff import Backoff
from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.rules.persons import PersonLists, key_check
from gatehouse.hub.service import Hub, PassageQuery
from gatehouse.hub.tables import chain_links, passages
from gatehouse.resources import resource_path
from gatehouse.store import Ledger
from gatehouse.store.outbox import OutboxItem
from gatehouse.supervision import Supervisor, WorkerFault
from gatehouse.sync import protocol
from gatehouse.sync.client import HubClient, HubUnavailableError
from gatehouse.sync.enrolment import SyncSettings, enrol_booth, load_settings
from gatehouse.sync.worker import SyncStatus, SyncWorker
from tests.factories import make_passage
from tests.hub.live import ADMIN_TOKEN, free_socket, fresh_database, serving

BOOTH = "booth-01"


def _enrol(ledger: Ledger, hub_url: str) -> SyncSettings:
    admin = HubClient(hub_url, ADMIN_TOKEN)
    code = admin.request("POST", protocol.ENROLMENT_CODES_PATH, {"booth_id": BOOTH}).json()
    return enrol_booth(ledger, hub_url, BOOTH, code["code"])


def _record(ledger: Ledger, count: int) -> None:
    for future in [ledger.record(make_passage(booth_id=BOOTH)) for _ in range(count)]:
        future.result()


def test_enrolment_is_kept_in_the_ledger(ledger: Ledger, hub_url: str, hub: Hub) -> None:
    assert load_settings(ledger) is None
    settings = _enrol(ledger, hub_url)
    loaded = load_settings(ledger)
    assert loaded is not None
    assert (loaded.hub_url, loaded.booth_id, loaded.token) == (hub_url, BOOTH, settings.token)
    assert loaded.bundle_key == hub.bundle_key.public_key()


def test_sync_pushes_the_outbox_and_marks_rows_only_after_ack(
    ledger: Ledger, hub_url: str, hub: Hub
) -> None:
    settings = _enrol(ledger, hub_url)
    _record(ledger, 25)
    worker = SyncWorker(ledger, settings, batch_size=10)

    report = worker.sync_once()

    assert (report.acknowledged, report.rejected) == (25, 0)
    assert len(hub.passages(PassageQuery())) == 25
    status = worker.status()
    assert (status.backlog, status.rejected, status.last_error) == (0, 0, None)
    assert status.last_success is not None
    head = ledger.chain_head()
    assert head is not None and hub.booths()[0]["head_hash"] == head.hash


def test_unreachable_hub_leaves_everything_pending_and_says_why(ledger: Ledger) -> None:
    sock = free_socket()  # bound, never listening: connections are refused
    settings = SyncSettings(
        f"http://127.0.0.1:{sock.getsockname()[1]}", BOOTH, "t", generate_issuer_key().public_key()
    )
    _record(ledger, 3)
    worker = SyncWorker(ledger, settings)
    try:
        with pytest.raises(HubUnavailableError):
            worker.sync_once()
    finally:
        sock.close()
    status = worker.status()
    assert status.backlog == 3
    assert status.last_error is not None and "127.0.0.1" in status.last_error
    assert status.last_success is None


def test_bundles_are_pulled_verified_stored_and_logged(
    ledger: Ledger, hub_url: str, hub: Hub
) -> None:
    settings = _enrol(ledger, hub_url)
    hub.publish("policy", json.loads(resource_path("policy", "default_pack.json").read_text()))
    hub.publish("privacy", {"retention_days": 30})
    worker = SyncWorker(ledger, settings)

    assert worker.sync_once().bundles_updated == ("policy", "privacy")
    assert worker.sync_once().bundles_updated == ()  # 304: nothing new

    stored = ledger.bundle("privacy")
    assert stored is not None
    assert (stored.version, stored.content) == (1, {"retention_days": 30})
    assert worker.status().bundle_versions == {"policy": 1, "privacy": 1}
    events = [item.record for item in ledger.pending(100) if item.link.kind == "audit"]
    assert events == []  # the audit events of the change were uploaded in the same sync
    assert ledger.outbox_counts().pending == 0


def _lists(version: str) -> Any:
    lists = PersonLists(version, datetime(2026, 11, 20, tzinfo=UTC), key_check(b"s" * 16))
    return json.loads(lists.to_json())


def test_an_older_bundle_never_replaces_a_newer_one(
    ledger: Ledger, hub_url: str, hub: Hub, tmp_path_factory: pytest.TempPathFactory
) -> None:
    settings = _enrol(ledger, hub_url)
    hub.publish("lists", _lists("v1"))
    hub.publish("lists", _lists("v2"))
    SyncWorker(ledger, settings).sync_once()

    # A stale hub (restored from an old backup, or a replay) serves version 1 only.
    stale = Hub(fresh_database("sqlite", tmp_path_factory.mktemp("stale")), hub.bundle_key)
    stale.publish("lists", _lists("v1"))
    token = stale.enrol(BOOTH, stale.create_enrolment_code(BOOTH))
    with serving(stale) as stale_url:
        stale_settings = SyncSettings(stale_url, BOOTH, token, settings.bundle_key)
        assert SyncWorker(ledger, stale_settings).sync_once().bundles_updated == ()

    stored = ledger.bundle("lists")
    assert stored is not None and (stored.version, stored.content) == (2, _lists("v2"))


def test_bundle_signed_with_another_key_is_refused(ledger: Ledger, hub_url: str, hub: Hub) -> None:
    settings = _enrol(ledger, hub_url)
    hub.publish("trusted_keys", {"version": 1, "keys": []})
    impostor = SyncSettings(hub_url, BOOTH, settings.token, generate_issuer_key().public_key())
    worker = SyncWorker(ledger, impostor)

    with pytest.raises(protocol.BundleError, match="not signed"):
        worker.sync_once()
    assert ledger.bundle("trusted_keys") is None
    assert "not signed" in (worker.status().last_error or "")


def test_clock_skew_against_the_hub_is_measured(ledger: Ledger, hub_url: str) -> None:
    settings = _enrol(ledger, hub_url)
    slow_clock = lambda: datetime.now(UTC) - timedelta(minutes=10)  # noqa: E731
    worker = SyncWorker(ledger, settings, clock=slow_clock)
    worker.sync_once()
    status = worker.status()
    assert status.clock_skew is not None
    assert timedelta(minutes=9) < status.clock_skew < timedelta(minutes=11)
    assert status.clock_skew_alarm


def test_background_worker_syncs_on_demand_and_reports_status(
    ledger: Ledger, hub_url: str, hub: Hub
) -> None:
    settings = _enrol(ledger, hub_url)
    seen: list[SyncStatus] = []
    synced = threading.Event()

    def on_status(status: SyncStatus) -> None:
        seen.append(status)
        if status.last_success is not None and len(hub.passages(PassageQuery())) == 5:
            synced.set()

    worker = SyncWorker(ledger, settings, interval_s=3600, on_status=on_status)
    worker.start()
    try:
        _record(ledger, 5)
        worker.request_sync()
        assert synced.wait(timeout=30)
    finally:
        worker.stop()
    assert worker.status().backlog == 0
    assert any(s.last_attempt is not None for s in seen)


def test_backoff_grows_with_jitter_up_to_its_cap() -> None:
    backoff = Backoff(base_s=2.0, cap_s=60.0, rng=random.Random(7))
    delays = [backoff.delay(n) for n in range(1, 11)]
    assert backoff.delay(0) == 0.0
    for n, delay in enumerate(delays, start=1):
        ceiling = min(60.0, 2.0 * 2 ** (n - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert len({round(d, 6) for d in delays[6:]}) > 1  # capped, still jittered


def test_links_the_hub_lost_are_sent_again_and_its_chain_stays_whole(
    ledger: Ledger, hub_url: str, hub: Hub
) -> None:
    settings = _enrol(ledger, hub_url)
    _record(ledger, 10)
    worker = SyncWorker(ledger, settings)
    worker.sync_once()
    # The hub goes back to an older backup: its links and passages from 7 on are gone.
    with hub.engine.begin() as conn:
        lost = [
            r.record_id for r in conn.execute(select(chain_links).where(chain_links.c.seq >= 7))
        ]
        conn.execute(delete(chain_links).where(chain_links.c.seq >= 7))
        conn.execute(delete(passages).where(passages.c.passage_id.in_(lost)))
    _record(ledger, 5)

    report = worker.sync_once()  # 11-15 sent, hub answers "send from 7", 7-15 sent again

    assert (report.acknowledged, report.rejected) == (9, 0)
    with hub.engine.connect() as conn:
        seqs = sorted(r.seq for r in conn.execute(select(chain_links.c.seq)))
    assert seqs == list(range(1, 16))
    assert len(hub.passages(PassageQuery())) == 15
    assert ledger.outbox_counts().pending == 0


def test_an_unexpected_error_restarts_the_sync_thread_and_is_reported(
    ledger: Ledger, hub_url: str, hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _enrol(ledger, hub_url)
    _record(ledger, 3)
    real_pending = ledger.pending
    calls = {"n": 0}

    def pending_failing_once(limit: int) -> list[OutboxItem]:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("injected: a bug nobody foresaw")
        return real_pending(limit)

    monkeypatch.setattr(ledger, "pending", pending_failing_once)
    supervisor = Supervisor(backoff=Backoff(base_s=0.5, cap_s=0.5))  # the fault shows 0.25+ s
    statuses: list[SyncStatus] = []
    worker = SyncWorker(
        ledger, settings, interval_s=0.05, supervisor=supervisor, on_status=statuses.append
    )
    seen: list[WorkerFault] = []
    worker.start()
    try:
        deadline = time.monotonic() + 30
        while len(hub.passages(PassageQuery())) < 3 and time.monotonic() < deadline:
            seen += supervisor.faults()
            time.sleep(0.02)
    finally:
        worker.stop()
    assert len(hub.passages(PassageQuery())) == 3  # the thread came back and synced
    fault = seen[0]
    assert fault.worker == "sync" and "injected" in fault.error and fault.count == 1
    assert "restarting" in fault.en and "重启" in fault.zh
    assert any("injected" in (s.last_error or "") for s in statuses)
    (healed,) = supervisor.faults()  # the next good sync: shown as healed for a while
    assert healed.recovered_at is not None and "works again" in healed.en


def test_records_made_under_an_earlier_booth_id_stay_under_it_not_quarantined(
    ledger: Ledger, hub_url: str, hub: Hub
) -> None:
    """A booth ran as "old-gate" without a hub (or was renamed), then enrolled as BOOTH: its
    earlier records stay in its ledger under "old-gate", explicitly; the hub quarantines none."""
    for future in [ledger.record(make_passage(booth_id="old-gate")) for _ in range(3)]:
        future.result()
    settings = _enrol(ledger, hub_url)
    _record(ledger, 2)

    report = SyncWorker(ledger, settings, batch_size=2).sync_once()

    assert (report.acknowledged, report.rejected) == (2, 0)
    assert [p["booth_id"] for p in hub.passages(PassageQuery())] == [BOOTH, BOOTH]
    assert hub.booths()[0]["quarantined"] == 0
    assert [p.booth_id for p in ledger.recent(limit=10)].count("old-gate") == 3
    rows = ledger._writer.submit(
        lambda db: db.execute("SELECT state, detail FROM outbox ORDER BY seq").fetchall()
    ).result()
    kept = [detail for state, detail in rows if state == "kept"]
    assert len(kept) == 3 and "recorded as booth 'old-gate'" in kept[0]
    assert ledger.outbox_counts().pending == 0
