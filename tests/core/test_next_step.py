"""The guard's next step is read from the decision, whoever decided it and however it was kept."""

from __future__ import annotations

from typing import Any

import pytest

from gatehouse.core.next_step import GuardStep, NextStep, step_after
from gatehouse.core.reasons import ReasonCode, reason

Made = tuple[ReasonCode, dict[str, Any]]


def _step(*made: Made) -> NextStep:
    return step_after(reason(code, **params) for code, params in made)


HIGH: Made = (ReasonCode.TEMP_HIGH, {"celsius": 38.2, "wait_min": 10})
MISSING: Made = (ReasonCode.TEMP_MISSING, {})
ATTEST: Made = (ReasonCode.HEALTH_CODE_ATTEST_NEEDED, {"issuer": "陕西一码通"})
AGED: Made = (ReasonCode.HEALTH_AGED, {"checked": "x", "until": "y"})
TRAVEL: Made = (ReasonCode.TRAVEL_NOT_SHOWN, {})
ID: Made = (ReasonCode.LIST_ID_NEEDED, {})
CONFIRM: Made = (ReasonCode.TEMP_CONFIRM, {"celsius": 38.1, "first": 38.2})


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        ((TRAVEL, ID, ATTEST), GuardStep.ATTEST_COLOUR),
        ((ID, CONFIRM, TRAVEL), GuardStep.CONFIRM_ABNORMAL),
        ((ID, TRAVEL), GuardStep.ENTER_TRAVEL),
        ((HIGH, ID), GuardStep.ENTER_ID_NUMBER),
        ((HIGH,), None),
    ],
)
def test_the_most_pressing_step_is_asked(
    made: tuple[tuple[ReasonCode, dict[str, Any]], ...], expected: GuardStep | None
) -> None:
    assert _step(*made).step is expected


def test_an_aged_pass_colour_is_told_apart_from_a_code_that_cannot_be_checked() -> None:
    assert _step(AGED).step is GuardStep.ATTEST_COLOUR and _step(AGED).colour_aged
    assert not _step(ATTEST).colour_aged


def test_a_remeasure_carries_its_wait_and_a_missing_reading_asks_to_measure_again() -> None:
    assert (_step(HIGH).wait_minutes, _step(HIGH).measure_again) == (10, False)
    wait = _step((ReasonCode.TEMP_WAIT, {"minutes": 4, "first": 38.2}))
    assert wait.wait_minutes == 4
    assert (_step(MISSING).wait_minutes, _step(MISSING).measure_again) == (None, True)
    assert _step(MISSING, HIGH).wait_minutes is None  # the first temperature reason decides


def test_what_the_guard_vouched_for_and_signed_travel_are_told() -> None:
    attested = (ReasonCode.HEALTH_CODE_ATTESTED, {"issuer": "陕西一码通", "colour": "green"})
    declared = (ReasonCode.TRAVEL_DECLARED_CLEAR, {"days": 14, "list_version": "v"})
    signed = (ReasonCode.TRAVEL_CLEAR, {"days": 14, "list_version": "v"})
    assert _step(attested).colour_attested and not _step(ATTEST).colour_attested
    assert _step(declared).travel_declared and not _step(declared).travel_signed
    assert _step(signed).travel_signed and not _step(TRAVEL).travel_signed


def test_codes_read_back_as_text_give_the_same_step() -> None:
    made = reason(HIGH[0], **HIGH[1])
    stored = type(made)(str(made.code), made.outcome, made.en, made.zh, dict(made.params))
    assert step_after([stored]) == step_after([made])
