"""Reading pasted announcements into risk areas: seed-like text, qualified names, ambiguity."""

from __future__ import annotations

from datetime import date

from gatehouse.core.rules.announcement import read_announcement, resolve
from gatehouse.core.rules.risk_areas import RiskLevel
from tests.core.policies import REGIONS

TODAY = date(2021, 12, 20)


def _matched(text: str, today: date = TODAY) -> list[tuple[str, RiskLevel, date]]:
    read = read_announcement(text, REGIONS, today)
    return [(m.region.code, m.level, m.since) for m in read.matched]


def test_the_seed_announcement_gives_three_medium_areas_since_4_december() -> None:
    since = date(2021, 12, 4)
    assert _matched("西安市、咸阳市、延安市 自12月4日起为中风险地区") == [
        ("610100", RiskLevel.MEDIUM, since),
        ("610400", RiskLevel.MEDIUM, since),
        ("610600", RiskLevel.MEDIUM, since),
    ]


def test_the_seed_report_sentence_matches_its_cities_and_shows_the_other_words() -> None:
    text = "严格摸排12月4日以来西安市、咸阳市、延安市等国内中高风险地区来矿返矿人员"
    read = read_announcement(text, REGIONS, TODAY)
    assert [m.region.code for m in read.matched] == ["610100", "610400", "610600"]
    assert [u.name for u in read.unmatched] == ["严格摸排", "来矿返矿人员"]
    assert all(u.candidates == () for u in read.unmatched)


def test_each_sentence_has_its_own_level_and_date() -> None:
    text = "自2021年12月10日起，陕西省西安市雁塔区调整为高风险地区。\n延安 12月12日起为中风险地区"
    assert _matched(text) == [
        ("610113", RiskLevel.HIGH, date(2021, 12, 10)),
        ("610600", RiskLevel.MEDIUM, date(2021, 12, 12)),
    ]


def _lifted(text: str) -> list[tuple[str, date]]:
    return [(p.region.code, p.on) for p in read_announcement(text, REGIONS, TODAY).lifted]


# A provincial office's daily notice, written for these tests in the usual form.
NOTICE = (
    "陕西省应对新冠肺炎疫情工作领导小组办公室公告:经专家研判,自2021年12月20日0时起,"
    "将咸阳市秦都区调整为低风险地区;延安市宝塔区由中风险地区降为低风险地区。"
    "自12月20日起,西安市雁塔区调整为高风险地区。"
)


def test_places_adjusted_to_low_risk_are_lifts_from_the_notices_day() -> None:
    read = read_announcement(NOTICE, REGIONS, TODAY)
    on = date(2021, 12, 20)
    assert [(p.name, p.region.code, p.on) for p in read.lifted] == [
        ("咸阳市秦都区", "610402", on),
        ("延安市宝塔区", "610602", on),
    ]
    assert [(m.region.code, m.level) for m in read.matched] == [("610113", RiskLevel.HIGH)]
    assert all(u.candidates == () for u in read.unmatched)  # the notice's heading words


def test_each_way_of_writing_a_lift() -> None:
    assert _lifted("自12月18日起解除延安市中风险地区。") == [("610600", date(2021, 12, 18))]
    assert _lifted("西安市雁塔区12月19日起降为低风险") == [("610113", date(2021, 12, 19))]
    assert _lifted("咸阳 12月12日起为低风险地区") == [("610400", date(2021, 12, 12))]
    assert _lifted("12月15日起，西安市全域风险等级调整为低风险") == [("610100", date(2021, 12, 15))]


def test_a_place_raised_from_low_risk_is_an_addition_not_a_lift() -> None:
    text = "自12月19日起，西安市雁塔区由低风险地区调整为中风险地区"
    assert _matched(text) == [("610113", RiskLevel.MEDIUM, date(2021, 12, 19))]
    assert _lifted(text) == []


def test_a_lift_that_cannot_be_matched_waits_for_a_decision_as_a_lift() -> None:
    read = read_announcement("新城区、火星市自12月22日起调整为低风险地区", REGIONS, TODAY)
    assert read.lifted == () and read.matched == ()
    ambiguous, unknown = read.unmatched
    assert ambiguous.lifting and ambiguous.since == date(2021, 12, 22)
    assert len(ambiguous.candidates) > 1 and unknown.candidates == ()


def test_a_leading_verb_is_no_part_of_a_name_but_a_region_beginning_with_one_is_kept() -> None:
    assert _lifted("12月20日起将咸阳市秦都区调整为低风险地区") == [("610402", date(2021, 12, 20))]
    assert [c for c, _, _ in _matched("将乐县自12月4日起为中风险地区")] == ["350428"]


def test_ambiguous_and_unknown_names_are_never_guessed() -> None:
    read = read_announcement("新城区、火星市自12月4日起为中风险地区", REGIONS, TODAY)
    assert read.matched == ()
    ambiguous, unknown = read.unmatched
    assert ambiguous.name == "新城区" and len(ambiguous.candidates) > 1
    assert {"610102", "150102"} <= {c.code for c in ambiguous.candidates}
    assert (unknown.name, unknown.candidates) == ("火星市", ())
    assert ambiguous.level is RiskLevel.MEDIUM and ambiguous.since == date(2021, 12, 4)


def test_a_place_without_level_or_date_waits_for_a_decision() -> None:
    read = read_announcement("西安市", REGIONS, TODAY)
    assert read.matched == ()
    (place,) = read.unmatched
    assert place.level is None and place.since is None
    assert [c.code for c in place.candidates] == ["610100"]  # only the level and date are missing


def test_a_date_without_its_year_is_never_far_in_the_future() -> None:
    assert _matched("西安市 12月30日起为中风险地区", date(2022, 1, 3))[0][2] == date(2021, 12, 30)
    assert _matched("西安市 1月2日起为中风险地区", date(2021, 12, 20))[0][2] == date(2022, 1, 2)


def test_a_place_named_twice_is_added_once() -> None:
    assert len(_matched("西安市、西安 自12月4日起为高风险地区")) == 1


def test_resolve_by_short_and_qualified_names() -> None:
    assert [r.code for r in resolve("西安", REGIONS)] == ["610100"]
    assert [r.code for r in resolve("陕西省西安市新城区", REGIONS)] == ["610102"]
    assert resolve("西安市火星区", REGIONS) == ()


def test_a_place_moved_from_high_to_medium_is_a_lift_and_a_medium_addition_that_day() -> None:
    text = "经专家研判,自2021年12月20日0时起,西安市雁塔区由高风险地区调整为中风险地区。"
    on = date(2021, 12, 20)
    assert _lifted(text) == [("610113", on)]
    assert _matched(text) == [("610113", RiskLevel.MEDIUM, on)]


def test_each_way_of_writing_a_move_between_designated_levels() -> None:
    on = date(2021, 12, 21)
    places = "自12月21日起,咸阳市秦都区、西安市雁塔区"
    for moved, level in (
        ("由高风险地区降为中风险地区", RiskLevel.MEDIUM),
        ("由高风险降至中风险", RiskLevel.MEDIUM),
        ("由中风险地区升级为高风险地区", RiskLevel.HIGH),
        ("由中高风险地区调整为高风险地区", RiskLevel.HIGH),
    ):
        text = places + moved
        assert _lifted(text) == [("610402", on), ("610113", on)], text
        assert _matched(text) == [("610402", level, on), ("610113", level, on)], text
        read = read_announcement(text, REGIONS, TODAY)
        assert [u.name for u in read.unmatched] == [], text


def test_a_level_said_again_or_raised_from_low_lifts_nothing() -> None:
    assert _lifted("自12月19日起,西安市雁塔区由中风险地区调整为中风险地区") == []
    assert _lifted("自12月19日起,西安市雁塔区由低风险地区升为中风险地区") == []
