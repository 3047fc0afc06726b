"""The daily report (日报告) of a booth's own ledger: its passages of one local day, counted.

The counting itself is ``day_figures`` (store-free, shared with the hub's console).
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from gatehouse.reports.day_figures import DailyFigures, count_day, day_bounds
from gatehouse.store.queries import PassageFilter, PassageQueries


def daily_figures(
    queries: PassageQueries,
    day: date,
    zone: tzinfo,
    booth_ids: tuple[str, ...] = (),
    now: datetime | None = None,
) -> DailyFigures:
    """The figures for ``day``; made before the day ends (``now``), up to ``now``."""
    start, end = day_bounds(day, zone)
    cut_off = now.astimezone(zone) if now is not None and start <= now < end else None
    chosen = PassageFilter(start=start, end=cut_off or end, booth_ids=booth_ids)
    return count_day(queries.iter_rows(chosen), day, zone, booth_ids, cut_off)
