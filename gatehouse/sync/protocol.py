"""The booth ↔ hub wire contract, shared by both sides so neither can drift from the other.

JSON over HTTP. Every hub response carries the hub's clock in ``SERVER_TIME_HEADER``. Bundles
are COSE_Sign1 (EdDSA, the hub's bundle key) over a CBOR map {name, version, published_at,
content}, where ``content`` is JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import cbor2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from gatehouse.core.cbor_strict import MalformedCborError, decode_strict
from gatehouse.core.chain import ChainLink, canonical_json
from gatehouse.core.cose import CoseError, parse_sign1, sign1
from gatehouse.core.keys import key_id

SERVER_TIME_HEADER = "X-Gatehouse-Server-Time"
ENROL_PATH = "/v1/enrol"
UPLOAD_PATH = "/v1/upload"
BUNDLE_PATH = "/v1/bundles/{name}"
PASSAGES_PATH = "/v1/passages"
BOOTHS_PATH = "/v1/booths"
ENROLMENT_CODES_PATH = "/v1/enrolment-codes"
PASSES_PATH = "/v1/passes"  # the office issues a pass (admin token)
EXPORT_PATH = "/v1/passages/export.{fmt}"  # the office downloads passages as csv or xlsx
CHAIN_PATH = "/v1/chain"  # a booth restored from backup reads back its own links (?after=N)
# What a booth pulls at every sync; a name the office has not published yet is skipped (404).
BUNDLE_NAMES = (
    "policy",
    "risk_areas",
    "lists",
    "trusted_keys",
    "certificates",
    "issuers",
    "privacy",
    "dcc_value_sets",
)
# Per uploaded item: acknowledged, rejected (quarantined), or "resend": the hub does not hold
# the link before it, so it stored nothing and asks for the chain from ``resend_from`` on.
ACK, REJECTED, RESEND = "ack", "rejected", "resend"
# A record made under an earlier booth id (before a rename or re-enrolment) stays at the booth
# that made it: only its link is sent, so the hub's chain of this booth stays whole, as
# {"link": …, "record": null, "kept": {"booth_id": <the id it was recorded as>, "reason": …}}.
# The hub checks the link like any other, stores no record for it and notes it as kept; its
# chain read-back returns it the same way. A hub that predates this refuses such an item.
KEPT = "kept"
MAX_SEQ = 2**63 - 1  # links are numbered in signed 64-bit integers on both sides
# Beyond this a booth's clock is called wrong, by the booth itself and by the office's list:
# decisions depend on it (test age, validity).
CLOCK_SKEW_LIMIT = timedelta(minutes=2)
# An upload may carry the booth's own state for the office's booth list, as ``"status"`` next
# to ``"items"`` (see ``BoothReport``); a booth sends one, items or not, at every sync. Optional
# both ways: a hub that predates it ignores the key, a booth that predates it sends none. A
# malformed report loses no item: the hub stores the items and answers ``"status_error"``.
STATUS = "status"
STATUS_ERROR = "status_error"
MAX_REPORT_TEXT = 64
# An upload's items go one per line, each in canonical JSON (``upload_body``), and the booth
# names their links in ``BATCH_HEADER`` as "lines; seqs=FIRST-LAST": the body is the same JSON
# object, yet a hub can tell each item's bytes apart without parsing them, and acknowledge
# from one indexed query an item it already holds byte for byte (a batch re-sent after a
# timeout), parsing only the rest. A hub that predates it parses the whole body as before; a
# booth that predates it sends no header and its bodies are parsed whole.
BATCH_HEADER = "X-Gatehouse-Batch"
LINES_PREFIX = b'{"items":[\n'
LINE_END = b",\n"


def upload_body(
    items: Sequence[Mapping[str, Any]], status: Mapping[str, Any] | None
) -> tuple[bytes, dict[str, str]]:
    """An upload's body, items one per line, and its headers: ``BATCH_HEADER`` when the
    items' links follow each other (a booth's outbox in order), none otherwise."""
    lines = LINE_END.join(canonical_json(item).encode() for item in items)
    body = LINES_PREFIX + lines + b"\n]"
    if status is not None:
        body += b',"' + STATUS.encode() + b'":' + json.dumps(status, ensure_ascii=False).encode()
    seqs = [_seq(item) for item in items]
    first = seqs[0] if seqs else None
    if first is None or seqs != list(range(first, first + len(seqs))):
        return body + b"}", {}
    return body + b"}", {BATCH_HEADER: f"lines; seqs={first}-{seqs[-1]}"}


def _seq(item: Any) -> int | None:
    link = item.get("link") if isinstance(item, Mapping) else None
    seq = link.get("seq") if isinstance(link, Mapping) else None
    return seq if type(seq) is int and seq >= 1 else None


class BundleError(ValueError):
    """A bundle that is not a well-formed, correctly signed bundle of the expected name."""


def link_to_json(link: ChainLink) -> dict[str, Any]:
    return {
        "seq": link.seq,
        "kind": link.kind,
        "record_id": link.record_id,
        "public_digest": link.public_digest,
        "personal_digest": link.personal_digest,
        "prev_hash": link.prev_hash,
        "hash": link.hash,
    }


def link_from_json(data: Mapping[str, Any]) -> ChainLink:
    """Raises ``ValueError`` naming the field when ``data`` is not a link."""
    try:
        link = ChainLink.from_mapping(data)
    except (KeyError, TypeError) as exc:
        raise ValueError(f"chain link lacks {exc}") from None
    if not isinstance(link.seq, int) or isinstance(link.seq, bool) or not 1 <= link.seq <= MAX_SEQ:
        raise ValueError(f"chain link seq must be an integer from 1 to {MAX_SEQ}")
    texts = (link.kind, link.record_id, link.public_digest, link.personal_digest)
    if not all(isinstance(t, str) for t in (*texts, link.prev_hash, link.hash)):
        raise ValueError("chain link fields must be text")
    return link


@dataclass(frozen=True)
class KeptNote:
    """Why a link travels without its record: the booth id the record was made under."""

    booth_id: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"booth_id": self.booth_id, "reason": self.reason}


def kept_item(link: ChainLink, note: KeptNote) -> dict[str, Any]:
    """The upload item of a kept record: its link only, never its (personal) content."""
    return {"link": link_to_json(link), "record": None, KEPT: note.to_json()}


def kept_from_json(item: Mapping[str, Any]) -> KeptNote | None:
    """The note of a record-less kept item, ``None`` for an item with a record; raises
    ``ValueError`` saying what is wrong with a malformed one."""
    note = item.get(KEPT)
    if note is None and item.get("record") is not None:
        return None
    if not isinstance(note, Mapping) or item.get("record") is not None:
        raise ValueError("an item without its record must say why it is kept, and only that")
    booth_id, reason = note.get("booth_id"), note.get("reason")
    if not isinstance(booth_id, str) or not 1 <= len(booth_id) <= 64:
        raise ValueError("a kept link must name the booth id its record was made under")
    if not isinstance(reason, str) or not 1 <= len(reason) <= 1000:
        raise ValueError("a kept link must say why it is kept (at most 1000 characters)")
    return KeptNote(booth_id, reason)


# The console's enrolment QR code: the prefix, then JSON {"hub": <hub URL>, "booth": <booth id>,
# "code": <one-time code>}, so the booth's setup fills in the hub's address with the code.
ENROL_QR_PREFIX = "GATEHOUSE-ENROL:"


@dataclass(frozen=True)
class EnrolmentQr:
    hub_url: str
    booth_id: str
    code: str


def enrolment_qr_text(enrolment: EnrolmentQr) -> str:
    fields = {"hub": enrolment.hub_url, "booth": enrolment.booth_id, "code": enrolment.code}
    return ENROL_QR_PREFIX + json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def parse_enrolment_qr(text: str) -> EnrolmentQr:
    """The enrolment in a scanned QR text; ``ValueError`` saying why it is none (another
    code, such as a pass, or a damaged one)."""
    if not text.startswith(ENROL_QR_PREFIX):
        raise ValueError("this QR code is not an enrolment code from the office's console")
    try:
        fields = json.loads(text[len(ENROL_QR_PREFIX) :])
    except ValueError:
        raise ValueError("this enrolment QR code is damaged: its fields are not JSON") from None
    values = [fields.get(name) if isinstance(fields, dict) else None for name in _ENROL_FIELDS]
    if not all(isinstance(value, str) and value.strip() for value in values):
        raise ValueError("this enrolment QR code lacks the hub's address, the booth or the code")
    hub_url, booth_id, code = (str(value).strip() for value in values)
    return EnrolmentQr(hub_url, booth_id, code)


_ENROL_FIELDS = ("hub", "booth", "code")


@dataclass(frozen=True)
class BoothReport:
    """What a booth says about itself at a sync: its clock (the hub compares it with its own),
    the outbox rows not yet acknowledged, its program version, the version of each bundle it
    applies and the checkpoint type it is set up as (``None``: not told)."""

    booth_time: datetime
    backlog: int
    app_version: str
    bundle_versions: Mapping[str, int]
    checkpoint_type: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "booth_time": self.booth_time.isoformat(),
            "backlog": self.backlog,
            "app_version": self.app_version,
            "bundle_versions": dict(self.bundle_versions),
            "checkpoint_type": self.checkpoint_type,
        }


def report_from_json(data: Any) -> BoothReport:
    """Raises ``ValueError`` naming the first field that is wrong."""
    if not isinstance(data, Mapping):
        raise ValueError("status must be a JSON object")
    try:
        booth_time = datetime.fromisoformat(str(data.get("booth_time")))
    except ValueError:
        raise ValueError("status.booth_time must be an ISO 8601 time") from None
    if booth_time.tzinfo is None:
        raise ValueError("status.booth_time must carry its UTC offset")
    backlog = data.get("backlog")
    if not isinstance(backlog, int) or not _count(backlog):
        raise ValueError("status.backlog must be a whole number, 0 or more")
    app_version, checkpoint_type = data.get("app_version"), data.get("checkpoint_type")
    if not _short_text(app_version):
        raise ValueError(f"status.app_version must be text of 1 to {MAX_REPORT_TEXT} characters")
    if checkpoint_type is not None and not _short_text(checkpoint_type):
        raise ValueError(
            f"status.checkpoint_type must be text of 1 to {MAX_REPORT_TEXT} characters, or null"
        )
    versions = data.get("bundle_versions")
    if not isinstance(versions, Mapping) or not all(
        name in BUNDLE_NAMES and _count(version) for name, version in versions.items()
    ):
        raise ValueError("status.bundle_versions must map bundle names to their versions")
    return BoothReport(booth_time, backlog, str(app_version), dict(versions), checkpoint_type)


def _short_text(value: Any) -> bool:
    return isinstance(value, str) and 1 <= len(value) <= MAX_REPORT_TEXT


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_SEQ


@dataclass(frozen=True)
class Bundle:
    name: str
    version: int
    published_at: datetime
    content: Any


def sign_bundle(bundle: Bundle, key: Ed25519PrivateKey) -> bytes:
    payload = cbor2.dumps(
        {
            "name": bundle.name,
            "version": bundle.version,
            "published_at": bundle.published_at.isoformat(),
            "content": json.dumps(bundle.content, ensure_ascii=False, sort_keys=True),
        }
    )
    return sign1(payload, key, key_id(key.public_key()))


def open_bundle(signed: bytes, key: Ed25519PublicKey, expected_name: str) -> Bundle:
    """Verify ``signed`` with the hub's bundle key and return its contents."""
    try:
        message = parse_sign1(signed)
    except CoseError as exc:
        raise BundleError(f"bundle {expected_name!r} is not COSE_Sign1: {exc}") from exc
    if not message.verify(key):
        raise BundleError(f"bundle {expected_name!r} is not signed by the hub's bundle key")
    try:
        payload: Any = decode_strict(message.payload)
        bundle = Bundle(
            name=payload["name"],
            version=payload["version"],
            published_at=datetime.fromisoformat(payload["published_at"]),
            content=json.loads(payload["content"]),
        )
    except (MalformedCborError, KeyError, TypeError, ValueError) as exc:
        raise BundleError(f"bundle {expected_name!r} payload is malformed: {exc}") from exc
    if bundle.name != expected_name:
        raise BundleError(f"asked for bundle {expected_name!r}, got {bundle.name!r}")
    if not isinstance(bundle.version, int) or bundle.published_at.tzinfo is None:
        raise BundleError(f"bundle {expected_name!r} has a bad version or publication time")
    return bundle
