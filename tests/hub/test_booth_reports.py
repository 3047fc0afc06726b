"""What booths report about themselves, over real HTTP, on SQLite and on PostgreSQL: kept per
booth, optional (an older booth still syncs), a malformed report loses no item, and the
console's booth list raises its alarms from it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import inspect

from gatehouse.hub.booth_reports import reported_states
from gatehouse.hub.console.booths import add_booth, overview
from gatehouse.hub.database import open_database
from gatehouse.hub.service import Hub
from gatehouse.hub.tables import booth_reports
from gatehouse.store import Ledger
from gatehouse.sync import protocol
from gatehouse.sync.client import HubClient
from tests.factories import make_passage

BOOTH = "booth-01"


def _report() -> protocol.BoothReport:
    """A booth's report made now: its clock agrees with the hub's when it arrives."""
    return protocol.BoothReport(
        booth_time=datetime.now(UTC),
        backlog=7,
        app_version="0.1.0",
        bundle_versions={"policy": 1},
        checkpoint_type="mine_gate",
    )


def _enrolled(hub: Hub, hub_url: str, booth_id: str = BOOTH) -> HubClient:
    code = add_booth(hub, booth_id, "北矿 North", "mine_gate", "admin")
    token, _ = HubClient(hub_url).enrol(booth_id, code)
    return HubClient(hub_url, token)


def _items(folder: Path, count: int) -> list[dict[str, Any]]:
    ledger = Ledger.open(folder / "booth.sqlite3")
    try:
        for _ in range(count):
            ledger.record(make_passage(booth_id=BOOTH)).result()
        pending = ledger.pending(limit=100)
        return [{"link": protocol.link_to_json(i.link), "record": i.record} for i in pending]
    finally:
        ledger.close()


def _row(hub: Hub, booth_id: str = BOOTH, **options: Any) -> Any:
    return next(r for r in overview(hub, None, **options) if r.booth_id == booth_id)


def test_a_booth_that_reports_nothing_still_syncs_and_shows_unknown(
    hub: Hub, hub_url: str, tmp_path: Path
) -> None:
    results, reply = _enrolled(hub, hub_url).upload(_items(tmp_path, 2))  # an older booth
    assert [r["status"] for r in results] == [protocol.ACK] * 2
    assert protocol.STATUS_ERROR not in reply.json()
    row = _row(hub)
    assert row.reported is None and row.clock_skew_s is None and row.behind == ()
    assert row.last_contact is not None and row.alarms == ()


def test_a_malformed_report_loses_no_item_and_the_last_good_one_stays(
    hub: Hub, hub_url: str, tmp_path: Path
) -> None:
    client = _enrolled(hub, hub_url)
    client.upload([], _report())
    bad = {**_report().to_json(), "backlog": -1}
    reply = client.request(
        "POST", protocol.UPLOAD_PATH, {"items": _items(tmp_path, 2), protocol.STATUS: bad}
    )
    answer = reply.json()
    assert [r["status"] for r in answer["results"]] == [protocol.ACK] * 2
    assert answer[protocol.STATUS_ERROR] == "status.backlog must be a whole number, 0 or more"
    with hub.engine.connect() as conn:
        assert reported_states(conn)[BOOTH].backlog == 7
    assert hub.booths()[0]["passages"] == 2


def test_reports_raise_the_clock_and_checkpoint_alarms_and_show_bundles_behind(
    hub: Hub, hub_url: str
) -> None:
    hub.publish("privacy", {"retention_days": 30})
    late = replace(
        _report(),
        booth_time=datetime.now(UTC) - timedelta(minutes=5),
        bundle_versions={"privacy": 1},
        checkpoint_type="canteen",
    )
    _enrolled(hub, hub_url).upload([], late)
    row = _row(hub)
    assert row.reported is not None and row.reported.backlog == 7
    assert 4 * 60 < (row.clock_skew_s or 0) < 6 * 60
    assert row.alarms == ("alarm_clock", "alarm_checkpoint_type")
    assert row.behind == ()
    hub.publish("privacy", {"retention_days": 60})
    assert _row(hub).behind == ("privacy",)


def test_how_long_a_booth_may_be_silent_is_the_offices_choice(hub: Hub, hub_url: str) -> None:
    _enrolled(hub, hub_url).upload([], _report())
    later = Hub(hub.engine, hub.bundle_key, lambda: datetime.now(UTC) + timedelta(minutes=10))
    assert _row(later).alarms == ()  # the default: two hours
    assert _row(later, silent_after=timedelta(minutes=5)).alarms == ("alarm_silent",)


def test_a_hub_database_made_before_booths_reported_gets_their_table(hub: Hub) -> None:
    booth_reports.drop(hub.engine)
    assert not inspect(hub.engine).has_table("booth_reports")
    reopened = open_database(hub.engine.url.render_as_string(hide_password=False))
    try:
        assert inspect(reopened).has_table("booth_reports")
    finally:
        reopened.dispose()
