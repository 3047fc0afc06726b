"""What each hub bundle must be, checked with the very parsers a booth applies on receipt.

The hub signs whatever the office publishes, and every booth trusts the hub's signature; a
document a booth then refuses (or half-reads) would reach every gate. So the hub checks each
bundle before signing it (``gatehouse hub publish``, ``PUT /v1/bundles/NAME``) and refuses it
with the booth's own reason. Only what a booth cannot know is left to the booth: whether a
signed trust list was signed by the office's root key, and whether person lists were hashed
with its list secret.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from gatehouse.core.dcc.value_sets import EMPTY as NO_VALUE_SETS
from gatehouse.core.health_codes import HealthCodeIssuers
from gatehouse.core.keys import TrustStore
from gatehouse.core.privacy import check_privacy
from gatehouse.core.rules.pack import packs_from
from gatehouse.core.rules.persons import PersonLists
from gatehouse.core.rules.risk_areas import RiskAreaList
from gatehouse.core.trust_list import unverified_trust_list
from gatehouse.core.trust_sources import trust_from_text

# What a bundle's parser raises for content it refuses (a wrong type or a missing key inside
# a document is as much a refusal as a ValueError).
REFUSALS = (ValueError, TypeError, KeyError)


class BundleContentError(ValueError):
    """A bundle every booth would refuse: the message names the bundle and the booth's reason."""


def check_bundle(name: str, content: Any) -> None:
    """Raise BundleContentError unless a booth would take ``content`` as bundle ``name``."""
    check = _CHECKS.get(name)
    if check is None:
        known = ", ".join(sorted(_CHECKS))
        raise BundleContentError(f"no booth reads a bundle named {name!r}; the bundles: {known}")
    try:
        check(content)
    except REFUSALS as exc:
        raise BundleContentError(f"{name}: a booth would refuse it: {refusal_words(exc)}") from exc


def refusal_words(exc: Exception) -> str:
    """The parser's reason for refusing a bundle, in words a supervisor can pass on."""
    return str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"


def _trusted_keys(content: Any) -> None:
    """A signed trust list (its text) or a plain trust file (an object), as booths take it."""
    if isinstance(content, str):
        unverified_trust_list(content)
    elif isinstance(content, dict):
        TrustStore.from_json(json.dumps(content))
    else:
        raise ValueError("must be a signed trust list (text) or a plain trust file (object)")


def _certificates(content: Any) -> None:
    """Name -> DCC signer certificate text or SMART Health Card issuer file; every one whole
    (a revocation list a booth would refuse inside an issuer file refuses the bundle)."""
    if not isinstance(content, dict) or not content:
        raise ValueError("must be an object: name -> certificate text or issuer file")
    for name, item in content.items():
        text = item if isinstance(item, str) else json.dumps(item)
        try:
            material = trust_from_text(text)
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from exc
        if material.refused:
            raise ValueError(f"{name}: {material.refused[0]}")


def _dcc_value_sets(content: Any) -> None:
    received = NO_VALUE_SETS.updated_by(content)
    if received.refused:
        raise ValueError(received.refused[0])


_CHECKS: Mapping[str, Callable[[Any], object]] = {
    "policy": packs_from,
    "risk_areas": RiskAreaList.from_json_data,
    "lists": lambda content: PersonLists.from_json(json.dumps(content)),
    "trusted_keys": _trusted_keys,
    "certificates": _certificates,
    "issuers": lambda content: HealthCodeIssuers.from_json(json.dumps(content)),
    "privacy": check_privacy,
    "dcc_value_sets": _dcc_value_sets,
}
CHECKED_BUNDLES = frozenset(_CHECKS)
