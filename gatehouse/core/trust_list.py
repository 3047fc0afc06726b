"""The signed trust list: which issuer keys a booth accepts, and what has been revoked.

The central epidemic office publishes it, signed with its root key (Ed25519, COSE_Sign1 over
a JSON document); a booth holds only the root public key(s) and accepts a list only when one
of them verifies the signature. Then a pass verifies only with a key the office published,
inside that key's validity window, and not revoked. Keys rotate by publishing the new key
with an overlapping window and ending the old one's; a stolen key is revoked by fingerprint
(never by its short id), a single pass by its pass id. ``sequence`` only grows, so an old
list (with a key since revoked) cannot be replayed over a newer one.

File: ``{"gatehouse_trust_list": 1, "signed": "<base64 COSE_Sign1>"}``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from gatehouse.core import cose
from gatehouse.core.keys import TrustStore, entry_to_key, key_id, key_to_entry, parse_time

FORMAT_FIELD = "gatehouse_trust_list"
FORMAT_VERSION = 1
_FIELDS = frozenset({"sequence", "issued_at", "keys", "revoked_keys", "revoked_pass_ids"})
_FINGERPRINT_HEX = 64


class TrustListError(ValueError):
    """The trust list is malformed, or no root key the booth holds signed it."""


@dataclass(frozen=True)
class TrustList:
    sequence: int
    issued_at: datetime
    store: TrustStore

    def supersedes(self, current: TrustList | None) -> bool:
        """Whether this list may replace ``current``: a strictly higher sequence number."""
        return current is None or self.sequence > current.sequence


def looks_like_trust_list(document: object) -> bool:
    return isinstance(document, dict) and FORMAT_FIELD in document


def sign_trust_list(trust_list: TrustList, root_key: Ed25519PrivateKey) -> str:
    """The trust-list file text, signed with the office's root key."""
    store = trust_list.store
    document = {
        "sequence": trust_list.sequence,
        "issued_at": trust_list.issued_at.astimezone(UTC).isoformat(),
        "keys": [key_to_entry(key) for key in store.keys],
        "revoked_keys": sorted(fingerprint.hex() for fingerprint in store.revoked_keys),
        "revoked_pass_ids": sorted(store.revoked_pass_ids),
    }
    payload = json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")
    signed = cose.sign1(payload, root_key, key_id(root_key.public_key()))
    envelope = {FORMAT_FIELD: FORMAT_VERSION, "signed": base64.b64encode(signed).decode("ascii")}
    return json.dumps(envelope, indent=2) + "\n"


def verify_trust_list(text: str, anchors: Sequence[Ed25519PublicKey]) -> TrustList:
    """Parse a trust-list file and check that one of the root keys ``anchors`` signed it."""
    message = _signed_part(text)
    if message.alg != cose.ALG_EDDSA or not any(message.verify(root) for root in anchors):
        raise TrustListError("no trusted root key signed this trust list")
    return _payload(message)


def unverified_trust_list(text: str) -> TrustList:
    """The list in a trust-list file read exactly as ``verify_trust_list`` reads it, but with
    its signature NOT checked: for the hub, which holds no root key and only makes sure it
    publishes a list booths can read (each booth checks the signature)."""
    return _payload(_signed_part(text))


def _signed_part(text: str) -> cose.CoseSign1:
    envelope = _strict_json(text, "trust list file")
    if not looks_like_trust_list(envelope) or set(envelope) != {FORMAT_FIELD, "signed"}:
        raise TrustListError(f'expected an object with "{FORMAT_FIELD}" and "signed" only')
    if envelope[FORMAT_FIELD] != FORMAT_VERSION:
        raise TrustListError(f"trust list version {envelope[FORMAT_FIELD]!r} is not supported")
    try:
        return cose.parse_sign1(base64.b64decode(envelope["signed"], validate=True))
    except (binascii.Error, TypeError, cose.CoseError) as exc:
        raise TrustListError(f"signed part is not a COSE_Sign1 message: {exc}") from exc


def _payload(message: cose.CoseSign1) -> TrustList:
    return _trust_list(_strict_json(message.payload.decode("utf-8", "replace"), "trust list"))


def _trust_list(document: Any) -> TrustList:
    if not isinstance(document, dict) or set(document) != _FIELDS:
        raise TrustListError(f"trust list must have exactly the fields {sorted(_FIELDS)}")
    sequence = document["sequence"]
    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
        raise TrustListError("sequence must be a non-negative integer")
    lists = {name: document[name] for name in ("keys", "revoked_keys", "revoked_pass_ids")}
    for name, value in lists.items():
        if not isinstance(value, list):
            raise TrustListError(f'"{name}" must be a list')
    try:
        issued_at = parse_time("issued_at", document["issued_at"])
        keys = tuple(entry_to_key(f"keys[{i}]", entry) for i, entry in enumerate(lists["keys"]))
    except ValueError as exc:
        raise TrustListError(str(exc)) from exc
    store = TrustStore(
        keys=keys,
        revoked_keys=frozenset(_fingerprint(value) for value in lists["revoked_keys"]),
        revoked_pass_ids=frozenset(_pass_id(value) for value in lists["revoked_pass_ids"]),
    )
    return TrustList(sequence, issued_at, store)


def _fingerprint(value: object) -> bytes:
    if not isinstance(value, str) or len(value) != _FINGERPRINT_HEX:
        raise TrustListError("revoked_keys holds SHA-256 fingerprints as 64 hex digits")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise TrustListError(f"revoked key {value!r} is not hex") from None


def _pass_id(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise TrustListError("revoked_pass_ids holds non-empty pass ids")
    return value


def _strict_json(text: str, what: str) -> Any:
    """JSON with duplicate keys refused, so two readers can never see different content."""

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        names = [name for name, _ in pairs]
        if len(names) != len(set(names)):
            raise TrustListError(f"{what} repeats a field")
        return dict(pairs)

    try:
        return json.loads(text, object_pairs_hook=unique)
    except json.JSONDecodeError as exc:
        raise TrustListError(f"{what} is not JSON: {exc}") from exc
