"""The EU DCC value sets a booth checks certificates against: the release shipped in
``resources/dcc_value_sets`` overlaid, set by set, with the office's: the last good copy of
each set the office published (kept in the ledger), then the hub's ``dcc_value_sets`` bundle.

A set the hub sends is taken only when it is well-formed and not older than the one in force
(``DccValueSets.overlaid``); anything refused is logged with its reason (and listed in
``refused``, which the runtime records for the supervisor) and the set in force stays. The
shipped sets can be looser than the office's (the office removed a vaccine or a test device),
so a refusal never falls back to them: the office's last good copy of a refused set stays in
force, and where the booth has none (the first document it ever saw was refused) the set is
``unsure``: every EU DCC whose check needs it is referred, saying why. A bundle that is not a
value-set document at all is refused whole, the same way.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gatehouse.bundles.source import BundleSource
from gatehouse.core.dcc.value_sets import (
    EMPTY,
    FIELD_SETS,
    FORMAT,
    DccValueSets,
    ValueSetError,
    value_sets_from_json,
)
from gatehouse.resources import resource_path
from gatehouse.store.trust_refusals import LAST_GOOD_STAYS, NOTHING_TRUSTED

log = logging.getLogger(__name__)

BUNDLE = "dcc_value_sets"
EVERY_SET = frozenset(FIELD_SETS.values())


@dataclass(frozen=True)
class LoadedValueSets:
    """The sets in force and the office's last good sets to keep (a value-set document in
    which each set is the last one of its id the booth took from the office; None: none)."""

    sets: DccValueSets
    last_good: Mapping[str, Any] | None = None


@functools.cache
def shipped_value_sets() -> DccValueSets:
    path = resource_path("dcc_value_sets", "value_sets.json")
    return value_sets_from_json(path.read_text(encoding="utf-8"))


def booth_value_sets(hub: BundleSource | None, kept: Any = None) -> LoadedValueSets:
    """The sets in force with the hub's bundle, ``kept`` being the office's last good sets
    (``LoadedValueSets.last_good`` of an earlier load)."""
    shipped = shipped_value_sets()
    kept_sets = _kept(kept)
    base = shipped
    if kept_sets:  # a kept set older than the one shipped gives way to it, as it did when it came
        base = dataclasses.replace(shipped.overlaid(kept).sets, refused=())
    bundle = hub.bundle(BUNDLE) if hub is not None else None
    if bundle is None:
        return LoadedValueSets(base, kept)
    try:
        overlay = base.overlaid(bundle.content)
    except ValueSetError as exc:
        problem = f"hub bundle {BUNDLE} version {bundle.version} refused: {exc}"
        whole = _nothing_trusted(problem, EVERY_SET) if not kept_sets else _last_good(problem, base)
        log.error("%s", whole)
        none_kept = EVERY_SET if not kept_sets else frozenset()
        return LoadedValueSets(dataclasses.replace(base, refused=(whole,), unsure=none_kept), kept)
    refused: list[str] = []
    unsure: set[str] = set()
    for item in overlay.refusals:
        missing = {item.set_id} if item.set_id else set(EVERY_SET)
        missing -= {*kept_sets, *overlay.taken}  # the office's own copy of these is known
        if item.superseded:
            refused.append(item.problem)
        elif missing:
            unsure |= missing
            refused.append(_nothing_trusted(item.problem, missing))
        else:
            refused.append(f"{item.problem}; the office's last good copy {LAST_GOOD_STAYS}")
    for problem in refused:
        log.error("hub bundle %s: %s", BUNDLE, problem)
    sets = dataclasses.replace(overlay.sets, refused=tuple(refused), unsure=frozenset(unsure))
    if not overlay.taken:  # nothing of it was good: the last good copy is what it was
        return LoadedValueSets(sets, kept)
    taken = {**kept_sets, **overlay.taken}
    version = overlay.sets.version
    chosen = [taken[set_id] for set_id in sorted(taken)]
    return LoadedValueSets(sets, {"format": FORMAT, "version": version, "value_sets": chosen})


def _kept(kept: Any) -> Mapping[str, Any]:
    """The office's last good sets by id, as it published them; none without a usable copy."""
    if kept is None:
        return {}
    try:
        return EMPTY.overlaid(kept).taken
    except ValueSetError as exc:  # the booth wrote it: only a damaged ledger gets here
        log.error("the office's last good value sets are unreadable: %s", exc)
        return {}


def _last_good(problem: str, base: DccValueSets) -> str:
    return f"{problem}; the office's last good value sets ({base.version}) {LAST_GOOD_STAYS}"


def _nothing_trusted(problem: str, set_ids: set[str] | frozenset[str]) -> str:
    named = "any value set" if set_ids == EVERY_SET else ", ".join(sorted(set_ids))
    return (
        f"{problem}; no earlier good copy from the office: {NOTHING_TRUSTED}; every EU DCC "
        f"checked against {named} is referred"
    )
