"""Fixtures for the booth window: the real one as the app builds it (``make_booth_window``),
the guard flows alone (tests/ui/guard_booth.py builds that booth), and the Chinese translation
for tests of what the screens say in Chinese."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gatehouse.core.keys import generate_issuer_key
from gatehouse.store import Ledger
from gatehouse.ui.translations import install_translators
from tests.ui.booth_window import ENGLISH, BoothWindow, MakeBoothWindow, booth_window
from tests.ui.guard_booth import GuardBooth


@pytest.fixture
def issuer_key() -> Ed25519PrivateKey:
    return generate_issuer_key()


@pytest.fixture
def make_booth_window(qtbot: QtBot, tmp_path: Path) -> Iterator[MakeBoothWindow]:
    """Makes the real booth window from a configuration file in tmp_path, through the app's
    own wiring; each call gets a folder (file and ledger) of its own. Every runtime it made is
    stopped when the test ends, so none outlives it."""
    made: list[BoothWindow] = []

    def make(
        settings: Mapping[str, Any] = ENGLISH, *, demo: bool = True, demo_speed: float = 1.0
    ) -> BoothWindow:
        folder = tmp_path / f"booth-{len(made)}"
        folder.mkdir()
        booth = booth_window(folder, settings, demo=demo, demo_speed=demo_speed)
        made.append(booth)
        qtbot.addWidget(booth.window)
        return booth

    try:
        yield make
    finally:
        for booth in made:
            booth.stop()


@pytest.fixture
def guard_booth(
    qtbot: QtBot, tmp_path: Path, issuer_key: Ed25519PrivateKey
) -> Iterator[GuardBooth]:
    with Ledger.open(tmp_path / "guard-ledger.sqlite3") as ledger:
        booth = GuardBooth(qtbot, ledger, issuer_key, tmp_path / "out")
        try:
            yield booth
        finally:
            booth.close()


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    """Widgets made while this is active speak Chinese; English again afterwards."""
    install_translators(qapp, "zh")
    yield
    install_translators(qapp, "en")


@pytest.fixture(autouse=True)
def widgets_gone_on_the_gui_thread(qapp: QApplication) -> Iterator[None]:
    """pytest-qt closes each test's widgets and deleteLater()s them; finish those deletions and
    collect the test's garbage here, on the GUI thread. Otherwise a later collection on a worker
    thread (a ledger writer, a background job) hands PySide a wrapper whose widget a deferred
    delete then frees under it: a segmentation fault in an unrelated test."""
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
