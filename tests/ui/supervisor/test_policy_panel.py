"""The supervisor changes the checkpoint policy: confirmed, audited, in force, remembered."""

from __future__ import annotations

import json
import sqlite3
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from gatehouse import config
from gatehouse.booth.policy_desk import PolicyDesk
from gatehouse.booth.runtime import BoothRuntime, RuntimeOptions
from gatehouse.ui.app import build_window
from gatehouse.ui.supervisor.policy_panel import PolicyPanel


def audit_details(database: Path, kind: str) -> list[dict[str, object]]:
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT details FROM audit_events WHERE kind = ?", (kind,)).fetchall()
    return [json.loads(row[0]) for row in rows]


@pytest.fixture
def booth(qtbot: QtBot, tmp_path: Path) -> tuple[BoothRuntime, config.Config]:
    cfg = config.load(tmp_path / "gatehouse.toml", environ={})
    window, runtime, _bridge = build_window(
        cfg, RuntimeOptions(demo=True, database=tmp_path / "ledger.sqlite3")
    )
    qtbot.addWidget(window)
    return runtime, cfg


def open_panel(qtbot: QtBot, runtime: BoothRuntime, cfg: config.Config) -> PolicyPanel:
    """The Policy tab on the running booth, once it has shown what is in force."""
    desk = PolicyDesk(
        cfg, runtime.policy_keeper, runtime.ledger, runtime.clock, runtime.service.admit_blockers
    )
    panel = PolicyPanel(desk, actor="supervisor")
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.choice.count() > 0, timeout=10_000)
    return panel


def test_policy_change_is_confirmed_audited_applied_and_saved(
    qtbot: QtBot, booth: tuple[BoothRuntime, config.Config], monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime, cfg = booth
    panel = open_panel(qtbot, runtime, cfg)
    assert "mine_gate" not in [panel.choice.itemData(i) for i in range(panel.choice.count())]
    assert "Abnormal temperature from: 37.3 °C" in panel.parameters.text()
    assert "Codes accepted: Gatehouse pass" in panel.parameters.text()
    assert "accepted_code_kinds" not in panel.parameters.text()

    canteen = next(i for i in range(panel.choice.count()) if panel.choice.itemData(i) == "canteen")
    panel.choice.setCurrentIndex(canteen)
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    assert cfg.path is not None
    on_file = config.load(cfg.path, environ={})  # the setup wizard changed the file meanwhile
    config.save(replace(on_file, booth=replace(on_file.booth, mine_name="北山煤矿")), cfg.path)
    panel.change_button.click()
    qtbot.waitUntil(lambda: runtime.service.policy.checkpoint_type == "canteen", timeout=10_000)
    runtime.stop()

    assert len(asked) == 1
    assert "+ checked: Visitor approval" not in asked[0]  # the canteen drops visitors instead
    assert "− no longer checked: Nucleic-acid test (R03-test-48h)" in asked[0]
    assert "(R11-outsiders-barred)" in asked[0]
    assert audit_details(runtime.ledger.path, "policy_change") == [
        {"checkpoint_type": {"from": "mine_gate", "to": "canteen"}}
    ]
    assert cfg.path is not None
    saved = tomllib.loads(cfg.path.read_text(encoding="utf-8"))
    assert saved["booth"]["checkpoint_type"] == "canteen"
    assert saved["booth"]["mine_name"] == "北山煤矿"  # not undone by the desk's start-up copy


def test_declined_confirmation_changes_nothing(
    qtbot: QtBot, booth: tuple[BoothRuntime, config.Config], monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime, cfg = booth
    panel = open_panel(qtbot, runtime, cfg)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.No)
    panel.change_button.click()
    runtime.stop()
    assert runtime.service.policy.checkpoint_type == "mine_gate"
    assert audit_details(runtime.ledger.path, "policy_change") == []


def test_the_policy_tab_says_whether_an_admit_needs_the_person_identified(
    qtbot: QtBot, booth: tuple[BoothRuntime, config.Config]
) -> None:
    runtime, cfg = booth
    panel = open_panel(qtbot, runtime, cfg)
    assert "needs the person identified" in panel.id_check.text()
    keeper = runtime.policy_keeper
    (pack,) = keeper.policy.packs
    rule = pack.rules["R06-isolation"]
    waiving = replace(
        pack, rules={**pack.rules, rule.rule_id: replace(rule, params={"require_id": False})}
    )
    keeper.policy = replace(keeper.policy, packs=(waiving,))  # as if the hub had sent it
    panel.refresh()
    qtbot.waitUntil(lambda: "ID NOT REQUIRED" in panel.id_check.text(), timeout=10_000)
    assert "R06-isolation" in panel.id_check.text()
    runtime.stop()
