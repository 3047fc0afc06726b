"""The contractor ledger (外委人员台账) across booths: the office's published contractor list
against the passages of a mine's booths (or the whole group's) in a period.

Rows, columns and title are the booth's own (``reports.contractor_lines``). The hub knows the
contractors the office publishes in its ``lists`` bundle; one a mine imported only at its own
booth is not known here, so it shows as not on the list (the page says so).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path

from gatehouse.core.models import Role
from gatehouse.core.rules.persons import PersonListError, PersonLists
from gatehouse.hub.console.search import SearchError
from gatehouse.hub.exports import FORMATS, ExportFile, all_passages
from gatehouse.hub.service import Hub, PassageQuery, iso
from gatehouse.reports.cells import Cell
from gatehouse.reports.columns import Row
from gatehouse.reports.contractor_lines import (
    SHEET_TITLE,
    ContractorLine,
    contractor_columns,
    contractor_ledger,
    ledger_caption,
)
from gatehouse.reports.table import write_table
from gatehouse.sync.protocol import BundleError, open_bundle

DEFAULT_DAYS = 7  # the week up to today, as the office usually asks
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    first: date  # local days, both included
    last: date
    zone: tzinfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), self.zone)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), self.zone)


def parse_period(first: str, last: str, today: date, zone: tzinfo) -> Period:
    """From ``first`` to ``last`` (YYYY-MM-DD); by default the ``DEFAULT_DAYS`` up to today."""
    try:
        until = date.fromisoformat(last) if last else today
    except ValueError:
        raise SearchError("bad_date", last) from None
    try:
        since = date.fromisoformat(first) if first else until - timedelta(days=DEFAULT_DAYS - 1)
    except ValueError:
        raise SearchError("bad_date", first) from None
    if since > until:
        raise SearchError("bad_period", f"{since} – {until}")
    if (until - since).days >= MAX_DAYS:
        raise SearchError("long_period", f"{since} – {until}")
    return Period(since, until, zone)


@dataclass(frozen=True)
class OfficeList:
    """The office's contractor list as the ledger reads it, and which version it is."""

    entries: list[Row]
    version: int | None  # None: no list published (or none readable, see ``problem``)
    problem: str = ""


def published_lists(hub: Hub) -> tuple[int, PersonLists] | None:
    """The latest ``lists`` bundle the hub gives booths (its version and lists), None when
    none is published; BundleError or PersonListError when it cannot be read."""
    published = hub.latest_bundle("lists")
    if published is None:
        return None
    bundle = open_bundle(published.signed, hub.bundle_key.public_key(), "lists")
    return bundle.version, PersonLists.from_json(json.dumps(bundle.content))


def office_list(hub: Hub) -> OfficeList:
    """The contractors of the latest ``lists`` bundle the hub publishes. One that cannot be
    read is reported, never taken as an empty list in silence."""
    try:
        found = published_lists(hub)
    except (BundleError, PersonListError) as exc:
        return OfficeList([], None, str(exc))
    if found is None:
        return OfficeList([], None)
    version, lists = found
    entries: list[Row] = [
        {
            "id_hash": entry.id_hash,
            "name": "",  # the office's list holds no names: they come from the passages
            "id_masked": "",
            "details": json.dumps(
                {
                    "company": entry.company,
                    "project": entry.project,
                    "itinerary": entry.itinerary,
                    "valid_from": _day(entry.valid_from),
                    "valid_until": _day(entry.valid_until),
                }
            ),
        }
        for entry in lists.contractors.values()
    ]
    return OfficeList(entries, version)


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def ledger_lines(
    hub: Hub, listed: OfficeList, booth_ids: tuple[str, ...] | None, period: Period
) -> list[ContractorLine]:
    """The ledger's rows over the passages of ``booth_ids`` (``None``: every booth), read a
    page at a time: those of people on the list or with the contractor role."""
    hashes = {str(entry["id_hash"]) for entry in listed.entries}
    query = PassageQuery(booth_ids=booth_ids, since=iso(period.start), until=iso(period.end))
    passages = (
        row
        for row in all_passages(hub, query)
        if row.get("role") == Role.CONTRACTOR.value or row.get("id_hash") in hashes
    )
    return contractor_ledger(listed.entries, passages)


def table(
    lines: list[ContractorLine], zone: tzinfo, now: datetime
) -> tuple[list[str], list[tuple[bool, list[str]]]]:
    """The page's header and rows (whether on the list, and the file's cells as text)."""
    columns = contractor_columns(zone, now)
    rows = [
        (line.registered, [_text(column.value(asdict(line))) for column in columns])
        for line in lines
    ]
    return [column.header for column in columns], rows


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.strftime("%Y-%m-%d %H:%M")
    return str(cell)


def ledger_file(
    lines: list[ContractorLine], format: str, mine: str, period: Period, now: datetime
) -> ExportFile:
    """The ledger as a CSV or XLSX file in a new temporary folder (blocking: run in a
    thread); the booth's title row names the mine and the period."""
    writer, media_type = FORMATS[format]
    filename = f"contractors-{period.first:%Y%m%d}-{period.last:%Y%m%d}.{format}"
    folder = Path(tempfile.mkdtemp(prefix="gatehouse-contractors-"))
    try:
        written = write_table(
            (asdict(line) for line in lines),
            contractor_columns(period.zone, now),
            folder / filename,
            writer,
            total=len(lines),
            title=SHEET_TITLE,
            caption=ledger_caption(mine, period.start, period.end, period.zone, now),
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return ExportFile(folder / filename, folder, filename, media_type, written)
