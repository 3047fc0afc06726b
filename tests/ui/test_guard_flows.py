"""The guard's F-key flows on the booth window, pressed like a guard would, checked on the screen
and in the ledger: re-measure and confirm, temperature by hand, attest a phone's colour, the
re-verification alert, the ID number, and the supervisor's override."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from drivers.audio import AudioPlayer
from gatehouse.booth.announcer import Announcer
from gatehouse.booth.reverification import Reverification
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.health_codes import VerificationAnswer, reverification_result
from gatehouse.core.models import HealthCodeColour, Outcome, TravelVisit
from gatehouse.core.rules.persons import PersonLists, key_check
from gatehouse.store import Ledger
from gatehouse.store.audit import AuditKind
from gatehouse.ui.widgets import ElidedLabel
from tests.booth.codes import PROVINCIAL
from tests.booth.test_announcer import NULL_PLAYER, seconds_of, speech_to
from tests.core.factories import CLAIMS, ISSUER, NOW, claims
from tests.core.policies import SECRET, policy
from tests.ui.guard_booth import WAIT_MS, GuardBooth

PIN = "246813"
ID_NUMBER = "11010519491231002X"  # the standard's own example, check digit X
HOME = (TravelVisit("150621", NOW.date() - timedelta(days=2)),)  # the mine's own area


def codes(booth: GuardBooth, passage_id: str) -> set[str]:
    stored = booth.ledger.get(passage_id)
    assert stored is not None, "not in the ledger"
    return {r.code for r in stored.reasons}


def test_remeasure_waits_then_the_guard_confirms_a_second_abnormal_reading(
    guard_booth: GuardBooth, issuer_key: Ed25519PrivateKey
) -> None:
    booth, text = guard_booth, encode_pass(CLAIMS, issuer_key, ISSUER)
    booth.measure(38.2)
    first = booth.scan(text)
    assert first.passage.outcome is Outcome.REMEASURE
    assert "RE-MEASURE" in booth.text("verdictHeadline")
    assert "waits 3 min" in booth.text("guardPrompt")
    assert "(1 waiting)" in booth.text("guardPrompt")
    assert booth.flows.sounds.played == [Outcome.REMEASURE]

    booth.press(Qt.Key.Key_F5)  # nothing to confirm yet: the wait is not over
    booth.clock.moment = NOW + timedelta(minutes=4)
    booth.measure(38.4)
    second = booth.scan(text)
    assert "temp.confirm" in codes(booth, second.passage.passage_id)
    assert "F5" in booth.text("guardPrompt")
    assert len(booth.shown) == 2

    confirmed = booth.wait_for_verdict(lambda: booth.press(Qt.Key.Key_F5))
    assert confirmed.passage.outcome is Outcome.TURN_AWAY
    assert "TURN AWAY" in booth.text("verdictHeadline")
    assert "Case flagged" in booth.text("guardNotice")
    stored = booth.ledger.get(confirmed.passage.passage_id)
    assert stored is not None and stored.outcome is Outcome.TURN_AWAY
    assert "temp.confirmed_abnormal" in {r.code for r in stored.reasons}
    assert stored.evidence["abnormal_confirmed"] is True
    assert stored.evidence["first_abnormal_c"] == 38.2
    assert booth.service.pending_remeasures() == []
    assert booth.flows.sounds.played[-1] is Outcome.TURN_AWAY


def test_a_temperature_typed_by_hand_decides_the_waiting_pass_as_manual(
    guard_booth: GuardBooth, issuer_key: Ed25519PrivateKey
) -> None:
    booth = guard_booth
    waiting = booth.scan(encode_pass(CLAIMS, issuer_key, ISSUER))  # thermometer down: no reading
    assert "temp.missing" in codes(booth, waiting.passage.passage_id)
    assert "F6" in booth.text("guardPrompt")

    booth.press(Qt.Key.Key_F6)
    dialog = booth.flows.temperature_dialog
    assert dialog is not None
    booth.qtbot.waitUntil(dialog.isVisible)
    booth.qtbot.keyClicks(dialog.value, "99")  # refused by the field: not a body temperature
    booth.qtbot.keyClick(dialog.value, Qt.Key.Key_Return)
    assert dialog.isVisible() and "between 30 and 45" in dialog.message.text()
    dialog.value.clear()
    booth.qtbot.keyClicks(dialog.value, "36.6")
    decided = booth.wait_for_verdict(lambda: booth.qtbot.keyClick(dialog.value, Qt.Key.Key_Return))

    assert decided.passage.outcome is Outcome.ADMIT
    assert "ADMIT" in booth.text("verdictHeadline")
    assert "36.6 °C" in booth.text("temperatureValue")
    assert "manual" in booth.text("guardNotice")
    stored = booth.ledger.get(decided.passage.passage_id)
    assert stored is not None
    assert (stored.temperature_c, stored.temperature_source) == (36.6, "manual")


def test_the_guard_attests_the_phone_colour_and_a_later_alert_is_shown(
    guard_booth: GuardBooth,
) -> None:
    booth = guard_booth
    booth.measure(36.5)
    asked = booth.scan(PROVINCIAL)
    assert asked.awaits_attestation
    assert "F1 green" in booth.text("guardPrompt")
    assert "REFER" in booth.text("verdictHeadline")

    attested = booth.wait_for_verdict(lambda: booth.press(Qt.Key.Key_F1))
    assert "pending online verification" in booth.text("guardNotice")
    stored = booth.ledger.get(attested.passage.passage_id)
    assert stored is not None
    assert stored.evidence["attestation"] == {"colour": "green", "status": "pending"}
    # green as attested; still referred, as a provincial code carries no test certificate
    assert {"health_code.attested", "health.green", "test.not_shown"} <= {
        r.code for r in stored.reasons
    }

    booth.press(Qt.Key.Key_F2)  # answered already: a second colour changes nothing
    assert len(booth.shown) == 2

    answer = VerificationAnswer(HealthCodeColour.RED, NOW)
    report = Reverification(
        attested.passage.passage_id,
        "陕西一码通",
        HealthCodeColour.GREEN,
        reverification_result(HealthCodeColour.GREEN, answer),
    )
    worker = threading.Thread(target=booth.callbacks.on_reverification, args=(report,))
    worker.start()  # reported on the re-verification worker's thread, like the real one
    worker.join()
    alert = booth.label("reverificationAlert")
    booth.qtbot.waitUntil(alert.isVisible, timeout=WAIT_MS)
    assert "RE-VERIFICATION ALERT" in alert.text() and "red" in alert.text()
    booth.press(Qt.Key.Key_F8)
    assert not alert.isVisible()


def test_an_id_number_typed_by_the_guard_decides_the_pass_again(
    guard_booth: GuardBooth, issuer_key: Ed25519PrivateKey
) -> None:
    booth = guard_booth
    booth.measure(36.5)
    first = booth.scan(encode_pass(CLAIMS, issuer_key, ISSUER))
    assert first.passage.id_hash is None
    booth.press(Qt.Key.Key_F7)
    dialog = booth.flows.id_dialog
    assert dialog is not None
    booth.qtbot.waitUntil(dialog.isVisible)
    booth.qtbot.keyClicks(dialog.entry, "110105194912310021")  # wrong check digit
    booth.qtbot.keyClick(dialog.entry, Qt.Key.Key_Return)
    assert dialog.isVisible() and "Not a valid ID number" in dialog.message.text()
    dialog.entry.clear()
    booth.qtbot.keyClicks(dialog.entry, ID_NUMBER.lower())
    again = booth.wait_for_verdict(lambda: booth.qtbot.keyClick(dialog.entry, Qt.Key.Key_Return))

    stored = booth.ledger.get(again.passage.passage_id)
    assert stored is not None and stored.id_hash is not None
    assert stored.evidence["id_given"] is True
    assert ID_NUMBER not in json.dumps(stored.evidence)


def _audit_events(booth: GuardBooth, kind: AuditKind) -> list[dict[str, object]]:
    with sqlite3.connect(booth.ledger.path) as conn:
        rows = conn.execute(
            "SELECT details FROM audit_events WHERE kind = ? ORDER BY rowid", (kind.value,)
        ).fetchall()
    return [json.loads(row[0]) for row in rows]


def test_an_override_needs_the_pin_and_a_reason_and_is_added_not_rewritten(
    guard_booth: GuardBooth, issuer_key: Ed25519PrivateKey
) -> None:
    booth = guard_booth
    booth.desk.pins.set_pin(PIN)
    booth.measure(36.5)
    red = booth.scan(encode_pass(claims(health_code=HealthCodeColour.RED), issuer_key, ISSUER))
    assert red.passage.outcome is Outcome.TURN_AWAY

    booth.press(Qt.Key.Key_F9)
    pin = booth.flows.overrides.pin_dialog
    assert pin is not None
    booth.qtbot.waitUntil(pin.isVisible)
    booth.qtbot.keyClicks(pin.pin, "000000")
    booth.qtbot.keyClick(pin.pin, Qt.Key.Key_Return)
    booth.qtbot.waitUntil(lambda: "Wrong PIN" in pin.message.text(), timeout=WAIT_MS)
    assert booth.flows.overrides.dialog is None  # no override without the PIN
    booth.qtbot.keyClicks(pin.pin, PIN)
    booth.qtbot.keyClick(pin.pin, Qt.Key.Key_Return)
    booth.qtbot.waitUntil(lambda: booth.flows.overrides.dialog is not None, timeout=WAIT_MS)

    dialog = booth.flows.overrides.dialog
    assert dialog is not None
    booth.qtbot.waitUntil(dialog.isVisible)
    assert dialog.outcome.currentText() == "Admit"  # the current outcome is not offered
    dialog.reason.setCurrentIndex(dialog.reason.findData("other"))
    booth.qtbot.keyClick(dialog.note, Qt.Key.Key_Return)  # "other" needs the free text
    assert dialog.isVisible() and "Say why" in dialog.message.text()
    booth.qtbot.keyClicks(dialog.note, "code screenshot from yesterday; phone re-checked")
    booth.qtbot.keyClick(dialog.note, Qt.Key.Key_Return)

    prompt = booth.label("guardPrompt")
    booth.qtbot.waitUntil(lambda: "SUPERVISOR OVERRIDE" in prompt.text(), timeout=WAIT_MS)
    assert "ADMIT instead of TURN AWAY" in prompt.text()
    assert "phone re-checked" in prompt.text()
    overrides = _audit_events(booth, AuditKind.OVERRIDE)
    assert overrides == [
        {
            "passage_id": red.passage.passage_id,
            "original_outcome": "turn_away",
            "outcome": "admit",
            "reason": "other",
            "note": "code screenshot from yesterday; phone re-checked",
        }
    ]
    assert [e["result"] for e in _audit_events(booth, AuditKind.LOGIN)] == ["wrong", "accepted"]
    assert booth.ledger.get(red.passage.passage_id) == red.passage  # the original stays
    assert booth.ledger.count() == 1
    assert booth.ledger.verify().intact


def test_every_flow_key_is_listed_for_the_guard(guard_booth: GuardBooth) -> None:
    keys = guard_booth.window.findChild(QLabel, "guardKeys")
    assert keys is not None
    for key in ("F6", "F7", "F9", "F12"):
        assert key in keys.text()


@pytest.mark.usefixtures("chinese")
def test_the_guard_screen_speaks_chinese(
    qtbot: QtBot, tmp_path: Path, issuer_key: Ed25519PrivateKey
) -> None:
    with Ledger.open(tmp_path / "zh.sqlite3") as ledger:
        booth = GuardBooth(qtbot, ledger, issuer_key, tmp_path / "out", language="zh")
        try:
            booth.measure(38.0)
            booth.scan(encode_pass(CLAIMS, issuer_key, ISSUER))
            assert "请复测体温" in booth.text("verdictHeadline")
            assert "请此人等候3分钟" in booth.text("guardPrompt")
            assert "体温 38.0 °C 偏高" in booth.text("verdictReasons")
            assert "F6 手工体温" in booth.text("guardKeys")
        finally:
            booth.close()


@pytest.mark.usefixtures("chinese")
def test_the_loudspeaker_says_the_verdict_in_the_guards_language(
    qtbot: QtBot, tmp_path: Path, issuer_key: Ed25519PrivateKey
) -> None:
    said = tmp_path / "said.wav"
    announcer = Announcer(NULL_PLAYER, speech_to(said))
    with Ledger.open(tmp_path / "speech.sqlite3") as ledger:
        booth = GuardBooth(qtbot, ledger, issuer_key, tmp_path / "out", "zh", announcer)
        try:
            booth.measure(36.5)
            booth.scan(encode_pass(CLAIMS, issuer_key, ISSUER))
            sounds = booth.flows.sounds
            assert sounds.spoken_words(Outcome.ADMIT, measured=True) == "体温正常,请通行。"
            assert sounds.announced is not None and sounds.announced.result(30) is True
            assert seconds_of(said) > 1.0
        finally:
            booth.close()
            announcer.close()


@pytest.mark.usefixtures("chinese")
def test_a_failing_loudspeaker_is_said_on_the_status_bar_until_it_plays_again(
    qtbot: QtBot, tmp_path: Path, issuer_key: Ed25519PrivateKey
) -> None:
    announcer = Announcer(AudioPlayer(("aplay", "-q", "-D", "no-such-device", "{file}")), None)
    with Ledger.open(tmp_path / "speaker.sqlite3") as ledger:
        booth = GuardBooth(qtbot, ledger, issuer_key, tmp_path / "out", "zh", announcer)
        try:
            status = booth.window.findChild(ElidedLabel, "loudspeakerStatus")
            assert status is not None and not status.isVisible()
            booth.measure(36.5)
            passage = booth.scan(encode_pass(CLAIMS, issuer_key, ISSUER)).passage
            booth.qtbot.waitUntil(status.isVisible, timeout=WAIT_MS)
            assert status.full_text.startswith("扬声器故障,改用蜂鸣提示:aplay exited with 1")
            assert "no-such-device" in status.toolTip()
            announcer.player = NULL_PLAYER  # the sound card works again
            booth.flows.sounds.play(passage)
            booth.qtbot.waitUntil(lambda: not status.isVisible(), timeout=WAIT_MS)
            assert status.full_text == ""
        finally:
            booth.close()
            announcer.close()


def test_an_aged_colour_asks_for_todays_code_and_f1_decides_with_it(
    guard_booth: GuardBooth, issuer_key: Ed25519PrivateKey
) -> None:
    booth = guard_booth
    booth.measure(36.5)
    aged = claims(health_code_checked_at=NOW - timedelta(days=2))
    asked = booth.scan(encode_pass(aged, issuer_key, ISSUER))
    assert asked.awaits_attestation and "REFER" in booth.text("verdictHeadline")
    assert "today's code" in booth.text("guardPrompt") and "F1 green" in booth.text("guardPrompt")

    live = booth.wait_for_verdict(lambda: booth.press(Qt.Key.Key_F2))
    assert live.passage.outcome is Outcome.TURN_AWAY
    assert "TURN AWAY" in booth.text("verdictHeadline")
    assert "health.live_yellow" in codes(booth, live.passage.passage_id)
    stored = booth.ledger.get(live.passage.passage_id)
    assert stored is not None and stored.evidence["live_colour"] == "yellow"


def test_an_unidentified_person_under_a_list_is_asked_for_the_id_number(
    guard_booth: GuardBooth, issuer_key: Ed25519PrivateKey
) -> None:
    booth = guard_booth
    lists = PersonLists("lists-1", NOW - timedelta(hours=1), key_check(SECRET))
    booth.service.set_policy(policy(lists=lists))
    booth.measure(36.5)
    first = booth.scan(encode_pass(claims(travel=HOME), issuer_key, ISSUER))
    assert first.passage.outcome is Outcome.REFER
    assert "press F7" in booth.text("guardPrompt")
    booth.press(Qt.Key.Key_F7)
    dialog = booth.flows.id_dialog
    assert dialog is not None
    booth.qtbot.waitUntil(dialog.isVisible)
    booth.qtbot.keyClicks(dialog.entry, ID_NUMBER)
    again = booth.wait_for_verdict(lambda: booth.qtbot.keyClick(dialog.entry, Qt.Key.Key_Return))
    assert again.passage.outcome is Outcome.ADMIT
    assert "list.clear" in codes(booth, again.passage.passage_id)
