"""What a scanned code contributes to the evidence, whatever its kind: one mapping for the booth
and for ``gatehouse decide``, so both decide on exactly the same facts.

A Gatehouse pass vouches for everything its claims say. A verified EU DCC vouches for a
nucleic-acid (NAAT) test when it is a test certificate; a SMART Health Card only for
vaccinations, which no rule reads. A provincial health code vouches for nothing until the
guard attests the colour shown on the phone (as for a pass whose colour has aged). A refused,
unknown or scanner-garbled code gives its first reason as the credential error.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from gatehouse.core.code_kinds import KINDS, CodeKind
from gatehouse.core.code_reader import ScannedCode
from gatehouse.core.models import (
    HealthCodeColour,
    NucleicAcidTest,
    TemperatureReading,
    TestResult,
)
from gatehouse.core.rules.evidence import Evidence

# EU DCC value sets (ehn-dcc-valuesets): test type and result.
DCC_NAAT = "LP6464-4"  # nucleic acid amplification: the "nucleic acid test" the seeds require
_DCC_RESULTS = {"260415000": TestResult.NEGATIVE, "260373001": TestResult.POSITIVE}


def evidence_from_code(
    text: str,
    scanned: ScannedCode,
    *,
    temperature: TemperatureReading | None,
    id_number: str | None = None,
    first_abnormal: TemperatureReading | None = None,
    attested_colour: HealthCodeColour | None = None,
) -> Evidence:
    """The evidence for one scan of ``text`` (read as ``scanned``), with what the booth adds."""
    credential = scanned.credential if scanned.kind is CodeKind.GATEHOUSE_PASS else None
    usable = credential is not None or scanned.verified or _provincial(scanned)
    attested = _provincial(scanned) and attested_colour is not None
    return Evidence(
        scanned_text=text,
        credential=credential,
        credential_error=None if usable or not scanned.reasons else scanned.reasons[0],
        temperature=temperature,
        id_number=id_number,
        code_kind=scanned.kind.value,
        attested=attested,
        first_abnormal=first_abnormal,
        # a pass's own colour may have aged: then the guard's look at the live code counts
        health_code=attested_colour if attested or credential is not None else None,
        certificate_test=dcc_test(scanned.claims) if scanned.verified else None,
        code_issuer=code_issuer(scanned),
        dcc_certificate=dcc_certificate(scanned),
    )


def dcc_certificate(scanned: ScannedCode) -> Mapping[str, Any] | None:
    """The certificate a verified EU DCC carries; nothing from an unverified one is believed."""
    if scanned.kind is not CodeKind.EU_DCC or not scanned.verified or scanned.claims is None:
        return None
    certificate = scanned.claims.get("certificate")
    return certificate if isinstance(certificate, dict) else None


def _provincial(scanned: ScannedCode) -> bool:
    return KINDS[scanned.kind].attested


def code_issuer(scanned: ScannedCode) -> str | None:
    """Who issued the code, as the guard knows them (a provincial issuer by its Chinese name)."""
    if _provincial(scanned) and scanned.claims is not None:
        return str(scanned.claims.get("issuer_zh") or scanned.issuer or "")
    return scanned.issuer


def dcc_test(claims: Mapping[str, Any] | None) -> NucleicAcidTest | None:
    """The nucleic-acid test an EU DCC test certificate records (not a rapid antigen test)."""
    certificate = claims.get("certificate") if claims else None
    tests = certificate.get("t") if isinstance(certificate, dict) else None
    if not isinstance(tests, list) or len(tests) != 1 or not isinstance(tests[0], dict):
        return None
    test = tests[0]
    result = _DCC_RESULTS.get(str(test.get("tr")))
    try:
        sampled_at = datetime.fromisoformat(str(test.get("sc")).replace("Z", "+00:00"))
    except ValueError:
        return None
    if test.get("tt") != DCC_NAAT or result is None or sampled_at.tzinfo is None:
        return None
    return NucleicAcidTest(sampled_at, result)


def holder_name(scanned: ScannedCode) -> str | None:
    """The holder's name as a verified certificate gives it, for the passage record (a pass's
    name is in its claims; nothing from an unverified code is believed)."""
    claims = scanned.claims or {}
    if not scanned.verified:
        return None
    if scanned.kind is CodeKind.EU_DCC and isinstance(claims.get("certificate"), dict):
        name = claims["certificate"].get("nam")
        if isinstance(name, dict):
            return " ".join(str(name[k]) for k in ("gn", "fn") if name.get(k)) or None
    if scanned.kind is CodeKind.SHC:
        patients = claims.get("patients")
        if isinstance(patients, list) and patients and isinstance(patients[0], dict):
            parts = (patients[0].get("given"), patients[0].get("family"))
            return " ".join(str(part) for part in parts if part) or None
    return None
