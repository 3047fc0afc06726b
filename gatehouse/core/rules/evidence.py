"""What the booth knows about one person at the gate when it decides."""

from __future__ import annotations

from dataclasses import dataclass

from gatehouse.core.models import (
    HealthCodeColour,
    NucleicAcidTest,
    Outcome,
    TemperatureReading,
    VerifiedPass,
)
from gatehouse.core.reasons import Reason

GATEHOUSE_PASS = "gatehouse-pass"


@dataclass(frozen=True)
class Evidence:
    """The scanned code and what came of it, the temperature, and what the guard added.

    ``id_number`` is the full resident ID number when the guard typed it or a card reader read
    it; it is only ever used to compute the keyed hash the lists are matched by, never logged.
    ``first_abnormal`` is this person's earlier abnormal reading when this is a re-measure, and
    ``abnormal_confirmed`` says the guard confirmed a second abnormal reading.

    ``credential_error`` says why the scanned code gives nothing to decide on (a refused pass,
    certificate or an unreadable code); it refers or turns away. A code other than a Gatehouse
    pass vouches for less: ``health_code`` is a provincial code's colour as the guard attested
    it (``attested``), ``certificate_test`` the test a verified EU DCC carries, ``code_issuer``
    who issued the code. The pack's rules say which of these a checkpoint accepts.
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
    health_code: HealthCodeColour | None = None
    certificate_test: NucleicAcidTest | None = None
    code_issuer: str | None = None

    def __post_init__(self) -> None:
        if self.credential is not None and self.credential_error is not None:
            raise ValueError("evidence cannot hold both a verified pass and a pass error")
        if self.credential_error is not None and self.credential_error.outcome < Outcome.REFER:
            raise ValueError("a code error must refer or turn the person away")
        if self.health_code is not None and not self.attested:
            raise ValueError("a health-code colour without a pass must be attested")
        if self.abnormal_confirmed and self.first_abnormal is None:
            raise ValueError("only a re-measure can be confirmed abnormal")
