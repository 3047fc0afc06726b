"""One export in its own process, so its time and peak memory are its own.

``python -m bench.export_writers WAY LEDGER OUT`` (a hub's way: ``WAY DATABASE_URL OUT``) prints
the seconds the export took and the process's peak resident MiB. The XLSX ways all write the
same cells (the export's general path: columns, then ``safe_cell``), so only the writer differs;
the CSV ways are the project's export and the csv module's floor.
"""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from gatehouse.core.china_time import CHINA_TIME
from gatehouse.reports.cells import DATETIME_TEXT, Cell, IdNumbers, safe_cell, safe_text
from gatehouse.reports.columns import OUTCOME_WORDS, passage_columns
from gatehouse.reports.export import ExportRequest
from gatehouse.reports.sinks import SHEET_TITLE
from gatehouse.reports.table import write_cells
from gatehouse.store.queries import PassageFilter, PassageQueries

if TYPE_CHECKING:
    from gatehouse.hub.export_child import ExportFile

NOW = datetime(2025, 1, 1, tzinfo=UTC)
OFFICE_ZONE = ZoneInfo("Asia/Shanghai")  # the console's ``ZONE``, a named zone
# The same columns as the export, every one computed by SQLite (no neutralisation).
BASELINE_SQL = (
    f"SELECT strftime('{DATETIME_TEXT}', decided_at, '+28800 seconds'), booth_id, checkpoint_type, "
    "CASE outcome "
    + " ".join(f"WHEN '{name}' THEN '{zh} {en}'" for name, (zh, en) in OUTCOME_WORDS.items())
    + " END, NULL, NULL, "
    "(SELECT coalesce(group_concat(json_extract(value, '$.zh'), ';'), '') "
    "FROM json_each(reasons) WHERE coalesce(json_extract(value, '$.deciding'), "
    "json_extract(value, '$.outcome') = outcome)), "
    "(SELECT coalesce(group_concat(json_extract(value, '$.code'), '; '), '') "
    "FROM json_each(reasons)), "
    "(SELECT coalesce(group_concat(json_extract(value, '$.zh'), ';'), '') "
    "FROM json_each(reasons)), "
    "holder_name, id_masked, role, pass_id, round(temperature_c, 1), temperature_source, "
    "guard_id, policy_version, passage_id FROM passages ORDER BY decided_at, rowid"
)

# The same floor over a hub's database, where each passage is the booth's record as JSON text.
_HUB_FIELDS = (
    "decided_at",
    "booth_id",
    "checkpoint_type",
    "outcome",
    "reasons",
    "holder_name",
    "id_masked",
    "role",
    "pass_id",
    "temperature_c",
    "temperature_source",
    "guard_id",
    "policy_version",
    "passage_id",
)
HUB_BASELINE_SQL = BASELINE_SQL.replace(
    "FROM passages ORDER BY decided_at, rowid",
    "FROM (SELECT "
    + ", ".join(f"json_extract(record, '$.{name}') AS {name}" for name in _HUB_FIELDS)
    + " FROM passages ORDER BY decided_at, passage_id)",
)

# The same floor on PostgreSQL: the record read as jsonb once, the reasons in their order.
_REASONS_PG = (
    "CASE WHEN j->>'reasons' = '[]' THEN '' ELSE "
    "(SELECT coalesce(string_agg(e->>'{key}', '{sep}' ORDER BY i), '') "
    "FROM jsonb_array_elements((j->>'reasons')::jsonb) WITH ORDINALITY AS x(e, i){where}) END"
)
HUB_PG_BASELINE_SQL = (
    "SELECT to_char(substr(j->>'decided_at', 1, 19)::timestamp + interval '28800 seconds', "
    "'YYYY-MM-DD HH24:MI:SS'), j->>'booth_id', j->>'checkpoint_type', CASE j->>'outcome' "
    + " ".join(f"WHEN '{name}' THEN '{zh} {en}'" for name, (zh, en) in OUTCOME_WORDS.items())
    + " END, NULL, NULL, "
    + _REASONS_PG.format(
        key="zh",
        sep=";",
        where=" WHERE coalesce((e->>'deciding')::boolean, e->>'outcome' = j->>'outcome')",
    )
    + ", "
    + _REASONS_PG.format(key="code", sep="; ", where="")
    + ", "
    + _REASONS_PG.format(key="zh", sep=";", where="")
    + ", j->>'holder_name', j->>'id_masked', j->>'role', j->>'pass_id', "
    "round((j->>'temperature_c')::numeric, 1), j->>'temperature_source', j->>'guard_id', "
    "j->>'policy_version', j->>'passage_id' "
    # OFFSET 0 keeps the subquery whole: PostgreSQL would otherwise parse the record again
    # for every field it reads
    "FROM (SELECT record::jsonb AS j FROM passages ORDER BY decided_at, passage_id OFFSET 0) "
    "AS stored"
)


def header() -> list[str]:
    return [safe_text(c.header) for c in passage_columns(CHINA_TIME, IdNumbers.MASKED, NOW)]


def general_cells(ledger: Path) -> Iterator[list[Cell]]:
    """The cells every XLSX way writes: the export's columns and ``safe_cell``."""
    columns = passage_columns(CHINA_TIME, IdNumbers.MASKED, NOW)
    for row in PassageQueries(ledger).iter_rows(PassageFilter()):
        yield [safe_cell(column.value(row)) for column in columns]


def csv_module(ledger: Path, out: Path, neutralise: bool = False, sql: str = BASELINE_SQL) -> None:
    """The floor: the csv module writing the SQL-computed columns straight from a cursor."""
    import sqlite3

    with sqlite3.connect(f"{ledger.as_uri()}?mode=ro", uri=True) as conn:
        rows = conn.execute(sql)
        with out.open("w", encoding="utf-8-sig", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(header())
            if neutralise:
                writer.writerows([safe_cell(cell) for cell in row] for row in rows)
            else:
                writer.writerows(rows)


def gatehouse_export(ledger: Path, out: Path, format: str) -> None:
    request = ExportRequest(PassageFilter(), out, format, zone=CHINA_TIME)
    request.write(PassageQueries(ledger), now=NOW)


def general_path(ledger: Path, out: Path, format: str) -> None:
    """Columns + ``safe_cell`` per cell through ``write_cells``: the CSV export before its fast
    path, and the XLSX export with the project's sinks."""
    write_cells(general_cells(ledger), header(), out, format)


def pyexcelerate(ledger: Path, out: Path) -> None:
    from pyexcelerate import Workbook  # takes every row at once

    book = Workbook()
    book.new_sheet(SHEET_TITLE, data=[header(), *general_cells(ledger)])
    book.save(str(out))


def hub_csv_floor(url: str, out: Path) -> None:
    """The csv module writing the columns the hub's database computes from the stored JSON
    (SQLite: ``json_extract``; PostgreSQL: jsonb, through a server-side cursor)."""
    if url.startswith("sqlite:///"):
        csv_module(Path(url.removeprefix("sqlite:///")), out, sql=HUB_BASELINE_SQL)
        return
    import psycopg

    with psycopg.connect(url.replace("+psycopg", "")) as conn, conn.cursor(name="floor") as rows:
        rows.itersize = 5000
        rows.execute(HUB_PG_BASELINE_SQL)
        with out.open("w", encoding="utf-8-sig", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(header())
            writer.writerows(rows)


def hub_export(url: str, out: Path) -> None:
    """The hub's all-booth export as its child process runs it (``hub.export_process``): on
    SQLite ``url`` is a file of the pages the hub compiled (``hub_sqlite_pages``), read with
    ``sqlite3`` alone."""

    if not url.startswith(("sqlite:", "postgresql")):
        import pickle

        from gatehouse.hub.export_child import sqlite_csv

        database, pages = pickle.loads(Path(url).read_bytes())
        _kept(sqlite_csv(database, pages, CHINA_TIME, NOW), out)
        return
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from gatehouse.hub.exports import export_passages
    from gatehouse.hub.passage_pages import PassageQuery, PassageReader

    engine = create_engine(url, poolclass=NullPool)
    try:
        done = export_passages(PassageReader(engine), PassageQuery(), "csv", CHINA_TIME, NOW)
    finally:
        engine.dispose()
    _kept(done, out)


def hub_export_idle(url: str, out: Path) -> None:
    """``hub_export`` at the priority the hub's export child takes (``lower_priority``): the
    same work, waiting for idle cores as the office's download does."""
    from gatehouse.hub.export_child import lower_priority

    lower_priority()
    hub_export(url, out)


def _kept(done: ExportFile, out: Path) -> None:
    """The export's file moved to ``out``, its folder removed."""
    import shutil

    shutil.move(done.path, out)
    shutil.rmtree(done.folder)


def hub_office_download(url: str, out: Path) -> tuple[float]:
    """The office's download as the console asks for it: ``ExportProcesses.export`` in
    Asia/Shanghai (a named zone), the span of times read and, on SQLite, the pages compiled in
    this process, the file written by the child it spawns: the child's peak MiB (this process's,
    as the hub's, is ``main``'s, over the export alone)."""
    import asyncio

    from bench.process_memory import ChildPeak, reset_peak
    from gatehouse.hub.export_process import ExportProcesses
    from gatehouse.hub.passage_pages import PassageQuery

    processes = ExportProcesses(url)
    reset_peak()  # the hub's peak during the export, its imports left out
    child = ChildPeak(every=0.5)  # its CPU counts in the way's
    try:
        _kept(asyncio.run(processes.export(PassageQuery(), "csv", OFFICE_ZONE, NOW)), out)
    finally:
        child_mib = child.stop()
        processes.close()
    return (child_mib,)


def hub_office_before(url: str, out: Path) -> None:
    """The office's download before a named zone took the fast paths: every record through
    the columns (``write_table``), in a child spawned at idle priority as the hub's."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from gatehouse.hub.export_child import lower_priority

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, context, initializer=lower_priority) as child:
        child.submit(_general_csv, url, out).result()


def _general_csv(url: str, out: Path) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from gatehouse.hub.exports import all_passages
    from gatehouse.hub.passage_pages import PassageQuery, PassageReader
    from gatehouse.reports.table import write_table

    engine = create_engine(url, poolclass=NullPool)
    columns = passage_columns(OFFICE_ZONE, IdNumbers.MASKED, NOW)
    try:
        write_table(all_passages(PassageReader(engine), PassageQuery()), columns, out, "csv")
    finally:
        engine.dispose()


def hub_sqlite_pages(url: str, folder: Path) -> Path:
    """A file of what the hub hands its export child for an all-booth CSV on SQLite: the
    database and its compiled pages (``ExportProcesses``, in the hub's own process)."""
    import pickle

    from gatehouse.hub.passage_pages import MAX_QUERY_ROWS, PassageQuery
    from gatehouse.hub.sqlite_export import sqlite_pages

    path = folder / "hub.pages"
    pages = sqlite_pages(PassageQuery(), CHINA_TIME, MAX_QUERY_ROWS)
    path.write_bytes(pickle.dumps((url.removeprefix("sqlite:///"), pages)))
    return path


def hub_export_python(url: str, out: Path) -> None:
    """The hub's export as before the SQL paths (``_python_cells``, still any other
    database's): every record's JSON parsed and tested in Python."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from gatehouse.hub.exports import _python_cells, _records, as_row
    from gatehouse.hub.passage_pages import MAX_QUERY_ROWS, PassageQuery, PassageReader

    engine = create_engine(url, poolclass=NullPool)
    columns = passage_columns(CHINA_TIME, IdNumbers.MASKED, NOW)
    try:
        records = _records(PassageReader(engine), PassageQuery(), MAX_QUERY_ROWS)
        cells = _python_cells(
            records, lambda r: [safe_cell(c.value(as_row(r))) for c in columns], CHINA_TIME
        )
        write_cells(cells, header(), out, "csv")
    finally:
        engine.dispose()


def rows_only(ledger: Path, out: Path) -> None:
    """The cells alone, no file: what every XLSX way pays before its writer."""
    for _ in general_cells(ledger):
        pass


WAYS: dict[str, Callable[[Path, Path], None]] = {
    "csv-module": csv_module,
    "csv-module-safe-cell": lambda ledger, out: csv_module(ledger, out, neutralise=True),
    "gatehouse-csv": lambda ledger, out: gatehouse_export(ledger, out, "csv"),
    "gatehouse-xlsx": lambda ledger, out: gatehouse_export(ledger, out, "xlsx"),
    "general-csv": lambda ledger, out: general_path(ledger, out, "csv"),
    "rows-only": rows_only,
    "xlsxwriter": lambda ledger, out: general_path(ledger, out, "xlsx"),
    "openpyxl": lambda ledger, out: general_path(ledger, out, "xlsx-openpyxl"),
    "pyexcelerate": pyexcelerate,
    "rustpy-xlsxwriter": lambda ledger, out: general_path(ledger, out, "xlsx-rust"),
}

# The hub's ways read a database URL (``sqlite:///…`` or ``postgresql+psycopg://…``).
# Each may return figures of its own, printed after the seconds and the peak.
HUB_WAYS: dict[str, Callable[[str, Path], tuple[float, ...] | None]] = {
    "hub-csv": hub_export,
    "hub-csv-idle": hub_export_idle,
    "hub-csv-python": hub_export_python,
    "hub-csv-floor": hub_csv_floor,
    "hub-csv-office": hub_office_download,
    "hub-csv-office-before": hub_office_before,
}


def main(argv: Sequence[str]) -> int:
    way, source, out = argv
    start = time.perf_counter()
    figures = (
        HUB_WAYS[way](source, Path(out)) if way in HUB_WAYS else WAYS[way](Path(source), Path(out))
    )
    seconds = time.perf_counter() - start
    print(seconds, _peak_mib(), *(figures or ()))
    return 0


def _peak_mib() -> float:
    """This process's own peak resident set: VmHWM belongs to the image exec made (ru_maxrss
    keeps the forking parent's peak, on Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
