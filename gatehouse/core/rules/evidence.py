"""What the booth knows about one person at the gate when it decides."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypedDict

from gatehouse.core.code_kinds import CodeKind
from gatehouse.core.id_card import IdCard
from gatehouse.core.models import (
    HealthCodeColour,
    NucleicAcidTest,
    Outcome,
    TemperatureReading,
    TravelVisit,
    VerifiedPass,
)
from gatehouse.core.reasons import Reason
from gatehouse.core.rules.regions import check_code


@dataclass(frozen=True)
class Evidence:
    """The scanned code and what came of it, the temperature, and what the guard added.

    ``id_number`` is the full resident ID number when the guard typed it or a card reader read
    it; it is only ever used to compute the keyed hash the lists are matched by, never logged.
    ``id_card`` is the card it was read from (its name and validity are checked against the
    pass, gatehouse.core.id_card); None when typed.
    ``first_abnormal`` is this person's earlier abnormal reading when this is a re-measure, and
    ``abnormal_confirmed`` says the guard confirmed a second abnormal reading.

    ``credential_error`` says why the scanned code gives nothing to decide on (a refused pass,
    certificate or an unreadable code); it refers or turns away. A code other than a Gatehouse
    pass vouches for less: ``health_code`` is a provincial code's colour as the guard attested
    it (``attested``), ``certificate_test`` the test a verified EU DCC carries, ``code_issuer``
    who issued the code. The pack's rules say which of these a checkpoint accepts.

    With a pass, ``health_code`` is the colour the guard saw on today's live code (F1-F3),
    asked for when the pass's colour has aged.

    ``declared_travel`` is the travel the person declares and the guard types, for a code that
    carries no signed travel (None: not asked; ``()``: declared no travel at all). A pass's
    signed travel record always wins and is never mixed with what was declared.
    """

    scanned_text: str
    credential: VerifiedPass | None
    credential_error: Reason | None
    temperature: TemperatureReading | None
    id_number: str | None = None
    code_kind: str = CodeKind.GATEHOUSE_PASS.value
    attested: bool = False  # the guard vouches for a code that cannot be verified offline
    first_abnormal: TemperatureReading | None = None
    abnormal_confirmed: bool = False
    health_code: HealthCodeColour | None = None
    certificate_test: NucleicAcidTest | None = None
    code_issuer: str | None = None
    declared_travel: tuple[TravelVisit, ...] | None = None
    id_card: IdCard | None = None
    # A verified EU DCC's certificate (the hcert JSON), for the value-set rule.
    dcc_certificate: Mapping[str, Any] | None = field(default=None, hash=False, compare=False)

    def __post_init__(self) -> None:
        if self.id_card is not None and self.id_card.id_number != self.id_number:
            raise ValueError("the ID number must be the one on the ID card")
        if self.credential is not None and self.credential_error is not None:
            raise ValueError("evidence cannot hold both a verified pass and a pass error")
        if self.credential_error is not None and self.credential_error.outcome < Outcome.REFER:
            raise ValueError("a code error must refer or turn the person away")
        if self.health_code is not None and not self.attested and self.credential is None:
            raise ValueError("a health-code colour without a pass must be attested")
        if self.abnormal_confirmed and self.first_abnormal is None:
            raise ValueError("only a re-measure can be confirmed abnormal")
        signed = self.credential.claims.travel if self.credential is not None else ()
        if signed and self.declared_travel is not None:
            raise ValueError("a pass's signed travel cannot be replaced by declared travel")
        for visit in self.declared_travel or ():
            check_code(visit.region_code)


class DeclaredVisit(TypedDict):
    """One declared visit as the ledger keeps it."""

    region: str
    day: str  # ISO date, China time


def declared_travel_record(visits: tuple[TravelVisit, ...]) -> list[DeclaredVisit]:
    """Declared visits as the ledger keeps them (region code and China-time day)."""
    return [{"region": visit.region_code, "day": visit.day.isoformat()} for visit in visits]


def declared_travel_from_record(record: object) -> tuple[TravelVisit, ...]:
    """The visits ``declared_travel_record`` wrote; ValueError if the record is not one."""
    if not isinstance(record, list):
        raise ValueError("declared travel must be a list of {region, day} objects")
    try:
        return tuple(
            TravelVisit(check_code(item["region"]), date.fromisoformat(item["day"]))
            for item in record
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"declared travel entry is malformed: {exc!r}") from exc
