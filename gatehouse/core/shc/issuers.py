"""SMART Health Card issuers a booth trusts: each issuer URL with its JWKS and revocation lists.

Trust is per issuer (SMART Health Cards framework, "Issuer" and "Revocation"): a card is
checked only with the keys published for the issuer its ``iss`` names, and ``iss`` is an
``https://`` URL without a trailing slash. A key's id is its RFC 7638 thumbprint, computed
here from the key itself; a JWKS entry whose declared kid differs is refused, so a kid can
never point a card at the wrong key.

Every item is validated on load and a bad one is refused with a reason (kept in
``ShcIssuer.refused``) without touching the rest: a malformed key leaves the issuer's other
keys in force, and a malformed revocation list leaves the last good list for that key in force.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

_P256_BYTES = 32
MAX_RID_LENGTH = 24  # the framework: a rid is base64url, at most 24 characters
_RID = re.compile(r"[A-Za-z0-9_-]+")
_REVOKED_AT = re.compile(r"\d{1,12}")


class IssuerKeyError(ValueError):
    """A JWKS, issuer URL or revocation list is not what the SMART Health Cards framework
    specifies."""


def b64url_decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise IssuerKeyError(f"not base64url: {exc}") from exc


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def issuer_url(iss: object) -> str:
    """``iss`` if it is an issuer URL as the framework requires, else IssuerKeyError saying why."""
    if not isinstance(iss, str) or not iss:
        raise IssuerKeyError("the issuer must be a URL")
    if any(char.isspace() for char in iss):
        raise IssuerKeyError(f"issuer {iss[:80]!r} contains white space")
    try:
        parts = urlsplit(iss)
        host = parts.hostname
    except ValueError as exc:
        raise IssuerKeyError(f"issuer {iss[:80]!r} is not a URL: {exc}") from exc
    if parts.scheme != "https":
        raise IssuerKeyError(f"issuer {iss[:80]!r} must be an https:// URL")
    if not host or parts.username is not None or parts.password is not None:
        raise IssuerKeyError(f"issuer {iss[:80]!r} must name a host (and no user)")
    if parts.query or parts.fragment or "?" in iss or "#" in iss:
        raise IssuerKeyError(f"issuer {iss[:80]!r} must not have a query or fragment")
    if iss.endswith("/"):
        raise IssuerKeyError(f"issuer {iss[:80]!r} must not end with a slash")
    return iss


@dataclass(frozen=True)
class RevocationList:
    """One key's revocation list (``method: "rid"``), validated."""

    kid: str
    ctr: int
    entries: tuple[str, ...]  # "rid" (revoked) or "rid.<time>" (cards issued before it)

    def revokes(self, rid: str, issued_at: float) -> bool:
        for entry in self.entries:
            listed, _, cut_off = entry.partition(".")
            if listed == rid and (not cut_off or issued_at < int(cut_off)):
                return True
        return False

    def to_json(self) -> str:
        document = {"kid": self.kid, "method": "rid", "ctr": self.ctr, "rids": list(self.entries)}
        return json.dumps(document, indent=2) + "\n"


@dataclass(frozen=True)
class ShcKey:
    kid: str  # RFC 7638 thumbprint of the key
    public_key: ec.EllipticCurvePublicKey
    crl_version: int | None = None  # the JWK's crlVersion: the key's revocation list counter
    crl: RevocationList | None = None  # the list in force for this key

    def revokes(self, rid: str | None, issued_at: float) -> bool:
        return rid is not None and self.crl is not None and self.crl.revokes(rid, issued_at)

    @property
    def revocation_checkable(self) -> bool:
        """False when the key has revocation (crlVersion) but no list of that version is held."""
        return self.crl_version is None or (
            self.crl is not None and self.crl.ctr >= self.crl_version
        )


@dataclass(frozen=True)
class ShcIssuer:
    """One issuer: its URL, the keys it signs with, and the items refused while loading them."""

    iss: str
    keys: tuple[ShcKey, ...]
    refused: tuple[str, ...] = ()

    def key(self, kid: str) -> ShcKey | None:
        return next((key for key in self.keys if key.kid == kid), None)


def issuer_from_jwks(
    iss: str,
    jwks_text: str,
    crls: Mapping[str, str] | None = None,
    kept: Mapping[str, RevocationList] | None = None,
) -> ShcIssuer:
    """The keys for cards from ``iss``, from its JWKS and revocation lists (by kid);
    ``kept`` are the lists in force before, which a refused or older list leaves in force."""
    document = _json(jwks_text, "JWKS")
    lists = {kid: _crl_json(text) for kid, text in (crls or {}).items()}
    return issuer_from_documents(iss, document, lists, kept)


def _crl_json(text: str) -> Any:
    """The parsed list, or the error itself: a broken list is refused, not the whole issuer."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        return IssuerKeyError(f"it is not JSON: {exc}")


def issuer_from_documents(
    iss: str,
    jwks: Any,
    crls: Mapping[str, Any] | None = None,
    kept: Mapping[str, RevocationList] | None = None,
) -> ShcIssuer:
    """As ``issuer_from_jwks``, from the parsed JSON documents."""
    iss = issuer_url(iss)
    entries = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(entries, list):
        raise IssuerKeyError('a JWKS is an object with a "keys" list')
    keys: list[ShcKey] = []
    refused: list[str] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or entry.get("kty") != "EC" or entry.get("crv") != "P-256":
            continue  # other key types cannot sign a card (ES256 only)
        try:
            key = _key(entry, iss)
        except IssuerKeyError as exc:
            refused.append(f"{iss}: key {index} refused: {exc}")
            continue
        crl, problem = _revocation_list(key, (crls or {}).get(key.kid), (kept or {}).get(key.kid))
        if problem is not None:
            refused.append(f"{iss}: {problem}")
        keys.append(ShcKey(key.kid, key.public_key, key.crl_version, crl))
    if not keys:
        raise IssuerKeyError("; ".join(["the JWKS holds no usable P-256 signing key", *refused]))
    return ShcIssuer(iss, tuple(keys), tuple(refused))


def looks_like_jwks(document: object) -> bool:
    return isinstance(document, dict) and isinstance(document.get("keys"), list)


def _key(entry: Mapping[str, Any], iss: str) -> ShcKey:
    """One signing key as the framework specifies it: ES256 for signatures, no private part,
    kid its thumbprint, and an X.509 chain (``x5c``), if given, for this key and this issuer."""
    if "d" in entry:
        raise IssuerKeyError("the JWKS publishes a private key (d): the key is compromised")
    public_key = _ec_key(entry)
    kid = thumbprint(public_key)
    if entry.get("kid") != kid:
        raise IssuerKeyError(f"JWKS kid {entry.get('kid')!r} is not the key's thumbprint")
    if entry.get("use") != "sig" or entry.get("alg") != "ES256":
        raise IssuerKeyError(f"key {kid} must have use sig and alg ES256")
    if "x5c" in entry:
        _check_x5c(entry["x5c"], public_key, iss, kid)
    version = entry.get("crlVersion")
    if version is not None and not _counter(version, minimum=1):
        raise IssuerKeyError(f"key {kid}: crlVersion {version!r} is not a positive integer")
    return ShcKey(kid, public_key, version)


def _check_x5c(chain: object, public_key: ec.EllipticCurvePublicKey, iss: str, kid: str) -> None:
    """The leaf certificate must hold this very key and name ``iss`` as a subject alternative
    URI (chains to a trust framework's root are that framework's business, not checked here)."""
    if not isinstance(chain, list) or not chain or not isinstance(chain[0], str):
        raise IssuerKeyError(f"key {kid}: x5c must be a list of base64 certificates")
    try:
        leaf = x509.load_der_x509_certificate(base64.b64decode(chain[0], validate=True))
        holds = leaf.public_key()
    except (binascii.Error, ValueError) as exc:
        raise IssuerKeyError(f"key {kid}: x5c leaf is not a certificate: {exc}") from exc
    if not isinstance(holds, ec.EllipticCurvePublicKey) or (
        holds.public_numbers() != public_key.public_numbers()
    ):
        raise IssuerKeyError(f"key {kid}: the x5c certificate holds another key")
    try:
        names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        uris = names.get_values_for_type(x509.UniformResourceIdentifier)
    except (x509.ExtensionNotFound, ValueError):
        uris = []
    if iss not in uris:
        raise IssuerKeyError(f"key {kid}: the x5c certificate is not for issuer {iss}")


def _revocation_list(
    key: ShcKey, offered: Any, kept: RevocationList | None
) -> tuple[RevocationList | None, str | None]:
    """The list in force for ``key``: the offered one if valid and not older, else ``kept``."""
    if kept is not None and kept.kid != key.kid:
        kept = None
    if offered is None:
        return kept, None
    try:
        crl = parse_crl(key.kid, offered, key.crl_version)
    except IssuerKeyError as exc:
        return kept, f"revocation list for key {key.kid} refused: {exc}{_keeping(kept)}"
    if kept is not None and crl.ctr < kept.ctr:
        older = f"counter {crl.ctr} is older than the list in force ({kept.ctr})"
        return kept, f"revocation list for key {key.kid} refused: {older}{_keeping(kept)}"
    return crl, None


def _keeping(kept: RevocationList | None) -> str:
    return f"; list {kept.ctr} stays in force" if kept is not None else "; no list in force"


def parse_crl(kid: str, document: Any, crl_version: int | None = None) -> RevocationList:
    """A revocation list checked as the framework specifies: for this key, method "rid", a
    counter equal to the key's ``crlVersion``, each rid base64url of at most 24 characters
    (optionally ".<revocation time>"), no rid twice."""
    if isinstance(document, IssuerKeyError):
        raise document
    if not isinstance(document, dict) or document.get("kid") != kid:
        raise IssuerKeyError(f"it is not for key {kid}")
    if document.get("method") != "rid" or not isinstance(document.get("rids"), list):
        raise IssuerKeyError('it must use method "rid" with a "rids" list')
    ctr = document.get("ctr")
    if not isinstance(ctr, int) or not _counter(ctr, minimum=0):
        raise IssuerKeyError(f"counter {ctr!r} is not a non-negative integer")
    if crl_version is not None and ctr != crl_version:
        raise IssuerKeyError(f"counter {ctr} does not match the key's crlVersion {crl_version}")
    seen: set[str] = set()
    for entry in document["rids"]:
        rid = _rid_entry(entry)
        if rid in seen:
            raise IssuerKeyError(f"rid {rid!r} is listed twice")
        seen.add(rid)
    return RevocationList(kid, ctr, tuple(document["rids"]))


def _rid_entry(entry: object) -> str:
    if not isinstance(entry, str):
        raise IssuerKeyError(f"revoked rid {entry!r} is not text")
    rid, dot, revoked_at = entry.partition(".")
    check_rid(rid)
    if dot and not _REVOKED_AT.fullmatch(revoked_at):
        raise IssuerKeyError(f"revoked rid {entry[:40]!r} has a bad revocation time")
    return rid


def check_rid(rid: str) -> None:
    """A rid is base64url of at most 24 characters; IssuerKeyError saying which rule it breaks."""
    if not _RID.fullmatch(rid):
        raise IssuerKeyError(f"rid {rid[:40]!r} is not base64url")
    if len(rid) > MAX_RID_LENGTH:
        raise IssuerKeyError(f"rid {rid[:40]!r} is longer than {MAX_RID_LENGTH} characters")


def _counter(value: object, *, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


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


def _ec_key(entry: Mapping[str, Any]) -> ec.EllipticCurvePublicKey:
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
