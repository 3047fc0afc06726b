"""The setup's PIN page once a PIN is set: a new one asks for the current PIN or the office's
recovery code (typed, real key presses), and what is typed there reaches the save."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from gatehouse.setup.configure import BoothSetup, NewPin, opening
from gatehouse.ui.setup.wizard import SetupWizard
from tests.setup.test_configure import CHOICES
from tests.ui.supervisor.conftest import FAST_ARGON2

PIN, NEW = "246802", "975310"


def _pin_page(qtbot: QtBot, tmp_path: Path) -> SetupWizard:
    setup = BoothSetup(
        tmp_path / "gatehouse.toml", opening(tmp_path / "ledger.sqlite3"), hasher=FAST_ARGON2
    )
    setup.save(CHOICES, pin=PIN)
    wizard = SetupWizard(setup)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.pin.initializePage()
    qtbot.waitUntil(lambda: "Leave both fields empty" in wizard.pin.status.text())
    return wizard


def test_a_new_pin_over_a_set_one_asks_for_the_current_pin_or_a_code(
    qtbot: QtBot, tmp_path: Path
) -> None:
    page = _pin_page(qtbot, tmp_path).pin
    assert page.authority.isVisibleTo(page)
    qtbot.keyClicks(page.pin, NEW)
    qtbot.keyClicks(page.repeat, NEW)

    assert not page.validatePage()
    assert "current PIN, or a recovery code" in page.message.text()

    qtbot.keyClicks(page.authority, PIN)
    assert page.validatePage()
    assert page.new_pin() == NewPin(NEW, current=PIN)
    page.authority.clear()
    qtbot.keyClicks(page.authority, "abcd-efgh-ijkl-mnop")
    assert page.new_pin() == NewPin(NEW, recovery_code="abcd-efgh-ijkl-mnop")


def test_the_current_pin_field_is_hidden_before_any_pin_is_set(
    qtbot: QtBot, tmp_path: Path
) -> None:
    setup = BoothSetup(
        tmp_path / "gatehouse.toml", opening(tmp_path / "ledger.sqlite3"), hasher=FAST_ARGON2
    )
    wizard = SetupWizard(setup)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.pin
    page.initializePage()
    qtbot.keyClicks(page.pin, NEW)
    qtbot.keyClicks(page.repeat, NEW)

    assert not page.authority.isVisibleTo(page)
    assert page.validatePage()
    assert page.new_pin() == NewPin(NEW)
