"""The setup wizard reads the office's enrolment QR code through the booth's camera: a real
video file, made here from the console's own QR code, read by OpenCV as the detected camera,
decoded on the scan loop's threads; the booth then enrols with a real hub."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import pytest
import segno
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from gatehouse.hub.console.booths import add_booth, enrolment_qr
from gatehouse.hub.service import Hub
from gatehouse.setup.configure import BoothSetup, opening
from gatehouse.setup.detect import DeviceProbe
from gatehouse.store.ledger import Ledger
from gatehouse.sync.enrolment import load_settings
from gatehouse.sync.protocol import EnrolmentQr
from gatehouse.ui.setup.enrolment_scan import EnrolmentScanDialog, camera_opener
from gatehouse.ui.setup.jobs import Jobs
from gatehouse.ui.setup.wizard import SetupWizard
from tests.setup.testkit import live_hub
from tests.ui.supervisor.conftest import FAST_ARGON2

BOOTH = "north-gate-3"
WAIT_MS = 30_000
SIZE = (640, 480)
SCAN_THREADS = ("gatehouse-capture", "gatehouse-decode")


@pytest.fixture
def hub_and_url(tmp_path: Path) -> Iterator[tuple[Hub, str]]:
    with live_hub(tmp_path) as served:
        yield served


def _picture(code: segno.QRCode) -> npt.NDArray[np.uint8]:
    rows = code.matrix_iter(scale=5, border=4)
    grey = np.where(np.array(list(rows), dtype=bool), 0, 255).astype(np.uint8)
    return np.asarray(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR), dtype=np.uint8)


def _video(path: Path, codes: list[segno.QRCode], seconds_each: float = 1.5) -> str:
    """A real MJPG video at 10 fps: an empty scene, then each code held up in turn."""
    fps = 10.0
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, SIZE)
    assert writer.isOpened()
    try:
        empty = np.full((SIZE[1], SIZE[0], 3), 90, dtype=np.uint8)
        for _ in range(5):
            writer.write(empty)
        for code in codes:
            picture = _picture(code)
            frame = empty.copy()
            top, left = (SIZE[1] - picture.shape[0]) // 2, (SIZE[0] - picture.shape[1]) // 2
            frame[top : top + picture.shape[0], left : left + picture.shape[1]] = picture
            for _ in range(int(fps * seconds_each)):
                writer.write(frame)
    finally:
        writer.release()
    return str(path)


def _scan_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name in SCAN_THREADS and t.is_alive()]


def test_the_hub_page_fills_in_the_address_and_code_from_the_consoles_qr_and_enrols(
    qtbot: QtBot, tmp_path: Path, hub_and_url: tuple[Hub, str]
) -> None:
    hub, hub_url = hub_and_url
    code = add_booth(hub, BOOTH, "北矿 North", "mine_gate", "admin")  # the console's service
    shown = enrolment_qr(EnrolmentQr(hub_url, BOOTH, code))  # the console's own QR code
    video = _video(tmp_path / "camera.avi", [shown])
    setup = BoothSetup(
        tmp_path / "gatehouse.toml", opening(tmp_path / "ledger.sqlite3"), hasher=FAST_ARGON2
    )
    wizard = SetupWizard(setup, DeviceProbe(camera_candidates=[video]))  # camera "auto"
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.booth.booth_id.clear()
    qtbot.keyClicks(wizard.booth.booth_id, BOOTH)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    page = wizard.hub
    assert not page.scan.isEnabled()  # "no hub yet" is chosen
    qtbot.keyClick(page.use_hub, Qt.Key.Key_Space)

    qtbot.mouseClick(page.scan, Qt.MouseButton.LeftButton)
    scanner = page.scanner
    assert scanner is not None and scanner.isVisible()
    qtbot.waitUntil(lambda: page.code.text() == code, timeout=WAIT_MS)
    assert page.hub_url.text() == hub_url
    assert not scanner.isVisible()
    assert scanner.preview.pixmap() is not None and not scanner.preview.pixmap().isNull()
    assert f"Code read for booth {BOOTH}" in page.message.text()

    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.camera, timeout=WAIT_MS)
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        enrolled = load_settings(ledger)
    assert enrolled is not None and (enrolled.hub_url, enrolled.booth_id) == (hub_url, BOOTH)
    wizard.reject()  # waits for the jobs: the camera stopped with them
    assert _scan_threads() == []


def test_a_code_that_is_no_enrolment_is_said_to_be_none_and_cancel_stops_the_camera(
    qtbot: QtBot, tmp_path: Path
) -> None:
    a_pass = segno.make("GH1:通行证 张三 No.0001", error="m")
    video = _video(tmp_path / "pass.avi", [a_pass], seconds_each=3)
    jobs = Jobs()
    dialog = EnrolmentScanDialog(camera_opener(video, DeviceProbe()), "auto", jobs)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.start()
    said = "not the office's enrolment code"
    qtbot.waitUntil(lambda: said in dialog.problem.text(), timeout=WAIT_MS)
    assert "not an enrolment code from the office's console" in dialog.problem.text()
    assert dialog.isVisible() and dialog.result_code is None  # it keeps looking
    dialog.reject()
    jobs.wait_all()
    assert _scan_threads() == []


def test_a_booth_without_a_camera_says_so_and_keeps_trying(qtbot: QtBot, tmp_path: Path) -> None:
    jobs = Jobs()
    nothing = DeviceProbe(camera_candidates=[str(tmp_path / "no-such-camera.avi")])
    dialog = EnrolmentScanDialog(camera_opener("auto", nothing), "auto", jobs)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.start()
    qtbot.waitUntil(lambda: "no camera answers" in dialog.message.text(), timeout=WAIT_MS)
    assert "trying again" in dialog.message.text()
    dialog.reject()
    jobs.wait_all()
    assert _scan_threads() == []
