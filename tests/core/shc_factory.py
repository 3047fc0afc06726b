"""Hand-made SMART Health Cards and issuers, signed with keys of our own (real ES256, real
raw DEFLATE), for the cases the published examples do not cover."""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from gatehouse.core.shc.issuers import thumbprint
from gatehouse.core.shc.numeric import encode_digits


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwk(private: ec.EllipticCurvePrivateKey, **extra: Any) -> dict[str, Any]:
    """The public JWK of ``private``, kid its thumbprint, with ``extra`` members (crlVersion)."""
    numbers = private.public_key().public_numbers()
    return {
        "kty": "EC",
        "crv": "P-256",
        "kid": thumbprint(private.public_key()),
        "use": "sig",
        "alg": "ES256",
        "x": b64(numbers.x.to_bytes(32, "big")),
        "y": b64(numbers.y.to_bytes(32, "big")),
        **extra,
    }


def jwks(*keys: dict[str, Any]) -> str:
    return json.dumps({"keys": list(keys)})


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def card_text(private: ec.EllipticCurvePrivateKey, deflated: bytes) -> str:
    header = {"zip": "DEF", "alg": "ES256", "kid": thumbprint(private.public_key())}
    signed = f"{b64(json.dumps(header).encode())}.{b64(deflated)}"
    r, s = decode_dss_signature(private.sign(signed.encode(), ec.ECDSA(hashes.SHA256())))
    jws = f"{signed}.{b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"
    return "shc:/" + encode_digits(jws)


def card(private: ec.EllipticCurvePrivateKey, iss: str, **vc: Any) -> str:
    """A card from ``iss`` signed with ``private``, issued 2020-09-13, ``vc`` members added."""
    payload = {"iss": iss, "nbf": 1_600_000_000, "vc": {"type": ["x"], **vc}}
    return card_text(private, raw_deflate(json.dumps(payload).encode()))


def crl(private: ec.EllipticCurvePrivateKey, ctr: int, *rids: Any) -> str:
    kid = thumbprint(private.public_key())
    return json.dumps({"kid": kid, "method": "rid", "ctr": ctr, "rids": list(rids)})
