"""The tamper-evident hash chain over everything a booth logs (passages and audit events).

Each record gets two digests of its canonical JSON form: one of its public fields and one of
its personal fields (kept apart so a retention purge can erase personal data without breaking
the chain), and one link whose hash covers the previous link's hash, the record's kind, id and
both digests. Editing, deleting, inserting or reordering any record therefore breaks a link
that ``first_break`` names. A writer who recomputes the whole chain is caught by the hub, which
keeps the links it has already received.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, fields
from json.encoder import encode_basestring
from typing import Any

from gatehouse.core.passage import PERSONAL_FIELDS

GENESIS_HASH = "0" * 64
PASSAGE_KIND = "passage"
AUDIT_KIND = "audit"
# Which fields of each kind of record are personal data (digested apart, erasable by a purge).
_PERSONAL_BY_KIND: dict[str, tuple[str, ...]] = {PASSAGE_KIND: PERSONAL_FIELDS, AUDIT_KIND: ()}


def canonical_json(record: Mapping[str, Any]) -> str:
    """One text per record: sorted keys, no spaces, UTF-8 kept, so digests are reproducible.

    Booths and hubs of every version must write the same bytes: the format is
    docs/canonical-json.md, pinned by tests/core/test_canonical_vectors.py."""
    return _canonical_value(record)


# Made once: ``json.dumps`` would build an encoder per call.
_canonical_value = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False
).encode


def digest(record: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(record).encode("utf-8")).hexdigest()


def split_digests(record: Mapping[str, Any], personal: Collection[str]) -> tuple[str, str]:
    """(public digest, personal digest) of ``record``; ``personal`` names the personal fields."""
    public_part = {k: v for k, v in record.items() if k not in personal}
    personal_part = {k: record.get(k) for k in sorted(personal)}
    return digest(public_part), digest(personal_part)


def record_digests(kind: str, record: Mapping[str, Any]) -> tuple[str, str]:
    """(public, personal) digests of a stored passage or audit event, as the chain holds them."""
    return split_digests(record, _personal_fields(kind))


def _personal_fields(kind: str) -> tuple[str, ...]:
    try:
        return _PERSONAL_BY_KIND[kind]
    except KeyError:
        raise ValueError(f"unknown record kind {kind!r}") from None


class RecordDigester:
    """``record_digests`` for records that all have the same keys (the rows of one table).

    The keys' order and their JSON text are worked out once, and each value is encoded on its
    own (text by the encoder's own string function), so the commit a guard waits for does not
    pay for sorting and re-encoding the keys. The text is ``canonical_json``'s byte for byte
    (tests/core/test_canonical_vectors.py); a record with other keys is digested the plain way.
    """

    def __init__(self, kind: str, keys: Collection[str]) -> None:
        personal = _personal_fields(kind)
        self._kind = kind
        self._keys = frozenset(keys)
        self._public = _key_prefixes(key for key in self._keys if key not in personal)
        self._personal = _key_prefixes(personal)

    def __call__(self, record: Mapping[str, Any]) -> tuple[str, str]:
        if record.keys() != self._keys:
            return record_digests(self._kind, record)
        return _prefixed_digest(self._public, record), _prefixed_digest(self._personal, record)


class RecordDigesters:
    """``record_digests`` for a stream of records of a few shapes (a ledger, an upload).

    Keeps one ``RecordDigester`` per kind and key order, so a loop over many records pays for
    sorting and encoding the keys once per shape. Past ``shapes`` shapes (a hostile upload can
    send a new key set with every item) a record is digested the plain way, so the cache
    stays small; every record is digested exactly as ``record_digests`` would.
    """

    def __init__(self, shapes: int = 8) -> None:
        self._shapes = shapes
        self._digesters: dict[tuple[str, tuple[str, ...]], RecordDigester] = {}

    def __call__(self, kind: str, record: Mapping[str, Any]) -> tuple[str, str]:
        shape = (kind, tuple(record))
        digester = self._digesters.get(shape)
        if digester is None:
            if len(self._digesters) >= self._shapes:
                return record_digests(kind, record)
            digester = self._digesters[shape] = RecordDigester(kind, shape[1])
        return digester(record)


def _key_prefixes(keys: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """Each key, in canonical order, with its JSON text and the colon that follows it."""
    return tuple((key, encode_basestring(key) + ":") for key in sorted(keys))


def _prefixed_digest(prefixes: tuple[tuple[str, str], ...], record: Mapping[str, Any]) -> str:
    members = []
    for key, prefix in prefixes:
        value = record.get(key)  # as ``split_digests``: a personal field not kept is null
        if type(value) is str:
            members.append(prefix + encode_basestring(value))
        elif value is None:
            members.append(prefix + "null")
        elif type(value) is float and math.isfinite(value):
            members.append(prefix + float.__repr__(value))  # as the encoder writes a float
        else:
            members.append(prefix + _canonical_value(value))
    text = "{" + ",".join(members) + "}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainLink:
    """One record's place in the chain. ``seq`` counts from 1 without gaps."""

    seq: int
    kind: str
    record_id: str
    public_digest: str
    personal_digest: str
    prev_hash: str
    hash: str

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ChainLink:
        """The link stored as a row or sent as JSON (KeyError names a missing field)."""
        return cls(**{field.name: data[field.name] for field in fields(cls)})


def link_hash(
    prev_hash: str, kind: str, record_id: str, public_digest: str, personal_digest: str
) -> str:
    text = "\n".join((prev_hash, kind, record_id, public_digest, personal_digest))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def next_link(
    head: ChainLink | None, kind: str, record_id: str, public_digest: str, personal_digest: str
) -> ChainLink:
    """The link that follows ``head`` (``None``: the first link of a new chain)."""
    seq, prev = (1, GENESIS_HASH) if head is None else (head.seq + 1, head.hash)
    return ChainLink(
        seq=seq,
        kind=kind,
        record_id=record_id,
        public_digest=public_digest,
        personal_digest=personal_digest,
        prev_hash=prev,
        hash=link_hash(prev, kind, record_id, public_digest, personal_digest),
    )


def link_is_sound(link: ChainLink) -> bool:
    """Whether ``link.hash`` is the hash of its own fields (says nothing about its neighbours)."""
    return link.hash == link_hash(
        link.prev_hash, link.kind, link.record_id, link.public_digest, link.personal_digest
    )


@dataclass(frozen=True)
class ChainBreak:
    """The first link that does not hold, and why, in words for the person checking.

    ``seq`` is ``None`` for a record that has no link at all (written around the ledger).
    """

    seq: int | None
    kind: str
    record_id: str
    problem: str

    def __str__(self) -> str:
        where = "outside the chain" if self.seq is None else f"link {self.seq}"
        return f"{where} ({self.kind} {self.record_id}): {self.problem}"


class ChainWalk:
    """Checks links one by one in stored order, so a caller can check each record alongside.

    ``after``: start behind this link instead of at the genesis (a check of the chain's tail).
    """

    def __init__(self, after: ChainLink | None = None) -> None:
        self.expected_seq = 1 if after is None else after.seq + 1
        self.prev_hash = GENESIS_HASH if after is None else after.hash

    def check(self, link: ChainLink) -> ChainBreak | None:
        """The problem with ``link`` as the next link, or ``None`` (and the walk moves on)."""
        if link.seq != self.expected_seq:
            problem = (
                f"expected link {self.expected_seq} here, found link {link.seq} "
                "(a link was deleted or moved)"
            )
            return ChainBreak(link.seq, link.kind, link.record_id, problem)
        if link.prev_hash != self.prev_hash:
            problem = "does not follow the link before it (a link was removed, added or reordered)"
            return ChainBreak(link.seq, link.kind, link.record_id, problem)
        if not link_is_sound(link):
            return ChainBreak(link.seq, link.kind, link.record_id, "link hash does not match")
        self.expected_seq, self.prev_hash = link.seq + 1, link.hash
        return None


def first_break(links: Iterable[ChainLink]) -> ChainBreak | None:
    """Walk ``links`` in stored order; the first gap, misordering or bad hash, else ``None``."""
    walk = ChainWalk()
    for link in links:
        problem = walk.check(link)
        if problem is not None:
            return problem
    return None


RESTORE_EVENT = "restore"
"""The audit event a ledger restored from a backup starts with: its link declares the chain
segment that continues from an older link, so the hub sets the later links it held aside
(kept, never rewritten) instead of refusing the booth for ever."""


def declared_restore(link: ChainLink, record: Mapping[str, Any]) -> int | None:
    """The link a restore declaration continues from, or ``None`` if ``record`` is not one.

    Only an audit event of kind ``RESTORE_EVENT`` whose ``segment_from`` names the link just
    before its own is a declaration; ``details`` is its JSON text as stored.
    """
    if link.kind != AUDIT_KIND or record.get("kind") != RESTORE_EVENT:
        return None
    try:
        details = json.loads(record.get("details") or "")
    except (TypeError, ValueError):
        return None
    segment_from = details.get("segment_from") if isinstance(details, dict) else None
    if segment_from != link.seq - 1:
        return None
    return link.seq - 1
