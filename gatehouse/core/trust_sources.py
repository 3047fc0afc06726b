"""Trust material from the text of one file, whatever kind it is.

``gatehouse inspect-code --trust FILE`` and the booth accept: the office's signed trust list,
a plain (unsigned) trust file, a SMART Health Card issuer file (``{"shc_issuer": URL, "jwks":
JWKS, "crls": [lists]}``), or an X.509 document signer certificate in PEM or base64 DER (EU
DCC). The kind is told from the content. A bare JWKS is read only with the issuer URL it
belongs to (``shc_issuer``): a key trusted without its issuer would verify a card claiming
any issuer.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gatehouse.core.code_reader import TrustMaterial
from gatehouse.core.dcc.signer import DccSigner, SignerCertificateError
from gatehouse.core.keys import TrustStore
from gatehouse.core.shc.issuers import (
    IssuerKeyError,
    RevocationList,
    issuer_from_documents,
    issuer_from_jwks,
    looks_like_jwks,
)
from gatehouse.core.trust_list import looks_like_trust_list, verify_trust_list

SHC_ISSUER_FIELD = "shc_issuer"


class TrustSourceError(ValueError):
    """The file is none of the kinds of trust material we read, or is a broken one."""


def trust_from_text(
    text: str,
    *,
    root_keys: Sequence[Ed25519PublicKey] = (),
    shc_issuer: str | None = None,
    crls: Mapping[str, str] | None = None,
    kept_crls: Mapping[str, RevocationList] | None = None,
) -> TrustMaterial:
    """Trust material from one file's text; ``root_keys`` check a signed trust list,
    ``shc_issuer`` is the issuer a bare JWKS belongs to and ``crls`` (kid -> revocation list
    text) go with it; ``kept_crls`` are the revocation lists in force before (by kid)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        document = None
    if looks_like_trust_list(document):
        if not root_keys:
            raise TrustSourceError("a signed trust list needs the office's root key to check it")
        return TrustMaterial(passes=verify_trust_list(text, root_keys).store)
    if isinstance(document, dict) and "version" in document and "keys" in document:
        return TrustMaterial(passes=TrustStore.from_json(text))
    if isinstance(document, dict) and SHC_ISSUER_FIELD in document:
        return _shc_issuer_file(document, kept_crls)
    if looks_like_jwks(document):
        if shc_issuer is None:
            raise TrustSourceError(
                "a SMART Health Card JWKS is trusted only with the issuer URL it belongs to "
                '(an issuer file {"shc_issuer": URL, "jwks": ...}, or the issuer given with it)'
            )
        issuer = issuer_from_jwks(shc_issuer, text, crls, kept_crls)
        return TrustMaterial(shc_issuers=(issuer,), refused=issuer.refused)
    if document is None:
        try:
            return TrustMaterial(dcc_signers=(DccSigner.from_text(text),))
        except SignerCertificateError as exc:
            raise TrustSourceError(f"not a certificate, JWKS or trust list: {exc}") from exc
    raise TrustSourceError("JSON, but not a trust list, trust file or SMART Health Card issuer")


def shc_issuer_file_text(iss: str, jwks_text: str, crls: Mapping[str, str]) -> str:
    """An issuer file binding a JWKS (and its revocation lists, by kid) to the issuer ``iss``;
    TrustSourceError if any part is not JSON. ``trust_from_text`` then validates it."""
    try:
        jwks = json.loads(jwks_text)
        lists = [json.loads(crls[kid]) for kid in sorted(crls)]
    except json.JSONDecodeError as exc:
        raise TrustSourceError(f"JWKS or revocation list is not JSON: {exc}") from exc
    document = {SHC_ISSUER_FIELD: iss, "jwks": jwks, "crls": lists}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _shc_issuer_file(
    document: Mapping[str, Any], kept: Mapping[str, RevocationList] | None
) -> TrustMaterial:
    """An issuer file; a malformed revocation list in it is refused on its own (the last good
    list for that key stays), never costing the issuer its keys."""
    iss = document[SHC_ISSUER_FIELD]
    by_kid, refused = _lists_by_kid(document.get("crls", []))
    try:
        issuer = issuer_from_documents(iss, document.get("jwks"), by_kid, kept)
    except IssuerKeyError as exc:
        raise TrustSourceError(f"SMART Health Card issuer file: {exc}") from exc
    problems = (*(f"{iss}: {problem}" for problem in refused), *issuer.refused)
    return TrustMaterial(shc_issuers=(issuer,), refused=problems)


def _lists_by_kid(crls: object) -> tuple[dict[str, Any], list[str]]:
    """The revocation lists by the kid each names; those naming none, or a kid named twice,
    are refused with the reason."""
    if not isinstance(crls, list):
        return {}, ['"crls" is not a list of revocation lists: all refused']
    kids = [crl.get("kid") if isinstance(crl, dict) else None for crl in crls]
    by_kid, refused = {}, []
    for kid, crl in zip(kids, crls, strict=True):
        if not isinstance(kid, str):
            refused.append("a revocation list names no kid: refused")
        elif kids.count(kid) > 1:
            twice = f"revocation list for key {kid} refused: given twice"
            refused += [] if twice in refused else [twice]
        else:
            by_kid[kid] = crl
    return by_kid, refused


def combine(materials: Sequence[TrustMaterial]) -> TrustMaterial:
    """Several files' trust material as one (revocations from any file apply to all keys)."""
    stores = [material.passes for material in materials]
    return TrustMaterial(
        passes=TrustStore(
            keys=tuple(key for store in stores for key in store.keys),
            revoked_keys=frozenset().union(*(store.revoked_keys for store in stores)),
            revoked_pass_ids=frozenset().union(*(store.revoked_pass_ids for store in stores)),
        ),
        dcc_signers=tuple(signer for m in materials for signer in m.dcc_signers),
        shc_issuers=tuple(issuer for m in materials for issuer in m.shc_issuers),
        refused=tuple(problem for m in materials for problem in m.refused),
        health_code_issuers=next(
            (m.health_code_issuers for m in materials if m.health_code_issuers.issuers),
            materials[0].health_code_issuers if materials else TrustMaterial().health_code_issuers,
        ),
    )
