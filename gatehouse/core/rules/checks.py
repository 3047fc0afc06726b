"""The built-in rule kinds: each turns the evidence into the reasons one rule contributes.

A pack names a kind and gives it parameters; the checkpoint policy supplies the parameters that
vary by checkpoint (threshold, test age, look-back). Every check explains itself, passed checks
included, so an admit is as well explained as a refusal. Every check passes, fails, or could
not be made (OPEN, ``reasons.OPEN_CHECKS``): evidence that is missing, aged or cannot be matched
is never read as clear; it refers, naming the one thing the guard does about it. A check that
meets data it cannot judge raises, and the engine turns that into "refer to supervisor" (OPEN).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from gatehouse.core.code_kinds import CodeKind, kind_info
from gatehouse.core.dcc.value_sets import DccValueSets
from gatehouse.core.models import (
    HealthCodeColour,
    NucleicAcidTest,
    Outcome,
    PassClaims,
    Role,
    TestResult,
    TravelVisit,
)
from gatehouse.core.reasons import Reason, ReasonCode, display_time, reason
from gatehouse.core.rules import certlogic
from gatehouse.core.rules.colour_age import colour_counts_until, max_age_hours
from gatehouse.core.rules.evidence import Evidence
from gatehouse.core.rules.pack import CheckpointPolicy, RulePack, RuleSpec
from gatehouse.core.rules.persons import ListMatch, PersonLists
from gatehouse.core.rules.regions import RegionTable, contains
from gatehouse.core.rules.risk_areas import RiskAreaList, RiskLevel
from gatehouse.core.rules.value_sets import check_dcc_value_sets

_HOUR = timedelta(hours=1)
_TENTH = Decimal("0.1")
_HEALTH_CODE_REASONS = {
    HealthCodeColour.GREEN: ReasonCode.HEALTH_GREEN,
    HealthCodeColour.YELLOW: ReasonCode.HEALTH_YELLOW,
    HealthCodeColour.RED: ReasonCode.HEALTH_RED,
}
DECLARED = "travel.declared_"  # the prefix of reasons judging travel the person only declared


class RuleDataError(ValueError):
    """The rule's parameters or the data it reads cannot be judged: the rule is OPEN."""


@dataclass(frozen=True)
class Identity:
    """Who the lists say this is: the keyed hash, or why it could not be known."""

    id_hash: str | None
    problem: str | None  # "missing", "invalid", "no_lists", "key_mismatch", "pass_key"
    match: ListMatch = field(default_factory=ListMatch)


@dataclass(frozen=True)
class RuleContext:
    evidence: Evidence
    checkpoint: CheckpointPolicy
    now: datetime
    today: date
    risk_areas: RiskAreaList | None
    lists: PersonLists | None
    identity: Identity
    regions: RegionTable | None
    data_blockers: tuple[Reason, ...]
    dcc_value_sets: DccValueSets | None = None

    @property
    def claims(self) -> PassClaims | None:
        credential = self.evidence.credential
        return credential.claims if credential is not None else None

    def region_name(self, code: str) -> str:
        return self.regions.display(code) if self.regions is not None else code


Check = Callable[[RuleSpec, RuleContext], tuple[Reason, ...]]


# -- the pass --


def check_credential(spec: RuleSpec, ctx: RuleContext) -> tuple[Reason, ...]:
    return (_credential(ctx),)


def _credential(ctx: RuleContext) -> Reason:
    evidence = ctx.evidence
    if evidence.credential_error is not None:
        return evidence.credential_error
    kind = evidence.code_kind
    if kind not in ctx.checkpoint.accepted_code_kinds:
        return reason(ReasonCode.POLICY_CODE_KIND_NOT_ACCEPTED, kind=kind)
    info = kind_info(kind)
    if (
        evidence.attested or (info is not None and info.attested)
    ) and not ctx.checkpoint.allow_attested:
        return reason(ReasonCode.POLICY_ATTESTED_NOT_ACCEPTED)
    claims = ctx.claims
    if claims is None:
        return _other_code(evidence)
    if ctx.now < claims.valid_from:
        return reason(ReasonCode.VALIDITY_NOT_YET, valid_from=display_time(claims.valid_from))
    if ctx.now >= claims.valid_until:  # valid in [valid_from, valid_until), like nbf/exp
        return reason(ReasonCode.VALIDITY_EXPIRED, valid_until=display_time(claims.valid_until))
    return reason(ReasonCode.VALIDITY_OK, valid_until=display_time(claims.valid_until))


def _other_code(evidence: Evidence) -> Reason:
    """A code other than a pass, accepted here: attested provincial code or verified certificate."""
    issuer = evidence.code_issuer or "?"
    info = kind_info(evidence.code_kind)
    if info is not None and info.attested:
        if evidence.health_code is None:
            return reason(ReasonCode.HEALTH_CODE_ATTEST_NEEDED, issuer=issuer)
        return reason(
            ReasonCode.HEALTH_CODE_ATTESTED, issuer=issuer, colour=evidence.health_code.value
        )
    if info is not None and info.certificate and evidence.scanned_text:
        return reason(ReasonCode.CODE_VERIFIED, kind=info.name_en, issuer=issuer)
    return reason(ReasonCode.DECISION_NO_PASS)


def _other_code_accepted(ctx: RuleContext) -> bool:
    """No pass, but an accepted code: the other rules then say what it does not show."""
    return (
        ctx.claims is None
        and ctx.evidence.code_kind != CodeKind.GATEHOUSE_PASS
        and _credential(ctx).outcome is Outcome.ADMIT
    )


def check_health_code(spec: RuleSpec, ctx: RuleContext) -> tuple[Reason, ...]:
    """A pass's colour counts only until the pack's maximum age (default: the China day it was
    checked on); then the colour the guard sees on today's live code decides (F1-F3)."""
    claims = ctx.claims
    if claims is None:
        colour = ctx.evidence.health_code
        if colour is not None:
            return (reason(_HEALTH_CODE_REASONS[colour]),)
        return (reason(ReasonCode.HEALTH_NOT_SHOWN),) if _other_code_accepted(ctx) else ()
    checked = claims.health_code_checked_at
    if checked - ctx.now > ctx.checkpoint.clock_tolerance:
        raise RuleDataError("health code checked in the future: check the booth clock")
    try:
        until = colour_counts_until(checked, max_age_hours(spec.params))
    except ValueError as exc:
        raise RuleDataError(str(exc)) from exc
    when = {"checked": display_time(checked), "until": display_time(until)}
    if ctx.now < until:
        return (reason(_HEALTH_CODE_REASONS[claims.health_code], **when),)
    live = ctx.evidence.health_code
    if live is not None:
        return (reason(f"health.live_{live.value}", **when),)
    return (reason(ReasonCode.HEALTH_AGED, **when),)


def check_test(spec: RuleSpec, ctx: RuleContext) -> tuple[Reason, ...]:
    claims = ctx.claims
    test: NucleicAcidTest | None
    if claims is not None:
        test = claims.test
        if test is None:
            return (reason(ReasonCode.TEST_MISSING),)
    elif _other_code_accepted(ctx):
        test = ctx.evidence.certificate_test
        if test is None:
            return (reason(ReasonCode.TEST_NOT_SHOWN),)
    else:
        return ()
    policy = ctx.checkpoint
    if test.result is TestResult.POSITIVE:
        return (reason(ReasonCode.TEST_POSITIVE),)
    age = ctx.now - test.sampled_at
    if age < -policy.clock_tolerance:
        return (reason(ReasonCode.TEST_IN_FUTURE),)
    hours = max(0, age // _HOUR)
    if age > policy.test_max_age:  # exactly test_max_age still passes
        return (
            reason(ReasonCode.TEST_TOO_OLD, hours=hours, max_hours=policy.test_max_age // _HOUR),
        )
    return (reason(ReasonCode.TEST_NEGATIVE, hours=hours),)


# -- temperature practice --


def check_temperature(spec: RuleSpec, ctx: RuleContext) -> tuple[Reason, ...]:
    """Abnormal (>= threshold, or implausibly low) → re-measure after a wait; a second abnormal
    reading needs the guard's confirmation, which turns the person away and flags the case."""
    evidence, policy = ctx.evidence, ctx.checkpoint
    reading = evidence.temperature
    if reading is None:
        return (reason(ReasonCode.TEMP_MISSING),)
    age = ctx.now - reading.taken_at
    if age > policy.reading_max_age or age < -policy.clock_tolerance:
        return (reason(ReasonCode.TEMP_STALE, age_s=int(age.total_seconds())),)
    if not math.isfinite(reading.celsius):
        return (reason(ReasonCode.TEMP_UNREADABLE),)
    celsius = tenths(reading.celsius)
    device = _device_params(reading.ambient_celsius, reading.compensation_celsius)
    low = celsius < tenths(policy.implausible_below_c)
    if not low and celsius < tenths(policy.temperature_threshold_c):
        return (reason(ReasonCode.TEMP_NORMAL, celsius=float(celsius), **device),)
    first = evidence.first_abnormal
    wait_min = int(policy.remeasure_wait.total_seconds() // 60)
    if first is None:
        code = ReasonCode.TEMP_LOW if low else ReasonCode.TEMP_HIGH
        return (reason(code, celsius=float(celsius), wait_min=wait_min, **device),)
    remaining = policy.remeasure_wait - (reading.taken_at - first.taken_at)
    if remaining > timedelta(0):
        minutes = math.ceil(remaining.total_seconds() / 60)
        return (reason(ReasonCode.TEMP_WAIT, minutes=minutes, first=float(tenths(first.celsius))),)
    if evidence.abnormal_confirmed:
        return (reason(ReasonCode.TEMP_CONFIRMED_ABNORMAL, celsius=float(celsius), **device),)
    return (reason(ReasonCode.TEMP_CONFIRM, celsius=float(celsius), **device),)


def _device_params(ambient: float | None, compensation: float | None) -> dict[str, float]:
    """What the device reported about itself, recorded with the reading's reason."""
    params = {}
    if ambient is not None and math.isfinite(ambient):
        params["ambient_c"] = ambient
    if compensation is not None and math.isfinite(compensation):
        params["compensation_c"] = compensation
    return params


def tenths(celsius: float) -> Decimal:
    """Round to the 0.1 °C the guard sees, half up, and decide on exactly that number.

    Going through the float's shortest repr means sensor noise such as 37.29999999999
    becomes 37.3 and re-measures, and the screen never shows a value that contradicts the
    outcome (e.g. "37.3 °C normal"). Rounding half up errs towards re-measuring.
    """
    return Decimal(repr(celsius)).quantize(_TENTH, rounding=ROUND_HALF_UP)


# -- travel --


def _travel(ctx: RuleContext) -> tuple[tuple[TravelVisit, ...], str] | None:
    """The visits to judge and their reasons' code prefix: a pass's signed travel whenever it
    carries any; the travel the person declared only when it does not; None without either.

    A travel card always lists at least the city one is in, so an empty record means the travel
    was not shown, never that the person stayed home."""
    claims = ctx.claims
    if claims is not None and claims.travel:
        return claims.travel, "travel."
    if ctx.evidence.declared_travel is not None:
        return ctx.evidence.declared_travel, DECLARED
    return None


def _travel_not_shown(ctx: RuleContext) -> tuple[Reason, ...]:
    """No travel to judge: open for a pass or an accepted code (nothing to say without one)."""
    shown_code = ctx.claims is not None or _other_code_accepted(ctx)
    return (reason(ReasonCode.TRAVEL_NOT_SHOWN),) if shown_code else ()


def check_travel_risk(spec: RuleSpec, ctx: RuleContext) -> tuple[Reason, ...]:
    """Any visit to a medium/high-risk area turns away, signed or declared; a clear declared
    history admits only where the checkpoint accepts declared travel, else refers."""
    travel = _travel(ctx)
    if travel is None:
        return _travel_not_shown(ctx)
    visits, prefix = travel
    if ctx.risk_areas is None:
        return (reason(ReasonCode.DATA_NO_RISK_LIST),)
    days = ctx.checkpoint.lookback_days
    hits = ctx.risk_areas.visits_at_risk(visits, ctx.today, days)
    if not hits:
        clear = reason(f"{prefix}clear", days=days, list_version=ctx.risk_areas.version)
        if prefix == DECLARED and not ctx.checkpoint.allow_declared_travel:
            return (clear, reason(ReasonCode.POLICY_DECLARED_TRAVEL_NOT_ACCEPTED))
        return (clear,)
    return tuple(
        reason(
            f"{prefix}{'starred' if hit.starred else 'risk'}_{hit.area.level.name.lower()}",
            region=ctx.region_name(hit.visit.region_code),
            area=ctx.region_name(hit.area.region_code),
            region_code=hit.visit.region_code,
            day=hit.visit.day.isoformat(),
            since=hit.area.designated_from.isoformat(),
        )
        for hit in hits
    )


def check_travel_monitoring(spec: RuleSpec, ctx: RuleContext) -> tuple[Reason, ...]:
    """Arrivals from outside the home area, or from a low-risk area, pass under home monitoring."""
    travel = _travel(ctx)
    if travel is None:
        return _travel_not_shown(ctx)
    visits, prefix = travel
    home = _codes(spec.params.get("home_regions", []))
    days = ctx.checkpoint.lookback_days
    earliest = ctx.today - timedelta(days=days)
    hits = (
        ctx.risk_areas.visits_at_risk(visits, ctx.today, days, RiskLevel.LOW)
        if ctx.risk_areas is not None
        else []
    )
    low_risk = {hit.visit for hit in hits if hit.area.level is RiskLevel.LOW}
    risky = {hit.visit for hit in hits if hit.area.level > RiskLevel.LOW}  # travel_risk's job
    arrivals: dict[str, date] = {}
    for visit in visits:
        away = not any(contains(code, visit.region_code) for code in home)
        if visit.day >= earliest and visit not in risky and (away or visit in low_risk):
            arrivals[visit.region_code] = max(visit.day, arrivals.get(visit.region_code, visit.day))
    if not arrivals and not risky:
        return (reason(f"{prefix}local", days=days),)
    return tuple(
        reason(
            f"{prefix}home_monitoring",
            region=ctx.region_name(code),
            region_code=code,
            day=day.isoformat(),
        )
        for code, day in arrivals.items()
    )


def _codes(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise RuleDataError("home_regions must be a list of region codes")
    return tuple(value)


# -- person lists --


def check_isolation(spec: RuleSpec, ctx: RuleContext) -> tuple[Reason, ...]:
    """With a list in force, only a person matched against it passes this check; a pack may
    waive the ID (``require_id: false``), which the desk and the dry run show."""
    identity = ctx.identity
    if ctx.lists is None:
        return (reason(ReasonCode.LIST_NONE),)
    if identity.problem == "missing" and not require_id(spec):
        return (reason(ReasonCode.LIST_NOT_CHECKED),)
    if identity.problem is not None:
        return (_identity_problem(identity.problem),)
    entry = identity.match.isolation
    if entry is not None and entry.in_force_on(ctx.today):
        until = entry.until.isoformat() if entry.until else "—"
        return (reason(ReasonCode.LIST_ISOLATION, until=until),)
    return (reason(ReasonCode.LIST_CLEAR),)


def check_visitor(spec: RuleSpec, ctx: RuleContext) -> tuple[Reason, ...]:
    claims = ctx.claims
    if claims is None or claims.role is not Role.VISITOR:
        return ()
    if ctx.identity.problem is not None:
        return (_identity_problem(ctx.identity.problem),)
    approval = ctx.identity.match.visitor
    if approval is None or not approval.valid_at(ctx.now):
        return (_unapproved_visitor(spec.params.get("call")),)
    return (
        reason(ReasonCode.LIST_VISITOR_OK, approval_id=approval.approval_id, host=approval.host),
    )


def _unapproved_visitor(call: Any) -> Reason:
    """Referred, with the number the guard calls for an approval when the pack gives one
    (the rule's ``call`` parameter: the mine's epidemic office)."""
    if call is None:
        return reason(ReasonCode.LIST_VISITOR_UNAPPROVED)
    if not isinstance(call, str) or not call.strip():
        raise RuleDataError("visitor_approval's call must be the telephone number to call")
    return reason(ReasonCode.LIST_VISITOR_UNAPPROVED_CALL, phone=call.strip())


def check_contractor(spec: RuleSpec, ctx: RuleContext) -> tuple[Reason, ...]:
    """A contractor passes only when registered and within the contract's days, judged on the
    booth's China day (``ctx.today``); outside them the guard refers, as for one unregistered:
    only the office can extend a contract, and a supervisor can reach it."""
    claims = ctx.claims
    if claims is None or claims.role is not Role.CONTRACTOR:
        return ()
    if ctx.identity.problem is not None:
        return (_identity_problem(ctx.identity.problem),)
    entry = ctx.identity.match.contractor
    if entry is None:
        return (reason(ReasonCode.LIST_CONTRACTOR_UNREGISTERED),)
    named = {"company": entry.company, "project": entry.project}
    first, last = entry.valid_from, entry.valid_until
    if first is not None and ctx.today < first:
        return (reason(ReasonCode.LIST_CONTRACTOR_NOT_YET, **named, valid_from=first.isoformat()),)
    if last is not None and ctx.today > last:
        return (reason(ReasonCode.LIST_CONTRACTOR_ENDED, **named, valid_until=last.isoformat()),)
    return (reason(ReasonCode.LIST_CONTRACTOR_OK, **named),)


def check_employee(spec: RuleSpec, ctx: RuleContext) -> tuple[Reason, ...]:
    """Only when the ID is known and a roster was published: employees scan passes every day."""
    claims = ctx.claims
    lists = ctx.lists
    if claims is None or claims.role is not Role.EMPLOYEE or lists is None or not lists.employees:
        return ()
    problem = ctx.identity.problem
    if problem == "missing" and not require_id(spec):
        return ()
    if problem is not None:
        return (_identity_problem(problem),)
    entry = ctx.identity.match.employee
    if entry is None:
        return (reason(ReasonCode.LIST_EMPLOYEE_UNKNOWN),)
    return (reason(ReasonCode.LIST_EMPLOYEE_OK, employee_no=entry.employee_no),)


def _identity_problem(problem: str) -> Reason:
    return reason(
        {
            "missing": ReasonCode.LIST_ID_NEEDED,
            "invalid": ReasonCode.LIST_ID_INVALID,
            "no_lists": ReasonCode.LIST_UNAVAILABLE,
            "key_mismatch": ReasonCode.LIST_KEY_MISMATCH,
            "pass_key": ReasonCode.LIST_PASS_KEY_UNKNOWN,
        }[problem]
    )


def require_id(spec: RuleSpec) -> bool:
    """Whether a list rule needs the person identified (the default) to pass."""
    value = spec.params.get("require_id", True)
    if not isinstance(value, bool):
        raise RuleDataError("require_id must be true or false")
    return value


ID_LIST_KINDS = ("isolation_list", "employee_roster")


def id_waivers(pack: RulePack, checkpoint_type: str) -> tuple[str, ...]:
    """The rules of this checkpoint whose pack turned ``require_id`` off: a person nobody
    identified passes them unchecked. The desk and the dry run show these."""
    checkpoint = pack.checkpoint(checkpoint_type)
    rules = [pack.rules[rule_id] for rule_id in checkpoint.rules] if checkpoint else []
    return tuple(
        spec.rule_id
        for spec in rules
        if spec.kind in ID_LIST_KINDS and spec.params.get("require_id", True) is not True
    )


# -- data and clocks --


def check_data_freshness(spec: RuleSpec, ctx: RuleContext) -> tuple[Reason, ...]:
    if ctx.data_blockers:
        return ctx.data_blockers
    if ctx.risk_areas is None:
        return ()
    hours = max(0, (ctx.now - ctx.risk_areas.published_at) // _HOUR)
    return (reason(ReasonCode.DATA_FRESH, version=ctx.risk_areas.version, hours=hours),)


@dataclass(frozen=True)
class DataState:
    """How old the booth's office data is and whether its clock agrees with the hub's.

    ``checked_at`` maps a bundle name (``policy``, ``risk_areas``, ``lists``) to the hub's time
    when the hub last confirmed the booth's copy was its newest: a list the office has not
    changed for days is still current if the booth asked an hour ago. ``hub_clock_offset`` is
    this booth's clock minus the hub's at the last sync; ``hub_time_seen`` the hub's clock at
    the last contact, which a booth clock may never fall behind (a clock set back offline).
    """

    risk_areas: RiskAreaList | None
    lists: PersonLists | None
    pack_published_at: datetime | None = None
    checked_at: Mapping[str, datetime] = field(default_factory=dict, hash=False)
    hub_clock_offset: timedelta | None = None
    hub_time_seen: datetime | None = None

    def as_of(self, bundle: str, published_at: datetime) -> datetime:
        """The latest moment the document of ``bundle`` was known to be the office's newest."""
        checked = self.checked_at.get(bundle)
        return published_at if checked is None else max(published_at, checked)


def data_blockers(params: Mapping[str, Any], now: datetime, data: DataState) -> tuple[Reason, ...]:
    """Why automatic admits must stop now: stale office data or a booth clock the hub disputes."""
    blockers: list[Reason] = []
    risk_limit = _hours(params, "risk_list_max_age_hours")
    if data.risk_areas is None:
        blockers.append(reason(ReasonCode.DATA_NO_RISK_LIST))
    elif risk_limit is not None:
        blockers.extend(
            _stale(
                ReasonCode.DATA_RISK_LIST_STALE,
                now,
                data.as_of("risk_areas", data.risk_areas.published_at),
                risk_limit,
            )
        )
    lists_limit = _hours(params, "lists_max_age_hours")
    if data.lists is not None and lists_limit is not None:
        blockers.extend(
            _stale(
                ReasonCode.DATA_LISTS_STALE,
                now,
                data.as_of("lists", data.lists.published_at),
                lists_limit,
            )
        )
    pack_limit = _hours(params, "pack_max_age_hours")
    if data.pack_published_at is not None and pack_limit is not None:
        blockers.extend(
            _stale(
                ReasonCode.DATA_PACK_STALE,
                now,
                data.as_of("policy", data.pack_published_at),
                pack_limit,
            )
        )
    blockers.extend(_clock_blockers(params, now, data))
    return tuple(blockers)


def _stale(code: str, now: datetime, as_of: datetime, limit: timedelta) -> tuple[Reason, ...]:
    if now - as_of <= limit:
        return ()
    return (reason(code, hours=(now - as_of) // _HOUR, max_hours=limit // _HOUR),)


def _clock_blockers(
    params: Mapping[str, Any], now: datetime, data: DataState
) -> tuple[Reason, ...]:
    skew_limit = params.get("max_clock_skew_minutes")
    if isinstance(skew_limit, bool) or not isinstance(skew_limit, int | float):
        return ()
    limit = timedelta(minutes=skew_limit)
    offset = data.hub_clock_offset
    if data.hub_time_seen is not None and now - data.hub_time_seen < -limit:
        # Behind the hub's last known time: the clock was set back since (at least this much).
        behind = now - data.hub_time_seen
        offset = behind if offset is None or abs(behind) > abs(offset) else offset
    if offset is None or abs(offset) <= limit:
        return ()
    minutes = int(abs(offset).total_seconds() // 60)
    return (reason(ReasonCode.CLOCK_SKEW, minutes=minutes, max_minutes=skew_limit),)


def _hours(params: Mapping[str, Any], key: str) -> timedelta | None:
    value = params.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise RuleDataError(f"{key} must be a positive number of hours")
    return timedelta(hours=value)


# -- the escape hatch --


def check_expression(spec: RuleSpec, ctx: RuleContext) -> tuple[Reason, ...]:
    """A CertLogic expression over the facts: truthy passes, falsy gives the pack's own reason."""
    params = spec.params
    expression = params.get("expression")
    outcome_name = params.get("outcome", "")
    if certlogic.validate(expression) or outcome_name not in _FAILING_OUTCOMES:
        raise RuleDataError("expression rule needs a valid expression and a refusing outcome")
    data = facts(ctx)
    result = certlogic.evaluate(expression, data)
    if certlogic.is_truthy(result):
        missing = [path for path in _var_paths(expression) if _absent(path, data)]
        if missing:  # passed only because something was not there to check
            raise RuleDataError(f"{', '.join(missing)} missing")
        return (reason(ReasonCode.RULE_PASSED, rule=spec.rule_id),)
    if not certlogic.is_falsy(result):
        raise RuleDataError(f"expression gave {result!r}, neither true nor false")
    en, zh = params.get("en"), params.get("zh")
    if not isinstance(en, str) or not isinstance(zh, str):
        raise RuleDataError("expression rule needs en and zh messages")
    return (Reason(f"rule.{spec.rule_id}", Outcome[outcome_name], en, zh, {}),)


_FAILING_OUTCOMES = frozenset(name for name in Outcome.__members__ if name != "ADMIT")


def _var_paths(expression: Any) -> list[str]:
    """Every ``{"var": path}`` the expression reads from the facts (a ``reduce`` lambda reads
    its own ``current``/``accumulator`` context and is left out)."""
    if isinstance(expression, list):
        return [path for item in expression for path in _var_paths(item)]
    if not isinstance(expression, dict):
        return []
    if "var" in expression and isinstance(expression["var"], str):
        return [expression["var"]]
    reduce = expression.get("reduce")
    if isinstance(reduce, list) and len(reduce) == 3:
        return _var_paths([reduce[0], reduce[2]])
    return [path for value in expression.values() for path in _var_paths(value)]


def _absent(path: str, data: dict[str, Any]) -> bool:
    return certlogic.evaluate({"var": path}, data) is None


def facts(ctx: RuleContext) -> dict[str, Any]:
    """The data an expression reads: JSON values only (CertLogic compares integers, not floats)."""
    claims = ctx.claims
    reading = ctx.evidence.temperature
    return {
        "now": ctx.now.isoformat(),
        "today": ctx.today.isoformat(),
        "checkpoint": {"type": ctx.checkpoint.checkpoint_type, **ctx.checkpoint.parameters()},
        "code_kind": ctx.evidence.code_kind,
        "attested": ctx.evidence.attested,
        "pass": None
        if claims is None
        else {
            "role": claims.role.value,
            "health_code": claims.health_code.value,
            "valid_from": claims.valid_from.isoformat(),
            "valid_until": claims.valid_until.isoformat(),
            "test": None
            if claims.test is None
            else {
                "sampled_at": claims.test.sampled_at.isoformat(),
                "result": claims.test.result.value,
            },
            "travel": [
                {"region": visit.region_code, "day": visit.day.isoformat()}
                for visit in claims.travel
            ],
        },
        "temperature": None
        if reading is None or not math.isfinite(reading.celsius)
        else {
            "tenths_c": int(tenths(reading.celsius) * 10),
            "taken_at": reading.taken_at.isoformat(),
        },
        "lists": None  # not matched: no list fact is known, none reads as "not on it"
        if ctx.identity.problem is not None
        else {
            "isolation": ctx.identity.match.isolation is not None,
            "visitor": ctx.identity.match.visitor is not None,
            "contractor": ctx.identity.match.contractor is not None,
            "employee": ctx.identity.match.employee is not None,
        },
    }


CHECKS: dict[str, Check] = {
    "credential": check_credential,
    "health_code": check_health_code,
    "nucleic_acid_test": check_test,
    "temperature": check_temperature,
    "travel_risk": check_travel_risk,
    "travel_monitoring": check_travel_monitoring,
    "isolation_list": check_isolation,
    "visitor_approval": check_visitor,
    "contractor_ledger": check_contractor,
    "employee_roster": check_employee,
    "data_freshness": check_data_freshness,
    "expression": check_expression,
    "dcc_value_sets": check_dcc_value_sets,
}
