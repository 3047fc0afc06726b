"""Issuer signing keys and the booth's trust store of issuer public keys.

A key's id is always derived from the key itself, never read from a file or a pass, so a
wrong or forged id can at worst make a lookup miss — it can never make a wrong key trusted.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

KEY_ID_LENGTH = 8
TRUST_FILE_VERSION = 1
_ENTRY_FIELDS = frozenset({"issuer", "public_key", "valid_from", "valid_until"})


class KeyFormatError(ValueError):
    """The PEM data is not an Ed25519 key we can load."""


class TrustFileError(ValueError):
    """The trust file text is not a valid version-1 trust file."""


def generate_issuer_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def _raw(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public_key: Ed25519PublicKey) -> bytes:
    """First 8 bytes of SHA-256 of the raw key: short enough for a QR code, a hint not a proof."""
    return fingerprint(public_key)[:KEY_ID_LENGTH]


def fingerprint(public_key: Ed25519PublicKey) -> bytes:
    """SHA-256 of the raw key: names one key for revocation, unlike a (short) key id."""
    return hashlib.sha256(_raw(public_key)).digest()


def private_key_to_pem(private_key: Ed25519PrivateKey, password: bytes | None = None) -> bytes:
    """PKCS#8 PEM, encrypted with ``password`` when one is given."""
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def private_key_from_pem(data: bytes, password: bytes | None = None) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(data, password)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise KeyFormatError(f"cannot load private key: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFormatError(f"private key is {type(key).__name__}, not Ed25519")
    return key


def public_key_to_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_key_from_pem(data: bytes) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise KeyFormatError(f"cannot load public key: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFormatError(f"public key is {type(key).__name__}, not Ed25519")
    return key


@dataclass(frozen=True)
class TrustedKey:
    """An issuer public key and the period in which passes it signs are accepted."""

    key_id: bytes = field(init=False)
    public_key: Ed25519PublicKey
    issuer: str
    valid_from: datetime
    valid_until: datetime | None  # None: until removed from the trust file

    def __post_init__(self) -> None:
        if not self.issuer:
            raise ValueError("issuer label must not be empty")
        for moment in (self.valid_from, self.valid_until):
            if moment is not None and moment.tzinfo is None:
                raise ValueError("key validity times must be timezone-aware")
        if self.valid_until is not None and self.valid_until <= self.valid_from:
            raise ValueError("key valid_until must be after valid_from")
        object.__setattr__(self, "key_id", key_id(self.public_key))

    def valid_at(self, moment: datetime) -> bool:
        """Whether ``moment`` is in [valid_from, valid_until)."""
        if moment < self.valid_from:
            return False
        return self.valid_until is None or moment < self.valid_until


@dataclass(frozen=True)
class TrustStore:
    """The issuer keys this booth accepts. Immutable: reloading builds a new store.

    The revocations come from the signed trust list (``gatehouse.core.trust_list``): a key is
    revoked by its full fingerprint, never by its short id, and a single pass by its id.
    """

    keys: tuple[TrustedKey, ...] = ()
    revoked_keys: frozenset[bytes] = frozenset()  # fingerprints (SHA-256 of the raw key)
    revoked_pass_ids: frozenset[str] = frozenset()

    def candidates(self, kid: bytes) -> tuple[TrustedKey, ...]:
        """Every key with id ``kid``; ids are short, so callers must try each signature."""
        return tuple(key for key in self.keys if key.key_id == kid)

    def is_revoked(self, key: TrustedKey) -> bool:
        return fingerprint(key.public_key) in self.revoked_keys

    @classmethod
    def from_json(cls, text: str) -> TrustStore:
        """Parse a trust file; unknown fields are refused so a typo cannot widen trust."""
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise TrustFileError(f"trust file is not JSON: {exc}") from exc
        if not isinstance(document, dict) or set(document) != {"version", "keys"}:
            raise TrustFileError('trust file must be an object with "version" and "keys" only')
        if document["version"] != TRUST_FILE_VERSION:
            raise TrustFileError(f"trust file version {document['version']!r} is not supported")
        entries = document["keys"]
        if not isinstance(entries, list):
            raise TrustFileError('"keys" must be a list')
        return cls(
            tuple(entry_to_key(f"keys[{index}]", entry) for index, entry in enumerate(entries))
        )

    def to_json(self) -> str:
        entries = [key_to_entry(key) for key in self.keys]
        return json.dumps(
            {"version": TRUST_FILE_VERSION, "keys": entries}, indent=2, ensure_ascii=False
        )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def key_to_entry(key: TrustedKey) -> dict[str, str | None]:
    """A key as a trust-file entry (the signed trust list uses the same entries)."""
    return {
        "issuer": key.issuer,
        "public_key": base64.b64encode(_raw(key.public_key)).decode("ascii"),
        "valid_from": _iso(key.valid_from),
        "valid_until": None if key.valid_until is None else _iso(key.valid_until),
    }


def entry_to_key(where: str, entry: Any) -> TrustedKey:
    """Parse one trust-file entry; ``where`` names it in errors."""
    if not isinstance(entry, dict) or set(entry) != _ENTRY_FIELDS:
        raise TrustFileError(f"{where} must have exactly the fields {sorted(_ENTRY_FIELDS)}")
    issuer, until = entry["issuer"], entry["valid_until"]
    if not isinstance(issuer, str):
        raise TrustFileError(f"{where}.issuer must be a string")
    public_key = _public_key_from_base64(where, entry["public_key"])
    valid_from = parse_time(f"{where}.valid_from", entry["valid_from"])
    valid_until = None if until is None else parse_time(f"{where}.valid_until", until)
    try:
        return TrustedKey(public_key, issuer, valid_from, valid_until)
    except ValueError as exc:
        raise TrustFileError(f"{where}: {exc}") from exc


def _public_key_from_base64(where: str, value: Any) -> Ed25519PublicKey:
    try:
        raw = base64.b64decode(value, validate=True) if isinstance(value, str) else b""
    except binascii.Error:
        raw = b""
    if len(raw) != 32:
        raise TrustFileError(f"{where}.public_key must be base64 of a raw 32-byte Ed25519 key")
    return Ed25519PublicKey.from_public_bytes(raw)


def parse_time(where: str, value: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise TrustFileError(f"{where} must be an ISO 8601 time with a timezone")
    return moment.astimezone(UTC)
