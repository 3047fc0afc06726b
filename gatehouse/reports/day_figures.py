"""The daily report's figures (日报告): one local day of passages, counted (no ledger needed:
the hub counts its own passages with it too).

A day with no passages still gets its report (零报告, the zero report): the office must see
that the booth reported and that nothing happened, not silence. A vehicle's own passage (vehicle
mode) is counted as a vehicle, not as one more person: its people have passages of their own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from gatehouse.core.models import Outcome
from gatehouse.core.rules.vehicles import VEHICLE_KIND
from gatehouse.reports.columns import Row, local_time, offset_label, reasons_of

ABNORMAL_C = 37.3  # the checkpoint practice: 37.3 °C and above is abnormal
# Temperature histogram: one bin per 0.2 °C from 35.0 to 38.0, plus one below and one above.
BIN_LOW_C = 35.0
BIN_HIGH_C = 38.0
BIN_WIDTH_C = 0.2


@dataclass(frozen=True)
class ReasonCount:
    code: str
    zh: str
    en: str
    count: int


@dataclass(frozen=True)
class DailyFigures:
    day: date
    zone_label: str
    booth_ids: tuple[str, ...]  # the booths reported on; empty means every booth
    passages_per_hour: tuple[int, ...]  # 24 local hours
    outcomes: dict[Outcome, int]
    turn_away_reasons: tuple[ReasonCount, ...]  # most frequent first
    temperature_bins: tuple[tuple[str, int], ...]  # (label, count), coolest first
    abnormal_temperatures: int
    manual_temperatures: int
    without_temperature: int
    vehicles: int = 0
    vehicles_turned_away: int = 0

    @property
    def total(self) -> int:
        return sum(self.passages_per_hour)

    @property
    def is_zero_report(self) -> bool:
        return self.total == 0


def day_bounds(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """Local midnight to the next local midnight (23 or 25 hours on a DST change)."""
    start = datetime.combine(day, time(0), zone)
    return start, datetime.combine(day + timedelta(days=1), time(0), zone)


def count_day(
    rows: Iterable[Row], day: date, zone: tzinfo, booth_ids: tuple[str, ...] = ()
) -> DailyFigures:
    hours = [0] * 24
    outcomes: Counter[Outcome] = Counter()
    reasons: Counter[str] = Counter()
    words: dict[str, tuple[str, str]] = {}
    bins: Counter[int] = Counter()
    abnormal = manual = missing = vehicles = vehicles_turned_away = 0
    for row in rows:
        if row.get("code_kind") == VEHICLE_KIND:
            vehicles += 1
            vehicles_turned_away += row.get("outcome") == Outcome.TURN_AWAY.name
            continue
        moment = local_time(row, zone)
        if moment is not None:
            hours[moment.hour] += 1
        outcome = Outcome.__members__.get(str(row.get("outcome")))
        if outcome is not None:
            outcomes[outcome] += 1
        if outcome is Outcome.TURN_AWAY:
            for reason in reasons_of(row):
                if reason.get("outcome") == Outcome.TURN_AWAY.name:
                    code = str(reason.get("code", ""))
                    reasons[code] += 1
                    words.setdefault(code, (str(reason.get("zh", "")), str(reason.get("en", ""))))
        celsius = row.get("temperature_c")
        if celsius is None:
            missing += 1
            continue
        bins[_bin(float(celsius))] += 1
        abnormal += float(celsius) >= ABNORMAL_C
        manual += row.get("temperature_source") == "manual"
    return DailyFigures(
        day=day,
        zone_label=offset_label(zone, datetime.combine(day, time(12), zone)),
        booth_ids=booth_ids,
        passages_per_hour=tuple(hours),
        outcomes={outcome: outcomes[outcome] for outcome in Outcome},
        turn_away_reasons=tuple(
            ReasonCount(code, *words[code], count) for code, count in reasons.most_common()
        ),
        temperature_bins=tuple((label, bins[index]) for index, label in enumerate(_BIN_LABELS)),
        abnormal_temperatures=abnormal,
        manual_temperatures=manual,
        without_temperature=missing,
        vehicles=vehicles,
        vehicles_turned_away=vehicles_turned_away,
    )


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
