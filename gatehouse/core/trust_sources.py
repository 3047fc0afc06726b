"""Trust material from the text of one file, whatever kind it is.

``gatehouse inspect-code --trust FILE`` and the booth accept: the office's signed trust list,
a plain (unsigned) trust file, an issuer's JWKS (SMART Health Cards), or an X.509 document
signer certificate in PEM or base64 DER (EU DCC). The kind is told from the content.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gatehouse.core.code_reader import TrustMaterial
from gatehouse.core.dcc.signer import DccSigner, SignerCertificateError
from gatehouse.core.keys import TrustStore
from gatehouse.core.shc.issuers import issuer_from_jwks, looks_like_jwks
from gatehouse.core.trust_list import looks_like_trust_list, verify_trust_list


class TrustSourceError(ValueError):
    """The file is none of the kinds of trust material we read, or is a broken one."""


def trust_from_text(
    text: str,
    *,
    root_keys: Sequence[Ed25519PublicKey] = (),
    crls: Mapping[str, str] | None = None,
) -> TrustMaterial:
    """Trust material from one file's text; ``root_keys`` check a signed trust list,
    ``crls`` (kid -> revocation list text) go with a JWKS."""
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
    if looks_like_jwks(document):
        return TrustMaterial(shc_issuers=(issuer_from_jwks(None, text, crls),))
    if document is None:
        try:
            return TrustMaterial(dcc_signers=(DccSigner.from_text(text),))
        except SignerCertificateError as exc:
            raise TrustSourceError(f"not a certificate, JWKS or trust list: {exc}") from exc
    raise TrustSourceError("JSON, but not a trust list, trust file or JWKS")


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
        health_code_issuers=next(
            (m.health_code_issuers for m in materials if m.health_code_issuers.issuers),
            materials[0].health_code_issuers if materials else TrustMaterial().health_code_issuers,
        ),
    )
