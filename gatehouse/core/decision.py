"""The gate decision: evidence + policy + the current time -> admit, re-measure, refer, turn away.

The policy is data: the rule packs the office published (the one in force at ``now`` is
chosen here, so a pack dated next Monday switches itself on), this booth's checkpoint type,
the risk-area list and the person lists. Each rule of the checkpoint's policy contributes
reasons, passed checks included, every one stamped with its rule id and pack version, so the
screen and the log can say exactly why. Each reason passed, failed, or could not be checked
(``Reason.result``); the outcome is the most severe among them, so evidence that is missing,
aged or cannot be matched, and a rule that cannot be evaluated, never admit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from gatehouse import __version__
from gatehouse.core.china_time import china_day
from gatehouse.core.dcc.value_sets import DccValueSets
from gatehouse.core.id_card import HOLDER_CHECK, holder_reasons
from gatehouse.core.models import Outcome
from gatehouse.core.next_step import NextStep, step_after
from gatehouse.core.reasons import Reason, ReasonCode, mark_deciding, reason, traced
from gatehouse.core.rules.checks import (
    CHECKS,
    DataState,
    Identity,
    RuleContext,
    RuleDataError,
    data_blockers,
)
from gatehouse.core.rules.evidence import Evidence
from gatehouse.core.rules.pack import (
    ENGINE_VERSION,
    CheckpointPolicy,
    RulePack,
    RuleSpec,
    select_pack,
)
from gatehouse.core.rules.persons import IdNumberError, PersonLists, id_hash
from gatehouse.core.rules.regions import RegionTable
from gatehouse.core.rules.risk_areas import RiskAreaList

__all__ = [
    "Decision",
    "Evidence",
    "FollowUp",
    "Policy",
    "RefusedBundle",
    "Verdict",
    "admit_blockers",
    "decide",
]

NO_PACK_VERSION = "none"

# The office documents a booth decides by; holding one this release refuses refers everyone.
_REFUSED_REASON: Mapping[str, ReasonCode] = {
    "policy": ReasonCode.PACK_REFUSED,
    "risk_areas": ReasonCode.DATA_RISK_LIST_REFUSED,
    "lists": ReasonCode.DATA_LISTS_REFUSED,
}
REFUSED_DOCUMENT_CODES = frozenset(_REFUSED_REASON.values())


class FollowUp(StrEnum):
    """What must happen besides the gate's outcome."""

    HOME_MONITORING = "home_monitoring"  # admitted, but under home health monitoring
    ALERT_SUPERVISOR = "alert_supervisor"  # e.g. a person under home isolation tried to pass
    FLAG_CASE = "flag_case"  # report to the epidemic office (confirmed abnormal temperature)


_FOLLOW_UPS: Mapping[str, FollowUp] = {
    ReasonCode.TRAVEL_HOME_MONITORING: FollowUp.HOME_MONITORING,
    ReasonCode.TRAVEL_DECLARED_HOME_MONITORING: FollowUp.HOME_MONITORING,
    ReasonCode.LIST_ISOLATION: FollowUp.ALERT_SUPERVISOR,
    ReasonCode.TEMP_CONFIRMED_ABNORMAL: FollowUp.FLAG_CASE,
}


class Verdict(StrEnum):
    """The five answers a guard can get; ``Outcome`` is the four the gate itself can do."""

    ADMIT = "admit"
    ADMIT_HOME_MONITORING = "admit_home_monitoring"
    REMEASURE = "remeasure"
    REFER = "refer"
    TURN_AWAY = "turn_away"


@dataclass(frozen=True)
class RefusedBundle:
    """An office document the booth holds (kept by an older release) but this one refuses.

    Deciding by the built-in document instead could admit someone the office's would refer
    (a looser pack, an old isolation list), so while one is held the booth refers everyone.
    """

    name: str  # "policy", "risk_areas" or "lists"
    version: int
    problem: str

    @property
    def reason(self) -> Reason:
        """What the guard and the supervisor read: the document, its version, the problem."""
        return reason(_REFUSED_REASON[self.name], version=self.version, problem=self.problem)


@dataclass(frozen=True)
class Policy:
    """Everything the booth decides by, except the evidence and the clock.

    ``packs`` are all the packs the booth holds; ``hub_clock_offset`` is this booth's clock
    minus the hub's at the last sync (None: never compared); ``hub_time_seen`` the hub's clock
    at the last contact; ``data_checked_at`` per bundle name the hub's time when it last
    confirmed the booth's copy current (see ``DataState``). ``list_secret`` keys the hash
    person lists are matched by. ``refused``: office documents held but refused by this
    release; while there is one, every passage is referred.
    """

    packs: tuple[RulePack, ...]
    checkpoint_type: str
    risk_areas: RiskAreaList | None = None
    lists: PersonLists | None = None
    regions: RegionTable | None = None
    hub_clock_offset: timedelta | None = None
    hub_time_seen: datetime | None = None
    data_checked_at: Mapping[str, datetime] = field(default_factory=dict, hash=False)
    list_secret: bytes = field(default=b"", repr=False)
    app_version: str = __version__
    dcc_value_sets: DccValueSets | None = None
    refused: tuple[RefusedBundle, ...] = ()

    def pack_at(self, now: datetime) -> RulePack | None:
        """The pack in force at ``now``; none while an office document is refused, so nothing
        (a person, a vehicle, the screen) is judged by the built-in pack meanwhile."""
        if self.refused:
            return None
        return select_pack(self.packs, now, self.app_version)

    @property
    def refused_reasons(self) -> tuple[Reason, ...]:
        """Why everyone is referred: one reason per refused office document."""
        return tuple(item.reason for item in self.refused)

    def checkpoint_at(self, now: datetime) -> CheckpointPolicy | None:
        """This booth's checkpoint policy in the pack in force at ``now``."""
        pack = self.pack_at(now)
        return pack.checkpoint(self.checkpoint_type) if pack is not None else None

    @property
    def temperature_threshold_c(self) -> float:
        """The threshold to show beside the live reading, from the latest-starting usable pack.

        Decisions never use this: each uses the pack in force at its own moment
        (``checkpoint_at``). Falls back to the standard 37.3 °C.
        """
        pack = select_pack(self.packs, datetime.max.replace(tzinfo=UTC), self.app_version)
        checkpoint = pack.checkpoint(self.checkpoint_type) if pack is not None else None
        return checkpoint.temperature_threshold_c if checkpoint is not None else 37.3


@dataclass(frozen=True)
class Decision:
    """What the gate does and every reason why, stamped so the log can be audited later."""

    outcome: Outcome
    reasons: tuple[Reason, ...]
    decided_at: datetime
    policy_version: str  # "<pack id>@<pack version>" of the pack in force
    id_hash: str | None = None  # keyed hash of the ID number, when one was known

    def __post_init__(self) -> None:
        # Whoever builds a decision, its reasons say which of them decided it.
        object.__setattr__(self, "reasons", mark_deciding(self.reasons, self.outcome))

    @property
    def follow_ups(self) -> frozenset[FollowUp]:
        """Home monitoring only for those admitted; alerts and flags whatever the outcome."""
        found = {_FOLLOW_UPS[r.code] for r in self.reasons if r.code in _FOLLOW_UPS}
        if self.outcome is not Outcome.ADMIT:
            found.discard(FollowUp.HOME_MONITORING)
        return frozenset(found)

    @property
    def next_step(self) -> NextStep:
        """What the guard is asked to do next: the booth screen reads this, not the codes."""
        return step_after(self.reasons)

    @property
    def verdict(self) -> Verdict:
        if self.outcome is Outcome.ADMIT and FollowUp.HOME_MONITORING in self.follow_ups:
            return Verdict.ADMIT_HOME_MONITORING
        return Verdict(self.outcome.name.lower())

    def to_json_data(self) -> dict[str, Any]:
        """The decision as ``gatehouse decide`` prints it (see docs/decision-input.md)."""
        return {
            "outcome": self.outcome.name,
            "verdict": self.verdict.value,
            "follow_ups": sorted(item.value for item in self.follow_ups),
            "decided_at": self.decided_at.isoformat(),
            "policy_version": self.policy_version,
            "reasons": [
                {
                    "code": item.code,
                    "outcome": item.outcome.name,
                    "en": item.en,
                    "zh": item.zh,
                    "result": item.result.value,
                    "action": item.action.value if item.action is not None else None,
                    "rule_id": item.rule_id,
                    "pack_version": item.pack_version,
                    "deciding": item.deciding,
                    "params": {
                        k: v for k, v in item.params.items() if k not in ("rule_id", "pack_version")
                    },
                }
                for item in self.reasons
            ],
        }


def decide(evidence: Evidence, policy: Policy, now: datetime) -> Decision:
    """Apply ``policy`` to ``evidence`` at ``now`` (timezone-aware)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    identity = _identity(evidence, policy)
    if policy.refused:  # never decided by a built-in document looser than the office's
        refused = policy.refused_reasons
        return Decision(Outcome.REFER, refused, now, NO_PACK_VERSION, identity.id_hash)
    pack = policy.pack_at(now)
    if pack is None:
        return Decision(
            Outcome.REFER, (reason(ReasonCode.PACK_NONE),), now, NO_PACK_VERSION, identity.id_hash
        )
    version = f"{pack.pack_id}@{pack.version}"
    checkpoint = pack.checkpoint(policy.checkpoint_type)
    if checkpoint is None:
        refer = reason(
            ReasonCode.PACK_NO_CHECKPOINT, pack=version, checkpoint=policy.checkpoint_type
        )
        return Decision(Outcome.REFER, (refer,), now, version, identity.id_hash)
    context = RuleContext(
        evidence=evidence,
        checkpoint=checkpoint,
        now=now,
        today=china_day(now),
        risk_areas=policy.risk_areas,
        lists=policy.lists,
        identity=identity,
        regions=policy.regions,
        data_blockers=_blockers(pack, policy, now),
        dcc_value_sets=policy.dcc_value_sets,
    )
    reasons = tuple(
        traced(item, rule_id, version)
        for rule_id in checkpoint.rules
        for item in run_rule(pack.rules[rule_id], context)
    )
    claims = evidence.credential.claims if evidence.credential is not None else None
    given = identity.id_hash if evidence.id_number is not None else None  # typed or read
    secret = policy.list_secret
    reasons += tuple(  # not a pack's rule: no pack can make a borrowed pass good
        traced(item, HOLDER_CHECK, version)
        for item in holder_reasons(evidence.id_card, given, claims, secret, context.today)
    )
    outcome = max((item.outcome for item in reasons), default=Outcome.REFER)
    return Decision(outcome, reasons, now, version, identity.id_hash)


def admit_blockers(policy: Policy, now: datetime) -> tuple[Reason, ...]:
    """Why automatic admits are stopped right now (stale data, disputed clock, no pack, a
    refused office document): what the booth screen shows while it lasts. Empty when admits
    are possible."""
    if policy.refused:
        return policy.refused_reasons
    pack = policy.pack_at(now)
    if pack is None:
        return (reason(ReasonCode.PACK_NONE),)
    try:
        return _blockers(pack, policy, now)
    except ValueError as exc:
        spec = pack.rule_of_kind("data_freshness")
        return (reason(ReasonCode.RULE_OPEN, rule=spec.rule_id if spec else "?", problem=str(exc)),)


def _blockers(pack: RulePack, policy: Policy, now: datetime) -> tuple[Reason, ...]:
    spec = pack.rule_of_kind("data_freshness")
    if spec is None:
        return ()
    state = DataState(
        risk_areas=policy.risk_areas,
        lists=policy.lists,
        pack_published_at=pack.published_at,
        checked_at=policy.data_checked_at,
        hub_clock_offset=policy.hub_clock_offset,
        hub_time_seen=policy.hub_time_seen,
    )
    return data_blockers(spec.params, now, state)


def run_rule(spec: RuleSpec, context: RuleContext) -> tuple[Reason, ...]:
    """One rule's reasons; OPEN (refer) when it cannot be evaluated, whatever the cause."""
    check = CHECKS.get(spec.kind)
    if check is None:
        return (
            reason(ReasonCode.RULE_OPEN, rule=spec.rule_id, problem=f"unknown kind {spec.kind}"),
        )
    if spec.engine > ENGINE_VERSION:
        problem = f"needs rules engine {spec.engine}, this booth has {ENGINE_VERSION}"
        return (reason(ReasonCode.RULE_OPEN, rule=spec.rule_id, problem=problem),)
    try:
        return check(spec, context)
    except RuleDataError as exc:
        return (reason(ReasonCode.RULE_OPEN, rule=spec.rule_id, problem=str(exc)),)
    except (ValueError, TypeError, KeyError, ArithmeticError) as exc:
        return (reason(ReasonCode.RULE_OPEN, rule=spec.rule_id, problem=type(exc).__name__),)


def _identity(evidence: Evidence, policy: Policy) -> Identity:
    """Who the lists know this person as: by the typed ID number, else by the pass's hash when
    it was made with the lists' key (a hash under another key would match nobody)."""
    claims = evidence.credential.claims if evidence.credential is not None else None
    lists = policy.lists
    hashed: str | None = None
    if evidence.id_number is not None:
        try:
            hashed = id_hash(policy.list_secret, evidence.id_number)
        except IdNumberError:
            return Identity(None, "invalid")
    elif claims is not None and claims.id_hash is not None:
        if lists is not None and claims.id_key_check != lists.key_check:
            return Identity(None, "pass_key")
        hashed = claims.id_hash
    if hashed is None:
        return Identity(None, "missing")
    if lists is None:
        return Identity(hashed, "no_lists")
    if not lists.hashed_with(policy.list_secret):
        return Identity(hashed, "key_mismatch")
    return Identity(hashed, None, lists.match(hashed))
