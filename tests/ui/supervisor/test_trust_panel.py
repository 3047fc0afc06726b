"""The desk's Trust tab lists the trust files the booth refused, in words, latest first:
refusals made by the real trust loading with malformed files, recorded as the booth does."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel, QListWidget
from pytestqt.qtbot import QtBot

from gatehouse import config
from gatehouse.bundles.trust import RefusalRecorder, booth_trust
from gatehouse.core.keys import generate_issuer_key
from gatehouse.store import Ledger
from gatehouse.ui.supervisor.services import DeskServices
from gatehouse.ui.supervisor.window import SupervisorWindow
from gatehouse.ui.translations import install_translators
from tests.booth.codes import ISSUER_TABLE
from tests.core.factories import trust_for

WAIT_MS = 20_000


def _refuse(ledger: Ledger, tmp_path: Path) -> None:
    """A booth started twice: first with good files, then with both broken and a new one."""
    cfg = config.from_mapping({}, environ={})
    keys = tmp_path / "booth" / "trusted_keys.json"
    keys.parent.mkdir()
    table = tmp_path / "issuers.json"
    cfg = replace(
        cfg, trust=replace(cfg.trust, keys_file=str(keys), health_code_issuers_file=str(table))
    )
    keys.write_text(trust_for(generate_issuer_key()).to_json(), "utf-8")
    table.write_text(json.dumps(ISSUER_TABLE), "utf-8")
    assert booth_trust(cfg, demo=False, keep=True).refused == ()
    keys.write_text('{"version": 1, "keys": [', "utf-8")
    table.write_text("{}", "utf-8")
    certificates = tmp_path / "certificates"
    certificates.mkdir()
    (certificates / "new.txt").write_text("not a certificate", "utf-8")
    cfg = replace(cfg, trust=replace(cfg.trust, certificates_dir=str(certificates)))
    refused = booth_trust(cfg, demo=False, keep=True).refused
    assert len(refused) == 3
    RefusalRecorder(ledger, "north-gate")(refused)
    ledger.close()  # the writer finishes the audit event


def _lines(window: SupervisorWindow) -> list[str]:
    items = window.trust.findChild(QListWidget, "trustRefusals")
    assert items is not None
    return [items.item(row).text() for row in range(items.count())]


def test_the_trust_tab_says_what_was_refused_and_what_it_means(
    qtbot: QtBot, services: DeskServices, ledger: Ledger, tmp_path: Path
) -> None:
    _refuse(ledger, tmp_path)
    window = SupervisorWindow(services)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: len(_lines(window)) == 3, timeout=WAIT_MS)
    lines = _lines(window)
    kept = [line for line in lines if "trusted_keys.json" in line]
    nothing = [line for line in lines if "new.txt" in line]
    assert kept and "The last good copy is still used." in kept[0]
    assert nothing and "codes it would verify are referred" in nothing[0]
    assert all("north-gate" in line for line in lines)
    summary = window.trust.findChild(QLabel, "trustSummary")
    assert summary is not None and "Trust files refused: 3" in summary.text()
    assert "referred to you" in summary.text()
    assert window.tabs.tabText(window.tabs.indexOf(window.trust)) == "Trust"


def test_the_trust_tab_in_chinese(qtbot: QtBot, services: DeskServices, ledger: Ledger) -> None:
    ledger.close()  # no refusal at all
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_translators(app, "zh")
    try:
        window = SupervisorWindow(services)
        qtbot.addWidget(window)
        summary = window.trust.findChild(QLabel, "trustSummary")
        assert summary is not None
        qtbot.waitUntil(lambda: "信任文件" in summary.text(), timeout=WAIT_MS)
        assert window.tabs.tabText(window.tabs.indexOf(window.trust)) == "信任文件"
    finally:
        install_translators(app, "en")
