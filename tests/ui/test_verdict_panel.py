"""The verdict band: words and icon with the colour, the guard's language, and self-reset."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from gatehouse.core.models import Outcome, Role
from gatehouse.core.reasons import Reason, reason, traced
from gatehouse.ui.verdict_panel import VerdictPanel
from tests.factories import make_passage

RED_CODE = Reason("health.red", Outcome.TURN_AWAY, "Health code red", "健康码红码")
GREEN_CODE = Reason("health.green", Outcome.ADMIT, "Health code green", "健康码绿码")


def label(panel: VerdictPanel, name: str) -> str:
    found = panel.findChild(QLabel, name)
    assert found is not None
    return found.text()


@pytest.mark.usefixtures("chinese")
def test_turn_away_in_chinese_shows_only_the_reasons_behind_it(qtbot: QtBot) -> None:
    panel = VerdictPanel("zh", reset_after_s=60)
    qtbot.addWidget(panel)
    passage = make_passage(
        outcome=Outcome.TURN_AWAY, reasons=(GREEN_CODE, RED_CODE), role=Role.CONTRACTOR.value
    )
    panel.show_passage(passage, save_error="")
    assert "劝返" in label(panel, "verdictHeadline")
    assert "✖" in label(panel, "verdictHeadline")
    assert label(panel, "verdictReasons") == "健康码红码"
    assert "外委人员" in label(panel, "verdictIdentity")
    assert passage.id_masked is not None
    assert passage.id_masked in label(panel, "verdictIdentity")


def test_english_and_unsaved_warning(qtbot: QtBot) -> None:
    panel = VerdictPanel("en", reset_after_s=60)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_passage(make_passage(reasons=(GREEN_CODE,)), save_error="disk I/O error")
    assert "ADMIT" in label(panel, "verdictHeadline")
    assert label(panel, "verdictReasons") == "Health code green"
    assert "employee" in label(panel, "verdictIdentity")
    warning = panel.findChild(QLabel, "verdictWarning")
    assert warning is not None and warning.isVisible()
    assert "disk I/O error" in warning.text()


def test_band_resets_itself(qtbot: QtBot) -> None:
    panel = VerdictPanel("en", reset_after_s=1)
    qtbot.addWidget(panel)
    panel.show_passage(make_passage(), save_error="")
    assert panel.outcome is Outcome.ADMIT
    qtbot.waitUntil(lambda: panel.outcome is None, timeout=5000)
    assert "Show your pass" in label(panel, "verdictHeadline")


def test_a_need_two_rules_share_is_shown_once(qtbot: QtBot) -> None:
    """The isolation list and the roster both need the ID number: the guard reads it once."""
    panel = VerdictPanel("en", reset_after_s=60)
    qtbot.addWidget(panel)
    isolation, roster = (
        traced(reason("list.id_needed"), rule_id, "default@2026.1")
        for rule_id in ("R06-isolation", "R09-roster")
    )
    passage = make_passage(outcome=Outcome.REFER, reasons=(GREEN_CODE, isolation, roster))
    panel.show_passage(passage, save_error="")
    assert label(panel, "verdictReasons") == isolation.en
