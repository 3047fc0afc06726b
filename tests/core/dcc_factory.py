"""Hand-made EU DCCs: a real X.509 document signer certificate (with the extended key usages
a test asks for) and an HC1 text signed with it (ES256 COSE_Sign1, zlib, base45)."""

from __future__ import annotations

import hashlib
import zlib
from datetime import datetime, timedelta
from typing import Any

import cbor2
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

from gatehouse.core.base45 import b45encode
from gatehouse.core.dcc.signer import KID_LENGTH, DccSigner

TLS_SERVER, TLS_CLIENT = "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"


def signer(now: datetime, usages: tuple[str, ...] = ()) -> tuple[ec.EllipticCurvePrivateKey, bytes]:
    """A DSC valid a year either side of ``now`` with extended key usage ``usages`` (none: no
    extension); returns its private key and DER."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "AT")])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=365))
        .not_valid_after(now + timedelta(days=365))
    )
    if usages:
        oids = [x509.ObjectIdentifier(usage) for usage in usages]
        builder = builder.add_extension(x509.ExtendedKeyUsage(oids), critical=False)
    certificate = builder.sign(key, hashes.SHA256())
    return key, certificate.public_bytes(serialization.Encoding.DER)


def hc1(key: ec.EllipticCurvePrivateKey, der: bytes, now: datetime, dcc: dict[str, Any]) -> str:
    """``dcc`` (the hcert JSON) issued a day before ``now``, valid 30 days, signed by ``key``."""
    claims = {
        1: "AT",
        4: int((now + timedelta(days=30)).timestamp()),
        6: int((now - timedelta(days=1)).timestamp()),
        -260: {1: dcc},
    }
    protected = cbor2.dumps({1: -7, 4: hashlib.sha256(der).digest()[:KID_LENGTH]})
    payload = cbor2.dumps(claims)
    to_sign = cbor2.dumps(["Signature1", protected, b"", payload])
    r, s = decode_dss_signature(key.sign(to_sign, ec.ECDSA(hashes.SHA256())))
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    message = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, signature]))
    return "HC1:" + b45encode(zlib.compress(message))


def certificate(group: str, entry: dict[str, Any], *, version: str = "1.3.0") -> dict[str, Any]:
    return {
        "ver": version,
        "nam": {"fn": "Musterfrau", "fnt": "MUSTERFRAU", "gn": "Erika", "gnt": "ERIKA"},
        "dob": "1964-08-12",
        group: [entry],
    }


def naat_entry(sampled: datetime, **changes: Any) -> dict[str, Any]:
    return {
        "tg": "840539006",
        "tt": "LP6464-4",
        "nm": "Roche LightCycler qPCR",
        "sc": sampled.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tr": "260415000",
        "tc": "Testing centre",
        "co": "AT",
        "is": "Ministry of Health, Austria",
        "ci": "URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B",
        **changes,
    }


def vaccination_entry(**changes: Any) -> dict[str, Any]:
    return {
        "tg": "840539006",
        "vp": "1119349007",
        "mp": "EU/1/20/1528",
        "ma": "ORG-100030215",
        "dn": 2,
        "sd": 2,
        "dt": "2021-02-18",
        "co": "AT",
        "is": "Ministry of Health, Austria",
        "ci": "URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B",
        **changes,
    }


def recovery_entry(**changes: Any) -> dict[str, Any]:
    return {
        "tg": "840539006",
        "fr": "2021-02-01",
        "co": "AT",
        "is": "Ministry of Health, Austria",
        "df": "2021-02-15",
        "du": "2021-08-01",
        "ci": "URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B",
        **changes,
    }


def dsc(der: bytes) -> DccSigner:
    return DccSigner.from_der(der)
