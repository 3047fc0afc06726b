"""Dry run of changed checkpoint parameters over logged passages: whose checks would now flip.

Each passage is judged again, under the parameters of its checkpoint type before and after
the change, on what its uploaded record holds: the temperature reading, the test the verified
pass carried (its age at the passage's moment), its travel against the published risk list
(within each look-back), and declared travel where the checkpoint accepts it or not. These are
the comparisons the booth's rules make (gatehouse.core.rules.checks). A check that becomes
stricter refers or turns the person away; one that becomes looser no longer does (other
checks still decide).

While booths hold a pack this release refuses they refer everyone, so the dry run then compares
with that: who the new parameters would no longer stop, and who they would still stop.

"Require ID" is replayed by the booth's own list rules (``run_rule``): a passage where no ID
number was read and the pass carried no ID hash was a person nobody identified, and the
checkpoint's isolation and roster rules are run for them as the booth runs them, against the
office's published lists (an empty list where none is published: whoever is unidentified
cannot be checked against any list). A passage whose identity the record cannot tell (its
pass purged or not verified) is not judged on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gatehouse.core.china_time import china_day
from gatehouse.core.code_kinds import CodeKind
from gatehouse.core.decision import run_rule
from gatehouse.core.gatehouse_pass import CredentialError, logged_claims
from gatehouse.core.models import Outcome, TestResult, VerifiedPass
from gatehouse.core.rules.checks import ID_LIST_KINDS, Identity, RuleContext
from gatehouse.core.rules.dry_run_rows import Change, DryRunResult, DryRunRow
from gatehouse.core.rules.evidence import Evidence
from gatehouse.core.rules.pack import CheckpointPolicy, RulePack, RuleSpec
from gatehouse.core.rules.persons import PersonLists
from gatehouse.core.rules.risk_areas import RiskAreaList
from gatehouse.core.rules.risk_dry_run import evidence_of, travel_of

PolicyRow = DryRunRow[str]  # why: the names of the checks that flip (CHECKS)
REFUSED_PACK = "refused_pack"  # what stops everyone while booths hold a pack they refuse
CHECKS = ("temperature", "test_age", "look_back", "declared_travel", "require_id", REFUSED_PACK)


@dataclass(frozen=True)
class _Rules:
    """A checkpoint type's parameters and its rules, as one pack has them."""

    checkpoint: CheckpointPolicy
    specs: tuple[RuleSpec, ...]


def policy_dry_run(
    records: Iterable[Mapping[str, Any]],
    before: RulePack | None,
    after: RulePack,
    risk_areas: RiskAreaList | None,
    lists: PersonLists | None = None,
) -> DryRunResult[str]:
    """One row per record, judged with its checkpoint type's parameters and rules in pack
    ``before`` and in pack ``after``; ``lists`` the office's published person lists.
    ``before`` None: booths hold a pack they refuse and refer everyone, so a passage ``after``
    no longer stops is looser (``REFUSED_PACK`` no longer stops it) and one it still stops
    is unchanged (naming what stops it)."""
    known = lists if lists is not None else PersonLists.empty()
    return DryRunResult(tuple(_row(record, before, after, risk_areas, known) for record in records))


def _rules(pack: RulePack, checkpoint_type: str) -> _Rules | None:
    checkpoint = pack.checkpoint(checkpoint_type)
    if checkpoint is None:
        return None
    return _Rules(checkpoint, tuple(pack.rules[rule] for rule in checkpoint.rules))


def _row(
    record: Mapping[str, Any],
    before: RulePack | None,
    after: RulePack,
    risk_areas: RiskAreaList | None,
    lists: PersonLists,
) -> PolicyRow:
    checkpoint = str(record.get("checkpoint_type", ""))
    new = _rules(after, checkpoint)
    old = _rules(before, checkpoint) if before is not None else new
    if old is None or new is None:
        return PolicyRow(record, Change.NOT_CHECKABLE)
    checks = _checks(record, risk_areas, lists)
    if before is None and checks:
        stopping = tuple(name for name, fails in checks if fails(new))
        if stopping:
            return PolicyRow(record, Change.UNCHANGED, stopping)
        return PolicyRow(record, Change.LOOSER, looser=(REFUSED_PACK,))
    failing = {name: (fails(old), fails(new)) for name, fails in checks}
    if not failing:
        return PolicyRow(record, Change.NOT_CHECKABLE)
    stricter = tuple(name for name, (was, now) in failing.items() if now and not was)
    looser = tuple(name for name, (was, now) in failing.items() if was and not now)
    change = Change.STRICTER if stricter else Change.LOOSER if looser else Change.UNCHANGED
    return PolicyRow(record, change, stricter, looser)


Fails = Callable[[_Rules], bool]


def _checks(
    record: Mapping[str, Any], risk_areas: RiskAreaList | None, lists: PersonLists
) -> list[tuple[str, Fails]]:
    """Each check the record allows, as a function of the checkpoint's parameters and rules
    that says whether the check fails (refers or turns away)."""
    moment = datetime.fromisoformat(str(record["decided_at"]))
    found: list[tuple[str, Fails]] = []
    temperature = record.get("temperature_c")
    if isinstance(temperature, int | float):
        found.append(("temperature", lambda r: temperature >= r.checkpoint.temperature_threshold_c))
    test = _test_age(record, moment)
    if test is not None:
        found.append(("test_age", lambda r: test > r.checkpoint.test_max_age))
    unidentified = _unidentified(record, moment, lists)
    if unidentified is not None:
        found.append(("require_id", unidentified))
    try:
        travel = travel_of(record)
    except ValueError:
        return found
    day = china_day(moment)
    if risk_areas is not None:
        found.append(
            (
                "look_back",
                lambda r: bool(risk_areas.visits_at_risk(travel, day, r.checkpoint.lookback_days)),
            )
        )
    if evidence_of(record).declared_travel is not None:
        found.append(("declared_travel", lambda r: not r.checkpoint.allow_declared_travel))
    return found


def _unidentified(record: Mapping[str, Any], moment: datetime, lists: PersonLists) -> Fails | None:
    """For a person nobody identified: whether the checkpoint's list rules, run as the booth
    runs them, stop them. None when the record shows an identity, or cannot tell."""
    try:
        if evidence_of(record).id_given:
            return None
    except ValueError:
        return None
    kind = str(record.get("code_kind") or "")
    scanned = str(record.get("scanned_text") or "")
    credential = _logged_pass(record)
    if kind == CodeKind.GATEHOUSE_PASS and credential is None:
        return None  # purged or not verified: whether the pass carried an ID hash is unknown
    if credential is not None and credential.claims.id_hash is not None:
        return None
    evidence = Evidence(scanned, credential, None, None, code_kind=kind)
    identity = Identity(None, "missing")

    def fails(rules: _Rules) -> bool:
        context = RuleContext(
            evidence, rules.checkpoint, moment, china_day(moment), None, lists, identity, None, ()
        )
        return any(
            found.outcome is not Outcome.ADMIT
            for spec in rules.specs
            if spec.kind in ID_LIST_KINDS
            for found in run_rule(spec, context)
        )

    return fails


def _logged_pass(record: Mapping[str, Any]) -> VerifiedPass | None:
    """The Gatehouse pass the booth verified, read again from the log; None when it was not
    one, not verified, or is gone."""
    scanned = record.get("scanned_text") or ""
    if record.get("code_kind") != CodeKind.GATEHOUSE_PASS or not scanned:
        return None
    try:
        evidence = evidence_of(record)
        if not evidence.code_verified:
            return None
        return VerifiedPass(logged_claims(scanned), b"", evidence.issuer or "")
    except (ValueError, CredentialError):
        return None


def _test_age(record: Mapping[str, Any], moment: datetime) -> Any:
    """How old the verified pass's negative test was at the passage; None when unknown."""
    credential = _logged_pass(record)
    test = credential.claims.test if credential is not None else None
    if test is None or test.result is not TestResult.NEGATIVE:
        return None
    return moment - test.sampled_at
