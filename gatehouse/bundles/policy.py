"""Where a booth's policy comes from: the signed built-in documents, the hub's bundles, the secret.

Built in (``resources/policy``): the default rule pack made from the seeds and the seed's
risk-area list, each signed by ``tools/sign_policy.py`` and verified here against
``builtin_signers.json``. From the hub (``Ledger.bundle``, verified by the sync layer): packs
(``policy``), the current risk-area list (``risk_areas``), the person lists (``lists``) and
the EU DCC value sets (``dcc_value_sets``, over the shipped release: ``bundles/value_sets.py``);
a hub document replaces the built-in one. One held but refused by this release (kept by an
older one) is never replaced by the looser built-in one: the booth refers everyone, saying
why, until the office's correction arrives (``RefusedBundle``). The built-in seed list is
years old, so a booth that has never heard from the office refers everyone, and its screen
says why; the demo uses a demo list dated for the demo clock instead.

The mine's own lists (``gatehouse.store.lists``, the supervisor's import) are used together
with the office's (``merge_lists``: isolation from both, the mine's visitors and contractors
win, but a contract day the mine leaves open is the office's). ``PolicyKeeper`` keeps a
running booth on its newest data: a pulled bundle or an import takes effect at the next scan,
and the sync's view of the hub's clock and of how recently the hub confirmed each document
reaches the stale-data rule.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from gatehouse.bundles.keeper import BundleKeeper
from gatehouse.bundles.source import BundleSource
from gatehouse.bundles.value_sets import BUNDLE as VALUE_SETS
from gatehouse.bundles.value_sets import LoadedValueSets, booth_value_sets
from gatehouse.config import Config
from gatehouse.core.bundle_checks import REFUSALS, refusal_words
from gatehouse.core.dcc.value_sets import DccValueSets
from gatehouse.core.decision import Policy, RefusedBundle
from gatehouse.core.keys import TrustStore
from gatehouse.core.rules.pack import RulePack, packs_from
from gatehouse.core.rules.persons import PersonLists, merge_lists
from gatehouse.core.rules.regions import RegionTable
from gatehouse.core.rules.risk_areas import RiskAreaList
from gatehouse.core.rules.signed import open_document
from gatehouse.resources import resource_path
from gatehouse.store.ledger import Ledger
from gatehouse.store.lists import ListStore
from gatehouse.store.writer import WriterClosedError
from gatehouse.supervision import SUPERVISOR
from gatehouse.sync.contact import HubContact, load_contact
from gatehouse.sync.worker import SyncStatus

log = logging.getLogger(__name__)

POLICY_DIR = "policy"
DEFAULT_PACK = "default_pack.cose"
SEED_RISK_AREAS = "risk_areas_seed.cose"
DEMO_RISK_AREAS = "risk_areas_demo.cose"


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


def load_document(path: Path) -> Any:
    """A policy document from a file: signed (``.cose``, verified against the built-in
    signers) or a plain JSON draft."""
    if path.suffix == ".cose":
        return read_signed(path, builtin_signers())
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise PolicyFileError(f"{path}: not JSON: {exc}") from exc


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


@dataclass(frozen=True)
class _Parts:
    """The documents a policy is made of, which of them came from the hub, and the hub's
    documents held but refused (the booth then refers everyone)."""

    packs: tuple[RulePack, ...]
    risk_areas: RiskAreaList
    office_lists: PersonLists | None
    from_hub: frozenset[str]
    dcc_value_sets: DccValueSets | None = None
    refused: tuple[RefusedBundle, ...] = ()


def _parts(hub: BundleSource | None, demo: bool, value_sets: LoadedValueSets) -> _Parts:
    packs, risk_areas = builtin_policy_parts(demo)
    if hub is None or demo:
        return _Parts(packs, risk_areas, None, frozenset(), value_sets.sets)
    refused: list[RefusedBundle] = []
    hub_packs: tuple[RulePack, ...] = _hub_content(hub, "policy", packs_from, refused) or ()
    received = _hub_content(hub, "risk_areas", RiskAreaList.from_json_data, refused)
    office_lists = _hub_content(
        hub, "lists", lambda data: PersonLists.from_json(json.dumps(data)), refused
    )
    chosen = _newer(risk_areas, received)
    used = {
        "policy": bool(hub_packs),
        "risk_areas": chosen is received,
        "lists": office_lists is not None,
    }
    return _Parts(
        (*packs, *hub_packs),
        chosen,
        office_lists,
        frozenset(name for name, yes in used.items() if yes),
        value_sets.sets,
        tuple(refused),
    )


def booth_policy(
    config: Config,
    hub: BundleSource | None,
    *,
    demo: bool,
    local_lists: PersonLists | None = None,
    contact: HubContact | None = None,
) -> Policy:
    """The policy this booth decides by now: built-in documents overlaid with the hub's, the
    office's lists merged with the mine's own (``local_lists``). ``contact`` (what the last
    sync heard) dates the hub's documents; the demo uses its built-in data only."""
    parts = _parts(hub, demo, booth_value_sets(None if demo else hub))
    policy = _base_policy(config, parts, None if demo else local_lists)
    return _with_contact(policy, parts, contact or HubContact(), None)


def _base_policy(config: Config, parts: _Parts, local_lists: PersonLists | None) -> Policy:
    return Policy(
        packs=parts.packs,
        checkpoint_type=config.booth.checkpoint_type,
        risk_areas=parts.risk_areas,
        lists=merge_lists(parts.office_lists, local_lists),
        regions=region_table(),
        list_secret=list_secret(config),
        dcc_value_sets=parts.dcc_value_sets,
        refused=parts.refused,
    )


def _with_contact(
    policy: Policy, parts: _Parts, contact: HubContact, offset: timedelta | None
) -> Policy:
    """``policy`` with what the booth knows of the hub: its clock (``offset``: booth minus hub
    at the latest reply) and, for each hub document in use, when the hub last confirmed it."""
    if not parts.from_hub and contact.hub_time is None and offset is None:
        return policy
    return dataclasses.replace(
        policy,
        hub_clock_offset=offset,
        hub_time_seen=contact.hub_time,
        data_checked_at={n: at for n, at in contact.checked_at.items() if n in parts.from_hub},
    )


def list_secret(config: Config) -> bytes:
    """The configured person-list secret; empty when none is configured."""
    secret_file = config.policy.list_secret_file
    return read_list_secret(Path(secret_file).expanduser()) if secret_file else b""


class PolicyKeeper(BundleKeeper[Policy]):
    """Keeps a running booth deciding by its newest policy, without a restart.

    ``reload`` rebuilds from the ledger (hub bundles, the mine's lists, the kept hub contact);
    ``on_sync_status`` (the sync worker's callback) passes on the clock skew at every reply
    and reloads when a newer bundle was stored. Every new policy goes to ``apply`` (e.g.
    ``BoothService.set_policy``). Updates are serialised, so the newest data always wins.
    ``keep``: keep the office's last good value sets in the ledger (the running booth does;
    read-only commands only read them).
    """

    def __init__(
        self,
        config: Config,
        ledger: Ledger,
        *,
        demo: bool,
        lists: ListStore | None = None,
        apply: Callable[[Policy], None] | None = None,
        keep: bool = False,
    ) -> None:
        super().__init__(apply)
        self._keep = keep
        self._config = config
        self._ledger = ledger
        self._demo = demo
        self._lists = lists
        self._contact = HubContact() if demo else load_contact(ledger)
        self._offset: timedelta | None = None
        self._read()
        self.policy = self._combined()

    def reload(self) -> Policy:
        """Read the ledger again and apply the result; returns the policy now in force."""
        with self._lock:
            self._read()
            return self._publish()

    def change_config(self, config: Config) -> Policy:
        """Decide by ``config`` (e.g. another checkpoint type) from now on; returns the policy."""
        with self._lock:
            self._config = config
            self._read()
            return self._publish()

    def reload_soon(self) -> None:
        """``reload`` on a thread of its own (e.g. when the ledger writer committed a list)."""
        reload = SUPERVISOR.guarded("policy", self._reload_logged, None)
        threading.Thread(target=reload, name="gatehouse-policy", daemon=True).start()

    def _after_sync(self, status: SyncStatus, *, changed: bool) -> Policy | None:
        if self._demo:
            return None
        self._offset = None if status.clock_skew is None else -status.clock_skew
        self._contact = HubContact(status.hub_time, dict(status.checked_at))
        if changed:
            self._read()
        self.policy = self._combined()
        return self.policy

    def _reload_logged(self) -> None:
        try:
            self.reload()
        except (ValueError, OSError) as exc:  # the booth keeps its policy; say why loudly
            log.error("the booth's policy could not be reloaded, keeping the last one: %s", exc)

    def _read(self) -> None:
        self._parts = _parts(self._ledger, self._demo, self._value_sets())
        local = self._lists.person_lists() if self._lists and not self._demo else None
        self._base = _base_policy(self._config, self._parts, local)

    def _value_sets(self) -> LoadedValueSets:
        """The value sets in force; a newer last good copy of the office's is kept at once,
        so a document refused later never falls back to the looser shipped sets."""
        if self._demo:
            return booth_value_sets(None)
        kept = self._ledger.kept_document(VALUE_SETS)
        loaded = booth_value_sets(self._ledger, kept)
        if self._keep and loaded.last_good is not None and loaded.last_good != kept:
            try:
                self._ledger.keep_document(VALUE_SETS, loaded.last_good, datetime.now(UTC)).result()
            except (sqlite3.Error, WriterClosedError) as exc:
                log.error("the office's last good value sets could not be kept: %s", exc)
        return loaded

    def _combined(self) -> Policy:
        return _with_contact(self._base, self._parts, self._contact, self._offset)

    def _publish(self) -> Policy:
        self.policy = self._combined()
        self._give(self.policy)
        return self.policy


def _hub_content(
    hub: BundleSource, name: str, parse: Callable[[Any], Any], refused: list[RefusedBundle]
) -> Any:
    """The hub's document ``name`` as ``parse`` reads it; None when none is held. One held but
    refused by this release (kept by an older one that accepted it) is added to ``refused``:
    the booth still starts, refers everyone and can pull the office's correction."""
    bundle = hub.bundle(name)
    if bundle is None:
        return None
    try:
        return parse(bundle.content)
    except REFUSALS as exc:
        problem = refusal_words(exc)
        log.error(
            "hub bundle %s version %s: refused: %s; every passage is referred until the office "
            "publishes one this booth accepts",
            name,
            bundle.version,
            problem,
        )
        refused.append(RefusedBundle(name, bundle.version, problem))
        return None


def _newer(builtin: RiskAreaList, received: RiskAreaList | None) -> RiskAreaList:
    if received is None or received.published_at < builtin.published_at:
        return builtin
    return received


def ledger_policy(config: Config, ledger: Ledger) -> Policy:
    """The policy a booth with this ledger decides by now: hub bundles, the mine's own lists,
    the last hub contact. What-if commands use it so they answer exactly as the booth would."""
    secret = list_secret(config)
    lists = ListStore(ledger, secret) if secret else None
    return PolicyKeeper(config, ledger, demo=False, lists=lists).policy
