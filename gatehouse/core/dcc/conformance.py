"""The EU DCC conformance cases (dgc-testdata): which EXPECTED* flag each step reproduces.

A case is one test-data JSON document; ``evaluate_case`` runs every step a flag names, on
the case's own input for that step (falling back to what the earlier steps decoded), and
returns what this implementation says for each flag present. The test suite and the
benchmark both compare that with the flags; decoding the case's QR picture is passed in,
because core does no image I/O.
"""

from __future__ import annotations

import binascii
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from gatehouse.core.cbor_strict import MalformedCborError, decode_strict
from gatehouse.core.dcc.payload import (
    CLAIM_HCERT,
    HCERT_EU_DCC,
    DccPayload,
    DccPayloadError,
    to_json,
)
from gatehouse.core.dcc.schema import schema_errors
from gatehouse.core.dcc.signer import DccSigner, SignerCertificateError
from gatehouse.core.dcc.verify import (
    DCC_PREFIX,
    DccError,
    decode,
    decompress,
    find_signer,
    key_usage_problem,
    parse_message,
    unwrap_base45,
    validity_problem,
)

# Upstream typo in four BG cases, all valid certificates checked inside their validity: it
# stands for EXPECTEDEXPIRATIONCHECK.
EXPIRED_TYPO = "EXPTECTEDEXPIRED"
# Returns the texts read from the case's QR picture, or None when the case has no picture.
PictureReader = Callable[[Mapping[str, Any]], list[str] | None]


def expected_flags(case: Mapping[str, Any]) -> dict[str, bool]:
    """The case's EXPECTED* flags, including the nested block some ES cases carry."""
    results = case.get("EXPECTEDRESULTS", {})
    flags = {name: value for name, value in results.items() if isinstance(value, bool)}
    nested = results.get("EXPECTEDRESULTS")
    if isinstance(nested, Mapping):
        flags.update({n: v for n, v in nested.items() if isinstance(v, bool) and n not in flags})
    return flags


class _Case:
    """Lazily derives each stage of one case, from its own field or the stage before."""

    def __init__(self, case: Mapping[str, Any]) -> None:
        self.case = case
        context = case.get("TESTCTX", {})
        self.clock_text = context.get("VALIDATIONCLOCK")
        self.certificate_text = context.get("CERTIFICATE")

    def hex_field(self, name: str) -> bytes | None:
        value = self.case.get(name)
        return binascii.unhexlify(value) if isinstance(value, str) else None

    def base45_text(self) -> str:
        if isinstance(self.case.get("BASE45"), str):
            return str(self.case["BASE45"])
        return str(self.case["PREFIX"]).removeprefix(DCC_PREFIX)

    def compressed(self) -> bytes:
        own = self.hex_field("COMPRESSED")
        return own if own is not None else unwrap_base45(self.base45_text())

    def cose(self) -> bytes:
        own = self.hex_field("COSE")
        return own if own is not None else decompress(self.compressed())

    def payload(self) -> DccPayload:
        return decode(parse_message(self.cose()).payload)

    def signer(self) -> DccSigner:
        return DccSigner.from_text(str(self.certificate_text))

    def chain_payload(self) -> DccPayload:
        """The whole pipeline from the QR text, as a booth runs it."""
        prefix = str(self.case["PREFIX"])
        if not prefix.startswith(DCC_PREFIX):
            raise ValueError("no HC1: prefix: the chain stops at its first step")
        compressed = unwrap_base45(prefix[len(DCC_PREFIX) :])
        return decode(parse_message(decompress(compressed)).payload)

    def cbor_or_payload_certificate(self) -> Any:
        return self.cbor_certificate() if "CBOR" in self.case else self.payload().certificate

    def cbor_certificate(self) -> Any:
        """The certificate in the CBOR field (full CWT claims or the bare DCC), strictly."""
        claims = decode_strict(binascii.unhexlify(self.case["CBOR"]), allow_indefinite=True)
        if isinstance(claims, Mapping) and CLAIM_HCERT in claims:
            return to_json(claims[CLAIM_HCERT][HCERT_EU_DCC], "hcert")
        return to_json(claims, "hcert")


_FAILURES = (
    DccError,
    DccPayloadError,
    MalformedCborError,
    SignerCertificateError,
    KeyError,
    TypeError,
    ValueError,
    binascii.Error,
)


def _succeeds(step: Callable[[], bool]) -> bool:
    try:
        return step()
    except _FAILURES:
        return False


def evaluate_case(
    case: Mapping[str, Any], read_picture: PictureReader | None = None
) -> dict[str, bool]:
    """This implementation's answer for every flag ``case`` expects and it can check.

    PICTUREDECODE is answered only with ``read_picture`` and when the case has a picture.
    """
    c = _Case(case)
    json_doc = case.get("JSON")
    steps: dict[str, Callable[[], bool]] = {
        "EXPECTEDUNPREFIX": lambda: _unprefix(case),
        "EXPECTEDB45DECODE": lambda: _matches(
            unwrap_base45(c.base45_text()), c.hex_field("COMPRESSED")
        ),
        "EXPECTEDCOMPRESSION": lambda: _matches(decompress(c.compressed()), c.hex_field("COSE")),
        "EXPECTEDVERIFY": lambda: find_signer(parse_message(c.cose()), [c.signer()])[0] is not None,
        "EXPECTEDDECODE": lambda: _same_json(c.cbor_or_payload_certificate(), json_doc),
        "EXPECTEDVALIDJSON": lambda: _same_json(c.chain_payload().certificate, json_doc),
        "EXPECTEDSCHEMAVALIDATION": lambda: not schema_errors(_schema_input(c)),
        "EXPECTEDEXPIRATIONCHECK": lambda: (
            validity_problem(c.payload(), c.signer(), _parse_clock(c.clock_text)) is None
        ),
        EXPIRED_TYPO: lambda: (
            validity_problem(c.payload(), c.signer(), _parse_clock(c.clock_text)) is None
        ),
        "EXPECTEDKEYUSAGE": lambda: _key_usage_ok(c),
        "EXPECTEDVALIDOBJECT": lambda: not schema_errors(json_doc),
        # Generation side: the JSON, encoded, is the CBOR the case holds (compared decoded,
        # since map order is free).
        "EXPECTEDENCODE": lambda: _same_json(c.cbor_or_payload_certificate(), json_doc),
    }
    texts = read_picture(case) if read_picture is not None else None
    if texts is not None:
        steps["EXPECTEDPICTUREDECODE"] = lambda: str(case["PREFIX"]) in texts
    return {flag: _succeeds(steps[flag]) for flag in expected_flags(case) if flag in steps}


def _unprefix(case: Mapping[str, Any]) -> bool:
    prefix = str(case["PREFIX"])
    if not prefix.startswith(DCC_PREFIX):
        return False
    base45 = case.get("BASE45")
    return base45 is None or prefix[len(DCC_PREFIX) :] == base45


def _matches(derived: bytes, given: bytes | None) -> bool:
    return given is None or derived == given


def _schema_input(c: _Case) -> Any:
    """What the reference test validates: the signed payload, else the bare CBOR."""
    if "COSE" in c.case or "CBOR" not in c.case:
        return c.payload().certificate
    return c.cbor_certificate()


def _key_usage_ok(c: _Case) -> bool:
    payload = c.payload()
    if len([group for group in ("v", "t", "r") if group in payload.certificate]) != 1:
        return False
    return key_usage_problem(payload, c.signer()) is None


def _same_json(decoded: Any, expected: Any) -> bool:
    if expected is None:
        return decoded is not None
    return bool(_normalised(decoded) == _normalised(expected))


def _normalised(value: Any) -> Any:
    """JSON compared as the reference tests do: order-free, date-times to the second in UTC."""
    if isinstance(value, dict):
        return sorted((key, _normalised(item)) for key, item in value.items())
    if isinstance(value, list):
        return sorted((_normalised(item) for item in value), key=repr)
    if isinstance(value, str) and "T" in value:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).replace(microsecond=0).isoformat()
    return value


def _parse_clock(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError("the case has no VALIDATIONCLOCK")
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
