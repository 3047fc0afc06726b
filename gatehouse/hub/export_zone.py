"""The fixed offset an office download can be computed in, read from what it exports.

The console and the API name their zone (``ZoneInfo("Asia/Shanghai")``); the CSV's fast paths
(``hub.sqlite_export``, ``hub.postgres_export``) compute times on one fixed offset. Before an
export the hub reads the span of stored decision times the query can match (two index seeks)
and, where the zone's offset is constant over it (``core.fixed_zone``), the fast paths run.
Only the plain rows' times use that offset: the header, the file name and every careful row
still go through the named zone, so the file is the general path's byte for byte.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any, NamedTuple

from sqlalchemy import Engine, func, select

from gatehouse.core.fixed_zone import fixed_offset
from gatehouse.hub.passage_pages import PassageQuery
from gatehouse.hub.tables import iso, passages

# A passage stored while the export runs is exported only within a day of the span checked:
# inside ``fixed_offset``'s margin by more than any offset (±14 h) moves a time's text from its
# instant. Later ones are left out, as if the export had run a moment sooner.
_BOUND = timedelta(days=1)


class FixedSpan(NamedTuple):
    """The fixed offset an export computes plain rows' times in, and its query bounded to
    the times the offset was found fixed over."""

    zone: timezone
    query: PassageQuery


def export_offset(
    engine: Engine, query: PassageQuery, zone: tzinfo, now: datetime
) -> FixedSpan | None:
    """``zone`` as one fixed offset for the passages ``query`` can match, or ``None`` (the
    general path) when its offset changes over their times or a bound is not a time.

    The span is that of every passage within the query's ``since``/``until`` (its other
    conditions only narrow it), read in text order: the hub stores UTC times in one shape
    (``ingest._moment``), in which text order is time order; a time stored in another shape
    sorts within a day of its instant, which ``fixed_offset``'s margin covers, and a bound that
    is not a time with its offset takes the general path. No passage: the offset at ``now``.
    """
    if isinstance(zone, timezone):
        return FixedSpan(zone, query)
    with engine.connect() as conn:
        first, last = conn.execute(select(_bound(func.min, query), _bound(func.max, query))).one()
    try:
        span = [now] if first is None else [datetime.fromisoformat(t) for t in (first, last)]
    except (TypeError, ValueError):
        return None
    if any(moment.utcoffset() is None for moment in span):
        return None
    fixed = fixed_offset(zone, span[0], span[-1])
    if fixed is None:
        return None
    since, until = iso(span[0] - _BOUND), iso(span[-1] + _BOUND)
    if first is not None and not since < first <= last < until:
        return None  # a stored time whose text does not sort as its instant
    bounded = replace(
        query,
        since=max(query.since, since) if query.since else since,
        until=min(query.until, until) if query.until else until,
    )
    return FixedSpan(fixed, bounded)


def _bound(extreme: Any, query: PassageQuery) -> Any:
    """The least or greatest stored time in the query's range: one seek of the time index (a
    subquery each: SQLite seeks for a lone ``min`` or ``max`` only)."""
    statement = select(extreme(passages.c.decided_at))
    if query.since is not None:
        statement = statement.where(passages.c.decided_at >= query.since)
    if query.until is not None:
        statement = statement.where(passages.c.decided_at < query.until)
    return statement.scalar_subquery()
