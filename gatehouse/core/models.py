"""Domain values shared by every layer. Pure data: no I/O, no clock reads.

All datetimes are timezone-aware (UTC inside the program; the UI formats local time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum, StrEnum


class HealthCodeColour(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


class Role(StrEnum):
    EMPLOYEE = "employee"
    VISITOR = "visitor"
    CONTRACTOR = "contractor"
    DRIVER = "driver"


class TestResult(StrEnum):
    NEGATIVE = "negative"
    POSITIVE = "positive"


class Outcome(IntEnum):
    """What the gate does. Ordered by severity so the strictest reason wins with max()."""

    ADMIT = 0
    REMEASURE = 1
    REFER = 2
    TURN_AWAY = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class TravelVisit:
    """One city on the travel record: GB/T 2260 region code and the day it was visited."""

    region_code: str
    day: date


@dataclass(frozen=True)
class NucleicAcidTest:
    sampled_at: datetime
    result: TestResult


@dataclass(frozen=True)
class Vaccination:
    """COVID-19 vaccination as the office recorded it: doses received and the last one's day."""

    doses: int
    last_dose_on: date


@dataclass(frozen=True)
class PassClaims:
    """What a Gatehouse pass asserts about its holder, as signed by the issuer."""

    pass_id: str
    holder_name: str
    id_masked: str
    role: Role
    health_code: HealthCodeColour
    health_code_checked_at: datetime
    test: NucleicAcidTest | None
    travel: tuple[TravelVisit, ...]
    issued_at: datetime
    valid_from: datetime
    valid_until: datetime
    # Keyed hash (HMAC-SHA256 under the mine's secret) of the holder's full ID number, when the
    # issuer embeds it: lets the booth match person lists without the guard typing the number.
    id_hash: str | None = None
    # Which list secret ``id_hash`` was made with (``persons.key_check`` of it): a hash under
    # another key matches nobody, so a booth whose lists use another key cannot check it.
    id_key_check: str | None = None
    # Optional in pass format v1 (docs/pass-format.md); a visitor's pass carries both of the last.
    vaccination: Vaccination | None = None
    host: str | None = None  # the employee who receives a visitor
    approval_id: str | None = None  # the epidemic office's approval of the visit


@dataclass(frozen=True)
class VerifiedPass:
    """A pass whose signature was checked with a trusted issuer key."""

    claims: PassClaims
    key_id: bytes
    issuer: str


@dataclass(frozen=True)
class TemperatureReading:
    celsius: float
    taken_at: datetime
    source: str  # "sensor", "simulated" or "manual"
    ambient_celsius: float | None = None
    compensation_celsius: float | None = None  # the device's own correction, when it reports one
