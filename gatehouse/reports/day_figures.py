"""The daily report's figures (日报告): one local day of passages, counted as the office asks
(no ledger needed: the hub's console counts its own passages with it too).

People and passages (人次) are counted apart: a person is their keyed ID hash (else their pass,
else their masked number and name), so one worker who passes four times is one person and four
passages. A fever is counted by person: those whose first reading of the day was abnormal, and
those whose abnormal reading was confirmed. Overrides (the supervisor's, in the audit chain)
give each passage its final outcome. A vehicle's own passage is counted as a vehicle, by origin
and purpose; its people have passages of their own. A report made before the day is over
counts up to its cut-off time.

A day with no abnormal case still gets its report (零报告, the zero report), and so does a day
with no passage at all: the office must see that the booth reported, not silence.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from gatehouse.core.models import Outcome, Role
from gatehouse.core.reasons import ReasonCode
from gatehouse.core.rules.vehicles import VEHICLE_KIND
from gatehouse.reports.columns import (
    Row,
    deciding_reasons,
    evidence_of,
    final_outcome,
    local_time,
    offset_label,
    reasons_of,
)
from gatehouse.reports.reason_words import category, label

ABNORMAL_C = 37.3  # the checkpoint practice: 37.3 °C and above is abnormal
# Temperature histogram: one bin per 0.2 °C from 35.0 to 38.0, plus one below and one above.
BIN_LOW_C = 35.0
BIN_HIGH_C = 38.0
BIN_WIDTH_C = 0.2

CONFIRMED_FEVER = frozenset({ReasonCode.TEMP_CONFIRMED_ABNORMAL})
RISK_ARRIVAL = frozenset(
    {
        ReasonCode.TRAVEL_RISK_HIGH,
        ReasonCode.TRAVEL_RISK_MEDIUM,
        ReasonCode.TRAVEL_STARRED_HIGH,
        ReasonCode.TRAVEL_STARRED_MEDIUM,
        ReasonCode.TRAVEL_DECLARED_RISK_HIGH,
        ReasonCode.TRAVEL_DECLARED_RISK_MEDIUM,
        ReasonCode.TRAVEL_DECLARED_STARRED_HIGH,
        ReasonCode.TRAVEL_DECLARED_STARRED_MEDIUM,
    }
)
HOME_MONITORING = frozenset(
    {ReasonCode.TRAVEL_HOME_MONITORING, ReasonCode.TRAVEL_DECLARED_HOME_MONITORING}
)
ISOLATION_HIT = frozenset({ReasonCode.LIST_ISOLATION})
UNAPPROVED_VISITOR = frozenset(
    {ReasonCode.LIST_VISITOR_UNAPPROVED, ReasonCode.LIST_VISITOR_UNAPPROVED_CALL}
)
# not registered for the day: not on the list, or outside the registered days (as an unapproved
# visitor is one without an approval or whose approval has passed)
UNREGISTERED_CONTRACTOR = frozenset(
    {
        ReasonCode.LIST_CONTRACTOR_UNREGISTERED,
        ReasonCode.LIST_CONTRACTOR_NOT_YET,
        ReasonCode.LIST_CONTRACTOR_ENDED,
    }
)
CODE_NOT_GREEN = frozenset(
    {ReasonCode.HEALTH_YELLOW, ReasonCode.HEALTH_RED, ReasonCode.TEST_POSITIVE}
)


@dataclass(frozen=True)
class BoothLine:
    booth_id: str
    people: int
    passages: int
    outcomes: dict[Outcome, int]
    overridden: int


@dataclass(frozen=True)
class VehicleLine:
    origin: str
    purpose: str
    vehicles: int
    admitted: int
    turned_away: int


@dataclass(frozen=True)
class ReasonLine:
    """One reason that decided a passage other than an admit, in neutral words."""

    category_zh: str
    category_en: str
    zh: str
    en: str
    code: str
    people: int
    passages: int


@dataclass(frozen=True)
class OverrideLine:
    original: Outcome
    final: Outcome
    passages: int


@dataclass(frozen=True)
class DailyFigures:
    day: date
    zone_label: str
    booth_ids: tuple[str, ...]  # the booths reported on; empty means every booth
    cut_off: datetime | None  # local; None when the whole day is counted
    people: int
    passages_per_hour: tuple[int, ...]  # 24 local hours
    outcomes: dict[Outcome, int]  # by passage, as decided
    final_outcomes: dict[Outcome, int]  # by passage, after the supervisor's overrides
    referred_people: int
    fever_first_reading: int  # people whose first reading of the day was abnormal
    fever_confirmed: int  # people whose abnormal reading was confirmed
    abnormal_readings: int  # passages with an abnormal reading
    manual_temperatures: int
    without_temperature: int
    temperature_bins: tuple[tuple[str, int], ...]  # (label, count), coolest first
    risk_area_arrivals: int  # people
    home_monitoring: int  # people admitted and put under home health monitoring
    isolation_hits: int  # people
    code_not_green: int  # people with a yellow/red code or a positive test
    visitors: tuple[int, int]  # people, passages
    visitors_unapproved: int  # people
    contractors: tuple[int, int]  # people, passages
    contractors_unregistered: int  # people
    overrides: tuple[OverrideLine, ...]
    booths: tuple[BoothLine, ...]
    vehicles: tuple[VehicleLine, ...]
    reasons: tuple[ReasonLine, ...]  # by category, then most people first
    abnormal_people: int  # people with any abnormal case above
    # False where the overrides are not at hand (the hub: they stay in each booth's audit
    # chain): the outcomes after overrides and the override counts are then unknown, not 0.
    overrides_known: bool = True

    @property
    def total(self) -> int:
        return sum(self.passages_per_hour)

    @property
    def vehicle_count(self) -> int:
        return sum(line.vehicles for line in self.vehicles)

    @property
    def no_passage(self) -> bool:
        return self.total == 0 and self.vehicle_count == 0

    @property
    def is_zero_report(self) -> bool:
        """零报告: no abnormal case (a day with no passage is one too)."""
        return self.abnormal_people == 0


def day_bounds(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """Local midnight to the next local midnight (23 or 25 hours on a DST change)."""
    start = datetime.combine(day, time(0), zone)
    return start, datetime.combine(day + timedelta(days=1), time(0), zone)


def person_key(row: Row) -> str:
    """Who a passage was: keyed ID hash, else pass, else masked number and name."""
    for field in ("id_hash", "pass_id"):
        if row.get(field):
            return f"{field}:{row[field]}"
    masked, name = row.get("id_masked"), row.get("holder_name")
    if masked or name:
        return f"who:{masked}:{name}"
    return f"passage:{row.get('passage_id')}"


class _Tally:
    """Counts passages as they stream by (oldest first)."""

    def __init__(self) -> None:
        self.hours = [0] * 24
        self.outcomes: Counter[Outcome] = Counter()
        self.final: Counter[Outcome] = Counter()
        self.people: set[str] = set()
        self.flagged: defaultdict[str, set[str]] = defaultdict(set)  # what -> people
        self.first_reading: dict[str, float] = {}
        self.bins: Counter[int] = Counter()
        self.abnormal = self.manual = self.missing = 0
        self.roles: defaultdict[str, list[str]] = defaultdict(list)  # role -> person per passage
        self.override_moves: Counter[tuple[Outcome, Outcome]] = Counter()
        self.booths: defaultdict[str, list[tuple[str, Outcome | None, bool]]] = defaultdict(list)
        self.vehicles: Counter[tuple[str, str]] = Counter()
        self.vehicle_outcomes: Counter[tuple[str, str, Outcome | None]] = Counter()
        self.reason_people: defaultdict[str, set[str]] = defaultdict(set)
        self.reason_passages: Counter[str] = Counter()

    def add(self, row: Row, zone: tzinfo) -> None:
        decided = Outcome.__members__.get(str(row.get("outcome")))
        final = Outcome.__members__.get(final_outcome(row))
        if row.get("code_kind") == VEHICLE_KIND:
            self._vehicle(row, final)
            return
        who = person_key(row)
        self.people.add(who)
        moment = local_time(row, zone)
        if moment is not None:
            self.hours[moment.hour] += 1
        if decided is not None:
            self.outcomes[decided] += 1
        if final is not None:
            self.final[final] += 1
        if row.get("overrides") and decided is not None and final is not None:
            self.override_moves[(decided, final)] += 1
        self.booths[str(row.get("booth_id") or "")].append((who, final, bool(row.get("overrides"))))
        self.roles[str(row.get("role") or "")].append(who)
        self._temperature(row, who)
        self._reasons(row, who, decided, final)

    def _vehicle(self, row: Row, final: Outcome | None) -> None:
        evidence = evidence_of(row)
        origin = str(evidence.get("origin") or evidence.get("origin_region") or "—")
        purpose = str(evidence.get("purpose") or "—")
        self.vehicles[(origin, purpose)] += 1
        self.vehicle_outcomes[(origin, purpose, final)] += 1

    def _temperature(self, row: Row, who: str) -> None:
        celsius = row.get("temperature_c")
        if celsius is None:
            self.missing += 1
            return
        value = float(celsius)
        self.bins[_bin(value)] += 1
        self.abnormal += value >= ABNORMAL_C
        self.manual += row.get("temperature_source") == "manual"
        self.first_reading.setdefault(who, value)

    def _reasons(self, row: Row, who: str, decided: Outcome | None, final: Outcome | None) -> None:
        codes = {str(item.get("code", "")) for item in reasons_of(row)}
        for name, wanted in (
            ("confirmed", CONFIRMED_FEVER),
            ("risk", RISK_ARRIVAL),
            ("isolation", ISOLATION_HIT),
            ("unapproved", UNAPPROVED_VISITOR),
            ("unregistered", UNREGISTERED_CONTRACTOR),
            ("not_green", CODE_NOT_GREEN),
        ):
            if codes & wanted:
                self.flagged[name].add(who)
        if codes & HOME_MONITORING and final is Outcome.ADMIT:
            self.flagged["home_monitoring"].add(who)
        if decided is Outcome.REFER:
            self.flagged["referred"].add(who)
        if decided is not None and decided is not Outcome.ADMIT:
            for item in deciding_reasons(row):
                code = str(item.get("code", ""))
                self.reason_people[code].add(who)
                self.reason_passages[code] += 1

    def fevers_at_first_reading(self) -> set[str]:
        return {who for who, celsius in self.first_reading.items() if celsius >= ABNORMAL_C}


def count_day(
    rows: Iterable[Row],
    day: date,
    zone: tzinfo,
    booth_ids: tuple[str, ...] = (),
    cut_off: datetime | None = None,
    overrides_known: bool = True,
) -> DailyFigures:
    tally = _Tally()
    for row in rows:
        tally.add(row, zone)
    flagged = tally.flagged
    fever_first = tally.fevers_at_first_reading()
    abnormal = fever_first.union(
        *(flagged[name] for name in ("confirmed", "risk", "isolation", "not_green"))
    )
    return DailyFigures(
        day=day,
        zone_label=offset_label(zone, datetime.combine(day, time(12), zone)),
        booth_ids=booth_ids,
        cut_off=cut_off,
        people=len(tally.people),
        passages_per_hour=tuple(tally.hours),
        outcomes={outcome: tally.outcomes[outcome] for outcome in Outcome},
        final_outcomes={outcome: tally.final[outcome] for outcome in Outcome},
        referred_people=len(flagged["referred"]),
        fever_first_reading=len(fever_first),
        fever_confirmed=len(flagged["confirmed"]),
        abnormal_readings=tally.abnormal,
        manual_temperatures=tally.manual,
        without_temperature=tally.missing,
        temperature_bins=tuple((name, tally.bins[i]) for i, name in enumerate(_BIN_LABELS)),
        risk_area_arrivals=len(flagged["risk"]),
        home_monitoring=len(flagged["home_monitoring"]),
        isolation_hits=len(flagged["isolation"]),
        code_not_green=len(flagged["not_green"]),
        visitors=_people_and_passages(tally.roles[Role.VISITOR.value]),
        visitors_unapproved=len(flagged["unapproved"]),
        contractors=_people_and_passages(tally.roles[Role.CONTRACTOR.value]),
        contractors_unregistered=len(flagged["unregistered"]),
        overrides=tuple(
            OverrideLine(original, final, count)
            for (original, final), count in sorted(tally.override_moves.items())
        ),
        booths=tuple(_booth_line(booth, seen) for booth, seen in sorted(tally.booths.items())),
        vehicles=_vehicle_lines(tally),
        reasons=_reason_lines(tally),
        abnormal_people=len(abnormal),
        overrides_known=overrides_known,
    )


def _people_and_passages(people: list[str]) -> tuple[int, int]:
    return len(set(people)), len(people)


def _booth_line(booth: str, seen: list[tuple[str, Outcome | None, bool]]) -> BoothLine:
    outcomes = Counter(final for _, final, _ in seen if final is not None)
    return BoothLine(
        booth_id=booth,
        people=len({who for who, _, _ in seen}),
        passages=len(seen),
        outcomes={outcome: outcomes[outcome] for outcome in Outcome},
        overridden=sum(overridden for _, _, overridden in seen),
    )


def _vehicle_lines(tally: _Tally) -> tuple[VehicleLine, ...]:
    outcomes = tally.vehicle_outcomes
    return tuple(
        VehicleLine(
            origin,
            purpose,
            count,
            outcomes[(origin, purpose, Outcome.ADMIT)],
            outcomes[(origin, purpose, Outcome.TURN_AWAY)],
        )
        for (origin, purpose), count in sorted(tally.vehicles.items())
    )


def _reason_lines(tally: _Tally) -> tuple[ReasonLine, ...]:
    lines = [
        ReasonLine(
            *category(code),
            *label(code),
            code,
            len(people),
            tally.reason_passages[code],
        )
        for code, people in tally.reason_people.items()
    ]
    return tuple(sorted(lines, key=lambda line: (line.category_zh, -line.people, line.code)))


_BIN_COUNT = round((BIN_HIGH_C - BIN_LOW_C) / BIN_WIDTH_C)
_BIN_LABELS = (
    f"<{BIN_LOW_C:.1f}",
    *(f"{BIN_LOW_C + i * BIN_WIDTH_C:.1f}" for i in range(_BIN_COUNT)),
    f"≥{BIN_HIGH_C:.1f}",
)


def _bin(celsius: float) -> int:
    """0 below the range, 1.._BIN_COUNT inside it, _BIN_COUNT + 1 at or above its top."""
    if celsius < BIN_LOW_C:
        return 0
    if celsius >= BIN_HIGH_C:
        return _BIN_COUNT + 1
    return 1 + min(_BIN_COUNT - 1, int((celsius - BIN_LOW_C + 1e-9) / BIN_WIDTH_C))
