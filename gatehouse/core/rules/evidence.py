"""What the booth knows about one person at the gate when it decides."""

from __future__ import annotations

from dataclasses import dataclass

from gatehouse.core.models import Outcome, TemperatureReading, VerifiedPass
from gatehouse.core.reasons import Reason

GATEHOUSE_PASS = "gatehouse-pass"


@dataclass(frozen=True)
class Evidence:
    """The scanned code and what came of it, the temperature, and what the guard added.

    ``id_number`` is the full resident ID number when the guard typed it or a card reader read
    it; it is only ever used to compute the keyed hash the lists are matched by, never logged.
    ``first_abnormal`` is this person's earlier abnormal reading when this is a re-measure, and
    ``abnormal_confirmed`` says the guard confirmed a second abnormal reading.
    """

    scanned_text: str
    credential: VerifiedPass | None
    credential_error: Reason | None
    temperature: TemperatureReading | None
    id_number: str | None = None
    code_kind: str = GATEHOUSE_PASS
    attested: bool = False  # the guard vouches for a code that cannot be verified offline
    first_abnormal: TemperatureReading | None = None
    abnormal_confirmed: bool = False

    def __post_init__(self) -> None:
        if self.credential is not None and self.credential_error is not None:
            raise ValueError("evidence cannot hold both a verified pass and a pass error")
        if self.credential_error is not None and self.credential_error.outcome < Outcome.TURN_AWAY:
            raise ValueError("a pass error must turn the person away")
        if self.abnormal_confirmed and self.first_abnormal is None:
            raise ValueError("only a re-measure can be confirmed abnormal")
