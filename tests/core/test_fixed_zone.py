"""A named zone's fixed offset over a span, with the real tz database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from gatehouse.core.fixed_zone import MARGIN, fixed_offset

SHANGHAI, BERLIN = ZoneInfo("Asia/Shanghai"), ZoneInfo("Europe/Berlin")


def _at(year: int, month: int = 1, day: int = 1) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def test_shanghai_has_kept_one_offset_since_1991() -> None:
    fixed = fixed_offset(SHANGHAI, _at(2020), _at(2030))
    assert fixed is not None
    assert fixed.utcoffset(None) == timedelta(hours=8)
    assert fixed == timezone(timedelta(hours=8))


def test_shanghai_kept_summer_time_1986_to_1991() -> None:
    assert fixed_offset(SHANGHAI, _at(1985), _at(1995)) is None
    assert fixed_offset(SHANGHAI, _at(1995), _at(1985)) is None  # either order


def test_berlin_changes_over_a_year_not_within_a_summer_month() -> None:
    assert fixed_offset(BERLIN, _at(2026), _at(2027)) is None
    summer = fixed_offset(BERLIN, _at(2026, 7, 1), _at(2026, 7, 31))
    assert summer is not None and summer.utcoffset(None) == timedelta(hours=2)


def test_utc_is_fixed() -> None:
    fixed = fixed_offset(ZoneInfo("UTC"), _at(1900), _at(2100))
    assert fixed is not None and fixed.utcoffset(None) == timedelta(0)


def test_the_margin_sees_a_change_just_outside_the_span() -> None:
    """Berlin went to summer time on 29 March 2026 at 01:00 UTC: a span ending a day before
    still reaches it through the margin, one ending three days before does not."""
    change = datetime(2026, 3, 29, 1, tzinfo=UTC)
    assert fixed_offset(BERLIN, change - timedelta(days=20), change - timedelta(days=1)) is None
    before = fixed_offset(BERLIN, change - timedelta(days=20), change - MARGIN - timedelta(days=1))
    assert before is not None and before.utcoffset(None) == timedelta(hours=1)


def test_a_change_between_samples_is_seen_at_the_exact_end() -> None:
    """A span shorter than a day ending just past the change: the end is checked exactly."""
    change = datetime(2026, 10, 25, 1, tzinfo=UTC)  # Berlin back to standard time
    start = change - MARGIN - timedelta(hours=1)
    end = change - MARGIN + timedelta(seconds=1)
    assert fixed_offset(BERLIN, start, end) is None


def test_a_span_at_the_calendars_edge_is_not_fixed() -> None:
    assert fixed_offset(SHANGHAI, datetime.min.replace(tzinfo=UTC), _at(2020)) is None
