"""The evidence record: records as booths in the field have written them still decode, and one
this release cannot read is refused with the reason, never half read."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from gatehouse.core.evidence_record import EvidenceRecordError, decode_evidence
from gatehouse.core.models import HealthCodeColour, TravelVisit

# Exactly as the booth wrote them before the record was typed (no "version" key: version 1).
ATTESTED_PROVINCIAL_CODE: dict[str, Any] = {
    "verdict": "refer",
    "follow_ups": [],
    "code_kind": "provincial-health-code",
    "code_verified": False,
    "id_given": False,
    "issuer": "陕西健康码",
    "issuer_id": "sn",
    "attestation": {"colour": "green", "status": "pending"},
    "reading_taken_at": "2026-11-20T01:02:03+00:00",
    "ambient_c": 21.5,
    "compensation_c": None,
    "declared_travel": [{"region": "610100", "day": "2026-11-18"}],
    "travel_source": "declared_by_guard",
}
AGED_PASS: dict[str, Any] = {
    "verdict": "admit",
    "follow_ups": ["home_monitoring"],
    "code_kind": "gatehouse-pass",
    "code_verified": True,
    "id_given": True,
    "id_source": "card_reader",
    "issuer": "Mine 3 epidemic office",
    "key_id": "00ff",
    "live_colour": "yellow",
    "first_abnormal_c": 37.6,
    "abnormal_confirmed": True,
}


def test_a_version_1_record_of_an_attested_code_decodes() -> None:
    record = decode_evidence(ATTESTED_PROVINCIAL_CODE)
    assert record.version == 1 and record.code_verified is False and not record.id_given
    assert (record.issuer, record.issuer_id) == ("陕西健康码", "sn")
    assert record.attested_colour is HealthCodeColour.GREEN and record.live_colour is None
    assert record.reading_taken_at == datetime(2026, 11, 20, 1, 2, 3, tzinfo=UTC)
    assert (record.ambient_c, record.compensation_c) == (21.5, None)
    assert record.declared_travel == (TravelVisit("610100", date(2026, 11, 18)),)
    assert record.first_abnormal_c is None and record.id_source is None


def test_a_version_1_record_of_an_aged_pass_decodes() -> None:
    record = decode_evidence(AGED_PASS)
    assert record.live_colour is HealthCodeColour.YELLOW and record.attested_colour is None
    assert (record.id_given, record.id_source, record.first_abnormal_c) == (
        True,
        "card_reader",
        37.6,
    )
    assert record.declared_travel is None and record.reading_taken_at is None


def test_a_record_from_before_the_evidence_was_kept_decodes_as_unknown() -> None:
    record = decode_evidence({})
    assert record.code_verified is None and record.attested_colour is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": 2}, "version 2 is not known"),
        ({"attestation": {"status": "pending"}}, "attestation must be"),
        ({"attestation": {"colour": "purple", "status": "pending"}}, "purple"),
        ({"code_verified": "yes"}, "code_verified must be bool"),
        ({"ambient_c": "21"}, "ambient_c must be a number"),
        ({"declared_travel": [{"region": "610100"}]}, "declared travel entry is malformed"),
        ({"reading_taken_at": "yesterday"}, "malformed"),
    ],
)
def test_a_record_that_cannot_be_read_is_refused_naming_why(
    change: dict[str, Any], message: str
) -> None:
    with pytest.raises(EvidenceRecordError, match=message):
        decode_evidence({**ATTESTED_PROVINCIAL_CODE, **change})
