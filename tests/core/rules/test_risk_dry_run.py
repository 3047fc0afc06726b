"""The risk-area dry run over logged passages: signed and declared travel, purged records."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.models import TravelVisit
from gatehouse.core.rules.dry_run_rows import Change
from gatehouse.core.rules.risk_dry_run import dry_run, travel_of
from tests.core.factories import ISSUER, NOW, claims
from tests.core.policies import medium, risk_list

KEY = generate_issuer_key()
DAY = date(2024, 5, 1)  # NOW's China day


def _record(outcome: str = "ADMIT", **changes: Any) -> dict[str, Any]:
    travel = (TravelVisit("610113", DAY - timedelta(days=3)),)  # 雁塔区, Xi'an
    record = {
        "passage_id": "p1",
        "booth_id": "north-gate",
        "checkpoint_type": "mine_gate",
        "decided_at": NOW.isoformat(),
        "outcome": outcome,
        "code_kind": "gatehouse-pass",
        "scanned_text": encode_pass(claims(travel=travel), KEY, ISSUER),
        "evidence": json.dumps({"code_verified": True}),
    }
    return {**record, **changes}


def _change(record: dict[str, Any], published: Any, draft: Any, days: int = 14) -> Change:
    (row,) = dry_run([record], published, draft, lambda _: days).rows
    return row.change


def test_a_new_area_turns_away_an_admitted_traveller_from_inside_it() -> None:
    xian = risk_list(medium("610100", DAY - timedelta(days=10)))
    result = dry_run([_record()], risk_list(), xian, lambda _: 14)
    (row,) = result.changed
    assert row.change is Change.STRICTER
    assert row.stricter[0].area.region_code == "610100"
    assert result.count(Change.STRICTER) == 1


def test_already_turned_away_is_unchanged() -> None:
    xian = risk_list(medium("610100", DAY - timedelta(days=10)))
    assert _change(_record("TURN_AWAY"), xian, xian) is Change.UNCHANGED


def test_lifting_the_area_relieves_the_traveller() -> None:
    xian = risk_list(medium("610100", DAY - timedelta(days=10)))
    lifted = risk_list(medium("610100", DAY - timedelta(days=10), DAY - timedelta(days=5)))
    assert _change(_record("TURN_AWAY"), xian, lifted) is Change.LOOSER


def test_the_area_must_count_on_the_day_of_the_visit_and_within_the_look_back() -> None:
    later = risk_list(medium("610100", DAY - timedelta(days=2)))  # designated after the visit
    assert _change(_record(), None, later) is Change.UNCHANGED
    xian = risk_list(medium("610100", DAY - timedelta(days=10)))
    assert _change(_record(), None, xian, days=2) is Change.UNCHANGED


def test_declared_travel_is_read_from_the_evidence() -> None:
    evidence = {"declared_travel": [{"region": "610400", "day": "2024-04-29"}]}
    record = _record(scanned_text="HC1:...", code_kind="eu-dcc", evidence=evidence)
    assert travel_of(record) == (TravelVisit("610400", date(2024, 4, 29)),)
    xianyang = risk_list(medium("610400", DAY - timedelta(days=10)))
    assert _change(record, None, xianyang) is Change.STRICTER


def test_without_travel_a_passage_is_not_checkable_and_says_why() -> None:
    xian = risk_list(medium("610100", DAY - timedelta(days=10)))
    purged = dry_run([_record(scanned_text="")], None, xian, lambda _: 14).rows[0]
    assert purged.change is Change.NOT_CHECKABLE and "purged" in purged.note
    other = _record(code_kind="provincial-health-code", scanned_text="https://example/code")
    assert _change(other, None, xian) is Change.NOT_CHECKABLE
    broken = dry_run([_record(scanned_text="GH1:!!")], None, xian, lambda _: 14).rows[0]
    assert broken.change is Change.NOT_CHECKABLE and "cannot be read" in broken.note


def test_the_day_is_the_passages_china_day() -> None:
    edge = risk_list(medium("610100", DAY - timedelta(days=3)))
    assert _change(_record(), None, edge, days=3) is Change.STRICTER  # visited 3 days ago
    late = datetime(2024, 5, 1, 17, 0, tzinfo=UTC).isoformat()  # 01:00 on 2 May in China
    assert _change(_record(decided_at=late), None, edge, days=3) is Change.UNCHANGED
