"""The office's risk-area draft: edits made at the same moment are all kept, and refusals
change nothing (on SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from gatehouse.core.rules.announcement import read_announcement
from gatehouse.core.rules.risk_areas import RiskArea, RiskLevel
from gatehouse.hub.console import risk_areas
from gatehouse.hub.console.risk_areas import RiskAreaEditError
from gatehouse.hub.service import Hub

SINCE = date(2021, 12, 4)
CITIES = ("610100", "610400", "610600", "610200", "610300", "610500", "610700", "610800")


def test_edits_at_the_same_moment_are_all_kept(hub: Hub) -> None:
    start = threading.Barrier(len(CITIES))

    def add(code: str) -> None:
        start.wait()
        risk_areas.add_areas(hub, [RiskArea(code, RiskLevel.MEDIUM, SINCE)], f"staff-{code}")

    with ThreadPoolExecutor(len(CITIES)) as pool:
        list(pool.map(add, CITIES))
    assert sorted(a.region_code for a in risk_areas.draft(hub).areas) == sorted(CITIES)


def test_refused_edits_leave_the_draft_as_it_was(hub: Hub) -> None:
    xian = RiskArea("610100", RiskLevel.HIGH, SINCE)
    risk_areas.add_areas(hub, [xian], "staff")
    with pytest.raises(RiskAreaEditError, match="area_in_force"):
        risk_areas.add_areas(hub, [RiskArea("610400", RiskLevel.MEDIUM, SINCE), xian], "staff")
    with pytest.raises(RiskAreaEditError, match="unknown_region"):
        risk_areas.add_areas(hub, [RiskArea("619900", RiskLevel.MEDIUM, SINCE)], "staff")
    with pytest.raises(RiskAreaEditError, match="lift_before_designation"):
        risk_areas.lift_area(hub, "610100", SINCE, SINCE, "staff")
    with pytest.raises(RiskAreaEditError, match="no_open_area"):
        risk_areas.remove_area(hub, "610400", SINCE, "staff")
    assert risk_areas.draft(hub).areas == (xian,)


def test_an_announcement_lifts_open_entries_and_adds_in_one_edit(hub: Hub) -> None:
    xian = RiskArea("610100", RiskLevel.MEDIUM, SINCE)
    yanan = RiskArea("610600", RiskLevel.HIGH, SINCE)
    risk_areas.add_areas(hub, [xian, yanan], "staff")
    on = date(2021, 12, 20)
    again = RiskArea("610100", RiskLevel.HIGH, on)  # lifted from medium, designated high
    lifts = [("610100", on), ("610600", SINCE), ("610400", on)]  # Yan'an: not before; 咸阳: none
    done = risk_areas.apply_announcement(hub, [again], lifts, "staff")
    assert done == [RiskArea("610100", RiskLevel.MEDIUM, SINCE, on)]
    assert risk_areas.draft(hub).areas == (done[0], yanan, again)


def test_an_announcement_with_a_refused_addition_lifts_nothing(hub: Hub) -> None:
    xian = RiskArea("610100", RiskLevel.MEDIUM, SINCE)
    risk_areas.add_areas(hub, [xian], "staff")
    with pytest.raises(RiskAreaEditError, match="area_in_force"):
        risk_areas.apply_announcement(
            hub, [xian], [("610100", date(2021, 12, 20))], "staff"
        )  # Xi'an twice: the lift is not kept either
    assert risk_areas.draft(hub).areas == (xian,)


def test_an_announced_move_from_high_to_medium_lifts_the_high_entry_and_adds_medium(
    hub: Hub,
) -> None:
    yanta = RiskArea("610113", RiskLevel.HIGH, SINCE)
    risk_areas.add_areas(hub, [yanta], "staff")
    text = "自2021年12月20日起,西安市雁塔区由高风险地区调整为中风险地区。"
    read = read_announcement(text, risk_areas.region_table(), date(2021, 12, 20))
    added = [RiskArea(m.region.code, m.level, m.since) for m in read.matched]
    lifts = [(place.region.code, place.on) for place in read.lifted]
    on = date(2021, 12, 20)
    done = risk_areas.apply_announcement(hub, added, lifts, "staff")
    assert done == [RiskArea("610113", RiskLevel.HIGH, SINCE, on)]
    assert risk_areas.draft(hub).areas == (done[0], RiskArea("610113", RiskLevel.MEDIUM, on))
