"""Hub schema migrations on a real SQLite file and a real PostgreSQL server.

The "old" database is built from the schema frozen in ``data/hub_schema_v0.sql`` (main's
tables before migrations, as its ``hub.tables`` made them), with rows in every table.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, Float, Integer, LargeBinary, inspect, select, text

from gatehouse.cli import main
from gatehouse.hub.database import connect_database, open_database
from gatehouse.hub.migrations import (
    NEWEST,
    STEPS,
    MigrationError,
    SchemaTooNewError,
    Step,
    migrate,
)
from gatehouse.hub.tables import metadata, schema_versions
from tests.hub.live import DATABASES, emptied_postgres

DATA = Path(__file__).parent / "data"
V0_TABLES = sorted(t.name for t in metadata.sorted_tables if t is not schema_versions)
SPELLINGS = {
    "sqlite": {"$BLOB": "BLOB", "$SERIAL": "INTEGER", "$NAME_OPS": ""},
    "postgresql": {"$BLOB": "BYTEA", "$SERIAL": "SERIAL", "$NAME_OPS": " text_pattern_ops"},
}
ADDED_COLUMNS = {("console_drafts", "base_version")}  # by the steps since version 0


def _url(kind: str, tmp_path: Path) -> str:
    """A database with none of the hub's tables: a new SQLite file, the test PostgreSQL emptied."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path}/hub.sqlite3"
    return emptied_postgres()


@pytest.fixture(params=DATABASES)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return _url(request.param, tmp_path)


def _old_database(url: str) -> Engine:
    """A version-0 hub database (no version table) with two rows in every table."""
    engine = connect_database(url)
    ddl = (DATA / "hub_schema_v0.sql").read_text("utf-8")
    for token, spelt in SPELLINGS[engine.dialect.name].items():
        ddl = ddl.replace(token, spelt)
    with engine.begin() as conn:
        for statement in ddl.split(";\n"):
            body = "\n".join(x for x in statement.splitlines() if not x.startswith("--"))
            if body.strip():
                conn.exec_driver_sql(body)
        for table in metadata.sorted_tables:
            if table is not schema_versions:
                conn.execute(table.insert(), [_row(table, i) for i in (1, 2)])
    return engine


def _row(table: Any, i: int) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for column in table.columns:
        if (table.name, column.name) in ADDED_COLUMNS:
            continue
        if column.name in ("booth_id", "username"):  # the foreign keys' targets
            row[column.name] = f"{column.name}-{i}"
        elif isinstance(column.type, Integer):
            row[column.name] = i
        elif isinstance(column.type, Float):
            row[column.name] = 36.5 + i
        elif isinstance(column.type, LargeBinary):
            row[column.name] = bytes([0, i, 255])
        else:  # as long as the column takes
            length = getattr(column.type, "length", None) or 80
            row[column.name] = f"{i} 中文 {table.name}.{column.name}"[:length]
    return row


def _dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every version-0 column of every row, table by table."""
    with engine.connect() as conn:
        found = {}
        for name in V0_TABLES:
            table = metadata.tables[name]
            columns = [c for c in table.columns if (name, c.name) not in ADDED_COLUMNS]
            rows = conn.execute(select(*columns).order_by(*columns))
            found[name] = [tuple(row) for row in rows]
        return found


def _versions(engine: Engine) -> list[tuple[int, str]]:
    with engine.connect() as conn:
        statement = select(schema_versions.c.version, schema_versions.c.name)
        return [tuple(r) for r in conn.execute(statement.order_by(schema_versions.c.version))]


def test_an_old_database_is_upgraded_in_place_keeping_every_row(url: str) -> None:
    old = _old_database(url)
    before = _dump(old)
    old.dispose()
    engine = open_database(url)
    try:
        assert _dump(engine) == before
        assert all(len(rows) == 2 for rows in before.values())
        assert _versions(engine) == [(s.version, s.name) for s in STEPS]
        with engine.connect() as conn:
            drafts = conn.execute(text("SELECT base_version FROM console_drafts")).all()
        assert drafts == [(None,), (None,)]  # where they began is unknown: never guessed
        assert migrate(engine) == []  # the next start has nothing to do
    finally:
        engine.dispose()


def test_a_fresh_database_is_made_at_the_newest_version(url: str) -> None:
    engine = open_database(url)
    try:
        assert _versions(engine) == [(NEWEST, "created")]
        with engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
            columns = {c["name"] for c in inspect(conn).get_columns("console_drafts")}
        assert set(metadata.tables) <= names
        assert "base_version" in columns
        assert migrate(engine) == []
    finally:
        engine.dispose()


def _indexes(engine: Engine) -> dict[str, list[tuple[str, tuple[str | None, ...], bool]]]:
    """Every index of every hub table: its name, its columns in order and whether unique."""
    with engine.connect() as conn:
        inspector = inspect(conn)
        return {
            name: sorted(
                (i["name"] or "", tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(name)
            )
            for name in sorted(metadata.tables)
        }


def test_a_database_upgraded_from_version_1_has_the_indexes_of_a_fresh_one(
    url: str, tmp_path: Path
) -> None:
    fresh = open_database(url)
    made = _indexes(fresh)
    fresh.dispose()
    if url.startswith("sqlite"):
        (tmp_path / "old").mkdir()
        url = _url("sqlite", tmp_path / "old")  # a second file
    else:
        url = emptied_postgres()
    old = _old_database(url)
    try:
        assert migrate(old, steps=STEPS[:1]) == [STEPS[0]]  # as release 1 left it
        before = _dump(old)
        assert [step.version for step in migrate(old)] == [2]
        assert _indexes(old) == made
        assert _dump(old) == before
    finally:
        old.dispose()
    keyed = [i[:2] for i in made["passages"] if i[0].endswith("_id")]
    assert keyed == [
        ("hub_passages_booth_time_id", ("booth_id", "decided_at", "passage_id")),
        ("hub_passages_time_id", ("decided_at", "passage_id")),
    ]


def test_a_database_from_a_newer_release_is_refused_and_left_untouched(url: str) -> None:
    engine = open_database(url)
    with engine.begin() as conn:
        conn.execute(
            schema_versions.insert().values(version=NEWEST + 1, name="future", applied_at="x")
        )
        conn.exec_driver_sql("DROP TABLE booth_reports")  # a start that wrote would remake it
    engine.dispose()
    refused = f"schema version {NEWEST + 1}.*nothing was changed"
    with pytest.raises(SchemaTooNewError, match=refused):
        open_database(url)
    raw = connect_database(url)
    try:
        assert _versions(raw)[-1] == (NEWEST + 1, "future")
        with raw.connect() as conn:
            assert not inspect(conn).has_table("booth_reports")
    finally:
        raw.dispose()


def test_a_failing_step_is_rolled_back_leaving_the_version_before(url: str) -> None:
    def half_done(conn: Connection) -> None:
        conn.exec_driver_sql("ALTER TABLE booths ADD COLUMN half_done INTEGER")
        conn.exec_driver_sql("UPDATE booths SET head_seq = -1")
        raise ValueError("step 2 broke off")

    old = _old_database(url)
    before = _dump(old)
    old.dispose()
    engine = connect_database(url)
    try:
        failing = (*STEPS, Step(NEWEST + 1, "half done", half_done))
        with pytest.raises(MigrationError, match=f"left at version {NEWEST}: step 2 broke off"):
            migrate(engine, steps=failing)
        assert _versions(engine) == [(s.version, s.name) for s in STEPS]  # the steps before stay
        assert _dump(engine) == before
        with engine.connect() as conn:
            assert "half_done" not in {c["name"] for c in inspect(conn).get_columns("booths")}
    finally:
        engine.dispose()


def test_hubs_starting_at_once_upgrade_the_database_once(url: str) -> None:
    old = _old_database(url)
    before = _dump(old)
    old.dispose()
    starting = threading.Barrier(3)
    opened: list[Engine] = []
    failures: list[BaseException] = []

    def start() -> None:
        starting.wait()
        try:
            opened.append(open_database(url))
        except BaseException as exc:
            failures.append(exc)

    hubs = [threading.Thread(target=start) for _ in range(3)]
    for hub in hubs:
        hub.start()
    for hub in hubs:
        hub.join(120)
    try:
        assert failures == []
        assert len(opened) == 3
        assert _versions(opened[0]) == [(s.version, s.name) for s in STEPS]
        assert _dump(opened[0]) == before
    finally:
        for engine in opened:
            engine.dispose()


def test_hub_processes_starting_at_once_upgrade_the_database_once(url: str, tmp_path: Path) -> None:
    old = _old_database(url)
    before = _dump(old)
    old.dispose()
    command = [sys.executable, "-m", "gatehouse", "hub", "migrate", "--database", url]
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    started = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) for _ in "ab"]
    outputs = [process.communicate(timeout=120)[0] for process in started]
    assert [process.returncode for process in started] == [0, 0]
    assert sum("schema version 1: console_drafts.base_version" in out for out in outputs) == 1
    engine = connect_database(url)
    try:
        assert _versions(engine) == [(s.version, s.name) for s in STEPS]
        assert _dump(engine) == before
    finally:
        engine.dispose()


def test_the_migrate_command_says_where_a_database_stands_then_upgrades_it(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _old_database(url).dispose()
    command = ["hub", "migrate", "--state", str(tmp_path / "state"), "--database", url]
    assert main([*command, "--status"]) == 0
    assert f"schema version 0/{NEWEST}" in capsys.readouterr().out
    assert _versions_at(url) is None  # --status changed nothing
    assert main(command) == 0
    assert "schema version 1: console_drafts.base_version" in capsys.readouterr().out
    assert _versions_at(url) == [(s.version, s.name) for s in STEPS]
    assert main(command) == 0
    assert "console_drafts.base_version" not in capsys.readouterr().out


def test_commands_refuse_a_database_from_a_newer_release(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = open_database(url)
    with engine.begin() as conn:
        conn.execute(
            schema_versions.insert().values(version=NEWEST + 1, name="future", applied_at="x")
        )
    engine.dispose()
    state = ["--state", str(tmp_path / "state"), "--database", url]
    assert main(["hub", "migrate", *state]) == 1
    assert main(["hub", "add-booth", "gate-1", *state]) == 1
    assert main(["hub", "serve", "--port", "0", *state]) == 1  # before it listens
    assert f"schema version {NEWEST + 1}" in capsys.readouterr().err
    assert main(["hub", "migrate", "--status", *state]) == 0
    assert "newer than this release" in capsys.readouterr().out


def test_the_migrate_command_refuses_a_missing_sqlite_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.sqlite3"
    assert main(["hub", "migrate", "--database", f"sqlite:///{missing}"]) == 1
    assert not missing.exists()


def _versions_at(url: str) -> list[tuple[int, str]] | None:
    engine = connect_database(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table(schema_versions.name):
                return None
        return _versions(engine)
    finally:
        engine.dispose()
