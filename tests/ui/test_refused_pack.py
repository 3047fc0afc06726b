"""A booth holding an office rule pack this release refuses refers everyone; the guard reads it
on the screen without scanning, and the supervisor's policy tab says no pack is in force and
why. The real booth window and runtime (a video as the camera, the simulated thermometer), a
real ledger holding the pack an older release kept."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from gatehouse import config
from gatehouse.booth.clock import SystemClock
from gatehouse.booth.policy_desk import PolicyDesk
from gatehouse.bundles.policy import PolicyKeeper
from gatehouse.core.decision import admit_blockers
from gatehouse.demo import DemoManifest
from gatehouse.resources import resource_path
from gatehouse.store import Ledger
from gatehouse.store.bundles import StoredBundle
from gatehouse.ui.supervisor.policy_panel import PolicyPanel
from tests.ui.booth_window import MakeBoothWindow

PACK = json.loads(resource_path("policy", "default_pack.json").read_text("utf-8"))
MISSPELT = copy.deepcopy(PACK)
MISSPELT["checkpoints"]["mine_gate"]["params"]["accepted_code_kinds"] = ["heath_code"]


def _keep_refused_pack(ledger: Ledger) -> None:
    """What an older release that accepted the misspelt pack left in the ledger."""
    now = datetime.now(UTC)
    kept = StoredBundle("policy", 5, MISSPELT, b"signed", '"policy-5"', now, now)
    assert ledger.store_bundle(kept, "north-gate").result()


def test_the_guard_screen_says_the_booth_refers_everyone_and_why_in_chinese(
    qtbot: QtBot, make_booth_window: MakeBoothWindow, chinese: None
) -> None:
    booth = make_booth_window(
        {
            "ui": {"language": "zh", "sounds": "off"},
            "camera": {"source": str(DemoManifest.load().video)},
            "thermometer": {"port": "sim"},
        },
        demo=False,
    )
    window, runtime = booth.window, booth.runtime
    _keep_refused_pack(runtime.ledger)
    runtime.policy_keeper.reload()  # as a restart would read it
    window.show()
    banner = window.findChild(QLabel, "admitsStoppedBanner")
    data_age = window.findChild(QLabel, "dataAge")
    assert banner is not None and data_age is not None
    runtime.start()
    try:
        qtbot.waitUntil(lambda: "本岗亭所有人员一律交主管处理" in banner.text(), timeout=30_000)
        assert banner.isVisible()
    finally:
        booth.stop()
    text = banner.text()
    assert "疫情办的规则包(版本 5)本版本程序无法使用" in text and "heath_code" in text
    assert "请叫主管" in text and "暂停自动放行" not in text  # not the milder stale-data words
    assert data_age.text() == "疫情办数据无法使用,所有人员一律交主管"


def test_the_supervisors_policy_tab_says_no_pack_is_in_force_and_why(
    qtbot: QtBot, tmp_path: Path
) -> None:
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        _keep_refused_pack(ledger)
        cfg = config.from_mapping({"trust": {"keys_file": str(tmp_path / "k.json")}}, environ={})
        keeper = PolicyKeeper(cfg, ledger, demo=False)
        clock = SystemClock()
        desk = PolicyDesk(
            cfg, keeper, ledger, clock, lambda: admit_blockers(keeper.policy, clock.now())
        )
        panel = PolicyPanel(desk, actor="supervisor")
        qtbot.addWidget(panel)
        qtbot.waitUntil(lambda: panel.summary is not None, timeout=10_000)
    assert panel.pack.text() == "None in force: every person is referred"
    (refused,) = keeper.policy.refused
    assert panel.blockers.text() == f"{refused.reason.zh} · {refused.reason.en}"
    assert panel.choice.count() == 0  # no checkpoint policy to switch to meanwhile
