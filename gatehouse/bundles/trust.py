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

A broken file never stops the booth: it is refused with its reason and the last good copy of it
stays in force (``trust-last-good/`` beside the keys file, ``bundles/last_good.py``; signed lists
and revocation lists keep theirs as above). With no good copy at all nothing from it is
trusted: codes no key can verify then refer ("trust.incomplete", the booth's trust is broken)
instead of being turned away as from an unknown issuer. Every refused item is listed in
``TrustMaterial.refused`` for the supervisor (the runtime records them as an audit event).
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gatehouse.bundles.keeper import BundleKeeper
from gatehouse.bundles.last_good import LastGood, Loaded
from gatehouse.bundles.source import BundleSource
from gatehouse.config import Config
from gatehouse.core.code_reader import TrustMaterial
from gatehouse.core.health_codes import HealthCodeIssuers
from gatehouse.core.keys import TrustStore, public_key_from_pem
from gatehouse.core.shc.issuers import RevocationList, ShcIssuer, parse_crl
from gatehouse.core.trust_list import TrustList, verify_trust_list
from gatehouse.core.trust_sources import combine, trust_from_text
from gatehouse.demo import DemoManifest
from gatehouse.resources import resource_path
from gatehouse.store.audit import AuditKind
from gatehouse.store.ledger import Ledger
from gatehouse.store.trust_refusals import LAST_GOOD_STAYS, NOTHING_TRUSTED
from gatehouse.sync.worker import SyncStatus

log = logging.getLogger(__name__)

IN_FORCE_SUFFIX = ".in-force"
CRL_IN_FORCE_DIR = "shc-revocations-in-force"
SHC_MIRROR = "shc"
WELL_KNOWN = ".well-known"
ISSUER_TABLE = "health_code_issuers.json"
LAST_GOOD_DIR = "trust-last-good"
_PEM_BLOCK = re.compile(rb"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.S)


HUB_TRUST_BUNDLES = ("trusted_keys", "certificates", "issuers")


def booth_trust(
    config: Config, *, demo: bool, hub: BundleSource | None = None, keep: bool = False
) -> TrustMaterial:
    """What the booth trusts now; never raises for a bad file (see the module docstring).
    ``keep``: store each newer revocation list and each good file as the one in force (the
    running booth does; read-only commands such as ``decide`` only read them)."""
    folder_of_copies = config.trusted_keys_path().parent / LAST_GOOD_DIR
    last_good = LastGood(folder_of_copies, keep=keep and not demo)
    if demo:
        issuers = _issuer_table(config, last_good, None)
        text = DemoManifest.load().trust_file.read_text(encoding="utf-8")
        return replace(issuers, passes=TrustStore.from_json(text))
    trust = config.trust
    folder = Path(trust.certificates_dir).expanduser() if trust.certificates_dir else None
    keeper = RevocationKeeper(config.trusted_keys_path().parent / CRL_IN_FORCE_DIR)
    kept = keeper.load()
    materials = [
        _pass_trust(config, last_good, _content(hub, "trusted_keys")),
        *certificates(folder, kept, last_good),
        *_hub_certificates(_content(hub, "certificates"), kept),
        _issuer_table(config, last_good, _content(hub, "issuers")),
    ]
    combined = combine(materials)
    if keep:
        keeper.save(combined.shc_issuers, kept)
    for problem in combined.refused:
        log.error("trust material refused: %s", problem)
    return combined


def _pass_trust(config: Config, last_good: LastGood, hub_keys: Any) -> TrustMaterial:
    """Pass issuer keys, checked by the office's root keys when the booth has them; a root
    keys file that is configured but unusable (and has no good copy) trusts no pass key at all,
    never a plain file in its place."""
    path = config.trusted_keys_path()
    if not config.trust.root_keys_file:
        return pass_keys(path, [], hub_keys, last_good)
    roots_path = Path(config.trust.root_keys_file).expanduser()
    read = functools.partial(roots_path.read_text, encoding="utf-8")
    roots = last_good.load("root_keys.pem", f"root keys file {roots_path}", read, _roots_from_text)
    if not roots.value:
        return TrustMaterial(refused=roots.refused)
    material = pass_keys(path, roots.value, hub_keys, last_good)
    return replace(material, refused=(*roots.refused, *material.refused))


def _issuer_table(config: Config, last_good: LastGood, hub_issuers: Any) -> TrustMaterial:
    """The provincial issuer table: the hub's when it sent one, else the configured file, else
    the one shipped; a malformed one leaves the last good table in force."""
    if hub_issuers is not None:
        what, read = "issuer table from the hub", lambda: json.dumps(hub_issuers)
    elif config.trust.health_code_issuers_file:
        path = _issuer_table_path(config)
        what, read = f"issuer table {path}", functools.partial(path.read_text, encoding="utf-8")
    else:  # the table installed with the booth: nothing to keep a copy of
        return TrustMaterial(health_code_issuers=health_code_issuers(config))
    table = last_good.load(ISSUER_TABLE, what, read, HealthCodeIssuers.from_json)
    if table.value is None:
        return TrustMaterial(refused=table.refused)
    return TrustMaterial(health_code_issuers=table.value, refused=table.refused)


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
    try:
        return _roots_from_text(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from exc


def _roots_from_text(text: str) -> list[Ed25519PublicKey]:
    blocks = _PEM_BLOCK.findall(text.encode("utf-8"))
    if not blocks:
        raise ValueError("no PEM public key in the root keys file")
    return [public_key_from_pem(block) for block in blocks]


def pass_keys(
    path: Path, roots: list[Ed25519PublicKey], hub_keys: Any, last_good: LastGood
) -> TrustMaterial:
    """Pass issuer keys: with root keys, the signed list in force (a newer one from the hub
    included); without, the plain trust file plus any plain trust file the hub sent, each
    falling back to its last good copy when malformed."""
    if not roots:
        stores = [
            last_good.load(
                "hub_trusted_keys.json",
                "trust file from the hub",
                lambda: json.dumps(hub_keys) if isinstance(hub_keys, dict) else None,
                TrustStore.from_json,
            ),
            last_good.load(
                "trusted_keys.json",
                f"trust file {path}",
                lambda: path.read_text(encoding="utf-8") if path.exists() else None,
                TrustStore.from_json,
            ),
        ]
        refused = tuple(problem for store in stores for problem in store.refused)
        if isinstance(hub_keys, str):
            refused += ("signed trust list from the hub: refused: this booth has no root key",)
        keys = tuple(key for store in stores if store.value for key in store.value.keys)
        if not keys and not refused:
            log.warning("no trusted issuer keys at %s: every pass will be refused", path)
        return TrustMaterial(passes=TrustStore(keys), refused=refused)
    offered = _offer(path, hub_keys, roots) if isinstance(hub_keys, str) else ()
    in_force = in_force_list(path, roots)
    store = in_force.value.store if in_force.value is not None else TrustStore()
    return TrustMaterial(passes=store, refused=(*offered, *in_force.refused))


def _offer(path: Path, text: str, roots: list[Ed25519PublicKey]) -> tuple[str, ...]:
    """Write a hub-sent list over the file only if the office signed it and it is newer."""
    try:
        offered = verify_trust_list(text, roots)
    except ValueError as exc:
        return (f"trust list from the hub: refused: {exc}",)
    current, _ = _verified(path, roots)
    if offered.supersedes(current):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return ()


def in_force_list(path: Path, roots: list[Ed25519PublicKey]) -> Loaded[TrustList]:
    """The trust list in force: the one at ``path`` if it supersedes the one kept, else the kept;
    why the one at ``path`` was refused, if it was."""
    kept_path = path.with_name(path.name + IN_FORCE_SUFFIX)
    kept, _ = _verified(kept_path, roots)
    offered, problem = _verified(path, roots)
    if offered is not None and offered.supersedes(kept):
        kept_path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        return Loaded(offered)
    if offered is not None and kept is not None and offered.sequence < kept.sequence:
        log.warning(
            "%s: trust list %d is older than the one in force (%d); keeping %d",
            path,
            offered.sequence,
            kept.sequence,
            kept.sequence,
        )
    if kept is None and problem is None:  # none yet (a booth awaiting its first): not a fault
        log.warning("no trust list signed by the office's root key: every pass will be refused")
        return Loaded(None)
    if kept is None:
        return Loaded(None, (f"{problem}; no list in force: {NOTHING_TRUSTED}",))
    if problem is not None:
        return Loaded(kept, (f"{problem}; list {kept.sequence} {LAST_GOOD_STAYS}",))
    return Loaded(kept)


def _verified(path: Path, roots: list[Ed25519PublicKey]) -> tuple[TrustList | None, str | None]:
    """The signed list at ``path`` (None when absent or refused) and why it was refused."""
    if not path.exists():
        return None, None
    try:
        return verify_trust_list(path.read_text(encoding="utf-8"), roots), None
    except (OSError, ValueError) as exc:
        log.error("%s: trust list refused: %s", path, exc)
        return None, f"trust list {path}: refused: {exc}"


def certificates(
    folder: Path | None, kept: Mapping[str, RevocationList], last_good: LastGood
) -> list[TrustMaterial]:
    """DCC signer certificates and SHC issuer files in ``folder``, and its ``shc/`` mirror; a
    malformed file leaves its last good copy in force."""
    if folder is None:
        return []
    try:
        paths = sorted(item for item in folder.iterdir() if item.is_file())
    except OSError as exc:
        problem = f"certificates folder {folder}: unreadable: {exc}; {NOTHING_TRUSTED}"
        return [TrustMaterial(refused=(problem,))]
    found = []
    for path in paths:
        loaded = last_good.load(
            f"certificate-{path.name}",
            str(path),
            functools.partial(path.read_text, encoding="utf-8"),
            lambda text: trust_from_text(text, kept_crls=kept),
        )
        material = loaded.value if loaded.value is not None else TrustMaterial()
        found.append(replace(material, refused=(*loaded.refused, *material.refused)))
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
    return HealthCodeIssuers.from_json(_issuer_table_path(config).read_text(encoding="utf-8"))


def _issuer_table_path(config: Config) -> Path:
    configured = config.trust.health_code_issuers_file
    return Path(configured).expanduser() if configured else resource_path(ISSUER_TABLE)


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


class TrustKeeper(BundleKeeper[TrustMaterial]):
    """Rebuilds what the booth trusts when the sync stored a newer trust bundle, so a key the
    office adds or revokes takes effect without a restart."""

    def __init__(
        self, config: Config, hub: BundleSource, apply: Callable[[TrustMaterial], None]
    ) -> None:
        super().__init__(apply, watched=HUB_TRUST_BUNDLES)
        self._config = config
        self._hub = hub

    def _after_sync(self, status: SyncStatus, *, changed: bool) -> TrustMaterial | None:
        if not changed:
            return None
        try:
            return booth_trust(self._config, demo=False, hub=self._hub, keep=True)
        except (ValueError, OSError) as exc:  # keep verifying with what was trusted before
            log.error("trust from the hub not applied, keeping the previous: %s", exc)
            return None
