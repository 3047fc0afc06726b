"""Checkpoint policies in the console: the rule pack's parameters per checkpoint type as a form.

The office changes what each kind of checkpoint requires (test age, temperature threshold,
travel look-back, whether declared travel or a guard-attested provincial code admits, whether
the person must be identified against the lists) and where home is for home monitoring. The
result is the pack in force with those parameters, checked by the booth's own pack parser and
signed as the next ``policy`` bundle. The bundle holds the packs as one chain in time: the
pack in force now and every pack already scheduled for later, each in force until the next one
begins. A new pack joins the chain at its effective time and the scheduled ones stay, so a
change the office already approved is never lost; booths switch on their own at each moment.
A scheduled pack is changed by editing it (``replaces``), never by publishing over it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from gatehouse.core.bundle_checks import REFUSALS, refusal_words
from gatehouse.core.rules.checks import ID_LIST_KINDS
from gatehouse.core.rules.dry_run_rows import DryRunResult
from gatehouse.core.rules.pack import packs_from
from gatehouse.core.rules.persons import PersonListError
from gatehouse.core.rules.policy_dry_run import policy_dry_run
from gatehouse.core.rules.regions import RegionCodeError, check_code
from gatehouse.hub.console import risk_areas
from gatehouse.hub.console.contractors import published_lists
from gatehouse.hub.service import Hub, iso
from gatehouse.resources import resource_path
from gatehouse.sync.protocol import BundleError, open_bundle

BUNDLE = "policy"
NO_ID = "-no-id"  # a list rule's variant that lets an unidentified person pass unchecked
HOME_RULE_KIND = "travel_monitoring"
NUMBERS: Mapping[str, tuple[type, float, float]] = {
    "test_max_age_h": (int, 1, 168),
    "temperature_threshold_c": (float, 36.0, 38.5),
    "lookback_days": (int, 1, 30),
}
SWITCHES = ("allow_declared_travel", "allow_attested", "require_id")


class PolicyFormError(ValueError):
    """A field the form refuses: ``key`` the console's message, ``field`` the form's field."""

    def __init__(self, key: str, field: str) -> None:
        super().__init__(f"{key}: {field}")
        self.key = key
        self.field = field


@dataclass(frozen=True)
class PolicyForm:
    """The form's values: per checkpoint type its parameters, and the home regions."""

    checkpoints: dict[str, dict[str, Any]]
    home_regions: tuple[str, ...]


@dataclass(frozen=True)
class RefusedChain:
    """The policy the hub holds (signed by an older release) but this release refuses: booths
    holding it refer everyone, so the console shows why and lets staff publish a correction."""

    version: int
    problem: str


def chain(hub: Hub) -> list[dict[str, Any]]:
    """The packs booths hold (as JSON data), oldest first: the published policy's, else (none
    published, or one this release refuses) the built-in one, which a correction starts from."""
    return _held(hub)[0]


def refused_chain(hub: Hub) -> RefusedChain | None:
    """Why this release refuses the published policy; None when it accepts it (or none is)."""
    return _held(hub)[1]


def _held(hub: Hub) -> tuple[list[dict[str, Any]], RefusedChain | None]:
    latest = hub.latest_bundle(BUNDLE)
    built_in = [dict(json.loads(resource_path("policy", "default_pack.json").read_text("utf-8")))]
    if latest is None:
        return built_in, None
    content = open_bundle(latest.signed, hub.bundle_key.public_key(), BUNDLE).content
    try:
        packs_from(content)
    except REFUSALS as exc:
        return built_in, RefusedChain(latest.version, refusal_words(exc))
    documents = content["packs"] if isinstance(content, dict) and "packs" in content else [content]
    return [dict(document) for document in documents], None


def pack_in_force(hub: Hub, documents: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The pack booths decide with now (as JSON data), of ``documents`` or of the chain."""
    return in_force_at(chain(hub) if documents is None else documents, hub.clock())


def in_force_at(documents: list[dict[str, Any]], moment: datetime) -> dict[str, Any]:
    """The pack of ``documents`` booths decide with at ``moment`` (the last when none is)."""
    in_force = [
        (pack, document)
        for pack, document in zip(packs_from({"packs": documents}), documents, strict=True)
        if pack.in_force_at(moment)
    ]
    chosen = (
        max(in_force, key=lambda pair: pair[0].effective_from)[1] if in_force else documents[-1]
    )
    return chosen


@dataclass(frozen=True)
class Scheduled:
    """A published pack whose effective time is still to come."""

    version: str
    effective_from: datetime
    published_by: str
    document: dict[str, Any]


def scheduled(hub: Hub, documents: list[dict[str, Any]] | None = None) -> list[Scheduled]:
    """The packs already published for a later time (of ``documents``, else of the chain
    booths hold), soonest first."""
    documents = chain(hub) if documents is None else documents
    now = hub.clock()
    found = [
        Scheduled(
            pack.version, pack.effective_from, str(document.get("published_by") or ""), document
        )
        for pack, document in zip(packs_from({"packs": documents}), documents, strict=True)
        if pack.effective_from > now
    ]
    return sorted(found, key=lambda item: item.effective_from)


def form_of(pack: Mapping[str, Any]) -> PolicyForm:
    """The form's values as the pack has them."""
    checkpoints = {}
    for name, checkpoint in pack["checkpoints"].items():
        params = checkpoint.get("params", {})
        values: dict[str, Any] = {field: params.get(field) for field in NUMBERS}
        values["allow_declared_travel"] = bool(params.get("allow_declared_travel", False))
        values["allow_attested"] = bool(params.get("allow_attested", False))
        values["require_id"] = not any(rule.endswith(NO_ID) for rule in checkpoint["rules"])
        checkpoints[name] = values
    home = next((r for r in pack["rules"] if r["kind"] == HOME_RULE_KIND), None)
    regions = tuple(home.get("params", {}).get("home_regions", ())) if home else ()
    return PolicyForm(checkpoints, regions)


def read_form(fields: Mapping[str, str], checkpoint_types: list[str]) -> PolicyForm:
    """The submitted form, every value checked; PolicyFormError naming the first bad field."""
    checkpoints = {}
    for name in checkpoint_types:
        values: dict[str, Any] = {}
        for field, (kind, low, high) in NUMBERS.items():
            key = f"{name}.{field}"
            try:
                number = kind(fields.get(key, "").strip())
            except ValueError:
                raise PolicyFormError("policy_not_a_number", key) from None
            if not low <= number <= high:
                raise PolicyFormError(f"policy_range_{field}", key)
            values[field] = number
        for field in SWITCHES:
            values[field] = fields.get(f"{name}.{field}") == "on"
        checkpoints[name] = values
    try:
        home = tuple(check_code(code) for code in fields.get("home_regions", "").split())
    except RegionCodeError:
        raise PolicyFormError("policy_bad_home", "home_regions") from None
    return PolicyForm(checkpoints, home)


def with_form(
    pack: Mapping[str, Any], form: PolicyForm, version: str, now: datetime, effective: datetime
) -> dict[str, Any]:
    """``pack`` with the form's parameters, as a new version in effect from ``effective``."""
    changed = copy.deepcopy(dict(pack))
    rules = {rule["id"]: rule for rule in changed["rules"] if not rule["id"].endswith(NO_ID)}
    variants: dict[str, dict[str, Any]] = {}
    for name, values in form.checkpoints.items():
        checkpoint = changed["checkpoints"][name]
        params = checkpoint.setdefault("params", {})
        params.update({field: values[field] for field in (*NUMBERS, *SWITCHES[:2])})
        ids = [rule.removesuffix(NO_ID) for rule in checkpoint["rules"]]
        if not values["require_id"]:
            ids = [
                _no_id(rules[rule], variants) if rules[rule]["kind"] in ID_LIST_KINDS else rule
                for rule in ids
            ]
        checkpoint["rules"] = ids
    for rule in rules.values():
        if rule["kind"] == HOME_RULE_KIND:
            rule.setdefault("params", {})["home_regions"] = list(form.home_regions)
    changed["rules"] = [*rules.values(), *variants.values()]
    changed.update(
        version=version,
        published_at=now.isoformat(),
        effective_from=effective.isoformat(),
        effective_until=None,
    )
    return changed


def _no_id(rule: dict[str, Any], variants: dict[str, dict[str, Any]]) -> str:
    variant_id = str(rule["id"]) + NO_ID
    params = {**rule.get("params", {}), "require_id": False}
    variants[variant_id] = {**rule, "id": variant_id, "params": params}
    return variant_id


def publish(
    hub: Hub,
    form: PolicyForm,
    effective: datetime,
    by: str,
    replaces: str = "",
    based_on: int | None = None,
) -> int:
    """Sign the chain with a pack made of ``form``'s parameters from ``effective`` as the next
    ``policy`` bundle, after the booth's own parser accepts it; returns the bundle version.
    ``replaces`` names a scheduled pack this one takes the place of (its edit); any other
    scheduled pack stays, and one at the very same time is refused (PolicyFormError).
    ``based_on`` is the bundle version the form was filled in from (None: the latest now);
    StalePublishError when someone published since, so their change is not undone unseen."""
    now = hub.clock()
    if effective.tzinfo is None:
        raise PolicyFormError("bad_time", "effective_at")
    effective = max(effective, now)
    based_on = hub.latest_version(BUNDLE) if based_on is None else based_on
    documents = chain(hub)
    waiting = {item.version: item for item in scheduled(hub, documents)}
    if replaces and replaces not in waiting:
        raise PolicyFormError("policy_no_such_scheduled", replaces)
    base = waiting[replaces].document if replaces else pack_in_force(hub, documents)
    unknown = set(form.checkpoints) - set(base["checkpoints"])
    if unknown:
        raise PolicyFormError("policy_unknown_checkpoint", ", ".join(sorted(unknown)))
    clash = next(
        (v for v, item in waiting.items() if v != replaces and item.effective_from == effective),
        None,
    )
    if clash is not None:
        raise PolicyFormError("policy_same_time_as_scheduled", clash)
    new = with_form(base, form, f"console-{based_on + 1}", now, effective)
    new["published_by"] = by
    kept = [d for d in documents if not replaces or d is not waiting[replaces].document]
    content = {"packs": chained([*kept, new], now)}
    return hub.publish(BUNDLE, content, based_on=based_on).version


def chained(documents: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """The packs in order of their effective times, each in force until the next begins (the
    last keeps its own end); of those in force before ``now`` only the newest is kept."""
    ordered = sorted(documents, key=lambda d: datetime.fromisoformat(d["effective_from"]))
    starts = [datetime.fromisoformat(d["effective_from"]) for d in ordered]
    first = max((i for i, start in enumerate(starts) if start <= now), default=0)
    result = []
    for index in range(first, len(ordered)):
        document = dict(ordered[index])
        if index + 1 < len(ordered):
            document["effective_until"] = ordered[index + 1]["effective_from"]
        result.append(document)
    return result


@dataclass(frozen=True)
class DryRun:
    """A dry run's result and the version of the pack it was compared with: while the
    published pack is refused (``refused``), the refused pack's bundle version, with which
    booths refer everyone."""

    result: DryRunResult[str]
    against: str
    refused: bool = False


def dry_run(hub: Hub, form: PolicyForm, replaces: str = "") -> DryRun:
    """The form's parameters against every booth's passages of the last 14 days, compared
    with the pack they would take over from: the pack in force now, or for the edit of a
    scheduled pack (``replaces``) the pack booths will hold just before it takes effect (a
    pack scheduled in between counts; the pack being edited does not). The edit's other
    values are the scheduled pack's own, as its publish takes them. While the published pack
    is refused, booths refer everyone: the comparison is with that, not the built-in pack."""
    now = hub.clock()
    documents, refused = _held(hub)
    base = current = in_force_at(documents, now)
    if replaces:
        edited = next(
            (item for item in scheduled(hub, documents) if item.version == replaces), None
        )
        if edited is None:
            raise PolicyFormError("policy_no_such_scheduled", replaces)
        others = [d for d in documents if d is not edited.document]
        current = in_force_at(others, edited.effective_from - timedelta(microseconds=1))
        base = edited.document
    (before,) = packs_from({**current, "effective_until": None})
    (after,) = packs_from(with_form(base, form, "dry-run", now, now))
    against = str(current["version"]) if refused is None else str(refused.version)
    latest = risk_areas.published(hub)
    since = iso(now - timedelta(days=risk_areas.DRY_RUN_DAYS))
    records = risk_areas.passages_since(hub, since)
    try:
        found = published_lists(hub)
    except (BundleError, PersonListError) as exc:  # judging ID rules without them misleads
        raise PolicyFormError("policy_lists_unreadable", str(exc)) from exc
    lists = found[1] if found else None
    held = before if refused is None else None  # booths refer everyone meanwhile
    result = policy_dry_run(records, held, after, latest.areas if latest else None, lists)
    return DryRun(result, against, refused is not None)
