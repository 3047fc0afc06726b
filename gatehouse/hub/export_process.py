"""The office's downloads written by a child process, off the ingest path.

Writing 600,000 passages as CSV takes the hub tens of seconds of Python; in the hub's own
process that competes with every booth's upload (their p95 went from ~10 ms to over a
second). The child reads the database with its own connection and writes the file; the hub
only sends it. One child per export (spawned, never forked from a threaded server), so its
memory is returned to the system when the export is done.

The child lowers its own CPU priority as it starts, so on a busy hub the scheduler serves
ingest first and the export takes the idle time: on Linux ``SCHED_IDLE`` (allowed
unprivileged; it runs only when nothing else wants the core, where a niceness of 10 still
weighs 110 against an ingest thread's 1,024 and takes its ~10 %), elsewhere
``EXPORT_NICENESS``. On PostgreSQL the backend serving the export's query is a server
process at normal priority (lowering it takes a superuser), so there the child computes the
cells itself and the server only pages through the stored records: per 50,000 rows the server
then spends ~0.2 s of CPU instead of ~1.3 s for SQL's cells, and the child ~2.3 s instead of
~1.3 s, at idle priority; less CPU in all, though ~30 % longer on a quiet machine
(``export_passages(server_cells=False)``). A PostgreSQL server on a machine of its own
(``database_has_own_cores``: its host is not this one) computes them in SQL, the faster way,
since its cores are not the hub's. On SQLite the database computes them in the child's own
process. The I/O priority is left alone: the export reads pages the database mostly has
cached and writes one file.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime, tzinfo
from functools import partial

from sqlalchemy import create_engine, make_url
from sqlalchemy.pool import NullPool

from gatehouse.hub.export_child import EXPORT_NICENESS as EXPORT_NICENESS
from gatehouse.hub.export_child import ExportFile, lower_priority, sqlite_csv
from gatehouse.hub.export_zone import export_offset
from gatehouse.hub.exports import export_passages
from gatehouse.hub.passage_pages import MAX_QUERY_ROWS, PassageQuery, PassageReader
from gatehouse.hub.sqlite_export import sqlite_pages

log = logging.getLogger(__name__)
EXPORTS_AT_ONCE = 1  # the hub's cores are for ingest first; more exports queue
_THIS_MACHINE = frozenset({"", "localhost", "127.0.0.1", "::1"})


class ExportFailedError(Exception):
    """The export's process stopped before writing the file (killed, out of memory)."""


class ExportProcesses:
    """Runs ``export_passages`` in a child process reading ``database_url``."""

    def __init__(self, database_url: str) -> None:
        self._url = database_url
        self._pool: ProcessPoolExecutor | None = None

    async def export(
        self, query: PassageQuery, format: str, zone: tzinfo, now: datetime
    ) -> ExportFile:
        loop = asyncio.get_running_loop()
        pool = self._executor()
        # compiling a SQLite export's queries takes milliseconds: a thread's, not the loop's
        job = await loop.run_in_executor(None, self._job, query, format, zone, now)
        try:
            return await loop.run_in_executor(pool, job)
        except BrokenProcessPool as exc:
            log.error("the export process stopped before finishing: %s", exc)
            self._pool = None  # the next export starts a new one
            raise ExportFailedError(
                "the export process stopped before finishing (out of memory?): try again"
            ) from None

    def _job(
        self, query: PassageQuery, format: str, zone: tzinfo, now: datetime
    ) -> partial[ExportFile]:
        """A SQLite CSV in a zone fixed over the exported times (``hub.export_zone``, read
        here) is read in the child with ``sqlite3`` alone, its queries compiled here
        (``hub.export_child``); any other export opens an engine there."""
        url = make_url(self._url)
        database = url.database
        if (
            format == "csv"
            and url.get_backend_name() == "sqlite"
            and not url.query  # a plain file path, no URI options
            and database not in (None, "", ":memory:")
        ):
            engine = create_engine(url, poolclass=NullPool)
            try:
                fixed = export_offset(engine, query, zone, now)
            finally:
                engine.dispose()
            if fixed is not None:
                pages = sqlite_pages(fixed.query, fixed.zone, MAX_QUERY_ROWS)
                return partial(sqlite_csv, database, pages, zone, now)
        return partial(_export, self._url, query, format, zone, now)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                EXPORTS_AT_ONCE,
                multiprocessing.get_context("spawn"),
                initializer=lower_priority,
                max_tasks_per_child=1,
            )
        return self._pool


def _export(url: str, query: PassageQuery, format: str, zone: tzinfo, now: datetime) -> ExportFile:
    """In the child: read with one connection of its own, closed when done."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        reader = PassageReader(engine)
        server_cells = database_has_own_cores(url)
        return export_passages(reader, query, format, zone, now, server_cells=server_cells)
    finally:
        engine.dispose()


def database_has_own_cores(url: str) -> bool:
    """Whether the database at ``url`` is a server on another machine (a PostgreSQL host that
    is not this one), whose CPU work does not take the hub's cores. A Unix socket (no host, or
    a host that is a folder) and the loopback names are this machine."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return False
    host = str(parsed.query.get("host") or parsed.host or "")
    return not host.startswith("/") and host.lower() not in _THIS_MACHINE
