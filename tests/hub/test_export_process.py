"""The office's download is written by a child process reading the database itself, and is
byte for byte what the hub's own process writes (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import os
import shutil
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gatehouse.hub import export_process
from gatehouse.hub.export_process import ExportFailedError, ExportProcesses
from gatehouse.hub.exports import ExportFile, export_passages
from gatehouse.hub.service import Hub, PassageQuery
from tests.hub.test_api import START
from tests.hub.test_exports import _two_booths

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
