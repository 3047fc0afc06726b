"""A time zone's fixed offset over a span of time, where it has one.

The office's downloads compute the local time in SQL as text arithmetic on one offset
(``hub.sqlite_export``, ``hub.postgres_export``); a named zone (``ZoneInfo``) qualifies for
that whenever its offset does not change over the times being exported.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo

# Either side of the span: times stored in another shape or offset may sort up to a day away
# from their instant, and a zone's rule change is then still seen.
MARGIN = timedelta(days=2)
_STEP = timedelta(days=1)


def fixed_offset(zone: tzinfo, start: datetime, end: datetime) -> timezone | None:
    """``zone`` as a ``timezone`` of its one UTC offset from ``start`` to ``end`` (aware, in
    any zone; ``MARGIN`` added either side), or ``None`` if the offset changes within them.

    Both ends are checked exactly and every day between: daily is enough because no offset in
    the tz database's modern times lasts less than a day (DST and standard time last months),
    so a change and back between two samples cannot happen unseen.
    """
    try:
        first = (min(start, end) - MARGIN).astimezone(UTC)
        last = (max(start, end) + MARGIN).astimezone(UTC)
        offset = first.astimezone(zone).utcoffset()
        moment = first
        while offset is not None and moment < last:
            moment = min(moment + _STEP, last)
            if moment.astimezone(zone).utcoffset() != offset:
                return None
    except OverflowError:  # a span reaching the calendar's first or last day
        return None
    if offset is None:
        return None
    name = first.astimezone(zone).tzname()
    return timezone(offset, name) if name else timezone(offset)
