"""The fixed offset an office download can be computed in, read from what it exports.

The console and the API name their zone (``ZoneInfo("Asia/Shanghai")``); the CSV's fast paths
(``hub.sqlite_export``, ``hub.postgres_export``) compute times on one fixed offset. Before an
export the hub reads the span of stored decision times the query can match (two index seeks)
and, where the zone's offset is constant over it (``core.fixed_zone``), the fast paths run.
Only the plain rows' times use that offset: the header, the file name and every careful row
still go through the named zone, so the file is the general path's byte for byte.
"""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from typing import Any

from sqlalchemy import Engine, func, select

from gatehouse.core.fixed_zone import fixed_offset
from gatehouse.hub.passage_pages import PassageQuery
from gatehouse.hub.tables import passages


def export_offset(
    engine: Engine, query: PassageQuery, zone: tzinfo, now: datetime
) -> timezone | None:
    """``zone`` as one fixed offset for the passages ``query`` can match, or ``None`` (the
    general path) when its offset changes over their times or a bound is not a time.

    The span is that of every passage within the query's ``since``/``until`` (its other
    conditions only narrow it), read in text order: the hub stores UTC times in one shape
    (``ingest._moment``), in which text order is time order; a time stored in another shape
    sorts within a day of its instant, which ``fixed_offset``'s margin covers, and a bound that
    is not a time with its offset takes the general path. No passage: the offset at ``now``.
    """
    if isinstance(zone, timezone):
        return zone
    with engine.connect() as conn:
        first, last = conn.execute(select(_bound(func.min, query), _bound(func.max, query))).one()
    if first is None or last is None:
        return fixed_offset(zone, now, now)
    try:
        span = [datetime.fromisoformat(first), datetime.fromisoformat(last)]
    except (TypeError, ValueError):
        return None
    if any(moment.utcoffset() is None for moment in span):
        return None
    return fixed_offset(zone, *span)


def _bound(extreme: Any, query: PassageQuery) -> Any:
    """The least or greatest stored time in the query's range: one seek of the time index (a
    subquery each: SQLite seeks for a lone ``min`` or ``max`` only)."""
    statement = select(extreme(passages.c.decided_at))
    if query.since is not None:
        statement = statement.where(passages.c.decided_at >= query.since)
    if query.until is not None:
        statement = statement.where(passages.c.decided_at < query.until)
    return statement.scalar_subquery()
