"""The daily report (日报告) and zero report (零报告) across booths: per mine and for the group.

The counting and the PDF are the booth's own (``reports.day_figures``, ``reports.daily_pdf``);
the rows come from the hub's passages through the export's paging, never all in memory.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from gatehouse.hub.console import booths
from gatehouse.hub.exports import ExportFile, all_passages
from gatehouse.hub.service import Hub, PassageQuery, iso
from gatehouse.reports.daily_pdf import render_daily_report
from gatehouse.reports.day_figures import DailyFigures, count_day, day_bounds

__all__ = ["GROUP", "DailyFigures", "MineDay", "mine_day", "parse_day", "report_pdf"]

GROUP = ""  # the whole group: every booth of every mine


@dataclass(frozen=True)
class MineDay:
    mine: str  # GROUP for the whole group
    booth_ids: tuple[str, ...]
    figures: DailyFigures


def mine_day(hub: Hub, mine: str, day: date, zone: tzinfo, now: datetime) -> MineDay:
    """The day's figures of ``mine``'s booths (``GROUP``: every booth); the day not over at
    ``now``, up to ``now``. The supervisors' overrides stay in the booths' audit chains, so
    the figures say they are unknown rather than count none."""
    booth_ids = booths.booth_ids_of_mine(hub, mine) if mine != GROUP else None
    start, end = day_bounds(day, zone)
    cut_off = now.astimezone(zone) if start <= now < end else None
    query = PassageQuery(booth_ids=booth_ids, since=iso(start), until=iso(cut_off or end))
    figures = count_day(
        all_passages(hub, query), day, zone, booth_ids or (), cut_off, overrides_known=False
    )
    return MineDay(mine, booth_ids or (), figures)


def parse_day(text: str, today: date) -> date:
    """The day asked for (YYYY-MM-DD); yesterday when none (the report the office collects)."""
    return date.fromisoformat(text) if text else today - timedelta(days=1)


def report_pdf(report: MineDay, group_name: str, now: datetime) -> ExportFile:
    """The PDF in a new temporary folder (blocking: run in a thread)."""
    name = report.mine or group_name
    folder = Path(tempfile.mkdtemp(prefix="gatehouse-report-"))
    kind = "zero-report" if report.figures.is_zero_report else "daily-report"
    filename = f"{kind}-{report.figures.day.isoformat()}.pdf"
    try:
        render_daily_report(report.figures, folder / filename, mine_name=name, generated_at=now)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return ExportFile(folder / filename, folder, filename, "application/pdf", report.figures.total)
