"""How long a health-code colour counts: it is a snapshot of the moment it was checked.

Workers show today's health code every day, so by default a colour counts until the end of the
China day it was checked on; a rule pack may set a maximum age in hours instead (the health-code
rule's ``max_age_hours``). The booth refers an aged colour to the live code on the phone, and
``issue-pass`` prints on the card until when the colour counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from typing import Any

from gatehouse.core.china_time import CHINA_TIME, china_day

MAX_AGE_PARAM = "max_age_hours"
_LONGEST = 14 * 24.0  # a colour older than the look-back says nothing about today


def colour_counts_until(checked_at: datetime, max_age_hours: float | None) -> datetime:
    """The first moment a colour checked at ``checked_at`` no longer counts."""
    if max_age_hours is not None:
        return checked_at + timedelta(hours=max_age_hours)
    next_day = china_day(checked_at) + timedelta(days=1)
    return datetime.combine(next_day, time(), CHINA_TIME)


def max_age_hours(params: Mapping[str, Any]) -> float | None:
    """The pack's maximum colour age in hours (None: the same China day); ValueError if bad."""
    value = params.get(MAX_AGE_PARAM)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= _LONGEST:
        raise ValueError(f"{MAX_AGE_PARAM} must be a number of hours above 0, at most {_LONGEST:g}")
    return float(value)
