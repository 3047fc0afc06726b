"""The EU DCC value sets a booth checks certificates against: the release shipped in
``resources/dcc_value_sets`` overlaid, set by set, with the hub's ``dcc_value_sets`` bundle.

A set the hub sends replaces the shipped one only when it is well-formed and not older
(``DccValueSets.updated_by``); anything refused is logged with its reason (and listed in
``refused``, which the runtime records for the supervisor) and the set in force stays. A bundle
that is not a value-set document at all is refused whole.
"""

from __future__ import annotations

import dataclasses
import functools
import logging

from gatehouse.bundles.source import BundleSource
from gatehouse.core.dcc.value_sets import DccValueSets, ValueSetError, value_sets_from_json
from gatehouse.resources import resource_path

log = logging.getLogger(__name__)

BUNDLE = "dcc_value_sets"


@functools.cache
def shipped_value_sets() -> DccValueSets:
    path = resource_path("dcc_value_sets", "value_sets.json")
    return value_sets_from_json(path.read_text(encoding="utf-8"))


def booth_value_sets(hub: BundleSource | None) -> DccValueSets:
    shipped = shipped_value_sets()
    bundle = hub.bundle(BUNDLE) if hub is not None else None
    if bundle is None:
        return shipped
    try:
        received = shipped.updated_by(bundle.content)
    except ValueSetError as exc:
        log.error("hub bundle %s refused, keeping %s: %s", BUNDLE, shipped.version, exc)
        return dataclasses.replace(shipped, refused=(f"hub bundle {BUNDLE} refused: {exc}",))
    for problem in received.refused:
        log.error("hub bundle %s: %s", BUNDLE, problem)
    return received
