"""Booth configuration: one TOML file in the platform's config folder, overridable by environment.

Precedence (lowest first): built-in defaults < the TOML file < ``GATEHOUSE_<SECTION>_<KEY>``
environment variables. ``GATEHOUSE_CONFIG`` names another file. Files written by an older
release carry a lower ``schema_version`` and are upgraded step by step (``UPGRADES``); the
original is kept beside the upgraded one as ``*.v<N>.bak``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w

from drivers.thermometer.protocols import PROTOCOLS as THERMOMETER_PROTOCOLS

SCHEMA_VERSION = 2
APP_NAME = "gatehouse"
CHECKPOINT_TYPES = ("mine_gate", "office_area", "canteen", "dormitory", "vehicle_gate")
# "auto": full screen for `gatehouse run` (a booth's monitor shows nothing else), a window for
# `gatehouse demo` (someone trying it at a desk)
WINDOW_MODES = ("auto", "full_screen", "windowed")


class ConfigError(Exception):
    """The configuration file or an override is unusable; the message says which key and why."""


@dataclass(frozen=True)
class BoothSettings:
    booth_id: str = "booth-1"
    checkpoint_type: str = "mine_gate"
    mine_name: str = ""


@dataclass(frozen=True)
class CameraSettings:
    source: str = "auto"  # "auto", a webcam index, a video file, a folder of images, or a URL
    width: int = 1280
    height: int = 720
    exposure: int = 0  # 0: automatic; otherwise the webcam driver's manual exposure value


@dataclass(frozen=True)
class DecoderSettings:
    backend: str = "auto"  # "auto", "zxing" or "pyzbar"
    repeat_window_seconds: int = 60  # the same pass shown again within this is a repeat


@dataclass(frozen=True)
class ThermometerSettings:
    port: str = "auto"  # "auto" (simulated in demo mode, none otherwise), "none" (never: the
    # guard types temperatures in), "sim", a port URL, or usb:VID:PID[:SERIAL] to find the
    # adapter by its USB ids whatever its name
    baudrate: int = 9600
    protocol: str = "ascii"  # "ascii" (T:36.5 lines), "binary" (IR module frames), "modbus"
    ascii_pattern: str = ""  # empty: T:<body>[,A:<ambient>]; else a regex, groups body[, ambient]
    modbus_unit: int = 1
    modbus_register: int = 0  # body temperature here, ambient in the next register
    modbus_input_registers: bool = False  # function 04 instead of 03
    # A measurement is this many agreeing readings in a row (a sensor streaming while a forehead
    # comes and goes); 1 for a device that sends one value per beep.
    stable_readings: int = 3


@dataclass(frozen=True)
class ScannerSettings:
    # A serial or USB CDC hand scanner: a port URL (/dev/ttyACM0, COM4) or usb:VID:PID[:SERIAL];
    # empty: none. Keyboard-wedge scanners need no setting: the booth window reads them.
    port: str = ""
    baudrate: int = 9600


@dataclass(frozen=True)
class IdReaderSettings:
    # A resident ID card reader speaking the SAM protocol (serial or USB CDC): a port URL or
    # usb:VID:PID[:SERIAL]; empty: none. Keyboard-wedge readers need no setting.
    port: str = ""
    baudrate: int = 115200


@dataclass(frozen=True)
class StoreSettings:
    database: str = ""  # empty: gatehouse.sqlite3 in the platform's data folder
    # Set once the booth has a ledger: from then on a missing or empty one is refused (and
    # `gatehouse restore` offered), never silently recreated without its history.
    ledger_in_use: bool = False


@dataclass(frozen=True)
class TrustSettings:
    keys_file: str = ""  # empty: trusted_keys.json beside the config file
    # The office's root public key(s), PEM: with them, keys_file must be a trust list they signed.
    root_keys_file: str = ""
    # EU DCC signer certificates (PEM or base64 DER) and SMART Health Card issuer JWKS files
    # (revocation lists in crl/<kid>.json beside them); empty: none.
    certificates_dir: str = ""
    health_code_issuers_file: str = ""  # empty: the table shipped in resources/


@dataclass(frozen=True)
class PolicySettings:
    # File holding the mine's person-list secret (hex), the HMAC key lists are matched by;
    # empty: no person lists can be matched at this booth.
    list_secret_file: str = ""


@dataclass(frozen=True)
class VerificationSettings:
    # The provincial health-code verification service (docs/health-code-verification.md);
    # empty: attested codes stay pending verification.
    url: str = ""
    token_file: str = ""  # file holding the account's bearer token
    retry_seconds: int = 60  # how often pending attestations are tried again


@dataclass(frozen=True)
class SyncConfig:
    # How often the booth pushes its passages to the hub and pulls the office's bundles; the
    # hub's address and this booth's token come from enrolment (gatehouse hub enrol).
    interval_seconds: int = 60


@dataclass(frozen=True)
class UiSettings:
    language: str = "auto"  # "auto" (the system's), "zh" or "en"
    verdict_seconds: int = 6  # the verdict band clears itself after this long
    window: str = "auto"  # WINDOW_MODES
    # "auto": a tone pattern per outcome through the platform's player (else the system beep);
    # "beep": the system beep only; "off": silent
    sounds: str = "auto"
    speech: str = "auto"  # "auto": speak the prompt when the platform has speech; "off"


@dataclass(frozen=True)
class Config:
    booth: BoothSettings = BoothSettings()
    camera: CameraSettings = CameraSettings()
    decoder: DecoderSettings = DecoderSettings()
    thermometer: ThermometerSettings = ThermometerSettings()
    store: StoreSettings = StoreSettings()
    trust: TrustSettings = TrustSettings()
    ui: UiSettings = UiSettings()
    policy: PolicySettings = PolicySettings()
    verification: VerificationSettings = VerificationSettings()
    scanner: ScannerSettings = ScannerSettings()
    id_reader: IdReaderSettings = IdReaderSettings()
    sync: SyncConfig = SyncConfig()
    path: Path | None = None  # where it was loaded from; not itself a setting

    def database_path(self) -> Path:
        if self.store.database:
            return Path(self.store.database).expanduser()
        return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "gatehouse.sqlite3"

    def demo_database_path(self) -> Path:
        """The demo's own ledger, in a folder of its own: demo passages never mix with real
        ones, so leaving demo mode finds the real ledger as clean as it was."""
        return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "demo" / "demo.sqlite3"

    def trusted_keys_path(self) -> Path:
        if self.trust.keys_file:
            return Path(self.trust.keys_file).expanduser()
        return default_config_path().parent / "trusted_keys.json"


_SECTIONS = (
    "booth",
    "camera",
    "decoder",
    "thermometer",
    "store",
    "trust",
    "ui",
    "policy",
    "verification",
    "scanner",
    "id_reader",
    "sync",
)


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "gatehouse.toml"


def config_path(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The file ``load`` reads: ``path``, else ``GATEHOUSE_CONFIG``, else the platform's."""
    env = os.environ if environ is None else environ
    return path or Path(env.get("GATEHOUSE_CONFIG", "") or default_config_path())


Upgrade = Callable[[dict[str, Any]], dict[str, Any]]


def _window_mode(data: dict[str, Any]) -> dict[str, Any]:
    """1 -> 2: ``[ui] fullscreen`` (a bool, written as false by every first run) becomes
    ``window``: true stays full screen, false becomes "auto" (full screen for the booth)."""
    ui = data.get("ui")
    if isinstance(ui, dict) and "fullscreen" in ui:  # anything else is refused by from_mapping
        ui = dict(ui)
        ui["window"] = "full_screen" if ui.pop("fullscreen") is True else "auto"
        data["ui"] = ui
    return data


# from-version -> function producing the next version. Append a step whenever a release changes
# the file's shape; never edit a published step.
UPGRADES: dict[int, Upgrade] = {1: _window_mode}


def upgrade(
    data: dict[str, Any],
    upgrades: Mapping[int, Upgrade] | None = None,
    target: int | None = None,
) -> dict[str, Any]:
    """Bring a parsed file of any older schema version up to ``target``, one step at a time."""
    upgrades = UPGRADES if upgrades is None else upgrades
    target = SCHEMA_VERSION if target is None else target
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ConfigError(f"schema_version must be a positive integer, got {version!r}")
    if version > target:
        raise ConfigError(
            f"configuration schema_version {version} is newer than this Gatehouse "
            f"understands ({target}); update Gatehouse"
        )
    while version < target:
        data = upgrades[version](dict(data))
        version += 1
    data["schema_version"] = version
    return data


_BOOL_WORDS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


def _coerce(section: str, key: str, raw: Any, default: Any) -> Any:
    """Convert a file or environment value to the type of the default, with a precise error."""
    target = type(default)
    if isinstance(raw, target) and not (target is int and isinstance(raw, bool)):
        return raw
    if target is bool and isinstance(raw, str) and raw.lower() in _BOOL_WORDS:
        return _BOOL_WORDS[raw.lower()]
    if target is int and isinstance(raw, str):
        try:
            return int(raw)
        except ValueError:
            pass
    elif target is str and isinstance(raw, int | float) and not isinstance(raw, bool):
        return str(raw)
    raise ConfigError(f"[{section}] {key} must be {target.__name__}, got {raw!r}")


def _build_section(section: str, cls: type[Any], values: Mapping[str, Any]) -> Any:
    default = cls()
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(f"[{section}] has unknown keys: {', '.join(unknown)}")
    changes = {k: _coerce(section, k, v, getattr(default, k)) for k, v in values.items()}
    return replace(default, **changes)


def _env_overrides(environ: Mapping[str, str]) -> dict[str, dict[str, str]]:
    overrides: dict[str, dict[str, str]] = {}
    for section in _SECTIONS:
        cls = type(getattr(Config(), section))
        for f in fields(cls):
            name = f"GATEHOUSE_{section.upper()}_{f.name.upper()}"
            if name in environ:
                overrides.setdefault(section, {})[f.name] = environ[name]
    return overrides


def _validate(config: Config) -> None:
    if config.booth.checkpoint_type not in CHECKPOINT_TYPES:
        raise ConfigError(
            f"[booth] checkpoint_type must be one of {', '.join(CHECKPOINT_TYPES)}, "
            f"got {config.booth.checkpoint_type!r}"
        )
    if config.ui.language not in ("auto", "zh", "en"):
        raise ConfigError(f"[ui] language must be auto, zh or en, got {config.ui.language!r}")
    if config.ui.window not in WINDOW_MODES:
        raise ConfigError(
            f"[ui] window must be {', '.join(WINDOW_MODES)}, got {config.ui.window!r}"
        )
    if config.ui.sounds not in ("auto", "beep", "off"):
        raise ConfigError(f"[ui] sounds must be auto, beep or off, got {config.ui.sounds!r}")
    if config.ui.speech not in ("auto", "off"):
        raise ConfigError(f"[ui] speech must be auto or off, got {config.ui.speech!r}")
    if config.decoder.backend not in ("auto", "zxing", "pyzbar"):
        raise ConfigError(
            f"[decoder] backend must be auto, zxing or pyzbar, got {config.decoder.backend!r}"
        )
    if config.decoder.repeat_window_seconds < 0:
        raise ConfigError("[decoder] repeat_window_seconds must not be negative")
    if config.thermometer.stable_readings < 1:
        raise ConfigError("[thermometer] stable_readings must be at least 1")
    if config.sync.interval_seconds < 5:
        raise ConfigError("[sync] interval_seconds must be at least 5")
    if config.verification.retry_seconds < 1:
        raise ConfigError("[verification] retry_seconds must be at least 1")
    if config.thermometer.protocol not in THERMOMETER_PROTOCOLS:
        raise ConfigError(
            f"[thermometer] protocol must be {', '.join(THERMOMETER_PROTOCOLS)}, "
            f"got {config.thermometer.protocol!r}"
        )


def from_mapping(data: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> Config:
    """Build a Config from parsed TOML (already upgraded) plus environment overrides."""
    env = _env_overrides(os.environ if environ is None else environ)
    unknown = sorted(set(data) - set(_SECTIONS) - {"schema_version"})
    if unknown:
        raise ConfigError(f"unknown settings or sections: {', '.join(unknown)}")
    sections = {}
    for section in _SECTIONS:
        file_values = data.get(section, {})
        if not isinstance(file_values, dict):
            raise ConfigError(f"[{section}] must be a table")
        cls = type(getattr(Config(), section))
        sections[section] = _build_section(section, cls, {**file_values, **env.get(section, {})})
    config = Config(**sections)
    _validate(config)
    return config


def to_mapping(config: Config) -> dict[str, Any]:
    data: dict[str, Any] = {"schema_version": SCHEMA_VERSION}  # read at call time: tests patch it
    for section in _SECTIONS:
        value = getattr(config, section)
        data[section] = {f.name: getattr(value, f.name) for f in fields(value)}
    return data


def load(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """Load the booth's configuration; a missing file means the defaults, never written here:
    read-only commands must leave a machine as they found it (the booth's first run writes
    the file, ``gatehouse.ui.setup.launch.first_run``, so the setup wizard is not skipped)."""
    env = os.environ if environ is None else environ
    path = config_path(path, env)
    if not path.exists():
        return replace(from_mapping({}, env), path=path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    old_version = data.get("schema_version", 1)
    upgraded = upgrade(data)
    if old_version != upgraded["schema_version"]:
        path.replace(path.with_name(f"{path.name}.v{old_version}.bak"))
        path.write_text(tomli_w.dumps(upgraded), encoding="utf-8")
    return replace(from_mapping(upgraded, env), path=path)


def update_file(path: Path, change: Callable[[Config], Config]) -> Config:
    """Apply ``change`` to the settings as the file holds them now and write them back.

    Changes made at run time (the supervisor's desk) go through this, never through a copy
    loaded at start-up: the file may have been changed since (the setup wizard), and
    environment overrides apply to one run only, so they must never be written into it.
    """
    changed = change(load(path, environ={}))
    check_file_values(changed)
    save(changed, path)
    return changed


def check_file_values(config: Config) -> None:
    """ConfigError unless ``config`` would load back from the file as it is (types, choices):
    a setting changed at run time is checked before anything is written."""
    from_mapping(to_mapping(config), environ={})


def save(config: Config, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(tomli_w.dumps(to_mapping(config)), encoding="utf-8")
    tmp.replace(path)
