"""A vehicle passage: plate, origin, purpose, and every person in it checked as a person.

The vehicle is admitted only if its origin is not a medium/high-risk area, its purpose is one
the gate admits (the seed: only supply trucks for daily necessities, from low-risk areas), and
the driver and every passenger would each be admitted on their own.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime

from gatehouse.core.china_time import china_day
from gatehouse.core.decision import Decision, Evidence, Policy, decide
from gatehouse.core.models import Outcome, TravelVisit
from gatehouse.core.reasons import Reason, ReasonCode, mark_deciding, reason, traced

VEHICLE_KIND = "vehicle"  # the code kind and role of a vehicle's own passage in the ledger

# The character that starts a plate, its pinyin and the province, for a guard whose keyboard
# has no Chinese input method (some pinyin are shared: jin 津/晋, ji 冀/吉, gui 桂/贵, yu 渝/豫).
PLATE_PROVINCES: tuple[tuple[str, str, str], ...] = (
    ("京", "jing", "北京"), ("津", "jin", "天津"), ("沪", "hu", "上海"), ("渝", "yu", "重庆"),
    ("冀", "ji", "河北"), ("豫", "yu", "河南"), ("云", "yun", "云南"), ("辽", "liao", "辽宁"),
    ("黑", "hei", "黑龙江"), ("湘", "xiang", "湖南"), ("皖", "wan", "安徽"), ("鲁", "lu", "山东"),
    ("新", "xin", "新疆"), ("苏", "su", "江苏"), ("浙", "zhe", "浙江"), ("赣", "gan", "江西"),
    ("鄂", "e", "湖北"), ("桂", "gui", "广西"), ("甘", "gan", "甘肃"), ("晋", "jin", "山西"),
    ("蒙", "meng", "内蒙古"), ("陕", "shan", "陕西"), ("吉", "ji", "吉林"), ("闽", "min", "福建"),
    ("贵", "gui", "贵州"), ("粤", "yue", "广东"), ("青", "qing", "青海"), ("藏", "zang", "西藏"),
    ("川", "chuan", "四川"), ("宁", "ning", "宁夏"), ("琼", "qiong", "海南"),
)  # fmt: skip
_PROVINCE_CHARACTERS = "".join(character for character, _, _ in PLATE_PROVINCES)
# Province character + letter, then 5 (ordinary) or 6 (new-energy) letters/digits.
_PLATE = re.compile(rf"^[{_PROVINCE_CHARACTERS}][A-Z][A-Z0-9]{{5,6}}$")


class PlateError(ValueError):
    """Not a Chinese number plate: province character, letter, then 5 or 6 letters/digits."""


def starts_with_province(text: str) -> bool:
    """Whether ``text`` already begins with a plate's province character."""
    return text.strip()[:1] in _PROVINCE_CHARACTERS


def normalise_plate(text: str) -> str:
    """The plate as logged: spaces and the middle dot dropped, letters upper-cased."""
    plate = text.replace(" ", "").replace("·", "").upper()
    if not _PLATE.match(plate):
        raise PlateError(f"not a number plate: {text!r} (e.g. 蒙K12345, 陕A·D12345)")
    return plate


@dataclass(frozen=True)
class Vehicle:
    """What the guard states about the vehicle itself."""

    plate: str
    origin_region: str  # GB/T 2260 code
    purpose: str  # a key of the pack's vehicle rule "purposes", e.g. "supply"


@dataclass(frozen=True)
class VehicleEvidence(Vehicle):
    driver: Evidence | None
    passengers: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class VehicleDecision:
    outcome: Outcome
    reasons: tuple[Reason, ...]  # the vehicle's own reasons, then one per person not admitted
    driver: Decision | None
    passengers: tuple[Decision, ...]
    decided_at: datetime
    policy_version: str

    def __post_init__(self) -> None:
        # As for a person's decision: the reasons say which of them decided it.
        object.__setattr__(self, "reasons", mark_deciding(self.reasons, self.outcome))


def decide_vehicle(vehicle: VehicleEvidence, policy: Policy, now: datetime) -> VehicleDecision:
    driver = decide(vehicle.driver, policy, now) if vehicle.driver is not None else None
    passengers = tuple(decide(person, policy, now) for person in vehicle.passengers)
    return judge_vehicle(vehicle, driver, passengers, policy, now)


def judge_vehicle(
    vehicle: Vehicle,
    driver: Decision | None,
    passengers: tuple[Decision, ...],
    policy: Policy,
    now: datetime,
) -> VehicleDecision:
    """The vehicle's verdict on its people's decisions as already made (at the booth each person
    is decided and logged when scanned; the vehicle must agree with what the guard saw)."""
    if policy.refused:  # as for its people: referred, never judged by the built-in pack
        return VehicleDecision(
            Outcome.REFER, policy.refused_reasons, driver, passengers, now, "none"
        )
    pack = policy.pack_at(now)
    spec = pack.rule_of_kind("vehicle") if pack is not None else None
    version = f"{pack.pack_id}@{pack.version}" if pack is not None else "none"
    if spec is None:
        own: tuple[Reason, ...] = (
            reason(ReasonCode.RULE_OPEN, rule="vehicle", problem="no vehicle rule"),
        )
    else:
        own = tuple(
            traced(item, spec.rule_id, version)
            for item in _vehicle_reasons(vehicle, policy, now, vehicle_purposes(policy, now))
        )
    people: list[Reason] = []
    if driver is None:
        people.append(reason(ReasonCode.VEHICLE_NO_DRIVER))
    elif driver.outcome is not Outcome.ADMIT:
        people.append(_as_severe(reason(ReasonCode.VEHICLE_DRIVER_NOT_ADMITTED), driver))
    people += [
        _as_severe(reason(ReasonCode.VEHICLE_PASSENGER_NOT_ADMITTED, index=index), decision)
        for index, decision in enumerate(passengers, start=1)
        if decision.outcome is not Outcome.ADMIT
    ]
    reasons = (*own, *people)
    outcome = max(r.outcome for r in reasons)
    return VehicleDecision(outcome, reasons, driver, passengers, now, version)


def _as_severe(item: Reason, person: Decision) -> Reason:
    """A person who must re-measure holds the vehicle back; one turned away turns it away."""
    return dataclasses.replace(item, outcome=person.outcome)


def vehicle_purposes(policy: Policy, now: datetime) -> dict[str, str]:
    """The purposes the gate admits vehicles for (key -> label), from the pack in force."""
    pack = policy.pack_at(now)
    spec = pack.rule_of_kind("vehicle") if pack is not None else None
    return dict(spec.params.get("purposes", {})) if spec is not None else {}


def _vehicle_reasons(
    vehicle: Vehicle, policy: Policy, now: datetime, purposes: dict[str, str]
) -> list[Reason]:
    reasons: list[Reason] = []
    try:
        normalise_plate(vehicle.plate)
    except PlateError:
        reasons.append(reason(ReasonCode.VEHICLE_PLATE_INVALID, plate=vehicle.plate))
    label = purposes.get(vehicle.purpose)
    if label is None:
        reasons.append(reason(ReasonCode.VEHICLE_PURPOSE_NOT_ALLOWED, purpose=vehicle.purpose))
    else:
        reasons.append(reason(ReasonCode.VEHICLE_PURPOSE_OK, purpose=vehicle.purpose, label=label))
    region = (
        policy.regions.display(vehicle.origin_region) if policy.regions else vehicle.origin_region
    )
    if policy.risk_areas is None:
        reasons.append(reason(ReasonCode.DATA_NO_RISK_LIST))
        return reasons
    today = china_day(now)
    hits = policy.risk_areas.visits_at_risk((TravelVisit(vehicle.origin_region, today),), today, 0)
    reasons += [
        reason(
            f"vehicle.origin_{hit.area.level.name.lower()}",
            region=region,
            since=hit.area.designated_from.isoformat(),
        )
        for hit in hits
    ] or [reason(ReasonCode.VEHICLE_ORIGIN_OK, region=region)]
    return reasons
