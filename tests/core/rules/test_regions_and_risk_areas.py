"""GB/T 2260 lookups and risk-area matching: containment, starred cities, windows, look-back."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from gatehouse.core.china_time import china_day
from gatehouse.core.models import TravelVisit
from gatehouse.core.rules.regions import RegionCodeError, ancestors, check_code, contains
from gatehouse.core.rules.risk_areas import RiskAreaError, RiskAreaList
from tests.core.policies import REGIONS, medium, risk_list

TODAY = date(2021, 12, 18)


def test_table_records_where_it_came_from() -> None:
    assert len(REGIONS) > 3000
    assert REGIONS.source.startswith("python-stdnum")
    assert REGIONS.source_date


@pytest.mark.parametrize(
    ("code", "name"),
    [("610000", "陕西省"), ("610100", "西安市"), ("610113", "雁塔区"), ("150621", "达拉特旗")],
)
def test_lookup_by_code(code: str, name: str) -> None:
    region = REGIONS.get(code)
    assert region is not None and region.name == name


def test_guard_types_pinyin_initials() -> None:
    assert REGIONS.search("xa")[0].name == "西安市"
    assert [r.name for r in REGIONS.search("xianyang")][:1] == ["咸阳市"]
    assert REGIONS.search("鄂尔多斯")[0].code == "150600"
    assert REGIONS.search("  ") == []


def test_lookup_by_name_and_display() -> None:
    assert [r.code for r in REGIONS.by_name("延安市")] == ["610600"]
    assert len(REGIONS.by_name("新城区")) > 1
    assert REGIONS.display("610113") == "陕西省西安市雁塔区"
    assert REGIONS.display("110105") == "北京市朝阳区"  # municipality: no city row
    assert REGIONS.display("999999") == "999999"


def test_containment_is_by_code() -> None:
    assert ancestors("610113") == ("610100", "610000")
    assert contains("610000", "610113") and contains("610113", "610113")
    assert not contains("610113", "610100")
    with pytest.raises(RegionCodeError):
        check_code("61011")


def test_visit_to_a_covered_district_counts() -> None:
    hits = risk_list(medium("610100", date(2021, 12, 4))).visits_at_risk(
        [TravelVisit("610113", date(2021, 12, 10))], TODAY, 14
    )
    assert [(h.area.region_code, h.starred) for h in hits] == [("610100", False)]


def test_city_holding_a_risky_district_is_starred() -> None:
    hits = risk_list(medium("610113", date(2021, 12, 4))).visits_at_risk(
        [TravelVisit("610100", date(2021, 12, 10))], TODAY, 14
    )
    assert [(h.area.region_code, h.starred) for h in hits] == [("610113", True)]


@pytest.mark.parametrize(
    ("day", "counts"),
    [
        (date(2021, 12, 3), False),  # the day before designation
        (date(2021, 12, 4), True),  # designation day
        (date(2021, 12, 9), True),
        (date(2021, 12, 10), False),  # lift day: no longer
    ],
)
def test_entry_window(day: date, counts: bool) -> None:
    areas = risk_list(medium("610400", date(2021, 12, 4), lifted=date(2021, 12, 10)))
    assert bool(areas.visits_at_risk([TravelVisit("610400", day)], TODAY, 30)) is counts


@pytest.mark.parametrize(("days_ago", "counts"), [(0, True), (14, True), (15, False)])
def test_look_back_counts_today_as_day_zero(days_ago: int, counts: bool) -> None:
    areas = risk_list(medium("610600", date(2021, 11, 1)))
    day = date.fromordinal(TODAY.toordinal() - days_ago)
    assert bool(areas.visits_at_risk([TravelVisit("610600", day)], TODAY, 14)) is counts


def test_china_day_is_utc_plus_eight() -> None:
    assert china_day(datetime(2021, 12, 3, 15, 59, tzinfo=UTC)) == date(2021, 12, 3)
    assert china_day(datetime(2021, 12, 3, 16, 0, tzinfo=UTC)) == date(2021, 12, 4)


def test_list_round_trips_through_json() -> None:
    areas = risk_list(medium("610100", date(2021, 12, 4), lifted=date(2022, 1, 20)))
    assert RiskAreaList.from_json(json.dumps(areas.to_json_data())) == areas


@pytest.mark.parametrize(
    "entry",
    [
        {"region": "61010", "level": "medium", "from": "2021-12-04"},
        {"region": "610100", "level": "severe", "from": "2021-12-04"},
        {"region": "610100", "level": "high", "from": "2021-12-04", "lifted": "2021-12-01"},
    ],
)
def test_bad_entries_are_refused_by_name(entry: dict[str, str]) -> None:
    document = {
        "format": "gatehouse-risk-areas/1",
        "version": "x",
        "published_at": "2021-12-20T00:00:00+08:00",
        "areas": [entry],
    }
    with pytest.raises((RiskAreaError, RegionCodeError)):
        RiskAreaList.from_json_data(document)
