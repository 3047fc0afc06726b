"""End to end: a contractor's validity days, published once by the office console, are judged by
a real booth on the day of each passage, so an ended contract stops at the booth's next scan
after China's midnight with no new publish (and a future one starts on its first day).

The booth is the booth's real parts (service, policy keeper, its SQLite ledger, the sync
worker) against the real hub on 127.0.0.1; the hub's and the booth's clocks are the same clock,
moved a day on, so the booth's clock check stays quiet while the calendar turns.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, time, timedelta

import pytest

from drivers.thermometer.reading import RawReading
from gatehouse.booth.service import ScanResult
from gatehouse.core.bundle_checks import BundleContentError
from gatehouse.core.china_time import CHINA_TIME, china_day
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.models import Outcome, Role
from gatehouse.core.rules.persons import check_character, id_hash, key_check, mask_id_number
from gatehouse.hub.console import people
from gatehouse.hub.console.pages import ZONE
from gatehouse.hub.service import Hub
from gatehouse.sync import protocol
from tests.core.factories import ISSUER, traveller
from tests.hub.live import serve_unchecked
from tests.sync.conftest import ledger  # noqa: F401 (fixture)
from tests.sync.test_booth_policy import SECRET_HEX, Booth, _risk_list, booth  # noqa: F401

SECRET = bytes.fromhex(SECRET_HEX)
ENDING = "61010219800101001" + check_character("61010219800101001")  # last day: today
STARTING = "61010219851111002" + check_character("61010219851111002")  # first day: tomorrow


def _contractor_scan(booth: Booth, id_number: str) -> ScanResult:  # noqa: F811
    """A healthy contractor (in Beijing two days before, no risk area) whose pass carries their
    keyed hash, live at the booth's clock and measured just now."""
    now = booth.clock.now()
    booth.temperature.update(RawReading(36.5))
    holder = dataclasses.replace(
        traveller("110000", now),
        role=Role.CONTRACTOR,
        id_masked=mask_id_number(id_number),
        id_hash=id_hash(SECRET, id_number),
        id_key_check=key_check(SECRET),
    )
    result = booth.service.handle_scan(encode_pass(holder, booth.key, ISSUER))
    result.saved.result(timeout=10)
    return result


def _contractor_code(result: ScanResult) -> str:
    (code,) = [r.code for r in result.decision.reasons if r.code.startswith("list.contractor")]
    return code


def test_a_contract_that_ended_yesterday_is_referred_without_a_new_publish(
    booth: Booth,  # noqa: F811 (the fixture)
    hub: Hub,
) -> None:
    # Mid-morning in China, so a day on is still well inside the next China day.
    today = china_day(datetime.now(UTC))
    morning = datetime.combine(today, time(10), CHINA_TIME)
    booth.clock.error = morning - datetime.now(UTC)
    hub.clock = booth.clock.now
    hub.publish("risk_areas", _risk_list("office-1", booth.clock.now()))
    for number, first, last in (
        (ENDING, today - timedelta(days=10), today),
        (STARTING, today + timedelta(days=1), today + timedelta(days=30)),
    ):
        form = {"id_number": number, "company": "中煤建设", "project": "主井检修"}
        days = {"valid_from": first.isoformat(), "valid_until": last.isoformat()}
        people.add_entry(hub.engine, SECRET, "contractors", {**form, **days}, "s", hub.clock())
    assert people.publish(hub, SECRET, "staff", "contractors", ZONE) == 1
    assert set(booth.worker.sync_once().bundles_updated) >= {"risk_areas", "lists"}

    on_last_day = _contractor_scan(booth, ENDING)
    assert on_last_day.decision.outcome is Outcome.ADMIT, on_last_day.decision.reasons
    assert _contractor_code(on_last_day) == "list.contractor_ok"
    not_yet = _contractor_scan(booth, STARTING)
    assert not_yet.decision.outcome is Outcome.REFER
    assert _contractor_code(not_yet) == "list.contractor_not_yet"

    booth.clock.error += timedelta(days=1)  # the next morning; nobody publishes anything
    assert booth.worker.sync_once().bundles_updated == ()
    kept = booth.ledger.bundle("lists")
    assert kept is not None and kept.version == 1

    ended = _contractor_scan(booth, ENDING)
    assert ended.decision.outcome is Outcome.REFER
    assert _contractor_code(ended) == "list.contractor_ended"
    assert today.isoformat() in " ".join(r.zh for r in ended.decision.reasons)
    started = _contractor_scan(booth, STARTING)
    assert started.decision.outcome is Outcome.ADMIT, started.decision.reasons


def test_a_list_with_a_malformed_day_is_refused_naming_the_row_and_the_last_good_stays(
    booth: Booth,  # noqa: F811 (the fixture)
    hub: Hub,
) -> None:
    today = china_day(booth.clock.now())
    days = {"valid_from": (today - timedelta(days=1)).isoformat(), "valid_until": "2099-12-31"}
    form = {"id_number": ENDING, "company": "中煤建设", "project": "主井检修", **days}
    people.add_entry(hub.engine, SECRET, "contractors", form, "s", hub.clock())
    hub.publish("risk_areas", _risk_list("office-1", booth.clock.now()))
    people.publish(hub, SECRET, "staff", "contractors", ZONE)
    booth.worker.sync_once()
    assert _contractor_code(_contractor_scan(booth, ENDING)) == "list.contractor_ok"

    latest = hub.latest_bundle("lists")
    assert latest is not None
    document = protocol.open_bundle(latest.signed, hub.bundle_key.public_key(), "lists").content
    (row,) = document["contractors"]
    bad = {**document, "contractors": [row, {**row, "id_hash": "b" * 64, "valid_until": "12/31"}]}
    with pytest.raises(BundleContentError, match="contractors row 2"):
        hub.publish("lists", bad)  # the hub refuses it before signing
    serve_unchecked(hub, "lists", 2, bad)  # ...a hub of an older version would not
    assert booth.worker.sync_once().bundles_updated == ()
    held = booth.ledger.bundle("lists")
    assert held is not None and held.version == 1
    assert _contractor_code(_contractor_scan(booth, ENDING)) == "list.contractor_ok"
    with closing(sqlite3.connect(booth.ledger.path)) as db:
        (refused,) = db.execute(
            "SELECT details FROM audit_events WHERE kind = 'trust_refused'"
        ).fetchone()
    assert "contractors row 2" in refused and "version 1 stays in force" in refused


def test_the_mines_undated_row_does_not_readmit_a_contractor_the_office_has_ended(
    booth: Booth,  # noqa: F811 (the fixture)
    hub: Hub,
) -> None:
    today = china_day(datetime.now(UTC))
    booth.clock.error = datetime.combine(today, time(10), CHINA_TIME) - datetime.now(UTC)
    hub.clock = booth.clock.now
    hub.publish("risk_areas", _risk_list("office-1", booth.clock.now()))
    form = {"id_number": ENDING, "company": "中煤建设", "project": "主井检修"}
    days = {
        "valid_from": (today - timedelta(days=30)).isoformat(),
        "valid_until": today.isoformat(),
    }
    people.add_entry(hub.engine, SECRET, "contractors", {**form, **days}, "s", hub.clock())
    people.publish(hub, SECRET, "staff", "contractors", ZONE)
    booth.worker.sync_once()
    booth.clock.error += timedelta(days=1)  # the next morning: the office's contract has ended
    assert _contractor_code(_contractor_scan(booth, ENDING)) == "list.contractor_ended"

    # The supervisor's spreadsheet lists the same person with the days' cells left empty.
    mine_row = {"id_number": ENDING, "company": "矿方外包", "project": "副井维修"}
    booth.lists.replace_list("contractors", [mine_row]).result()
    booth.keeper.reload()
    still_ended = _contractor_scan(booth, ENDING)
    assert still_ended.decision.outcome is Outcome.REFER
    assert _contractor_code(still_ended) == "list.contractor_ended"
    assert today.isoformat() in " ".join(r.zh for r in still_ended.decision.reasons)
    # ...nor once the office has published again after the end: the ended row goes with it.
    assert people.publish(hub, SECRET, "staff", "isolation: added", ZONE) == 2
    assert "lists" in booth.worker.sync_once().bundles_updated
    assert booth.keeper.policy.lists is not None
    assert booth.keeper.policy.lists.version.startswith("office-2+local-")
    assert _contractor_code(_contractor_scan(booth, ENDING)) == "list.contractor_ended"

    # The mine registers an extension with its own last day: its registration wins.
    extended = {**mine_row, "valid_until": (today + timedelta(days=7)).isoformat()}
    booth.lists.replace_list("contractors", [extended]).result()
    booth.keeper.reload()
    admitted = _contractor_scan(booth, ENDING)
    assert admitted.decision.outcome is Outcome.ADMIT, admitted.decision.reasons
    assert _contractor_code(admitted) == "list.contractor_ok"
