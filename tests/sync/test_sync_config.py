"""``[sync] interval_seconds``: from the file or the environment, checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from gatehouse import config


def test_interval_from_file_and_environment(tmp_path: Path) -> None:
    path = tmp_path / "gatehouse.toml"
    path.write_text("[sync]\ninterval_seconds = 30\n")
    assert config.load(path, environ={}).sync.interval_seconds == 30
    environ = {"GATEHOUSE_SYNC_INTERVAL_SECONDS": "120"}
    assert config.load(path, environ=environ).sync.interval_seconds == 120
    assert config.load(tmp_path / "new.toml", environ={}).sync.interval_seconds == 60


def test_a_too_short_interval_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "gatehouse.toml"
    path.write_text("[sync]\ninterval_seconds = 1\n")
    with pytest.raises(config.ConfigError, match=r"\[sync\] interval_seconds"):
        config.load(path, environ={})
