"""Rule packs: the office's policy as versioned data that switches itself on at a set time.

A pack holds the rules (each a built-in kind with parameters, or a CertLogic expression) and,
per checkpoint type, which rules apply and with which parameters (threshold, test age,
look-back, accepted codes). A booth keeps every pack it was sent; at each decision the pack in
force at that moment is chosen (``select_pack``), so a pack published today for next Monday
takes over on Monday even if the booth is offline. A pack asking for a newer Gatehouse than
this one is never chosen.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from gatehouse.core.code_kinds import ACCEPTABLE_KINDS
from gatehouse.core.rules.colour_age import max_age_hours

PACK_FORMAT = "gatehouse-rule-pack/1"
ENGINE_VERSION = 1  # rule semantics this build implements; a rule needing more is OPEN


class PackError(ValueError):
    """A pack that cannot be used at all; the message names the field."""


@dataclass(frozen=True)
class CheckpointPolicy:
    """The evidence one kind of checkpoint requires, and with which parameters."""

    checkpoint_type: str
    name_zh: str
    name_en: str
    rules: tuple[str, ...]
    temperature_threshold_c: float = 37.3
    implausible_below_c: float = 35.0
    reading_max_age: timedelta = timedelta(seconds=30)
    remeasure_wait: timedelta = timedelta(minutes=3)
    test_max_age: timedelta = timedelta(hours=48)
    lookback_days: int = 14
    accepted_code_kinds: frozenset[str] = frozenset({"gatehouse-pass"})
    allow_attested: bool = False
    # Whether travel the person only declared (typed by the guard, not signed) may admit; if not,
    # a clear declared history refers. A declared visit to a risk area turns away either way.
    allow_declared_travel: bool = False
    # How far a test sample or a reading may be stamped in the future before we suspect a clock.
    clock_tolerance: timedelta = timedelta(minutes=5)

    def parameters(self) -> dict[str, Any]:
        """The parameters as JSON values, for expression rules and for the decision's record."""
        return {
            "temperature_threshold_c": self.temperature_threshold_c,
            "implausible_below_c": self.implausible_below_c,
            "reading_max_age_s": int(self.reading_max_age.total_seconds()),
            "remeasure_wait_min": int(self.remeasure_wait.total_seconds() // 60),
            "test_max_age_h": int(self.test_max_age.total_seconds() // 3600),
            "lookback_days": self.lookback_days,
            "accepted_code_kinds": sorted(self.accepted_code_kinds),
            "allow_attested": self.allow_attested,
            "allow_declared_travel": self.allow_declared_travel,
        }


@dataclass(frozen=True)
class RuleSpec:
    """One rule: a kind the engine knows, its parameters, and the seed sentences it enforces."""

    rule_id: str
    kind: str
    seed: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    engine: int = ENGINE_VERSION


@dataclass(frozen=True)
class RulePack:
    pack_id: str
    version: str
    published_at: datetime
    effective_from: datetime
    effective_until: datetime | None
    min_app_version: str
    rules: Mapping[str, RuleSpec] = field(hash=False)
    checkpoints: Mapping[str, CheckpointPolicy] = field(hash=False)

    def in_force_at(self, moment: datetime) -> bool:
        return self.effective_from <= moment and (
            self.effective_until is None or moment < self.effective_until
        )

    def runs_on(self, app_version: str) -> bool:
        return version_tuple(self.min_app_version) <= version_tuple(app_version)

    def checkpoint(self, checkpoint_type: str) -> CheckpointPolicy | None:
        return self.checkpoints.get(checkpoint_type)

    def rule_of_kind(self, kind: str) -> RuleSpec | None:
        return next((rule for rule in self.rules.values() if rule.kind == kind), None)


def version_tuple(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        raise PackError(f"version {text!r} must be dotted numbers, e.g. 0.2.0") from None


def select_pack(packs: Iterable[RulePack], moment: datetime, app_version: str) -> RulePack | None:
    """The pack in force at ``moment``: latest effective_from wins, then latest published."""
    usable = [pack for pack in packs if pack.in_force_at(moment) and pack.runs_on(app_version)]
    return max(usable, key=lambda p: (p.effective_from, p.published_at), default=None)


# -- reading a pack --


def pack_from_json(text: str) -> RulePack:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackError(f"rule pack is not JSON: {exc}") from exc
    return pack_from_data(data)


def packs_from(document: Any) -> tuple[RulePack, ...]:
    """One pack, or ``{"packs": [...]}`` (the current pack and those already announced): the
    ``policy`` bundle as booths read it."""
    if isinstance(document, dict) and "packs" in document:
        if not isinstance(document["packs"], list):
            raise PackError('"packs" must be a list of rule packs')
        return tuple(pack_from_data(item) for item in document["packs"])
    return (pack_from_data(document),)


def pack_from_data(data: Any) -> RulePack:
    if not isinstance(data, dict) or data.get("format") != PACK_FORMAT:
        raise PackError(f"not a {PACK_FORMAT} document")
    rules = {
        spec.rule_id: spec for spec in (_rule(i, r) for i, r in enumerate(_list(data, "rules")))
    }
    checkpoints_data = data.get("checkpoints")
    if not isinstance(checkpoints_data, dict) or not checkpoints_data:
        raise PackError("checkpoints must be an object naming at least one checkpoint type")
    checkpoints = {
        name: _checkpoint(name, value, rules) for name, value in checkpoints_data.items()
    }
    until = data.get("effective_until")
    pack = RulePack(
        pack_id=_text(data, "pack_id"),
        version=_text(data, "version"),
        published_at=_time(data, "published_at"),
        effective_from=_time(data, "effective_from"),
        effective_until=None if until is None else _time(data, "effective_until"),
        min_app_version=_text(data, "min_app_version"),
        rules=rules,
        checkpoints=checkpoints,
    )
    version_tuple(pack.min_app_version)
    if pack.effective_until is not None and pack.effective_until <= pack.effective_from:
        raise PackError("effective_until must be after effective_from")
    return pack


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise PackError(f"{key} must be a non-empty string")
    return value


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list):
        raise PackError(f"{key} must be a list")
    return value


def _time(data: Mapping[str, Any], key: str) -> datetime:
    try:
        moment = datetime.fromisoformat(_text(data, key))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise PackError(f"{key} must be an ISO 8601 time with a UTC offset")
    return moment


def _rule(index: int, data: Any) -> RuleSpec:
    if not isinstance(data, dict):
        raise PackError(f"rules[{index}] must be an object")
    params = data.get("params", {})
    engine = data.get("engine", 1)
    seed = data.get("seed", [])
    if not isinstance(params, dict) or not isinstance(engine, int) or not isinstance(seed, list):
        raise PackError(f"rules[{index}]: params must be an object, engine an integer, seed a list")
    spec = RuleSpec(
        rule_id=_text(data, "id"),
        kind=_text(data, "kind"),
        seed=tuple(str(sentence) for sentence in seed),
        params=params,
        engine=engine,
    )
    _check_fail_closed_params(index, spec)
    return spec


_ID_LIST_KINDS = frozenset({"isolation_list", "employee_roster"})


def _check_fail_closed_params(index: int, spec: RuleSpec) -> None:
    """The parameters that decide what counts as evidence are refused when malformed, so a
    bad pack never replaces the last good one (the rule would otherwise only refer at the gate)."""
    where = f"rules[{index}] ({spec.rule_id})"
    if spec.kind == "health_code":
        try:
            max_age_hours(spec.params)
        except ValueError as exc:
            raise PackError(f"{where}: {exc}") from None
    if spec.kind in _ID_LIST_KINDS and not isinstance(spec.params.get("require_id", True), bool):
        raise PackError(f"{where}: require_id must be true or false")


_DURATION_FIELDS = {
    "reading_max_age_s": ("reading_max_age", "seconds"),
    "remeasure_wait_min": ("remeasure_wait", "minutes"),
    "test_max_age_h": ("test_max_age", "hours"),
    "clock_tolerance_min": ("clock_tolerance", "minutes"),
}
_NUMBER_FIELDS = ("temperature_threshold_c", "implausible_below_c")


def _checkpoint(name: str, data: Any, rules: Mapping[str, RuleSpec]) -> CheckpointPolicy:
    where = f"checkpoints.{name}"
    if not isinstance(data, dict):
        raise PackError(f"{where} must be an object")
    rule_ids = tuple(_list(data, "rules"))
    unknown = [rule_id for rule_id in rule_ids if rule_id not in rules]
    if unknown:
        raise PackError(f"{where} names rules the pack does not define: {', '.join(unknown)}")
    params = data.get("params", {})
    if not isinstance(params, dict):
        raise PackError(f"{where}.params must be an object")
    values: dict[str, Any] = {}
    for key, value in params.items():
        if key in _DURATION_FIELDS:
            attribute, unit = _DURATION_FIELDS[key]
            values[attribute] = timedelta(**{unit: _number(where, key, value)})
        elif key in _NUMBER_FIELDS:
            values[key] = _number(where, key, value)
        elif key == "lookback_days":
            values[key] = int(_number(where, key, value))
        elif key == "accepted_code_kinds":
            values[key] = _code_kinds(f"{where}.params.{key}", value)
        elif key in ("allow_attested", "allow_declared_travel") and isinstance(value, bool):
            values[key] = value
        else:
            raise PackError(f"{where}.params.{key} is unknown or has the wrong type")
    return CheckpointPolicy(
        checkpoint_type=name,
        name_zh=str(data.get("name_zh", name)),
        name_en=str(data.get("name_en", name)),
        rules=rule_ids,
        **values,
    )


def _code_kinds(where: str, value: Any) -> frozenset[str]:
    """The kinds a checkpoint accepts, each one this release reads: a typo such as "heath_code"
    would otherwise refer every code of the kind meant, and an empty list every code."""
    known = ", ".join(ACCEPTABLE_KINDS)
    if not isinstance(value, list) or not value or not all(isinstance(k, str) for k in value):
        raise PackError(f"{where} must be a non-empty list of code kinds from: {known}")
    unknown = [kind for kind in value if kind not in ACCEPTABLE_KINDS]
    if unknown:
        raise PackError(
            f"{where}: unknown code kind {', '.join(map(repr, unknown))}; the kinds: {known}"
        )
    return frozenset(value)


def _number(where: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise PackError(f"{where}.params.{key} must be a non-negative number")
    return float(value)
