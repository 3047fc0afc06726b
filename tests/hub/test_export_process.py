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
from datetime import timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gatehouse.core.china_time import CHINA_TIME
from gatehouse.hub import export_process
from gatehouse.hub.export_process import EXPORT_NICENESS, ExportFailedError, ExportProcesses
from gatehouse.hub.exports import ExportFile, export_passages
from gatehouse.hub.service import Hub, PassageQuery
from tests.hub.test_api import START
from tests.hub.test_exports import _odd_records, _two_booths

ZONE = ZoneInfo("Asia/Shanghai")
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
            patched.setattr(export_process, "_export", _killed)
            with pytest.raises(ExportFailedError, match="stopped before finishing"):
                _in_child(processes, "csv")
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
        exporting = waiter.submit(_in_child, processes, "csv")
        try:
            deadline = time.monotonic() + 30
            while not pid_file.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            child = int(pid_file.read_text())
            assert child != os.getpid()
            assert _niceness(child) == min(19, _niceness(os.getpid()) + EXPORT_NICENESS)
        finally:
            go.touch()
            with pytest.raises(RuntimeError, match="looked at"):
                exporting.result(30)
            processes.close()
