from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta, timezone

import pytest

from gatehouse.core.chain import canonical_json
from gatehouse.core.models import Outcome
from gatehouse.core.reasons import CATALOGUE, OPEN_CHECKS, ReasonCode, display_time, reason


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_both_languages_use_the_same_parameters(code: str) -> None:
    _, en, zh = CATALOGUE[code]
    assert _fields(en) == _fields(zh)


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_message_fills_in(code: str) -> None:
    filled = reason(code, **{name: 1.0 for name in _fields(CATALOGUE[code][1])})
    assert filled.en and filled.zh
    assert "{" not in filled.en + filled.zh


def test_pass_refusals_always_turn_away() -> None:
    refusals = {code: entry[0] for code, entry in CATALOGUE.items() if code.startswith("pass.")}
    assert set(refusals.values()) == {Outcome.TURN_AWAY}


def test_display_time_is_china_time_to_the_minute_whatever_zone_it_is_given() -> None:
    late_utc = datetime(2024, 5, 1, 20, 30, 59, tzinfo=UTC)  # already 2 May in the booth
    assert display_time(late_utc) == "2024-05-02 04:30 UTC+08:00"
    beijing = datetime(2024, 5, 1, 16, 30, 59, tzinfo=timezone(timedelta(hours=8)))
    assert display_time(beijing) == "2024-05-01 16:30 UTC+08:00"


def test_every_code_is_a_member_with_its_catalogue_entry_and_stores_as_before() -> None:
    assert set(CATALOGUE) == set(ReasonCode)
    assert all(isinstance(code, ReasonCode) for code in CATALOGUE)
    assert all(isinstance(code, ReasonCode) for code in OPEN_CHECKS)
    made = reason(ReasonCode.TRAVEL_NOT_SHOWN)
    # ledgers, the hash chain and the hub hold the text: the member must encode as that text
    assert made.code == "travel.not_shown" and str(made.code) == "travel.not_shown"
    assert canonical_json({"code": made.code}) == '{"code":"travel.not_shown"}'
    assert reason("travel.not_shown") == made  # a code read back from a ledger is the same
