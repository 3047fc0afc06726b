"""SMART Health Card issuers a booth trusts: their JWKS keys and revocation lists.

A key's id is its RFC 7638 thumbprint, computed here from the key itself; a JWKS entry whose
declared kid differs is refused, so a kid can never point a card at the wrong key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

_P256_BYTES = 32


class IssuerKeyError(ValueError):
    """A JWKS or revocation list is not what the SMART Health Cards framework specifies."""


def b64url_decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise IssuerKeyError(f"not base64url: {exc}") from exc


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class ShcKey:
    kid: str  # RFC 7638 thumbprint of the key
    public_key: ec.EllipticCurvePublicKey
    revoked_rids: Mapping[str, float | None] = field(default_factory=dict)  # rid -> cut-off

    def revokes(self, rid: str | None, issued_at: float) -> bool:
        """A rid listed bare is revoked; "rid.<time>" revokes cards issued before that time."""
        if rid is None or rid not in self.revoked_rids:
            return False
        cut_off = self.revoked_rids[rid]
        return cut_off is None or issued_at < cut_off


@dataclass(frozen=True)
class ShcIssuer:
    """One issuer: ``iss`` is its URL, or None for keys given without one (inspect-code)."""

    iss: str | None
    keys: tuple[ShcKey, ...]

    def key(self, kid: str) -> ShcKey | None:
        return next((key for key in self.keys if key.kid == kid), None)


def issuer_from_jwks(
    iss: str | None, jwks_text: str, crls: Mapping[str, str] | None = None
) -> ShcIssuer:
    """Parse a JWKS (and revocation lists, by kid) into the keys for cards from ``iss``."""
    document = _json(jwks_text, "JWKS")
    entries = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise IssuerKeyError('a JWKS is an object with a "keys" list')
    keys = []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("kty") != "EC" or entry.get("crv") != "P-256":
            continue  # other key types cannot sign a card (ES256 only)
        public_key = _ec_key(entry)
        kid = thumbprint(public_key)
        if entry.get("kid") != kid:
            raise IssuerKeyError(f"JWKS kid {entry.get('kid')!r} is not the key's thumbprint")
        crl = (crls or {}).get(kid)
        keys.append(ShcKey(kid, public_key, parse_crl(kid, crl) if crl else {}))
    if not keys:
        raise IssuerKeyError("the JWKS holds no P-256 signing key")
    return ShcIssuer(iss, tuple(keys))


def looks_like_jwks(document: object) -> bool:
    return isinstance(document, dict) and isinstance(document.get("keys"), list)


def parse_crl(kid: str, text: str) -> dict[str, float | None]:
    document = _json(text, "revocation list")
    if not isinstance(document, dict) or document.get("kid") != kid:
        raise IssuerKeyError(f"revocation list is not for key {kid}")
    if document.get("method") != "rid" or not isinstance(document.get("rids"), list):
        raise IssuerKeyError('revocation list must use method "rid" with a "rids" list')
    revoked: dict[str, float | None] = {}
    for entry in document["rids"]:
        if not isinstance(entry, str) or not entry:
            raise IssuerKeyError("a revoked rid must be text")
        rid, _, cut_off = entry.partition(".")
        try:
            revoked[rid] = float(cut_off) if cut_off else None
        except ValueError:
            raise IssuerKeyError(f"revoked rid {entry!r} has a bad time") from None
    return revoked


def thumbprint(public_key: ec.EllipticCurvePublicKey) -> str:
    """RFC 7638 JWK thumbprint (SHA-256) of a P-256 key: the SMART Health Card kid."""
    numbers = public_key.public_numbers()
    members = {
        "crv": "P-256",
        "kty": "EC",
        "x": _b64url(numbers.x.to_bytes(_P256_BYTES, "big")),
        "y": _b64url(numbers.y.to_bytes(_P256_BYTES, "big")),
    }
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode("ascii")
    return _b64url(hashlib.sha256(canonical).digest())


def _ec_key(entry: dict[str, Any]) -> ec.EllipticCurvePublicKey:
    x, y = entry.get("x"), entry.get("y")
    if not isinstance(x, str) or not isinstance(y, str):
        raise IssuerKeyError("an EC key needs x and y")
    raw_x, raw_y = b64url_decode(x), b64url_decode(y)
    if len(raw_x) != _P256_BYTES or len(raw_y) != _P256_BYTES:
        raise IssuerKeyError("P-256 coordinates are 32 bytes")
    try:
        return ec.EllipticCurvePublicNumbers(
            int.from_bytes(raw_x, "big"), int.from_bytes(raw_y, "big"), ec.SECP256R1()
        ).public_key()
    except ValueError as exc:
        raise IssuerKeyError(f"not a point on P-256: {exc}") from exc


def _json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise IssuerKeyError(f"{what} is not JSON: {exc}") from exc
