"""When the wizard opens by itself: never where nobody can answer it (CI, offscreen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gatehouse import config
from gatehouse.cli import main
from gatehouse.ui.setup import launch
from gatehouse.ui.setup.launch import application, can_ask, first_run
from gatehouse.ui.setup.wizard import SetupWizard


def test_offscreen_the_first_run_starts_on_the_defaults_without_asking(
    qtbot: QtBot, tmp_path: Path
) -> None:
    assert not can_ask(application())  # the suite runs offscreen, as CI and self-test do
    path = tmp_path / "gatehouse.toml"
    started = first_run(path, tmp_path / "ledger.sqlite3")
    assert path.exists()  # the defaults, written as every start before setup did
    assert started == config.load(path)


def test_the_setup_command_says_it_needs_a_screen(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "gatehouse.toml"
    assert main(["setup", "--config", str(path)]) == 1
    assert "needs a screen" in capsys.readouterr().err
    assert not path.exists()


def test_cancelling_the_first_run_wizard_starts_on_unsaved_defaults(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(launch, "can_ask", lambda _app: True)  # as on a booth with a screen
    shown: list[str] = []

    def cancel() -> None:
        wizard = QApplication.activeModalWidget()
        assert isinstance(wizard, SetupWizard)
        shown.append(wizard.booth.booth_id.text())
        wizard.reject()

    QTimer.singleShot(0, cancel)
    path = tmp_path / "gatehouse.toml"
    started = launch.first_run(path, tmp_path / "ledger.sqlite3")
    assert shown == ["booth-1"]
    assert started.booth.booth_id == "booth-1" and started.path == path
    assert not path.exists()  # so the setup is offered again at the next start
