"""One passage's evidence as JSON, for ``gatehouse decide`` (schema: docs/decision-input.md).

The scanned code goes through the same verification as at the booth, and the decision through
the same ``decide``, so the answer is exactly what the gate would have given at that moment.
An explicit ``pass`` object stands for a pass that was never signed: handy for "what if", and
marked as unverified in the output.
"""

from __future__ import annotations

import dataclasses
import difflib
from datetime import date, datetime
from typing import Any

from gatehouse.core.code_kinds import CodeKind
from gatehouse.core.code_reader import TrustMaterial, read_code
from gatehouse.core.decision import Decision, Evidence, Policy, decide
from gatehouse.core.models import (
    HealthCodeColour,
    NucleicAcidTest,
    PassClaims,
    Role,
    TemperatureReading,
    TestResult,
    TravelVisit,
    VerifiedPass,
)
from gatehouse.core.rules.evidence import declared_travel_from_record
from gatehouse.core.rules.scanned import evidence_from_code
from gatehouse.core.rules.vehicles import VehicleDecision, VehicleEvidence, decide_vehicle

UNVERIFIED_ISSUER = "what-if (unsigned)"

# The keys docs/decision-input.md defines; anything else (a misspelt "temprature") is refused,
# naming it, rather than silently dropped as if the evidence were missing.
PERSON_KEYS = frozenset(
    {
        "at",
        "checkpoint",
        "code",
        "pass",
        "id_number",
        "temperature",
        "first_abnormal",
        "abnormal_confirmed",
        "attested_colour",
        "declared_travel",
        "code_kind",
        "attested",
    }
)
_VEHICLE_KEYS = frozenset({"plate", "origin", "purpose", "driver", "passengers"})
_READING_KEYS = frozenset({"celsius", "taken_at", "ambient_celsius", "compensation_celsius"})
_PASS_KEYS = frozenset(
    {
        "pass_id",
        "holder_name",
        "id_masked",
        "role",
        "health_code",
        "health_code_checked_at",
        "valid_from",
        "valid_until",
        "test",
        "travel",
    }
)
_TEST_KEYS = frozenset({"sampled_at", "result"})


class InputError(ValueError):
    """The JSON does not follow docs/decision-input.md; the message names the field."""


def decide_input(
    data: Any, policy: Policy, trust: TrustMaterial, at: datetime
) -> Decision | VehicleDecision:
    if not isinstance(data, dict):
        raise InputError("input must be a JSON object")
    if "vehicle" in data:
        _known(data, frozenset({"vehicle", "at", "checkpoint"}), "")
        return decide_vehicle(vehicle_evidence(data["vehicle"], trust, at), policy, at)
    return decide(person_evidence(data, trust, at), policy, at)


def _known(data: dict[str, Any], keys: frozenset[str], prefix: str) -> None:
    """Refuse a key the schema does not define, naming it (and the closest known key)."""
    for key in data:
        if key not in keys:
            close = difflib.get_close_matches(str(key), sorted(keys), n=1)
            hint = f" (did you mean {prefix}{close[0]}?)" if close else ""
            raise InputError(f"unknown field {prefix}{key}{hint}")


def vehicle_evidence(data: Any, trust: TrustMaterial, at: datetime) -> VehicleEvidence:
    if not isinstance(data, dict):
        raise InputError("vehicle must be an object")
    _known(data, _VEHICLE_KEYS, "vehicle.")
    driver = data.get("driver")
    passengers = data.get("passengers", [])
    if not isinstance(passengers, list):
        raise InputError("vehicle.passengers must be a list")
    return VehicleEvidence(
        plate=_str(data, "plate", "vehicle."),
        origin_region=_str(data, "origin", "vehicle."),
        purpose=_str(data, "purpose", "vehicle."),
        driver=person_evidence(driver, trust, at) if driver is not None else None,
        passengers=tuple(person_evidence(person, trust, at) for person in passengers),
    )


def person_evidence(data: Any, trust: TrustMaterial, at: datetime) -> Evidence:
    if not isinstance(data, dict):
        raise InputError("a person must be an object")
    _known(data, PERSON_KEYS, "")
    temperature = _reading(data.get("temperature"), at, "temperature")
    first_abnormal = _reading(data.get("first_abnormal"), at, "first_abnormal")
    confirmed = bool(data.get("abnormal_confirmed", False))
    text = data.get("code", "")
    if text and "pass" not in data:
        if not isinstance(text, str):
            raise InputError("code must be the scanned text")
        scanned = read_code(text, trust, at)  # exactly as BoothService.handle_scan reads it
        evidence = evidence_from_code(
            text,
            scanned,
            temperature=temperature,
            id_number=data.get("id_number"),
            first_abnormal=first_abnormal,
            attested_colour=_colour(data.get("attested_colour")),
        )
        _check_kind(data, evidence.code_kind)
        return dataclasses.replace(
            evidence,
            abnormal_confirmed=confirmed,
            declared_travel=_declared(data.get("declared_travel")),
        )
    if "declared_travel" in data:
        raise InputError("declared_travel is for a code without signed travel, not a pass")
    _check_kind(data, CodeKind.GATEHOUSE_PASS.value)
    credential = None
    if "pass" in data:
        credential = VerifiedPass(_claims(data["pass"]), b"", UNVERIFIED_ISSUER)
    return Evidence(
        scanned_text="",
        credential=credential,
        credential_error=None,
        temperature=temperature,
        id_number=data.get("id_number"),
        attested=bool(data.get("attested", False)),
        first_abnormal=first_abnormal,
        abnormal_confirmed=confirmed,
    )


def _check_kind(data: dict[str, Any], kind: str) -> None:
    """``code_kind`` may be given, but the code decides what kind it is."""
    given = data.get("code_kind", kind)
    if given != kind:
        raise InputError(f"code_kind {given!r} does not match the code, which is {kind!r}")


def _declared(value: Any) -> tuple[TravelVisit, ...] | None:
    """The cities the guard typed (F4), as the ledger records them; None: not asked."""
    if value is None:
        return None
    try:
        return declared_travel_from_record(value)
    except ValueError as exc:  # RegionCodeError too
        raise InputError(f"declared_travel: {exc}") from None


def _colour(value: Any) -> HealthCodeColour | None:
    if value is None:
        return None
    try:
        return HealthCodeColour(value)
    except ValueError:
        raise InputError("attested_colour must be green, yellow or red") from None


def _reading(data: Any, at: datetime, field: str) -> TemperatureReading | None:
    if data is None:
        return None
    if isinstance(data, int | float) and not isinstance(data, bool):
        return TemperatureReading(float(data), at, "manual")
    if not isinstance(data, dict) or not isinstance(data.get("celsius"), int | float):
        raise InputError(f"{field} must be a number or {{celsius, taken_at}}")
    _known(data, _READING_KEYS, f"{field}.")
    return TemperatureReading(
        float(data["celsius"]),
        _time(data["taken_at"], f"{field}.taken_at") if "taken_at" in data else at,
        "manual",
        ambient_celsius=data.get("ambient_celsius"),
        compensation_celsius=data.get("compensation_celsius"),
    )


def _claims(data: Any) -> PassClaims:
    if not isinstance(data, dict):
        raise InputError("pass must be an object")
    _known(data, _PASS_KEYS, "pass.")
    if isinstance(data.get("test"), dict):
        _known(data["test"], _TEST_KEYS, "pass.test.")
    checked = data.get("health_code_checked_at", data.get("valid_from"))
    try:
        test = data.get("test")
        return PassClaims(
            pass_id=str(data.get("pass_id", "WHAT-IF")),
            holder_name=str(data.get("holder_name", "")),
            id_masked=str(data.get("id_masked", "")),
            role=Role(data.get("role", "employee")),
            health_code=HealthCodeColour(data.get("health_code", "green")),
            health_code_checked_at=_time(checked, "pass.health_code_checked_at"),
            test=None
            if test is None
            else NucleicAcidTest(
                _time(test["sampled_at"], "pass.test.sampled_at"),
                TestResult(test.get("result", "negative")),
            ),
            travel=tuple(
                TravelVisit(str(code), date.fromisoformat(day))
                for code, day in data.get("travel", [])
            ),
            issued_at=_time(data["valid_from"], "pass.valid_from"),
            valid_from=_time(data["valid_from"], "pass.valid_from"),
            valid_until=_time(data["valid_until"], "pass.valid_until"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"pass is invalid: {exc!r}") from exc


def _time(value: Any, field: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InputError(f"{field} must be an ISO 8601 time with a UTC offset")
    return moment


def _str(data: dict[str, Any], key: str, prefix: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise InputError(f"{prefix}{key} must be a non-empty string")
    return value


def decision_json(result: Decision | VehicleDecision) -> dict[str, Any]:
    if isinstance(result, Decision):
        return result.to_json_data()
    shell = Decision(result.outcome, result.reasons, result.decided_at, result.policy_version)
    return {
        **shell.to_json_data(),
        "driver": result.driver.to_json_data() if result.driver else None,
        "passengers": [person.to_json_data() for person in result.passengers],
    }
