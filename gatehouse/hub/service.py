"""What the hub does, without HTTP: enrol booths, take uploads, publish bundles, answer queries.

Every method runs its own transaction; the web layer only parses, authenticates and calls.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, Engine, bindparam, func, select, tuple_, update

from gatehouse.core.bundle_checks import check_bundle
from gatehouse.core.keys import public_key_to_pem
from gatehouse.hub.booth_reports import keep_report
from gatehouse.hub.credentials import new_enrolment_code, new_token, secret_hash, token_hash
from gatehouse.hub.ingest import MAX_QUARANTINE, ItemResult
from gatehouse.hub.lines import Lines, ingest_upload

# The passage pages live apart (an export's child imports only them); re-exported for callers.
from gatehouse.hub.passage_pages import MAX_QUERY_ROWS as MAX_QUERY_ROWS
from gatehouse.hub.passage_pages import PageKey as PageKey
from gatehouse.hub.passage_pages import PassageQuery as PassageQuery
from gatehouse.hub.passage_pages import PassageReader as PassageReader
from gatehouse.hub.passage_pages import query_filtered
from gatehouse.hub.tables import (
    audit_events,
    booths,
    bundles,
    chain_links,
    enrolment_codes,
    kept_links,
    passages,
    quarantine,
)
from gatehouse.hub.tables import iso as iso  # the console's modules take it from here
from gatehouse.sync.protocol import BoothReport, Bundle, sign_bundle

T = TypeVar("T")
PUBLISH_ATTEMPTS = 3  # rebuilds when others publish in between; more is a storm, not a race


class EnrolmentRefusedError(Exception):
    """The enrolment code is unknown, used, or for another booth."""


class StalePublishError(Exception):
    """Bundle ``name`` was published again since version ``based_on``, which the refused
    content was made from: signing it would silently undo that publish."""

    def __init__(self, name: str, based_on: int, latest: int) -> None:
        super().__init__(f"{name} is at version {latest}, not {based_on}: reload and redo")
        self.name = name
        self.based_on = based_on
        self.latest = latest


def retried_on_stale(attempt: Callable[[], T]) -> T:
    """``attempt`` (which reads the version, builds or checks its content from what is held
    then, and publishes ``based_on`` that version) again when another publish came in between:
    each try judges the newest bundle, and a storm of publishes ends in StalePublishError."""
    for _ in range(PUBLISH_ATTEMPTS - 1):
        try:
            return attempt()
        except StalePublishError:
            continue
    return attempt()


@dataclass(frozen=True)
class PublishedBundle:
    name: str
    version: int
    signed: bytes
    etag: str


def utc_now() -> datetime:
    return datetime.now(UTC)


class Hub:
    def __init__(
        self,
        engine: Engine,
        bundle_key: Ed25519PrivateKey,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.engine = engine
        self.bundle_key = bundle_key
        self.clock = clock

    @property
    def bundle_key_pem(self) -> str:
        return public_key_to_pem(self.bundle_key.public_key()).decode("ascii")

    def create_enrolment_code(self, booth_id: str) -> str:
        """A one-time code with which the booth ``booth_id`` can enrol (or re-enrol)."""
        if not booth_id or len(booth_id) > 64:
            raise ValueError("booth id must be 1 to 64 characters")
        code = new_enrolment_code()
        with self.engine.begin() as conn:
            conn.execute(
                enrolment_codes.insert().values(
                    code_hash=secret_hash(code), booth_id=booth_id, created_at=iso(self.clock())
                )
            )
        return code

    def enrol(self, booth_id: str, code: str) -> str:
        """Spend ``code`` and return the booth's new upload token (any older one stops working)."""
        token = new_token()
        now = iso(self.clock())
        with self.engine.begin() as conn:
            spent = conn.execute(
                update(enrolment_codes)
                .where(
                    enrolment_codes.c.code_hash == secret_hash(code),
                    enrolment_codes.c.booth_id == booth_id,
                    enrolment_codes.c.used_at.is_(None),
                )
                .values(used_at=now)
            )
            if spent.rowcount != 1:
                raise EnrolmentRefusedError(
                    "enrolment code unknown, already used, or for another booth"
                )
            exists = conn.execute(
                select(booths.c.booth_id).where(booths.c.booth_id == booth_id)
            ).first()
            values = {"token_hash": token_hash(token), "enrolled_at": now}
            if exists:
                conn.execute(update(booths).where(booths.c.booth_id == booth_id).values(**values))
            else:
                conn.execute(booths.insert().values(booth_id=booth_id, **values))
        return token

    def booth_for_token(self, token: str) -> str | None:
        with self.engine.connect() as conn:
            return _booth_for_token(conn, token)

    def upload(
        self, booth_id: str, items: Sequence[Any] | Lines, report: BoothReport | None = None
    ) -> list[ItemResult]:
        """Ingest ``items`` (parsed, or lines: ``gatehouse.hub.lines``); keep ``report``
        (the booth's state) as its latest, in the same transaction, after the booth's row is
        locked (its uploads are serialised). ``NotLinesError``: parse the body whole."""
        with self.engine.begin() as conn:
            return self._upload(conn, booth_id, items, report)

    def upload_as(
        self, token: str, items: Sequence[Any] | Lines, report: BoothReport | None = None
    ) -> list[ItemResult] | None:
        """``upload`` for the booth ``token`` is issued to (None: no booth), looked up in the
        upload's own transaction: on PostgreSQL three round trips fewer than a checkout of
        its own (its ping, BEGIN and ROLLBACK), on every upload."""
        with self.engine.begin() as conn:
            booth_id = _booth_for_token(conn, token)
            return None if booth_id is None else self._upload(conn, booth_id, items, report)

    def _upload(
        self,
        conn: Connection,
        booth_id: str,
        items: Sequence[Any] | Lines,
        report: BoothReport | None,
    ) -> list[ItemResult]:
        results = ingest_upload(conn, booth_id, items, iso(self.clock()))
        if report is not None:
            keep_report(conn, booth_id, report, self.clock())
        return results

    def publish(
        self,
        name: str,
        content: Any,
        effective_at: datetime | None = None,
        *,
        based_on: int | None = None,
    ) -> PublishedBundle:
        """Sign ``content`` as the next version of bundle ``name``; BundleContentError (a
        ValueError) with the booth's reason when booths would refuse it (core/bundle_checks).
        With a later ``effective_at`` booths are not given it before then (``latest_bundle``).
        ``based_on`` is the version (0: none) the content was made from: when another publish
        came in between, StalePublishError and nothing is signed (compare-and-set; publishes of
        one bundle are serialised, so of two made from the same version exactly one wins)."""
        if not name.isidentifier():
            raise ValueError(f"bundle name {name!r} must be a simple identifier")
        check_bundle(name, content)
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":  # SQLite's BEGIN IMMEDIATE serialises already
                conn.execute(select(func.pg_advisory_xact_lock(_publish_lock(name))))
            latest = _latest_version(conn, name)
            if based_on is not None and based_on != latest:
                raise StalePublishError(name, based_on, latest)
            version = latest + 1
            now = max(effective_at, self.clock()) if effective_at else self.clock()
            signed = sign_bundle(Bundle(name, version, now, content), self.bundle_key)
            etag = f'"{name}-{version}-{hashlib.sha256(signed).hexdigest()[:16]}"'
            conn.execute(
                bundles.insert().values(
                    name=name, version=version, signed=signed, etag=etag, published_at=iso(now)
                )
            )
        return PublishedBundle(name, version, signed, etag)

    def latest_version(self, name: str) -> int:
        """The newest version of bundle ``name`` published (also one waiting for its time);
        0 when none: what a change made now is ``based_on``."""
        with self.engine.connect() as conn:
            return _latest_version(conn, name)

    def latest_bundle(self, name: str) -> PublishedBundle | None:
        """The newest version in effect now (one published for a later time waits)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(bundles)
                .where(bundles.c.name == name, bundles.c.published_at <= iso(self.clock()))
                .order_by(bundles.c.version.desc())
                .limit(1)
            ).first()
        return PublishedBundle(row.name, row.version, row.signed, row.etag) if row else None

    def passages(self, query: PassageQuery) -> list[dict[str, Any]]:
        """Passages of all booths, each as the booth recorded it: oldest first, or with
        ``query.before`` newest first from that key (the console's pages)."""
        if query.before is None:
            return [record for _, record in self.passage_page(query)]
        key = (passages.c.decided_at, passages.c.passage_id)
        statement = query_filtered(select(passages.c.record), query, self.engine.dialect.name)
        statement = statement.where(tuple_(*key) < tuple_(*query.before))
        statement = statement.order_by(*(column.desc() for column in key))
        statement = statement.limit(max(1, min(query.limit, MAX_QUERY_ROWS)))
        with self.engine.connect() as conn:
            return [json.loads(row.record) for row in conn.execute(statement)]

    def passage_page(
        self, query: PassageQuery, after: PageKey | None = None
    ) -> list[tuple[PageKey, dict[str, Any]]]:
        """See ``PassageReader.passage_page``."""
        return PassageReader(self.engine).passage_page(query, after)

    def passage(self, passage_id: str) -> dict[str, Any] | None:
        """One passage as its booth recorded it, or ``None``."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(passages.c.record).where(passages.c.passage_id == passage_id)
            ).first()
        return json.loads(row.record) if row else None

    def passage_events(self, passage_id: str) -> list[dict[str, Any]]:
        """The booth's audit events naming this passage (overrides, the issuer's answers),
        oldest first; the passage itself is never rewritten."""
        statement = (
            select(audit_events.c.record)
            .where(audit_events.c.record.contains(passage_id, autoescape=True))
            .order_by(audit_events.c.at)
        )
        with self.engine.connect() as conn:
            records = [json.loads(row.record) for row in conn.execute(statement)]
        return [r for r in records if event_details(r).get("passage_id") == passage_id]

    def booths(self) -> list[dict[str, Any]]:
        """Each booth with its chain head, passage count, quarantined items and kept links
        (in its chain, their records held at the booth under an earlier booth id)."""
        in_chain = kept_links.join(
            chain_links,
            (chain_links.c.booth_id == kept_links.c.booth_id)
            & (chain_links.c.hash == kept_links.c.link_hash),
        )
        counts = {
            "passages": _per_booth(passages.c.booth_id, passages),
            "quarantined": _per_booth(quarantine.c.booth_id, quarantine),
            "kept": _per_booth(kept_links.c.booth_id, in_chain),
        }
        statement = select(
            booths.c.booth_id,
            booths.c.enrolled_at,
            booths.c.head_seq,
            booths.c.head_hash,
            booths.c.last_upload_at,
            *(func.coalesce(count.c.n, 0).label(name) for name, count in counts.items()),
        )
        for count in counts.values():
            statement = statement.outerjoin(count, count.c.booth_id == booths.c.booth_id)
        statement = statement.order_by(booths.c.booth_id)
        with self.engine.connect() as conn:
            rows = [dict(row._mapping) for row in conn.execute(statement)]
        for row in rows:  # the office's alarm: rejected items are no longer all kept
            row["quarantine_full"] = row["quarantined"] >= MAX_QUARANTINE
        return rows


def _latest_version(conn: Connection, name: str) -> int:
    found = conn.execute(select(func.max(bundles.c.version)).where(bundles.c.name == name))
    return int(found.scalar() or 0)


def _publish_lock(name: str) -> int:
    """The PostgreSQL advisory lock key that serialises publishes of bundle ``name``."""
    digest = hashlib.sha256(f"gatehouse publish {name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _booth_for_token(conn: Connection, token: str) -> str | None:
    row = conn.execute(_BOOTH_OF_TOKEN, {"token_hash": token_hash(token)}).first()
    return row.booth_id if row else None


# read at every upload and bundle request: built once (see ``gatehouse.hub.ingest``)
_BOOTH_OF_TOKEN = select(booths.c.booth_id).where(booths.c.token_hash == bindparam("token_hash"))


def _per_booth(booth_id: Any, source: Any) -> Any:
    """How many rows of ``source`` each booth has, as a subquery (booth_id, n)."""
    return (
        select(booth_id, func.count().label("n")).select_from(source).group_by(booth_id).subquery()
    )


def event_details(record: dict[str, Any]) -> dict[str, Any]:
    """An audit event's details, uploaded as JSON text (or an object); unreadable: none."""
    details = record.get("details")
    if isinstance(details, str):
        try:
            details = json.loads(details)
        except ValueError:
            return {}
    return details if isinstance(details, dict) else {}
