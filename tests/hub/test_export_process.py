"""The office's download is written by a child process reading the database itself, and is
byte for byte what the hub's own process writes (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta, timezone
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gatehouse.core.china_time import CHINA_TIME
from gatehouse.hub import export_process
from gatehouse.hub.export_process import (
    EXPORT_NICENESS,
    ExportFailedError,
    ExportProcesses,
    database_has_own_cores,
)
from gatehouse.hub.exports import ExportFile, export_passages
from gatehouse.hub.service import Hub, PassageQuery
from tests.hub.live import statements
from tests.hub.test_api import START
from tests.hub.test_exports import _odd_records, _two_booths

ZONE = ZoneInfo("Asia/Shanghai")
FIXED = timezone(timedelta(hours=8))  # a fixed offset: the CSV's fast path
NOW = START + timedelta(days=1)


def _in_child(processes: ExportProcesses, fmt: str) -> ExportFile:
    return asyncio.run(processes.export(PassageQuery(), fmt, ZONE, NOW))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_childs_file_is_the_hubs_own(hub_url: str, hub: Hub, tmp_path: Path, fmt: str) -> None:
    _two_booths(hub_url, tmp_path)
    processes = ExportProcesses(hub.engine.url.render_as_string(hide_password=False))
    try:
        child = _in_child(processes, fmt)
    finally:
        processes.close()
    here = export_passages(hub, PassageQuery(), fmt, ZONE, NOW)
    try:
        assert (child.filename, child.rows) == (here.filename, 3)
        if fmt == "csv":  # XLSX carries the time it was zipped
            assert child.path.read_bytes() == here.path.read_bytes()
        assert child.folder != here.folder and child.path.exists()
    finally:
        for done in (child, here):
            shutil.rmtree(done.folder)


def test_without_server_cells_the_database_only_pages_and_the_file_is_the_same(
    hub_url: str, hub: Hub, tmp_path: Path
) -> None:
    """What the child runs: PostgreSQL's backend is at normal priority, so the child computes
    the cells at its own low one; the server reads stored records, no jsonb."""
    _two_booths(hub_url, tmp_path)
    with statements(hub) as own_asked:
        own = export_passages(hub, PassageQuery(), "csv", FIXED, NOW, server_cells=False)
    with statements(hub) as server_asked:
        server = export_passages(hub, PassageQuery(), "csv", FIXED, NOW)
    try:
        assert own.path.read_bytes() == server.path.read_bytes()
        assert own.rows == 3
        if hub.engine.dialect.name == "postgresql":
            # the stored records paged through; SQL's cells would be one streamed query
            pages = [sql for sql in own_asked if "LIMIT" in sql]
            assert pages and all(sql.startswith("SELECT passages.record, ") for sql in pages)
            assert not any("jsonb" in sql for sql in own_asked)
            assert not any("LIMIT" in sql for sql in server_asked)
        else:  # SQLite computes in the exporting process itself: the flag changes nothing
            assert own_asked == server_asked
    finally:
        for done in (own, server):
            shutil.rmtree(done.folder)


def test_a_sqlite_csv_in_china_time_is_read_by_the_child_with_sqlite3_alike(
    hub: Hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child's own read (``export_child.sqlite_csv``: queries compiled by the hub, run with
    ``sqlite3``) writes what the hub's process writes, careful rows and a booth list included."""
    if hub.engine.dialect.name != "sqlite":
        pytest.skip("the child reads SQLite with the sqlite3 module")
    monkeypatch.setattr(export_process, "_export", _killed)  # the engine's way must not run
    _odd_records(hub, tmp_path)  # sixteen of booth-01's, most of them careful
    processes = ExportProcesses(hub.engine.url.render_as_string(hide_password=False))
    queries = {
        PassageQuery(): 16,
        PassageQuery(booth_ids=("booth-01", "booth-03")): 16,
        PassageQuery(booth_ids=("booth-02", "booth-03")): 0,
    }
    try:
        for query, rows in queries.items():
            child = asyncio.run(processes.export(query, "csv", CHINA_TIME, NOW))
            here = export_passages(hub, query, "csv", CHINA_TIME, NOW)
            try:
                assert child.rows == here.rows == rows
                assert child.path.read_bytes() == here.path.read_bytes()
            finally:
                for done in (child, here):
                    shutil.rmtree(done.folder)
    finally:
        processes.close()


def test_the_sqlite_childs_module_imports_no_sqlalchemy() -> None:
    """What the child imports is time the office waits (the import contract says so too)."""
    code = (
        "import sys, gatehouse.hub.export_child; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'starlette')))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


def _killed(*_: object) -> ExportFile:
    os._exit(9)  # the child dies mid-export (out of memory, killed by the system)


def test_a_child_that_dies_is_reported_and_the_next_export_works(
    hub_url: str, hub: Hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_booths(hub_url, tmp_path)
    processes = ExportProcesses(hub.engine.url.render_as_string(hide_password=False))
    try:
        with monkeypatch.context() as patched:
            patched.setattr(export_process, "_export", _killed)  # an XLSX's way in the child
            with pytest.raises(ExportFailedError, match="stopped before finishing"):
                _in_child(processes, "xlsx")
        done = _in_child(processes, "csv")
        shutil.rmtree(done.folder)
        assert done.rows == 3
    finally:
        processes.close()


def _held(pid_file: Path, go: Path, *_: object) -> ExportFile:
    """In the child: say who it is, then wait until the test has looked at it."""
    pid_file.write_text(str(os.getpid()))
    deadline = time.monotonic() + 30
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    raise RuntimeError("looked at")


def _niceness(pid: int) -> int:
    """Field 19 of /proc/<pid>/stat (after the command name, which may hold spaces)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return int(fields[16])


def test_the_export_child_runs_at_a_lower_cpu_priority_than_the_hub(
    hub: Hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid_file, go = tmp_path / "pid", tmp_path / "go"
    monkeypatch.setattr(export_process, "_export", partial(_held, pid_file, go))
    processes = ExportProcesses(hub.engine.url.render_as_string(hide_password=False))
    with ThreadPoolExecutor(1) as waiter:
        exporting = waiter.submit(_in_child, processes, "xlsx")  # through ``_export``
        try:
            deadline = time.monotonic() + 30
            while not pid_file.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            child = int(pid_file.read_text())
            assert child != os.getpid()
            if hasattr(os, "SCHED_IDLE"):  # Linux: runs only when no other task wants the core
                assert os.sched_getscheduler(child) == os.SCHED_IDLE
                assert os.sched_getscheduler(os.getpid()) == os.SCHED_OTHER
            else:
                assert _niceness(child) == min(19, _niceness(os.getpid()) + EXPORT_NICENESS)
        finally:
            go.touch()
            with pytest.raises(RuntimeError, match="looked at"):
                exporting.result(30)
            processes.close()


@pytest.mark.parametrize(
    ("url", "own_cores"),
    [
        ("postgresql+psycopg://hub@db.mine.example:5432/hub", True),
        ("postgresql://hub@10.2.0.7/hub", True),
        ("postgresql+psycopg://hub@127.0.0.1:5432/hub", False),
        ("postgresql://hub@LOCALHOST/hub", False),
        ("postgresql://hub@[::1]:5432/hub", False),
        ("postgresql+psycopg://hub@/hub?host=/var/run/postgresql", False),
        ("postgresql+psycopg:///hub", False),
        ("sqlite:////srv/hub/hub.db", False),
    ],
)
def test_only_a_database_server_on_another_machine_computes_the_exports_cells(
    url: str, own_cores: bool
) -> None:
    """SQL's cells cost the server's CPU at normal priority: worth it only off the hub's cores."""
    assert database_has_own_cores(url) is own_cores
