"""The hub's schema in SQLAlchemy Core, the same on SQLite and PostgreSQL.

Times are ISO 8601 UTC text as the booths write them (text order is time order on both
databases). ``record`` columns hold the record's canonical JSON exactly as received, so the
digest the booth chained can always be recomputed.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy import Table as SqlTable

metadata = MetaData()


def iso(moment: datetime) -> str:
    """``moment`` as the hub stores every time: UTC text, one shape, so text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


booths = SqlTable(
    "booths",
    metadata,
    Column("booth_id", String(64), primary_key=True),
    Column("token_hash", String(64), unique=True),
    Column("enrolled_at", String(40)),
    Column("head_seq", Integer),
    Column("head_hash", String(64)),
    Column("last_upload_at", String(40)),
)

enrolment_codes = SqlTable(
    "enrolment_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("booth_id", String(64), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("used_at", String(40)),
)

passages = SqlTable(
    "passages",
    metadata,
    Column("passage_id", String(64), primary_key=True),
    Column("booth_id", String(64), ForeignKey("booths.booth_id"), nullable=False),
    Column("decided_at", String(40), nullable=False),
    Column("outcome", Text, nullable=False),
    Column("pass_id", Text),
    Column("holder_name", Text),
    Column("id_masked", Text),
    Column("temperature_c", Float),
    Column("policy_version", Text, nullable=False),
    Column("chain_seq", Integer, nullable=False),
    Column("public_digest", String(64), nullable=False),
    Column("personal_digest", String(64), nullable=False),
    Column("record", Text, nullable=False),
    Column("received_at", String(40), nullable=False),
    # The (time, id) order every listing and export pages by (``hub.passage_pages``), read
    # off the index rather than sorted; migration step 2 made them on older databases.
    Index("hub_passages_booth_time_id", "booth_id", "decided_at", "passage_id"),
    Index("hub_passages_time_id", "decided_at", "passage_id"),
    Index("hub_passages_pass", "pass_id"),
)
# A person's passages without a scan of them all (``hub.person_search``); made at start-up on a
# hub database that predates them.
person_indexes = (
    Index("hub_passages_masked", passages.c.id_masked),
    Index(
        "hub_passages_name",
        passages.c.holder_name,
        postgresql_ops={"holder_name": "text_pattern_ops"},
    ),
)

audit_events = SqlTable(
    "audit_events",
    metadata,
    Column("event_id", String(64), primary_key=True),
    Column("booth_id", String(64), ForeignKey("booths.booth_id"), nullable=False),
    Column("kind", Text, nullable=False),
    Column("at", String(40), nullable=False),
    Column("chain_seq", Integer, nullable=False),
    Column("public_digest", String(64), nullable=False),
    Column("personal_digest", String(64), nullable=False),
    Column("record", Text, nullable=False),
    Column("received_at", String(40), nullable=False),
)

# chain_links.seq (and the records' chain_seq) are INTEGER columns, 32 bits on PostgreSQL: a
# link numbered past this is rejected at the hub, on every database alike.
MAX_LINK_SEQ = 2**31 - 1

chain_links = SqlTable(
    "chain_links",
    metadata,
    Column("booth_id", String(64), ForeignKey("booths.booth_id"), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(16), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("public_digest", String(64), nullable=False),
    Column("personal_digest", String(64), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# Links whose record stays at the booth that made it, under the earlier booth id it was
# recorded as (``protocol.KEPT``): the link is in ``chain_links``, no record is held anywhere
# here. Keyed by the link's hash, so a note follows its link when a restore sets it aside.
kept_links = SqlTable(
    "kept_links",
    metadata,
    Column("booth_id", String(64), ForeignKey("booths.booth_id"), primary_key=True),
    Column("link_hash", String(64), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("recorded_as", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("received_at", String(40), nullable=False),
)

# The SHA-256 of the bytes an item was sent as, one per line (``protocol.BATCH_HEADER``), for
# the latest links the hub acknowledged so (``lines.KEEP_DIGESTS`` per booth): the same bytes
# re-sent are acknowledged without parsing them. Valid only while ``link_hash`` is the link
# the hub holds at ``seq`` (a restore may set it aside): the lookup joins ``chain_links``.
item_digests = SqlTable(
    "item_digests",
    metadata,
    Column("booth_id", String(64), ForeignKey("booths.booth_id"), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("link_hash", String(64), nullable=False),
    Column("sha256", String(64), nullable=False),
)

quarantine = SqlTable(
    "quarantine",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("booth_id", String(64), nullable=False),
    Column("kind", Text, nullable=False),
    Column("record_id", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("item", Text, nullable=False),
    Column("received_at", String(40), nullable=False),
    Index("hub_quarantine_booth", "booth_id"),
)

bundles = SqlTable(
    "bundles",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("signed", LargeBinary, nullable=False),
    Column("etag", String(80), nullable=False),
    Column("published_at", String(40), nullable=False),
)

# Links a booth restored from a backup no longer continues: set aside by its declared restore
# (``restore_event_id``), kept (``link`` as the JSON the booth sent) with their records, so
# nothing the booth once sent is lost.
superseded_links = SqlTable(
    "superseded_links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("booth_id", String(64), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("link", Text, nullable=False),
    Column("restore_event_id", String(64), nullable=False),
    Column("superseded_at", String(40), nullable=False),
    Index("hub_superseded_booth", "booth_id", "seq"),
)

# The office's web console (gatehouse.hub.console): its accounts, sessions, audit, and the
# mine and checkpoint type the office gave each booth it added.
console_users = SqlTable(
    "console_users",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("mine", Text),  # a mine supervisor's mine; None for the office
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", String(40)),
    Column("created_at", String(40), nullable=False),
)

console_sessions = SqlTable(
    "console_sessions",
    metadata,
    Column("session_hash", String(64), primary_key=True),
    Column("username", String(64), ForeignKey("console_users.username"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("expires_at", String(40), nullable=False),
)

console_audit = SqlTable(
    "console_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("username", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("detail", Text, nullable=False),
    Column("address", String(64)),
    Index("hub_console_audit_at", "at"),
)

booth_sites = SqlTable(
    "booth_sites",
    metadata,
    Column("booth_id", String(64), primary_key=True),
    Column("mine", Text, nullable=False),
    Column("checkpoint_type", String(32), nullable=False),
    Column("added_by", String(64), nullable=False),
    Column("added_at", String(40), nullable=False),
)

# The office's person lists as edited in the console (gatehouse.hub.console.people): one row
# per person on a list, identified only by the keyed hash of the ID number under the list
# secret and its masked form; the plain number is never stored. ``ended_at``: taken off.
person_entries = SqlTable(
    "person_entries",
    metadata,
    Column("entry_id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # isolation | contractors
    Column("id_hash", String(64), nullable=False),
    Column("id_masked", String(24), nullable=False),
    Column("name", Text, nullable=False),
    Column("until", String(10)),  # isolation: the first day they may pass again
    Column("company", Text),
    Column("project", Text),
    Column("valid_from", String(10)),  # contractors: the days they may come
    Column("valid_until", String(10)),
    Column("changed_by", String(64), nullable=False),
    Column("changed_at", String(40), nullable=False),
    Column("ended_at", String(40)),
    Index("hub_person_entries_kind", "kind", "id_hash"),
)

# Each version of the lists bundle the console published, and what it held.
list_publications = SqlTable(
    "list_publications",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("published_at", String(40), nullable=False),
    Column("published_by", String(64), nullable=False),
    Column("why", Text, nullable=False),
    Column("isolation", Integer, nullable=False),
    Column("contractors", Integer, nullable=False),
    Column("visitors", Integer, nullable=False),
)

# Visits requested in the console: requested -> approved (a pass issued) | refused; an
# approved visit's pass may be revoked. The visitor's ID number is kept as on person lists.
visits = SqlTable(
    "visits",
    metadata,
    Column("visit_id", String(32), primary_key=True),
    Column("holder_name", Text, nullable=False),
    Column("id_hash", String(64), nullable=False),
    Column("id_masked", String(24), nullable=False),
    Column("purpose", Text, nullable=False),
    Column("mine", Text, nullable=False),
    Column("host", Text, nullable=False),
    Column("first_day", String(10), nullable=False),
    Column("last_day", String(10), nullable=False),
    Column("status", String(16), nullable=False),
    Column("requested_by", String(64), nullable=False),
    Column("requested_at", String(40), nullable=False),
    Column("decided_by", String(64)),
    Column("decided_at", String(40)),
    Column("refusal", Text),
    Column("pass_id", String(64)),
    Column("pass_text", Text),
    Column("revoked_by", String(64)),
    Column("revoked_at", String(40)),
)

# What the office is preparing in the console before it publishes it as a bundle: one draft per
# bundle name (``content`` as JSON), shared by the office's staff. ``base_version``: the bundle
# version the draft was started from (0: none was published), so publishing it cannot undo a
# publish made since; NULL for a draft started before the hub recorded it (schema version 1).
console_drafts = SqlTable(
    "console_drafts",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("content", Text, nullable=False),
    Column("updated_by", String(64), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("base_version", Integer),
)

# What each booth last said about itself with an upload (``protocol.BoothReport``): a table of
# its own, so a hub database made before booths reported gets it from ``create_all``. A booth
# that never reported (one of an older version) has no row: the console shows "unknown".
booth_reports = SqlTable(
    "booth_reports",
    metadata,
    Column("booth_id", String(64), primary_key=True),
    Column("reported_at", String(40), nullable=False),  # the hub's clock when it arrived
    Column("clock_skew_s", Float, nullable=False),  # hub minus booth, at arrival
    Column("backlog", Integer, nullable=False),
    Column("app_version", String(64), nullable=False),
    Column("bundle_versions", Text, nullable=False),  # JSON {name: version}
    Column("checkpoint_type", String(64)),
)

# The schema version of this database (``hub.migrations``): one row per version it reached,
# by a step run on it or by being made at that version.
schema_versions = SqlTable(
    "hub_schema_versions",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(80), nullable=False),
    Column("applied_at", String(40), nullable=False),
)
