"""Fixtures for the booth window's guard flows (tests/ui/guard_booth.py builds the booth),
and the Chinese translation for tests of what the screens say in Chinese."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gatehouse.core.keys import generate_issuer_key
from gatehouse.store import Ledger
from gatehouse.ui.translations import install_translators
from tests.ui.guard_booth import GuardBooth


@pytest.fixture
def issuer_key() -> Ed25519PrivateKey:
    return generate_issuer_key()


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
