"""F4: the guard types the cities of a person's travel card for a code without travel, by
pinyin, with arrows and Enter on the real booth window; checked on screen and in the ledger."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from gatehouse.booth.service import ScanResult
from gatehouse.core.china_time import china_day
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.models import Outcome, TravelVisit
from gatehouse.core.rules.evidence import declared_travel_from_record
from gatehouse.ui.guard.travel_dialog import TravelDialog
from tests.booth.codes import PROVINCIAL, accepting_pack
from tests.core.factories import CLAIMS, ISSUER, NOW
from tests.core.policies import medium, policy, risk_list
from tests.ui.guard_booth import GuardBooth

TODAY = china_day(NOW)
XIAN, TAIYUAN, BEIJING = "610100", "140100", "110000"


@pytest.fixture
def booth(guard_booth: GuardBooth) -> GuardBooth:
    """The guard booth with Xi'an a medium-risk area since ten days ago."""
    risks = risk_list(medium(XIAN, TODAY - timedelta(days=10)))
    guard_booth.service.set_policy(policy(packs=(accepting_pack(),), risk_areas=risks))
    guard_booth.measure(36.5)
    return guard_booth


def _attested_provincial_code(booth: GuardBooth) -> ScanResult:
    booth.scan(PROVINCIAL)
    attested = booth.wait_for_verdict(lambda: booth.press(Qt.Key.Key_F1))
    assert "travel.not_shown" in {r.code for r in attested.decision.reasons}
    assert "F4" in booth.text("guardPrompt") and "travel card" in booth.text("guardPrompt")
    return attested


def _open_dialog(booth: GuardBooth) -> TravelDialog:
    booth.press(Qt.Key.Key_F4)
    dialog = booth.flows.travel_dialog
    assert dialog is not None
    booth.qtbot.waitUntil(dialog.isVisible)
    return dialog


def _matches(dialog: TravelDialog) -> list[str]:
    return [dialog.matches.item(row).text() for row in range(dialog.matches.count())]


def _type_chinese(dialog: TravelDialog, text: str) -> None:
    """Chinese reaches a field from the input method as committed text, not as key presses."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(dialog.search, event)


def test_the_guard_types_pinyin_picks_cities_and_the_declared_travel_decides(
    booth: GuardBooth,
) -> None:
    _attested_provincial_code(booth)
    dialog = _open_dialog(booth)
    bot = booth.qtbot

    bot.keyClicks(dialog.search, "ty")  # initials: 太原 first
    assert _matches(dialog)[0] == "山西省太原市"
    bot.keyClick(dialog.days_ago, Qt.Key.Key_Up)
    bot.keyClick(dialog.days_ago, Qt.Key.Key_Up)  # two days ago
    bot.keyClick(dialog.days_ago, Qt.Key.Key_Return)  # the chosen match is added
    bot.keyClicks(dialog.search, "bj")
    assert _matches(dialog)[0] == "北京市"
    bot.keyClick(dialog.search, Qt.Key.Key_Down)
    bot.keyClick(dialog.search, Qt.Key.Key_Up)  # back to 北京
    bot.keyClick(dialog.search, Qt.Key.Key_Return)
    bot.keyClicks(dialog.search, "xian")
    bot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.visits.count() == 3 and dialog.search.text() == ""
    assert dialog.isVisible()

    bot.keyClick(dialog.visits, Qt.Key.Key_Delete)  # the last added (西安) is the chosen one
    assert [dialog.visits.item(row).text()[12:] for row in range(2)] == ["山西省太原市", "北京市"]
    decided = booth.wait_for_verdict(lambda: bot.keyClick(dialog.search, Qt.Key.Key_Return))

    assert not dialog.isVisible()
    assert "Travel as the person declared it" in booth.text("guardNotice")
    assert "Travel only declared, not signed" in booth.text("verdictReasons")
    stored = booth.ledger.get(decided.passage.passage_id)
    assert stored is not None and stored.scanned_text == PROVINCIAL
    assert stored.evidence["travel_source"] == "declared_by_guard"
    assert declared_travel_from_record(stored.evidence["declared_travel"]) == (
        TravelVisit(TAIYUAN, TODAY - timedelta(days=2)),
        TravelVisit(BEIJING, TODAY - timedelta(days=2)),
    )
    assert {"travel.declared_clear", "travel.declared_home_monitoring"} <= {
        r.code for r in stored.reasons
    }
    # the default mine gate does not accept declared travel on its own: the supervisor decides
    assert "policy.declared_travel_not_accepted" in {r.code for r in stored.reasons}
    assert stored.outcome is Outcome.REFER and "REFER" in booth.text("verdictHeadline")


def test_a_declared_risk_city_turns_the_person_away(booth: GuardBooth) -> None:
    _attested_provincial_code(booth)
    dialog = _open_dialog(booth)
    _type_chinese(dialog, "西安")
    booth.qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    decided = booth.wait_for_verdict(lambda: booth.qtbot.keyClick(dialog.search, Qt.Key.Key_Return))
    assert decided.passage.outcome is Outcome.TURN_AWAY
    assert "TURN AWAY" in booth.text("verdictHeadline")
    assert "Declared a visit to 陕西省西安市" in booth.text("verdictReasons")
    stored = booth.ledger.get(decided.passage.passage_id)
    assert stored is not None and stored.outcome is Outcome.TURN_AWAY
    assert stored.evidence["declared_travel"] == [{"region": XIAN, "day": TODAY.isoformat()}]


def test_no_travel_is_declared_by_keyboard_and_an_empty_list_is_refused(
    booth: GuardBooth,
) -> None:
    _attested_provincial_code(booth)
    dialog = _open_dialog(booth)
    booth.qtbot.keyClick(dialog.search, Qt.Key.Key_Return)  # nothing entered yet
    assert dialog.isVisible() and "Add at least one city" in dialog.message.text()
    booth.qtbot.keyClicks(dialog.search, "qqqq")
    assert _matches(dialog) == [] and "No city matches" in dialog.message.text()
    dialog.search.clear()

    dialog.nowhere.setFocus()
    booth.qtbot.keyClick(dialog.nowhere, Qt.Key.Key_Space)
    assert dialog.nowhere.isChecked()
    decided = booth.wait_for_verdict(
        lambda: booth.qtbot.keyClick(dialog.nowhere, Qt.Key.Key_Return)
    )
    stored = booth.ledger.get(decided.passage.passage_id)
    assert stored is not None and stored.evidence["declared_travel"] == []
    assert "travel.declared_local" in {r.code for r in stored.reasons}


def test_a_pass_with_signed_travel_opens_no_travel_dialog(
    booth: GuardBooth, issuer_key: Ed25519PrivateKey
) -> None:
    booth.press(Qt.Key.Key_F4)
    assert "Scan the code first" in booth.text("guardNotice")
    booth.scan(encode_pass(CLAIMS, issuer_key, ISSUER))
    booth.press(Qt.Key.Key_F4)
    assert booth.flows.travel_dialog is None
    assert "signed travel record" in booth.text("guardNotice")
    assert "F4" in booth.text("guardKeys")


def test_a_pass_issued_without_travel_asks_for_the_travel_card(
    booth: GuardBooth, issuer_key: Ed25519PrivateKey
) -> None:
    """An empty signed record is "travel not shown": F4 opens the dialog for the pass too."""
    bare = booth.scan(encode_pass(dataclasses.replace(CLAIMS, travel=()), issuer_key, ISSUER))
    assert bare.passage.outcome is Outcome.REFER
    assert "F4" in booth.text("guardPrompt") and "travel card" in booth.text("guardPrompt")
    dialog = _open_dialog(booth)
    _type_chinese(dialog, "西安")
    booth.qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    decided = booth.wait_for_verdict(lambda: booth.qtbot.keyClick(dialog.search, Qt.Key.Key_Return))
    assert decided.passage.outcome is Outcome.TURN_AWAY  # a declared risk city, pass or not
    assert decided.passage.pass_id == CLAIMS.pass_id
    assert decided.passage.evidence["travel_source"] == "declared_by_guard"
