"""Booth → proxy → hub on 127.0.0.1 with requests and replies lost, repeated, delayed, cut
off and truncated, and the hub killed mid-batch: the booth's own sync thread carries on through
all of it, and afterwards the hub holds exactly the booth's records, each once.

Runs on SQLite and on PostgreSQL. The figures are printed (``pytest -s``) for the report.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from gatehouse.backoff import Backoff
from gatehouse.hub.database import open_database
from gatehouse.hub.service import Hub
from gatehouse.hub.tables import audit_events, booths, chain_links, passages, quarantine
from gatehouse.store import Ledger
from gatehouse.store.audit import AuditKind
from gatehouse.supervision import Supervisor
from gatehouse.sync.client import HubClient
from gatehouse.sync.enrolment import SyncSettings
from gatehouse.sync.worker import SyncStatus, SyncWorker
from tests.factories import make_passage
from tests.hub.live import DATABASES, fresh_database
from tests.sync.fault_proxy import CYCLE, RESTART, FaultPlan, FaultProxy
from tests.sync.hub_process import HubProcess

BOOTH = "booth-fi"
INITIAL_PASSAGES = 1200  # a few hours offline at a busy gate
ADDED_WHILE_SYNCING = 300
DEADLINE_S = 180.0


def _record(ledger: Ledger, count: int) -> None:
    for future in [ledger.record(make_passage(booth_id=BOOTH)) for _ in range(count)]:
        future.result()


def _booth_links(ledger: Ledger) -> set[tuple[str, str, str, str]]:
    return {
        (i.link.kind, i.link.record_id, i.link.public_digest, i.link.personal_digest)
        for i in ledger.pending(limit=1_000_000)
    }


@pytest.mark.parametrize("database", DATABASES)
def test_hub_ends_with_exactly_the_booth_records(database: str, tmp_path: Path) -> None:
    engine = fresh_database(database, tmp_path)
    url = engine.url.render_as_string(hide_password=False)
    hub = Hub(engine, _hub_key(tmp_path))
    token = hub.enrol(BOOTH, hub.create_enrolment_code(BOOTH))

    ledger = Ledger.open(tmp_path / "booth.sqlite3")
    _record(ledger, INITIAL_PASSAGES)
    ledger.record_event(
        AuditKind.LOGIN, at=make_passage().decided_at, booth_id=BOOTH, actor="guard-3", details={}
    ).result()
    expected = _booth_links(ledger)  # everything is pending before the first sync

    with HubProcess(url, tmp_path) as hub_process:
        plan = FaultPlan()
        proxy = FaultProxy(hub_process.port, plan, hub_process.restart)
        proxy.start()
        try:
            settings = SyncSettings(proxy.url, BOOTH, token, hub.bundle_key.public_key())
            client = HubClient(proxy.url, token, timeout_s=3.0)
            errors: list[str] = []

            def seen(status: SyncStatus) -> None:
                if status.last_error:
                    errors.append(status.last_error)

            supervisor = Supervisor()
            worker = SyncWorker(
                ledger,
                settings,
                client=client,
                batch_size=100,
                interval_s=0.05,
                backoff=Backoff(base_s=0.05, cap_s=0.5),
                on_status=seen,
                supervisor=supervisor,
            )
            worker.start()  # the booth's own thread: it must survive every fault
            deadline = time.monotonic() + DEADLINE_S
            added = 0
            while time.monotonic() < deadline:
                if added < ADDED_WHILE_SYNCING:
                    _record(ledger, 20)  # the booth keeps working while it syncs
                    added += 20
                    worker.request_sync()
                elif ledger.outbox_counts().pending == 0:
                    break
                time.sleep(0.2)
            drained = ledger.outbox_counts().pending == 0  # by the thread, through the faults
            worker.stop()
            plan.enabled = False
            worker.sync_once()  # a clean pass must find nothing left
        finally:
            proxy.stop()
        restarts = hub_process.restarts

    booth_total = ledger.count()
    counts = ledger.outbox_counts()
    head = ledger.chain_head()
    ledger.close()
    with engine.connect() as conn:
        hub_passages = conn.execute(select(func.count()).select_from(passages)).scalar()
        hub_events = conn.execute(select(func.count()).select_from(audit_events)).scalar()
        quarantined = conn.execute(select(func.count()).select_from(quarantine)).scalar()
        hub_links = {
            (row.kind, row.record_id, row.public_digest, row.personal_digest)
            for row in conn.execute(select(chain_links).where(chain_links.c.booth_id == BOOTH))
        }
        hub_head = conn.execute(select(booths.c.head_seq, booths.c.head_hash)).one()
    engine.dispose()

    print(
        f"\n[{database}] booth passages {booth_total}, hub passages {hub_passages}, "
        f"hub audit events {hub_events}, quarantined {quarantined}; failed sync attempts "
        f"{len(errors)}; faults {dict(sorted(proxy.counts.items()))}; hub restarts {restarts}"
    )
    assert drained
    assert supervisor.faults() == ()  # every fault was an expected one: no restart needed
    assert any("cut off" in e for e in errors)  # the truncated replies were seen and named
    assert any("is not JSON" in e or "not COSE_Sign1" in e for e in errors)  # and the garbage
    assert booth_total == INITIAL_PASSAGES + ADDED_WHILE_SYNCING
    assert (counts.pending, counts.rejected) == (0, 0)
    assert hub_passages == booth_total  # none lost, none twice (ids are the primary key)
    assert hub_events == 1
    assert quarantined == 0
    assert expected <= hub_links
    assert len(hub_links) == booth_total + 1
    assert head is not None and (hub_head.head_seq, hub_head.head_hash) == (head.seq, head.hash)
    assert restarts == len(plan.restart_on_uploads)
    assert all(proxy.counts[kind] > 0 for kind in {*CYCLE, RESTART})


def _hub_key(state: Path) -> Ed25519PrivateKey:
    """The key the hub process will load from its state folder, made here first."""
    from gatehouse.hub.server import HubState

    return HubState(state).bundle_key()


def test_a_hub_restored_from_an_older_backup_gets_the_lost_links_again(tmp_path: Path) -> None:
    """The hub process is killed and its database put back to a copy taken 30 links ago: the
    hub asks for the chain from its head on, the booth sends those links again, none is lost."""
    engine = fresh_database("sqlite", tmp_path)
    url = engine.url.render_as_string(hide_password=False)
    hub = Hub(engine, _hub_key(tmp_path))
    token = hub.enrol(BOOTH, hub.create_enrolment_code(BOOTH))
    engine.dispose()
    database = tmp_path / "hub.sqlite3"
    copy = tmp_path / "hub-backup.sqlite3"
    ledger = Ledger.open(tmp_path / "booth.sqlite3")
    try:
        with HubProcess(url, tmp_path) as hub_process:
            settings = SyncSettings(hub_process.url, BOOTH, token, hub.bundle_key.public_key())
            worker = SyncWorker(ledger, settings, client=HubClient(hub_process.url, token))
            _record(ledger, 20)
            worker.sync_once()
            with sqlite3.connect(database) as source, sqlite3.connect(copy) as target:
                source.backup(target)  # the hub's nightly backup
            _record(ledger, 30)
            worker.sync_once()
            hub_process.kill()
            for leftover in (database, *tmp_path.glob("hub.sqlite3-*")):
                leftover.unlink()
            shutil.copy(copy, database)
            hub_process.start()
            _record(ledger, 5)
            report = worker.sync_once()
        assert ledger.outbox_counts().pending == 0
        head = ledger.chain_head()
    finally:
        ledger.close()

    restored = open_database(url)
    with restored.connect() as conn:
        hub_seqs = sorted(r.seq for r in conn.execute(select(chain_links.c.seq)))
        hub_passages = conn.execute(select(func.count()).select_from(passages)).scalar()
    restored.dispose()
    print(
        f"\nhub restored 30 links back: booth re-sent {report.acknowledged}, hub holds "
        f"{hub_passages} of 55 passages"
    )
    assert report.acknowledged == 35  # the 30 the hub lost, and the 5 new ones
    assert head is not None and hub_seqs == list(range(1, head.seq + 1))
    assert hub_passages == 55
