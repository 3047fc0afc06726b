"""The console's enrolment QR text, as the booth's setup reads it."""

from __future__ import annotations

import pytest

from gatehouse.sync.protocol import (
    ENROL_QR_PREFIX,
    EnrolmentQr,
    enrolment_qr_text,
    parse_enrolment_qr,
)


def test_the_text_carries_the_hub_the_booth_and_the_code() -> None:
    enrolment = EnrolmentQr("https://hub.example:8750", "北矿-gate-1", "abc-DEF_123")
    assert parse_enrolment_qr(enrolment_qr_text(enrolment)) == enrolment


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("GH1:通行证 张三 No.0001", "not an enrolment code from the office's console"),
        ("abc-DEF_123", "not an enrolment code"),  # the bare code, as older consoles showed it
        (ENROL_QR_PREFIX + '{"hub": "http://h"', "damaged: its fields are not JSON"),
        (ENROL_QR_PREFIX + '["http://h", "b", "c"]', "lacks the hub's address"),
        (ENROL_QR_PREFIX + '{"hub": "http://h", "booth": "b", "code": " "}', "lacks"),
    ],
)
def test_a_text_that_is_no_enrolment_is_refused_saying_why(text: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        parse_enrolment_qr(text)
