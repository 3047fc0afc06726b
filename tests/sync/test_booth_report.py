"""Every sync tells the hub how the booth is (backlog, clock, version, bundles in force,
checkpoint type), against a real hub on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from gatehouse import __version__
from gatehouse.hub.booth_reports import reported_states
from gatehouse.hub.service import Hub
from gatehouse.store import Ledger
from gatehouse.sync import protocol
from gatehouse.sync.client import HubClient
from gatehouse.sync.enrolment import SyncSettings, enrol_booth
from gatehouse.sync.worker import SyncWorker
from tests.factories import make_passage
from tests.hub.live import ADMIN_TOKEN

BOOTH = "booth-01"


def _enrol(ledger: Ledger, hub_url: str) -> SyncSettings:
    admin = HubClient(hub_url, ADMIN_TOKEN)
    code = admin.request("POST", protocol.ENROLMENT_CODES_PATH, {"booth_id": BOOTH}).json()
    return enrol_booth(ledger, hub_url, BOOTH, code["code"])


def test_each_sync_reports_the_booths_state_and_the_hub_measures_its_clock(
    ledger: Ledger, hub_url: str, hub: Hub
) -> None:
    settings = _enrol(ledger, hub_url)
    hub.publish("privacy", {"retention_days": 30})
    for _ in range(3):
        ledger.record(make_passage(booth_id=BOOTH)).result()
    slow = lambda: datetime.now(UTC) - timedelta(minutes=10)  # noqa: E731
    worker = SyncWorker(ledger, settings, clock=slow, checkpoint_type="canteen")

    worker.sync_once()  # the passages go with the report made just before they were sent
    with hub.engine.connect() as conn:
        first = reported_states(conn)[BOOTH]
    assert (first.backlog, first.bundle_versions) == (3, {})
    assert (first.app_version, first.checkpoint_type) == (__version__, "canteen")
    assert 9 * 60 < first.clock_skew_s < 11 * 60  # hub minus booth: the booth is behind

    worker.sync_once()  # sends the audit event of the bundle's arrival in the last sync
    assert ledger.outbox_counts().pending == 0
    worker.sync_once()  # nothing to send: the booth is heard from all the same
    with hub.engine.connect() as conn:
        last = reported_states(conn)[BOOTH]
    assert (last.backlog, last.bundle_versions) == (0, {"privacy": 1})
    assert last.reported_at > first.reported_at
    assert hub.booths()[0]["passages"] == 3


def test_a_booth_without_a_checkpoint_type_reports_the_rest(
    ledger: Ledger, hub_url: str, hub: Hub
) -> None:
    SyncWorker(ledger, _enrol(ledger, hub_url)).sync_once()
    with hub.engine.connect() as conn:
        state = reported_states(conn)[BOOTH]
    assert state.checkpoint_type is None
    assert abs(state.clock_skew_s) < 60


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"booth_time": "yesterday"}, "status.booth_time must be an ISO 8601 time"),
        ({"booth_time": "2026-12-06T10:00:00"}, "status.booth_time must carry its UTC offset"),
        ({"backlog": True}, "status.backlog must be a whole number"),
        ({"app_version": ""}, "status.app_version must be text"),
        ({"checkpoint_type": 3}, "status.checkpoint_type must be text"),
        ({"bundle_versions": {"recipes": 1}}, "status.bundle_versions must map bundle names"),
        ({"bundle_versions": {"policy": "1"}}, "status.bundle_versions must map bundle names"),
    ],
)
def test_a_malformed_report_is_refused_naming_the_field(change: dict[str, Any], error: str) -> None:
    good = protocol.BoothReport(datetime.now(UTC), 0, "0.1.0", {"policy": 2}, None)
    assert protocol.report_from_json(good.to_json()) == good
    with pytest.raises(ValueError, match=error):
        protocol.report_from_json({**good.to_json(), **change})
