"""The daily report (日报告) of a booth's own ledger: its passages of one local day, counted.

The counting itself is ``day_figures`` (store-free, shared with the hub's console).
"""

from __future__ import annotations

from datetime import date, tzinfo

from gatehouse.reports.day_figures import DailyFigures, count_day, day_bounds
from gatehouse.store.queries import PassageFilter, PassageQueries


def daily_figures(
    queries: PassageQueries, day: date, zone: tzinfo, booth_ids: tuple[str, ...] = ()
) -> DailyFigures:
    start, end = day_bounds(day, zone)
    rows = queries.iter_rows(PassageFilter(start=start, end=end, booth_ids=booth_ids))
    return count_day(rows, day, zone, booth_ids)
