"""The suite runs in a home of its own (tests/conftest.py): the real one is never written."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from gatehouse import config
from gatehouse.booth.logfile import log_folder
from tests.conftest import SUITE_HOME


def test_every_platform_folder_is_inside_the_suites_home() -> None:
    assert Path.home() == SUITE_HOME
    for folder in (
        config.default_config_path(),
        config.Config().database_path(),
        log_folder(),
        Path(platformdirs.user_cache_dir("gatehouse")),
    ):
        assert folder.is_relative_to(SUITE_HOME), folder
    assert "GATEHOUSE_CONFIG" not in os.environ
