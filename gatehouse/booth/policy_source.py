"""Where a booth's policy comes from: the signed built-in documents, the hub's bundles, the secret.

Built in (``resources/policy``): the default rule pack made from the seeds and the seed's
risk-area list, each signed by ``tools/sign_policy.py`` and verified here against
``builtin_signers.json``. From the hub (``Ledger.bundle``, verified by the sync layer): packs
(``policy``), the current risk-area list (``risk_areas``) and the person lists (``lists``);
a hub document replaces the built-in one. The built-in seed list is years old, so a booth that
has never heard from the office refers everyone, and its screen says why; the demo uses a demo
list dated for the demo clock instead.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from gatehouse.config import Config
from gatehouse.core.decision import Policy
from gatehouse.core.keys import TrustStore
from gatehouse.core.rules.pack import RulePack, pack_from_data
from gatehouse.core.rules.persons import PersonLists
from gatehouse.core.rules.regions import RegionTable
from gatehouse.core.rules.risk_areas import RiskAreaList
from gatehouse.core.rules.signed import open_document
from gatehouse.resources import resource_path

POLICY_DIR = "policy"
DEFAULT_PACK = "default_pack.cose"
SEED_RISK_AREAS = "risk_areas_seed.cose"
DEMO_RISK_AREAS = "risk_areas_demo.cose"


class BundleSource(Protocol):
    """What the booth needs from the ledger: the newest verified hub bundle of a name."""

    def bundle(self, name: str) -> Any: ...


class PolicyFileError(ValueError):
    """A policy file that cannot be used; the message names the file and the problem."""


@functools.cache
def region_table() -> RegionTable:
    path = resource_path("regions", "regions.json")
    return RegionTable.from_json(path.read_text(encoding="utf-8"))


def builtin_signers() -> TrustStore:
    path = resource_path(POLICY_DIR, "builtin_signers.json")
    return TrustStore.from_json(path.read_text(encoding="utf-8"))


def read_signed(path: Path, signers: TrustStore) -> Any:
    """The verified JSON document in the signed file ``path``."""
    try:
        return open_document(path.read_bytes(), signers)[0]
    except ValueError as exc:
        raise PolicyFileError(f"{path}: {exc}") from exc


def packs_from(document: Any) -> tuple[RulePack, ...]:
    """One pack, or ``{"packs": [...]}`` (the current pack and those already announced)."""
    if isinstance(document, dict) and "packs" in document:
        return tuple(pack_from_data(item) for item in document["packs"])
    return (pack_from_data(document),)


def builtin_policy_parts(demo: bool) -> tuple[tuple[RulePack, ...], RiskAreaList]:
    signers = builtin_signers()
    folder = resource_path(POLICY_DIR)
    packs = packs_from(read_signed(folder / DEFAULT_PACK, signers))
    risk_file = DEMO_RISK_AREAS if demo else SEED_RISK_AREAS
    risk_areas = RiskAreaList.from_json_data(read_signed(folder / risk_file, signers))
    return packs, risk_areas


def read_list_secret(path: Path) -> bytes:
    """The mine's person-list secret: hex text of at least 16 bytes."""
    try:
        secret = bytes.fromhex(path.read_text(encoding="utf-8").strip())
    except ValueError as exc:
        raise PolicyFileError(f"{path}: the list secret must be hex text") from exc
    if len(secret) < 16:
        raise PolicyFileError(f"{path}: the list secret must be at least 16 bytes")
    return secret


def booth_policy(config: Config, hub: BundleSource | None, *, demo: bool) -> Policy:
    """The policy this booth decides by now: built-in documents overlaid with the hub's."""
    packs, risk_areas = builtin_policy_parts(demo)
    lists: PersonLists | None = None
    if hub is not None and not demo:
        packs = (*packs, *_hub_packs(hub))
        risk_areas = _newer(
            risk_areas, _hub_content(hub, "risk_areas", RiskAreaList.from_json_data)
        )
        lists = _hub_content(hub, "lists", lambda data: PersonLists.from_json(json.dumps(data)))
    secret_file = config.policy.list_secret_file
    return Policy(
        packs=packs,
        checkpoint_type=config.booth.checkpoint_type,
        risk_areas=risk_areas,
        lists=lists,
        regions=region_table(),
        list_secret=read_list_secret(Path(secret_file).expanduser()) if secret_file else b"",
    )


def _hub_packs(hub: BundleSource) -> Iterable[RulePack]:
    bundle = hub.bundle("policy")
    return packs_from(bundle.content) if bundle is not None else ()


def _hub_content(hub: BundleSource, name: str, parse: Any) -> Any:
    bundle = hub.bundle(name)
    return parse(bundle.content) if bundle is not None else None


def _newer(builtin: RiskAreaList, received: RiskAreaList | None) -> RiskAreaList:
    if received is None or received.published_at < builtin.published_at:
        return builtin
    return received
