"""Signed policy documents: a rule pack or risk-area list as COSE_Sign1 over its JSON text.

The JSON stays the document (readable, diffable); the signature binds it to a key in a trust
file of policy signers, like the pass issuers' trust file. A document whose signature does not
verify with a trusted key is refused whole: a booth keeps deciding with what it had.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatehouse.core import cose
from gatehouse.core.keys import TrustedKey, TrustStore, key_id


class SignedDocumentError(ValueError):
    """Not a well-formed signed document, or not signed by a trusted policy signer."""


def sign_document(document: Any, key: Ed25519PrivateKey) -> bytes:
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    return cose.sign1(text.encode("utf-8"), key, key_id(key.public_key()))


def open_document(data: bytes, signers: TrustStore) -> tuple[Any, TrustedKey]:
    """The verified document and the key that signed it; SignedDocumentError otherwise."""
    try:
        message = cose.parse_sign1(data)
    except cose.CoseError as exc:
        raise SignedDocumentError(f"not a signed document: {exc}") from exc
    signer = next(
        (key for key in signers.candidates(message.kid) if message.verify(key.public_key)), None
    )
    if signer is None:
        raise SignedDocumentError("document is not signed by a trusted policy signer")
    try:
        return json.loads(message.payload.decode("utf-8")), signer
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SignedDocumentError(f"signed document is not JSON: {exc}") from exc
