"""Configuration: defaults, the TOML file, environment overrides, schema upgrades."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from gatehouse import config


def test_missing_file_gives_defaults_without_writing_them(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "gatehouse.toml"
    cfg = config.load(path, environ={})
    assert cfg.booth.booth_id == "booth-1"
    assert cfg.camera.source == "auto"
    assert not path.parent.exists()  # loading is read-only: the first run writes the file
    config.save(cfg, path)
    assert config.load(path, environ={}) == cfg


def test_file_values_and_environment_overrides(tmp_path: Path) -> None:
    path = tmp_path / "gatehouse.toml"
    path.write_text(
        tomli_w.dumps({"schema_version": 1, "booth": {"booth_id": "north-2", "mine_name": "准能"}}),
        encoding="utf-8",
    )
    cfg = config.load(
        path,
        environ={
            "GATEHOUSE_BOOTH_BOOTH_ID": "east-1",
            "GATEHOUSE_CAMERA_WIDTH": "640",
            "GATEHOUSE_UI_WINDOW": "windowed",
        },
    )
    assert cfg.booth.booth_id == "east-1"
    assert cfg.booth.mine_name == "准能"
    assert cfg.camera.width == 640
    assert cfg.ui.window == "windowed"


def test_a_change_at_run_time_keeps_the_file_and_never_writes_the_environment(
    tmp_path: Path,
) -> None:
    path = tmp_path / "gatehouse.toml"
    path.write_text(tomli_w.dumps({"booth": {"mine_name": "准能"}}), encoding="utf-8")
    running = config.load(path, environ={"GATEHOUSE_UI_LANGUAGE": "en"})
    path.write_text(tomli_w.dumps({"booth": {"mine_name": "北山"}}), encoding="utf-8")  # since
    changed = config.update_file(
        path, lambda on_file: replace(on_file, booth=replace(on_file.booth, booth_id="gate-9"))
    )
    assert running.ui.language == "en" and changed.ui.language == "auto"
    saved = tomllib.loads(path.read_text(encoding="utf-8"))
    assert saved["booth"] == {**saved["booth"], "booth_id": "gate-9", "mine_name": "北山"}
    assert saved["ui"]["language"] == "auto"
    with pytest.raises(config.ConfigError, match="checkpoint_type"):
        config.update_file(
            path, lambda c: replace(c, booth=replace(c.booth, checkpoint_type="moon_base"))
        )
    assert tomllib.loads(path.read_text(encoding="utf-8")) == saved  # refused: nothing written


def test_config_path_from_environment(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere.toml"
    cfg = config.load(environ={"GATEHOUSE_CONFIG": str(path)})
    assert cfg.path == path


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"booth": {"checkpoint_type": "moon_base"}}, "checkpoint_type must be one of"),
        ({"camera": {"width": "wide"}}, "[camera] width must be int"),
        ({"booth": {"boothid": "x"}}, "unknown keys: boothid"),
        ({"decoder": {"backend": "opencv"}}, "backend must be auto, zxing or pyzbar"),
        ({"schema_version": 99}, "newer than this Gatehouse understands"),
        ({"ui": "big"}, "[ui] must be a table"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, data: dict[str, Any], message: str) -> None:
    path = tmp_path / "gatehouse.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    with pytest.raises(config.ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        config.load(path, environ={})


def test_unknown_section_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gatehouse.toml"
    path.write_text('[camra]\nsource = "0"\n', encoding="utf-8")
    with pytest.raises(config.ConfigError, match="unknown settings or sections: camra"):
        config.load(path, environ={})


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "gatehouse.toml"
    path.write_text("[booth\n", encoding="utf-8")
    with pytest.raises(config.ConfigError, match="not valid TOML"):
        config.load(path, environ={})


def test_upgrade_runs_every_step_in_order() -> None:
    def rename_station(data: dict[str, Any]) -> dict[str, Any]:
        return {"booth": {"booth_id": data["station"]}}

    def add_mine(data: dict[str, Any]) -> dict[str, Any]:
        return {"booth": {**data["booth"], "mine_name": "upgraded"}}

    steps = {1: rename_station, 2: add_mine}
    result = config.upgrade({"station": "gate-9"}, steps, target=3)
    assert result == {"schema_version": 3, "booth": {"booth_id": "gate-9", "mine_name": "upgraded"}}


def test_load_upgrades_old_file_and_keeps_a_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "gatehouse.toml"
    path.write_text('schema_version = 1\nstation = "gate-9"\n', encoding="utf-8")
    monkeypatch.setattr(config, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(config.UPGRADES, 1, lambda d: {"booth": {"booth_id": d["station"]}})
    cfg = config.load(path, environ={})
    assert cfg.booth.booth_id == "gate-9"
    assert (tmp_path / "gatehouse.toml.v1.bak").read_text(encoding="utf-8").count("station") == 1
    assert "schema_version = 2" in path.read_text(encoding="utf-8")


def test_device_settings_from_file_and_environment(tmp_path: Path) -> None:
    path = tmp_path / "gatehouse.toml"
    path.write_text(
        tomli_w.dumps(
            {
                "thermometer": {"port": "usb:1a86:7523", "protocol": "modbus", "modbus_unit": 3},
                "decoder": {"repeat_window_seconds": 30},
            }
        ),
        encoding="utf-8",
    )
    cfg = config.load(
        path,
        environ={"GATEHOUSE_CAMERA_EXPOSURE": "-6", "GATEHOUSE_THERMOMETER_MODBUS_REGISTER": "8"},
    )
    assert cfg.thermometer.port == "usb:1a86:7523"
    assert (cfg.thermometer.protocol, cfg.thermometer.modbus_unit) == ("modbus", 3)
    assert cfg.thermometer.modbus_register == 8
    assert cfg.decoder.repeat_window_seconds == 30
    assert cfg.camera.exposure == -6


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"thermometer": {"protocol": "nmea"}}, "protocol must be ascii, binary, modbus"),
        ({"decoder": {"repeat_window_seconds": -1}}, "repeat_window_seconds must not be negative"),
    ],
)
def test_bad_device_settings_name_the_key(data: dict[str, Any], message: str) -> None:
    with pytest.raises(config.ConfigError, match=message):
        config.from_mapping(data, environ={})


def test_every_registered_thermometer_protocol_is_accepted() -> None:
    from drivers.thermometer.protocols import PROTOCOLS

    for name in PROTOCOLS:
        loaded = config.from_mapping({"thermometer": {"protocol": name}}, environ={})
        assert loaded.thermometer.protocol == name


@pytest.mark.parametrize(("fullscreen", "window"), [(False, "auto"), (True, "full_screen")])
def test_a_release_1_file_gets_the_window_mode(
    tmp_path: Path, fullscreen: bool, window: str
) -> None:
    """Every first run wrote ``fullscreen = false``; that was the default, not a choice, so
    such a booth now fills its screen as a booth should."""
    path = tmp_path / "gatehouse.toml"
    path.write_text(
        tomli_w.dumps({"schema_version": 1, "ui": {"fullscreen": fullscreen, "language": "zh"}}),
        encoding="utf-8",
    )
    cfg = config.load(path, environ={})
    assert (cfg.ui.window, cfg.ui.language) == (window, "zh")
    assert tomllib.loads(path.read_text(encoding="utf-8"))["ui"]["window"] == window
    assert (tmp_path / "gatehouse.toml.v1.bak").exists()


def test_an_unknown_window_mode_is_refused() -> None:
    with pytest.raises(config.ConfigError, match="window must be auto, full_screen, windowed"):
        config.from_mapping({"ui": {"window": "maximised"}}, environ={})
