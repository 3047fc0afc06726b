"""What the guard does after a decision, as a typed value the booth screen reads (as it reads
``FollowUp``), so no layer above core matches reason codes or their parameter names.

Derived from the reasons alone, so a decision read back from the ledger gives the same step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from gatehouse.core.reasons import GuardAction, Reason, ReasonCode
from gatehouse.core.rules.checks import DECLARED

DECLARED_TRAVEL = frozenset(code for code in ReasonCode if code.startswith(DECLARED))
# Re-measure reasons and the parameter that holds their wait in minutes.
_WAITS = {
    ReasonCode.TEMP_HIGH: "wait_min",
    ReasonCode.TEMP_LOW: "wait_min",
    ReasonCode.TEMP_WAIT: "minutes",
}


class GuardStep(StrEnum):
    """The one thing the guard is asked to do, most pressing first."""

    ATTEST_COLOUR = "attest_colour"  # look at today's code on the phone, F1-F3
    CONFIRM_ABNORMAL = "confirm_abnormal"  # abnormal again: contact thermometer, F5 or F6
    ENTER_TRAVEL = "enter_travel"  # no travel record: F4, the cities on the travel card
    ENTER_ID_NUMBER = "enter_id_number"  # the lists need the ID number: F7


@dataclass(frozen=True)
class NextStep:
    """``step``: what the guard is asked; ``colour_aged``: the colour to attest is a pass's own,
    older than the pack allows (not a code that cannot be checked offline). ``wait_minutes``:
    re-measure after this wait; ``measure_again``: no usable temperature (F6 types one).
    ``colour_attested``, ``travel_declared``: what the decision took the guard's word for;
    ``travel_signed``: it judged a signed travel record, so F4 has nothing to add."""

    step: GuardStep | None = None
    colour_aged: bool = False
    wait_minutes: int | None = None
    measure_again: bool = False
    colour_attested: bool = False
    travel_declared: bool = False
    travel_signed: bool = False


def step_after(reasons: Iterable[Reason]) -> NextStep:
    """The guard's next step after a decision with ``reasons``."""
    listed = tuple(reasons)
    codes = {item.code for item in listed}
    actions = {item.action for item in listed}
    if GuardAction.LIVE_CODE in actions:
        step: GuardStep | None = GuardStep.ATTEST_COLOUR
    elif ReasonCode.TEMP_CONFIRM in codes:
        step = GuardStep.CONFIRM_ABNORMAL
    elif GuardAction.TRAVEL in actions:
        step = GuardStep.ENTER_TRAVEL
    elif GuardAction.ID_NUMBER in actions:
        step = GuardStep.ENTER_ID_NUMBER
    else:
        step = None
    return NextStep(
        step=step,
        colour_aged=ReasonCode.HEALTH_AGED in codes,
        wait_minutes=_wait_minutes(listed),
        measure_again=GuardAction.TEMPERATURE in actions,
        colour_attested=ReasonCode.HEALTH_CODE_ATTESTED in codes,
        travel_declared=bool(codes & DECLARED_TRAVEL),
        travel_signed=any(
            code.startswith("travel.")
            and code not in DECLARED_TRAVEL
            and code != ReasonCode.TRAVEL_NOT_SHOWN
            for code in codes
        ),
    )


def _wait_minutes(reasons: tuple[Reason, ...]) -> int | None:
    """The wait of the first temperature reason, when it is a re-measure (not a missing one)."""
    for item in reasons:
        if item.code in _WAITS:
            minutes = item.params.get(_WAITS[ReasonCode(item.code)], 0)
            return int(minutes)
        if item.action is GuardAction.TEMPERATURE:
            return None
    return None
