"""What a booth trusts to verify codes: exactly what the office published, from the config.

- Gatehouse passes: ``[trust] keys_file``. With ``root_keys_file`` set it must be a trust list
  signed by one of those root keys, and the list in force is kept beside it (``*.in-force``):
  a file with a lower or equal ``sequence`` never replaces it, so an old list (with a key since
  revoked) cannot be replayed. Without root keys, a plain trust file is read as before.
- EU DCC signer certificates and SMART Health Card JWKS: every file in ``certificates_dir``.
- Provincial issuers: ``health_code_issuers_file``, else the table shipped in resources.
- From the hub (bundles the sync layer verified with the hub's key): ``trusted_keys`` (a signed
  trust list, taken only if one of the office's root keys signed it and it supersedes the one
  in force; a plain trust file when the booth has no root keys), ``certificates`` (name ->
  DCC certificate or SHC JWKS text) and ``issuers`` (the provincial issuer table, which then
  replaces the local one).
- Demo mode trusts the demo issuer only.

A broken file is logged and left out rather than stopping the booth: its codes are then refused
with the reason "unknown issuer", which the guard sees.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gatehouse.booth.demo import DemoManifest
from gatehouse.config import Config
from gatehouse.core.code_reader import TrustMaterial
from gatehouse.core.health_codes import HealthCodeIssuers
from gatehouse.core.keys import TrustStore, public_key_from_pem
from gatehouse.core.trust_list import TrustList, verify_trust_list
from gatehouse.core.trust_sources import combine, trust_from_text
from gatehouse.resources import resource_path
from gatehouse.store.bundles import StoredBundle
from gatehouse.sync.worker import SyncStatus

log = logging.getLogger(__name__)

IN_FORCE_SUFFIX = ".in-force"
ISSUER_TABLE = "health_code_issuers.json"
_PEM_BLOCK = re.compile(rb"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.S)


class BundleSource(Protocol):
    def bundle(self, name: str) -> StoredBundle | None: ...


HUB_TRUST_BUNDLES = ("trusted_keys", "certificates", "issuers")


def booth_trust(config: Config, *, demo: bool, hub: BundleSource | None = None) -> TrustMaterial:
    if demo:
        issuers = health_code_issuers(config)
        text = DemoManifest.load().trust_file.read_text(encoding="utf-8")
        return TrustMaterial(passes=TrustStore.from_json(text), health_code_issuers=issuers)
    trust = config.trust
    roots = root_keys(Path(trust.root_keys_file).expanduser()) if trust.root_keys_file else []
    folder = Path(trust.certificates_dir).expanduser() if trust.certificates_dir else None
    hub_keys = _content(hub, "trusted_keys")
    hub_issuers = _content(hub, "issuers")
    materials = [
        TrustMaterial(passes=pass_keys(config.trusted_keys_path(), roots, hub_keys)),
        *certificates(folder),
        *_hub_certificates(_content(hub, "certificates")),
        TrustMaterial(
            health_code_issuers=HealthCodeIssuers.from_json(json.dumps(hub_issuers))
            if hub_issuers is not None
            else health_code_issuers(config)
        ),
    ]
    return combine(materials)


def _content(hub: BundleSource | None, name: str) -> Any:
    bundle = hub.bundle(name) if hub is not None else None
    return bundle.content if bundle is not None else None


def _hub_certificates(content: Any) -> list[TrustMaterial]:
    if not isinstance(content, dict):
        return []
    found = []
    for name, text in sorted(content.items()):
        try:
            found.append(trust_from_text(str(text)))
        except ValueError as exc:
            log.error("hub certificate %s: not used as trust material: %s", name, exc)
    return found


def root_keys(path: Path) -> list[Ed25519PublicKey]:
    """Every PEM public key in ``path`` (the office may hold a new root beside the old one)."""
    blocks = _PEM_BLOCK.findall(path.read_bytes())
    if not blocks:
        raise ValueError(f"{path}: no PEM public key in the root keys file")
    return [public_key_from_pem(block) for block in blocks]


def pass_keys(path: Path, roots: list[Ed25519PublicKey], hub_keys: Any = None) -> TrustStore:
    """Pass issuer keys: with root keys, the signed list in force (a newer one from the hub
    included); without, the plain trust file plus any plain trust file the hub sent."""
    if not roots:
        stores = [TrustStore.from_json(json.dumps(hub_keys))] if isinstance(hub_keys, dict) else []
        if path.exists():
            stores.append(TrustStore.from_json(path.read_text(encoding="utf-8")))
        if not stores:
            log.warning("no trusted issuer keys at %s: every pass will be refused", path)
        return TrustStore(tuple(key for store in stores for key in store.keys))
    if isinstance(hub_keys, str):
        _offer(path, hub_keys, roots)
    in_force = in_force_list(path, roots)
    return in_force.store if in_force is not None else TrustStore()


def _offer(path: Path, text: str, roots: list[Ed25519PublicKey]) -> None:
    """Write a hub-sent list over the file only if the office signed it and it is newer."""
    try:
        offered = verify_trust_list(text, roots)
    except ValueError as exc:
        log.error("trust list from the hub refused: %s", exc)
        return
    current = _verified(path, roots)
    if offered.supersedes(current):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def in_force_list(path: Path, roots: list[Ed25519PublicKey]) -> TrustList | None:
    """The trust list in force: the one at ``path`` if it supersedes the one kept, else the kept."""
    kept_path = path.with_name(path.name + IN_FORCE_SUFFIX)
    kept = _verified(kept_path, roots)
    offered = _verified(path, roots)
    if offered is not None and offered.supersedes(kept):
        kept_path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        return offered
    if offered is not None and kept is not None and offered.sequence < kept.sequence:
        log.warning(
            "%s: trust list %d is older than the one in force (%d); keeping %d",
            path,
            offered.sequence,
            kept.sequence,
            kept.sequence,
        )
    if kept is None:
        log.warning("no trust list signed by the office's root key: every pass will be refused")
    return kept


def _verified(path: Path, roots: list[Ed25519PublicKey]) -> TrustList | None:
    if not path.exists():
        return None
    try:
        return verify_trust_list(path.read_text(encoding="utf-8"), roots)
    except ValueError as exc:
        log.error("%s: trust list refused: %s", path, exc)
        return None


def certificates(folder: Path | None) -> list[TrustMaterial]:
    """DCC signer certificates and SHC JWKS in ``folder`` (revocation lists in ``crl/``)."""
    if folder is None:
        return []
    crls = revocation_lists(folder)
    found = []
    for path in sorted(item for item in folder.iterdir() if item.is_file()):
        try:
            found.append(trust_from_text(path.read_text(encoding="utf-8"), crls=crls))
        except (ValueError, UnicodeDecodeError) as exc:
            log.error("%s: not used as trust material: %s", path, exc)
    return found


def revocation_lists(folder: Path) -> dict[str, str]:
    """SMART Health Card revocation lists kept as ``crl/<kid>.json`` in ``folder``."""
    crl_folder = folder / "crl"
    if not crl_folder.is_dir():
        return {}
    return {item.stem: item.read_text(encoding="utf-8") for item in crl_folder.glob("*.json")}


def health_code_issuers(config: Config) -> HealthCodeIssuers:
    configured = config.trust.health_code_issuers_file
    path = Path(configured).expanduser() if configured else resource_path(ISSUER_TABLE)
    return HealthCodeIssuers.from_json(path.read_text(encoding="utf-8"))


class TrustKeeper:
    """Rebuilds what the booth trusts when the sync stored a newer trust bundle, so a key the
    office adds or revokes takes effect without a restart."""

    def __init__(
        self, config: Config, hub: BundleSource, apply: Callable[[TrustMaterial], None]
    ) -> None:
        self._config = config
        self._hub = hub
        self._apply = apply
        self._versions: dict[str, int] = {}

    def on_sync_status(self, status: SyncStatus) -> None:
        versions = {
            name: version
            for name, version in status.bundle_versions.items()
            if name in HUB_TRUST_BUNDLES
        }
        if versions == self._versions:
            return
        self._versions = versions
        try:
            self._apply(booth_trust(self._config, demo=False, hub=self._hub))
        except (ValueError, OSError) as exc:  # keep verifying with what was trusted before
            log.error("trust from the hub not applied, keeping the previous: %s", exc)
