"""What a booth trusts to verify codes: exactly what the office published, from the config.

- Gatehouse passes: ``[trust] keys_file``. With ``root_keys_file`` set it must be a trust list
  signed by one of those root keys, and the list in force is kept beside it (``*.in-force``):
  a file with a lower or equal ``sequence`` never replaces it, so an old list (with a key since
  revoked) cannot be replayed. Without root keys, a plain trust file is read as before.
- EU DCC signer certificates and SMART Health Card issuer files: every file in
  ``certificates_dir``; SMART Health Card issuers also as a mirror of what each publishes,
  ``shc/<host>/<path>/.well-known/jwks.json`` (and ``crl/<kid>.json`` beside it) for the issuer
  ``https://<host>/<path>``, so every JWKS belongs to exactly one issuer. The revocation list in
  force for each key is kept (``shc-revocations-in-force/`` beside the keys file): a malformed,
  mismatched or older list is refused and the kept one stays in force.
- Provincial issuers: ``health_code_issuers_file``, else the table shipped in resources.
- From the hub (bundles the sync layer verified with the hub's key): ``trusted_keys`` (a signed
  trust list, taken only if one of the office's root keys signed it and it supersedes the one
  in force; a plain trust file when the booth has no root keys), ``certificates`` (name ->
  DCC certificate text or SMART Health Card issuer file) and ``issuers`` (the provincial
  issuer table, which then replaces the local one).
- Demo mode trusts the demo issuer only.

A broken file is logged and left out rather than stopping the booth: its codes are then refused
with the reason "unknown issuer", which the guard sees. Every refused item is listed in
``TrustMaterial.refused`` for the supervisor (the runtime records them as an audit event).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gatehouse.booth.demo import DemoManifest
from gatehouse.config import Config
from gatehouse.core.code_reader import TrustMaterial
from gatehouse.core.health_codes import HealthCodeIssuers
from gatehouse.core.keys import TrustStore, public_key_from_pem
from gatehouse.core.shc.issuers import RevocationList, ShcIssuer, parse_crl
from gatehouse.core.trust_list import TrustList, verify_trust_list
from gatehouse.core.trust_sources import combine, trust_from_text
from gatehouse.resources import resource_path
from gatehouse.store.audit import AuditKind
from gatehouse.store.bundles import StoredBundle
from gatehouse.store.ledger import Ledger
from gatehouse.sync.worker import SyncStatus

log = logging.getLogger(__name__)

IN_FORCE_SUFFIX = ".in-force"
CRL_IN_FORCE_DIR = "shc-revocations-in-force"
SHC_MIRROR = "shc"
WELL_KNOWN = ".well-known"
ISSUER_TABLE = "health_code_issuers.json"
_PEM_BLOCK = re.compile(rb"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.S)


class BundleSource(Protocol):
    def bundle(self, name: str) -> StoredBundle | None: ...


HUB_TRUST_BUNDLES = ("trusted_keys", "certificates", "issuers")


def booth_trust(
    config: Config, *, demo: bool, hub: BundleSource | None = None, keep: bool = False
) -> TrustMaterial:
    """What the booth trusts now. ``keep``: store each newer revocation list as the one in
    force (the running booth does; read-only commands such as ``decide`` only read them)."""
    if demo:
        issuers = health_code_issuers(config)
        text = DemoManifest.load().trust_file.read_text(encoding="utf-8")
        return TrustMaterial(passes=TrustStore.from_json(text), health_code_issuers=issuers)
    trust = config.trust
    roots = root_keys(Path(trust.root_keys_file).expanduser()) if trust.root_keys_file else []
    folder = Path(trust.certificates_dir).expanduser() if trust.certificates_dir else None
    hub_keys = _content(hub, "trusted_keys")
    hub_issuers = _content(hub, "issuers")
    keeper = RevocationKeeper(config.trusted_keys_path().parent / CRL_IN_FORCE_DIR)
    kept = keeper.load()
    materials = [
        TrustMaterial(passes=pass_keys(config.trusted_keys_path(), roots, hub_keys)),
        *certificates(folder, kept),
        *_hub_certificates(_content(hub, "certificates"), kept),
        TrustMaterial(
            health_code_issuers=HealthCodeIssuers.from_json(json.dumps(hub_issuers))
            if hub_issuers is not None
            else health_code_issuers(config)
        ),
    ]
    combined = combine(materials)
    if keep:
        keeper.save(combined.shc_issuers, kept)
    for problem in combined.refused:
        log.error("trust material refused: %s", problem)
    return combined


def _content(hub: BundleSource | None, name: str) -> Any:
    bundle = hub.bundle(name) if hub is not None else None
    return bundle.content if bundle is not None else None


def _hub_certificates(content: Any, kept: Mapping[str, RevocationList]) -> list[TrustMaterial]:
    if not isinstance(content, dict):
        return []
    texts = {
        name: item if isinstance(item, str) else json.dumps(item) for name, item in content.items()
    }
    return [_material(f"hub certificate {name}", texts[name], kept) for name in sorted(texts)]


def _material(
    name: str, text: str, kept: Mapping[str, RevocationList], **kwargs: Any
) -> TrustMaterial:
    """The trust material in one item, or none with the reason it was refused."""
    try:
        return trust_from_text(text, kept_crls=kept, **kwargs)
    except ValueError as exc:
        return TrustMaterial(refused=(f"{name}: not used as trust material: {exc}",))


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


def certificates(folder: Path | None, kept: Mapping[str, RevocationList]) -> list[TrustMaterial]:
    """DCC signer certificates and SHC issuer files in ``folder``, and its ``shc/`` mirror."""
    if folder is None:
        return []
    found = []
    for path in sorted(item for item in folder.iterdir() if item.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            found.append(TrustMaterial(refused=(f"{path}: unreadable: {exc}",)))
            continue
        found.append(_material(str(path), text, kept))
    mirror = folder / SHC_MIRROR
    for jwks in sorted(mirror.glob(f"**/{WELL_KNOWN}/jwks.json")) if mirror.is_dir() else []:
        found.append(_mirrored_issuer(mirror, jwks, kept))
    return found


def _mirrored_issuer(mirror: Path, jwks: Path, kept: Mapping[str, RevocationList]) -> TrustMaterial:
    """The issuer ``https://<host>/<path>``, from ``<host>/<path>/.well-known/jwks.json``."""
    site = jwks.parent.parent.relative_to(mirror).as_posix()
    try:
        text = jwks.read_text(encoding="utf-8")
        crls = revocation_lists(jwks.parent)
    except (OSError, UnicodeDecodeError) as exc:
        return TrustMaterial(refused=(f"{jwks}: unreadable: {exc}",))
    return _material(str(jwks), text, kept, shc_issuer=f"https://{site}", crls=crls)


def given_trust(
    paths: Sequence[Path],
    roots: Sequence[Ed25519PublicKey],
    shc_issuers: Sequence[tuple[str, Path]] = (),
) -> list[TrustMaterial]:
    """Trust material named on a command line: files, and (issuer URL, JWKS file) pairs whose
    revocation lists are in ``crl/<kid>.json`` beside the JWKS. A file that is not usable
    stops the command (ValueError/OSError naming it): a command reports, a booth carries on."""
    materials = [trust_from_text(path.read_text("utf-8"), root_keys=roots) for path in paths]
    for iss, jwks in shc_issuers:
        materials.append(
            trust_from_text(
                jwks.read_text("utf-8"), shc_issuer=iss, crls=revocation_lists(jwks.parent)
            )
        )
    return materials


def revocation_lists(folder: Path) -> dict[str, str]:
    """SMART Health Card revocation lists kept as ``crl/<kid>.json`` in ``folder``."""
    crl_folder = folder / "crl"
    if not crl_folder.is_dir():
        return {}
    return {item.stem: item.read_text(encoding="utf-8") for item in crl_folder.glob("*.json")}


class RevocationKeeper:
    """The revocation list in force for each SMART Health Card key, kept across restarts, so a
    refused list (or a source that stops sending one) never drops revocations already known."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def load(self) -> dict[str, RevocationList]:
        kept = {}
        for path in sorted(self._folder.glob("*.json")) if self._folder.is_dir() else []:
            try:
                kept[path.stem] = parse_crl(path.stem, json.loads(path.read_text("utf-8")))
            except (ValueError, OSError) as exc:
                log.error("%s: kept revocation list unreadable: %s", path, exc)
        return kept

    def save(self, issuers: Sequence[ShcIssuer], kept: Mapping[str, RevocationList]) -> None:
        """Keep each key's list in force when it is newer than the one kept."""
        for key in (key for issuer in issuers for key in issuer.keys):
            before = kept.get(key.kid)
            if key.crl is None or (before is not None and before.ctr >= key.crl.ctr):
                continue
            try:
                self._folder.mkdir(parents=True, exist_ok=True)
                path = self._folder / f"{key.kid}.json"
                path.with_suffix(".tmp").write_text(key.crl.to_json(), encoding="utf-8")
                path.with_suffix(".tmp").replace(path)
            except OSError as exc:
                log.error("revocation list for key %s not kept: %s", key.kid, exc)


def health_code_issuers(config: Config) -> HealthCodeIssuers:
    configured = config.trust.health_code_issuers_file
    path = Path(configured).expanduser() if configured else resource_path(ISSUER_TABLE)
    return HealthCodeIssuers.from_json(path.read_text(encoding="utf-8"))


class RefusalRecorder:
    """Records trust items refused on load (keys, revocation lists, value sets) as an audit
    event, each once while it stays refused, so the supervisor and the office see a bad list
    or key rather than only a log line."""

    ACTOR = "trust"

    def __init__(self, audit: Ledger, booth_id: str) -> None:
        self._audit = audit
        self._booth_id = booth_id
        self._recorded: frozenset[str] = frozenset()

    def __call__(self, refused: Sequence[str]) -> None:
        new = [problem for problem in refused if problem not in self._recorded]
        self._recorded = frozenset(refused)
        if new:
            self._audit.record_event(
                AuditKind.TRUST_REFUSED,
                at=datetime.now(UTC),
                booth_id=self._booth_id,
                actor=self.ACTOR,
                details={"refused": new},
            )


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
            self._apply(booth_trust(self._config, demo=False, hub=self._hub, keep=True))
        except (ValueError, OSError) as exc:  # keep verifying with what was trusted before
            log.error("trust from the hub not applied, keeping the previous: %s", exc)
