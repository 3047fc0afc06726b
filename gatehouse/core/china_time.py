"""China Standard Time: the clock the guards, the travel card and the risk-area lists count in."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

CHINA_TIME = timezone(timedelta(hours=8), "CST")


def china_day(moment: datetime) -> date:
    """The calendar day in China at ``moment`` (aware): the day the travel card counts in."""
    return moment.astimezone(CHINA_TIME).date()
