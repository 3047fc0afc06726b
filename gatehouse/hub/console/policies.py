"""Checkpoint policies in the console: the rule pack's parameters per checkpoint type as a form.

The office changes what each kind of checkpoint requires (test age, temperature threshold,
travel look-back, whether declared travel or a guard-attested provincial code admits, whether
the person must be identified against the lists) and where home is for home monitoring. The
result is the pack in force with those parameters, checked by the booth's own pack parser and
signed as the next ``policy`` bundle. A later effective time publishes the pack in force until
then together with the new one from then (booths switch on their own at that moment).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from gatehouse.core.rules.pack import packs_from
from gatehouse.core.rules.policy_dry_run import PolicyRow, policy_dry_run
from gatehouse.core.rules.regions import RegionCodeError, check_code
from gatehouse.hub.console import risk_areas
from gatehouse.hub.service import Hub, iso
from gatehouse.resources import resource_path
from gatehouse.sync.protocol import open_bundle

BUNDLE = "policy"
NO_ID = "-no-id"  # a list rule's variant that lets an unidentified person pass unchecked
ID_RULE_KINDS = ("isolation_list", "employee_roster")
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


def pack_in_force(hub: Hub) -> dict[str, Any]:
    """The pack booths hold now (as JSON data): the published policy, else the built-in one."""
    latest = hub.latest_bundle(BUNDLE)
    if latest is None:
        return dict(json.loads(resource_path("policy", "default_pack.json").read_text("utf-8")))
    content = open_bundle(latest.signed, hub.bundle_key.public_key(), BUNDLE).content
    documents = content["packs"] if isinstance(content, dict) and "packs" in content else [content]
    now = hub.clock()
    in_force = [
        (pack, document)
        for pack, document in zip(packs_from(content), documents, strict=True)
        if pack.in_force_at(now)
    ]
    chosen = (
        max(in_force, key=lambda pair: pair[0].effective_from)[1] if in_force else documents[-1]
    )
    return dict(chosen)


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
                _no_id(rules[rule], variants) if rules[rule]["kind"] in ID_RULE_KINDS else rule
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


def publish(hub: Hub, form: PolicyForm, effective: datetime, by: str) -> int:
    """Sign the pack in force with ``form``'s parameters as the next ``policy`` bundle, after
    the booth's own parser accepts it; returns the bundle version."""
    now = hub.clock()
    if effective.tzinfo is None:
        raise PolicyFormError("bad_time", "effective_at")
    effective = max(effective, now)
    current = pack_in_force(hub)
    unknown = set(form.checkpoints) - set(current["checkpoints"])
    if unknown:
        raise PolicyFormError("policy_unknown_checkpoint", ", ".join(sorted(unknown)))
    latest = hub.latest_bundle(BUNDLE)
    version = f"console-{(latest.version if latest else 0) + 1}"
    new = with_form(current, form, version, now, effective)
    new["published_by"] = by
    if effective > now:  # the pack in force stays until then: booths switch at that moment
        old = {**current, "effective_until": effective.isoformat()}
        content: Any = {"packs": [old, new]}
    else:
        content = new
    return hub.publish(BUNDLE, content).version


def dry_run(hub: Hub, form: PolicyForm) -> list[PolicyRow]:
    """The form's parameters against every booth's passages of the last 14 days."""
    now = hub.clock()
    current = pack_in_force(hub)
    (before,) = packs_from({**current, "effective_until": None})
    (after,) = packs_from(with_form(current, form, "dry-run", now, now))
    latest = risk_areas.published(hub)
    since = iso(now - timedelta(days=risk_areas.DRY_RUN_DAYS))
    records = risk_areas.passages_since(hub, since)
    return policy_dry_run(
        records, before.checkpoints, after.checkpoints, latest.areas if latest else None
    )
