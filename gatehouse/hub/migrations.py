"""The hub's schema migrations: numbered steps that upgrade an office's database in place.

A database records its version in ``hub_schema_versions``. At every start (and with ``gatehouse
hub migrate``) the hub makes a database with none of its tables at the newest version, and
takes an existing one up step by step; a database without the version table is version 0, the
schema of the last release before migrations. A database at a version newer than this
release knows is refused, neither downgraded nor written: that release's hub alone knows it.

Each step runs in its own transaction with the version it reaches, and re-reads the version
first under a lock, so hubs starting at once take turns and each step runs exactly once: a
PostgreSQL advisory lock (DDL is transactional there), and on SQLite the engine's ``BEGIN
IMMEDIATE``. SQLite's ALTER TABLE is transactional too but does little (ADD COLUMN, RENAME);
a step that must rebuild a table cannot turn foreign keys off inside the transaction and must
copy the table in it instead (https://sqlite.org/lang_altertable.html, "other kinds").

STEPS is APPEND-ONLY, as the booth's ``store.schema``: an office database records the version
it reached, so a released step is never edited, renumbered or removed. A step spells its DDL
out literally instead of deriving it from ``hub.tables``, so later changes there cannot alter
what it does. After the steps ``create_all`` makes any table an older release never had, so a
step changes only what is missing (the table may be made whole already, or not there yet).

Why not Alembic: a dozen small steps on one Core schema do not need its revision graph,
autogenerate or script directory, while it would add Mako and its own migration scripts to the
PyInstaller package (data files found at run time) and to the hub's start-up imports
(``bench startup``); a runner this size is the booth's own pattern, read in one sitting.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, inspect, select

from gatehouse.hub.person_search import ensure_person_indexes
from gatehouse.hub.tables import iso, metadata, schema_versions


@dataclass(frozen=True)
class Step:
    """Takes a database from ``version - 1`` to ``version``."""

    version: int
    name: str
    run: Callable[[Connection], None]


class SchemaTooNewError(RuntimeError):
    """The database was upgraded by a newer release: this one must not touch it."""

    def __init__(self, found: int, newest: int) -> None:
        super().__init__(
            f"the hub database is at schema version {found}, newer than this release knows "
            f"({newest}): run the release that upgraded it (or a newer one); nothing was changed "
            f"/ 中心数据库的结构版本为 {found},高于本版本所知的 {newest}:请使用升级它的版本"
            "(或更新的版本)运行,数据库未作任何改动"
        )
        self.found = found
        self.newest = newest


def _has_column(conn: Connection, table: str, column: str) -> bool | None:
    """Whether ``table`` has ``column``; None when there is no such table."""
    inspector = inspect(conn)
    if not inspector.has_table(table):
        return None
    return any(c["name"] == column for c in inspector.get_columns(table))


def _draft_base_version(conn: Connection) -> None:
    """The bundle version each console draft was started from: publishing a draft must not
    undo a publish made since. NULL for drafts already there: where they began is unknown."""
    if _has_column(conn, "console_drafts", "base_version") is False:
        conn.exec_driver_sql("ALTER TABLE console_drafts ADD COLUMN base_version INTEGER")


def _passage_key_indexes(conn: Connection) -> None:
    """Passages indexed in the (time, id) order every listing and export pages by, all booths'
    and each booth's: a page is read off the index, not sorted by id within each time.

    On PostgreSQL a plain CREATE INDEX, not CONCURRENTLY: that cannot run in a transaction,
    so the step would no longer commit with its version nor under the migration lock, and a
    failed build would leave an invalid index behind. The table is locked until the step
    commits (about half a second per 100,000 passages): the hub migrates before it serves."""
    if not inspect(conn).has_table("passages"):
        return  # made whole, with these indexes, by create_all after the steps
    for statement in (
        "CREATE INDEX IF NOT EXISTS hub_passages_time_id ON passages (decided_at, passage_id)",
        "DROP INDEX IF EXISTS hub_passages_time",
        "CREATE INDEX IF NOT EXISTS hub_passages_booth_time_id"
        " ON passages (booth_id, decided_at, passage_id)",
        "DROP INDEX IF EXISTS hub_passages_booth_time",
    ):
        conn.exec_driver_sql(statement)


STEPS: tuple[Step, ...] = (
    Step(1, "console_drafts.base_version", _draft_base_version),
    Step(2, "passages indexed by (time, id)", _passage_key_indexes),
)
NEWEST = STEPS[-1].version
_LOCK = int.from_bytes(hashlib.sha256(b"gatehouse hub schema").digest()[:8], "big", signed=True)


class MigrationError(RuntimeError):
    """A step failed: its transaction is rolled back, the database left at the version before."""


@dataclass(frozen=True)
class SchemaStatus:
    """Where a database stands among ``steps``: ``version`` None when it has none of the hub's
    tables yet."""

    version: int | None
    steps: tuple[Step, ...] = STEPS

    @property
    def newest(self) -> int:
        return self.steps[-1].version

    @property
    def pending(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.version > (self.version or 0))

    @property
    def too_new(self) -> bool:
        return self.version is not None and self.version > self.newest


def read_status(conn: Connection, steps: tuple[Step, ...] = STEPS) -> SchemaStatus:
    """The database's schema version, read without writing anything."""
    inspector = inspect(conn)
    names = set(inspector.get_table_names())
    if not names & set(metadata.tables):
        return SchemaStatus(None, steps)
    if schema_versions.name not in names:
        return SchemaStatus(0, steps)
    found = conn.execute(select(func.max(schema_versions.c.version))).scalar_one()
    return SchemaStatus(found or 0, steps)


def migrate(
    engine: Engine,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    steps: tuple[Step, ...] = STEPS,
) -> list[Step]:
    """Bring the database to the newest of ``steps``: made whole if it is new, else each step
    still to run, one transaction each. Returns the steps this call ran; SchemaTooNewError,
    nothing written, for a database from a newer release; MigrationError when a step fails."""
    ran: list[Step] = []
    while True:
        with engine.begin() as conn:
            _lock(conn)
            status = read_status(conn, steps)
            if status.too_new:
                raise SchemaTooNewError(status.version or 0, status.newest)
            if status.version is None:
                metadata.create_all(conn)
                _stamp(conn, status.newest, "created", clock)
            elif status.pending:
                step = status.pending[0]
                schema_versions.create(conn, checkfirst=True)
                _run(conn, step)
                _stamp(conn, step.version, step.name, clock)
                ran.append(step)
                continue
            metadata.create_all(conn)  # tables an older release never made
            ensure_person_indexes(conn)
            return ran


def _run(conn: Connection, step: Step) -> None:
    try:
        step.run(conn)
    except Exception as exc:
        raise MigrationError(
            f"schema step {step.version} ({step.name}) failed; the hub database is left at "
            f"version {step.version - 1}: {exc} / 数据库结构升级第 {step.version} 步失败,"
            f"数据库保持第 {step.version - 1} 版"
        ) from exc


def _lock(conn: Connection) -> None:
    """Hubs starting at once take turns (SQLite: the engine's BEGIN IMMEDIATE already)."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(_LOCK)))


def _stamp(conn: Connection, version: int, name: str, clock: Callable[[], datetime]) -> None:
    conn.execute(
        schema_versions.insert().values(version=version, name=name, applied_at=iso(clock()))
    )
