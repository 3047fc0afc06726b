"""Document signer certificates (DSC): the X.509 certificates EU DCC issuers sign with.

The kid a DCC carries is the first 8 bytes of SHA-256 of the signer's DER certificate; it
only narrows the search: a DCC counts as signed only when the certificate's key verifies it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from gatehouse.core.dcc.der import DerError, raw_extended_key_usages

KID_LENGTH = 8
_PEM_MARKER = "-----BEGIN CERTIFICATE-----"


class CertificateType(StrEnum):
    """What a DCC certifies; the hcert group key ("v", "t" or "r")."""

    VACCINATION = "v"
    TEST = "t"
    RECOVERY = "r"


# Extended key usages a DSC may carry to limit what it signs (eHealth Network, DCC technical
# specification vol. 1, "Document Signer Certificates"); both the official arc and the
# alternative form with the extra ".0" that early issuers used are in use.
_USAGE_OIDS = {
    CertificateType.TEST: {"1.3.6.1.4.1.1847.2021.1.1", "1.3.6.1.4.1.0.1847.2021.1.1"},
    CertificateType.VACCINATION: {"1.3.6.1.4.1.1847.2021.1.2", "1.3.6.1.4.1.0.1847.2021.1.2"},
    CertificateType.RECOVERY: {"1.3.6.1.4.1.1847.2021.1.3", "1.3.6.1.4.1.0.1847.2021.1.3"},
}
_DCC_USAGE_OIDS = frozenset().union(*_USAGE_OIDS.values())


class SignerCertificateError(ValueError):
    """The text is not an X.509 certificate in PEM or base64 DER."""


@dataclass(frozen=True)
class DccSigner:
    """A trusted document signer: its key, kid, validity and what it may sign."""

    kid: bytes
    public_key: PublicKeyTypes
    subject: str
    not_before: datetime
    not_after: datetime
    usages: frozenset[str]  # extended key usage OIDs (dotted)

    @classmethod
    def from_der(cls, der: bytes) -> DccSigner:
        try:
            certificate = x509.load_der_x509_certificate(der)
            public_key = certificate.public_key()
        except ValueError as exc:
            raise SignerCertificateError(f"not an X.509 certificate: {exc}") from exc
        return cls(
            kid=hashlib.sha256(der).digest()[:KID_LENGTH],
            public_key=public_key,
            subject=certificate.subject.rfc4514_string(),
            not_before=certificate.not_valid_before_utc,
            not_after=certificate.not_valid_after_utc,
            usages=_extended_key_usages(certificate),
        )

    @classmethod
    def from_text(cls, text: str) -> DccSigner:
        """A certificate in PEM, or bare base64 DER as in trust lists and the EU test data."""
        body = text.strip()
        if body.startswith(_PEM_MARKER):
            body = "".join(line for line in body.splitlines() if not line.startswith("-----"))
        try:
            der = base64.b64decode("".join(body.split()), validate=True)
        except binascii.Error as exc:
            raise SignerCertificateError(f"not base64: {exc}") from exc
        return cls.from_der(der)

    def may_sign(self, kind: CertificateType) -> bool:
        """Whether the extended key usage allows ``kind``.

        Only the DCC usage OIDs restrict a signer: one that lists any of them signs only those
        kinds; one with none of them (no extended key usage, or only unrelated ones such as TLS
        client/server) may sign every kind, as the specification says.
        """
        listed = self.usages & _DCC_USAGE_OIDS
        return not listed or bool(listed & _USAGE_OIDS[kind])


def _extended_key_usages(certificate: x509.Certificate) -> frozenset[str]:
    try:
        extension = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        return frozenset()
    except ValueError:
        # Some issuers' DSCs break DER in an extension (an empty usage list, an encoded
        # default); the key and validity are still sound, so read the usages by hand.
        try:
            return raw_extended_key_usages(certificate.tbs_certificate_bytes)
        except DerError as exc:
            raise SignerCertificateError(f"unreadable extended key usage: {exc}") from exc
    return frozenset(oid.dotted_string for oid in extension.value)
