"""End to end with a booth in its own process: a risk area published in the browser reaches a
running ``gatehouse run`` through sync, and the next traveller from there is turned away.

The booth is the real command (offscreen) with its own home, configuration and SQLite ledger
under the test's folder, enrolled with ``gatehouse hub enrol``; its thermometer is the simulator
on a real pty and its camera a video file. The file is written only once the booth holds the
new risk-area bundle: until then the booth reconnects to a camera that is not there, as it does
for an unplugged one. The test reads the booth's ledger read-only.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest
from playwright.sync_api import Page

from drivers.thermometer.simulator import SimulatedThermometer
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.keys import generate_issuer_key
from gatehouse.hub.booth_reports import reported_states
from gatehouse.hub.console.accounts import Accounts
from gatehouse.hub.service import Hub
from gatehouse.sync import protocol
from gatehouse.sync.client import HubClient
from tests.core.factories import CLAIMS, ISSUER, traveller, trust_for
from tests.drivers.drivers_testkit import qr_image
from tests.gatehouse_process import gatehouse_command, gatehouse_env, run_gatehouse
from tests.hub.console.conftest import log_in
from tests.hub.console.risk_area_steps import XIAN, add_xian_to_draft, publish_draft, wait_for
from tests.hub.live import ADMIN_TOKEN

BOOTH = "north-gate"
INTERVAL_S = 5  # the shortest sync interval the configuration accepts
STARTUP_S = 120  # a loaded 2-core machine: the booth's start, then a sync, may take long
FPS = 10.0


@dataclass
class BoothProcess:
    """A running ``gatehouse run``, its ledger and the video file its camera reads."""

    process: subprocess.Popen[bytes]
    ledger: Path
    camera: Path
    stderr: Path

    def rows(self, sql: str, *params: object) -> list[sqlite3.Row]:
        """Rows of the booth's ledger, read-only (the booth writes it meanwhile)."""
        with sqlite3.connect(f"file:{self.ledger}?mode=ro", uri=True, timeout=30) as conn:
            conn.row_factory = sqlite3.Row
            return list(conn.execute(sql, params))

    def risk_areas(self) -> sqlite3.Row | None:
        """The risk-area bundle the booth holds (version, received_at), if any."""
        found = self.rows("SELECT version, received_at FROM bundles WHERE name = 'risk_areas'")
        return found[0] if found else None

    def alive(self, condition: Callable[[], bool]) -> Callable[[], bool]:
        """``condition``, failing at once with the booth's stderr if the booth has exited."""

        def checked() -> bool:
            code = self.process.poll()
            assert code is None, f"the booth exited ({code}):\n{self.stderr.read_text()}"
            return condition()

        return checked


def _config(folder: Path, thermometer_port: str) -> Path:
    """The booth's gatehouse.toml: its own ledger, trust file, camera file and thermometer."""
    key_file = folder / "trusted_keys.json"
    config = folder / "gatehouse.toml"
    config.write_text(
        f"""[booth]
booth_id = "{BOOTH}"
[camera]
source = "{folder / "camera" / "gate.avi"}"
[thermometer]
port = "{thermometer_port}"
[store]
database = "{folder / "booth.sqlite3"}"
[trust]
keys_file = "{key_file}"
[sync]
interval_seconds = {INTERVAL_S}
[ui]
language = "en"
window = "windowed"
sounds = "off"
speech = "off"
""",
        encoding="utf-8",
    )
    return config


@pytest.fixture
def pass_text(tmp_path: Path) -> str:
    """An employee's valid pass, tested 12 h ago, who was in Xi'an two days ago; its issuer's
    key goes to the booth's trust file."""
    key = generate_issuer_key()
    (tmp_path / "booth").mkdir()
    (tmp_path / "booth" / "trusted_keys.json").write_text(trust_for(key).to_json())
    return encode_pass(traveller(XIAN, datetime.now(UTC)), key, ISSUER)


@pytest.fixture
def thermometer_port() -> Iterator[str]:
    """The simulated thermometer's pty, reading 36.5 °C."""
    thermometer = SimulatedThermometer([36.5], interval_s=0.2, transport="pty")
    try:
        yield thermometer.start()
    finally:
        thermometer.stop()


@pytest.fixture
def booth_process(
    pass_text: str, thermometer_port: str, hub_url: str, tmp_path: Path
) -> Iterator[BoothProcess]:
    """``gatehouse run`` enrolled with the hub; killed at teardown, its stderr printed (pytest
    shows it when the test fails)."""
    folder, home = tmp_path / "booth", tmp_path / "booth-home"
    (folder / "camera").mkdir()
    config = _config(folder, thermometer_port)
    admin = HubClient(hub_url, ADMIN_TOKEN)
    code = admin.request("POST", protocol.ENROLMENT_CODES_PATH, {"booth_id": BOOTH}).json()
    enrolled = run_gatehouse(
        "hub", "enrol", "--hub", hub_url, "--code", code["code"], "--config", str(config), home=home
    )
    assert enrolled.returncode == 0, enrolled.stderr
    stderr = folder / "stderr.txt"
    with stderr.open("wb") as errors:
        process = subprocess.Popen(
            gatehouse_command("run", "--config", str(config), "--windowed"),
            env=gatehouse_env(home),
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    try:
        camera = folder / "camera" / "gate.avi"
        yield BoothProcess(process, folder / "booth.sqlite3", camera, stderr)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        print(f"the booth's stderr (exit {process.returncode}):\n{stderr.read_text()}")


def _write_video(path: Path, text: str) -> None:
    """Two seconds of the pass's QR code, written beside ``path`` then moved into place, so the
    camera never opens half a file."""
    code = cv2.cvtColor(qr_image(text, scale=4), cv2.COLOR_GRAY2BGR)
    side = max(code.shape[:2]) + 80
    frame = np.full((side, side, 3), 255, dtype=np.uint8)
    frame[40 : 40 + code.shape[0], 40 : 40 + code.shape[1]] = code
    partial = path.with_name("writing.avi")
    writer = cv2.VideoWriter(str(partial), cv2.VideoWriter.fourcc(*"MJPG"), FPS, (side, side))
    assert writer.isOpened(), "this OpenCV build cannot write MJPG"
    try:
        for _ in range(int(2 * FPS)):
            writer.write(frame)
    finally:
        writer.release()
    partial.replace(path)


def _reported_risk_areas(hub: Hub) -> int | None:
    """The risk-area version the booth last told the hub it holds."""
    with hub.engine.connect() as conn:
        state = reported_states(conn).get(BOOTH)
    return state.bundle_versions.get("risk_areas") if state else None


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_a_booth_process_turns_the_next_traveller_from_a_new_risk_area_away(
    page: Page,
    hub: Hub,
    hub_url: str,
    accounts: Accounts,
    pass_text: str,
    booth_process: BoothProcess,
) -> None:
    booth = booth_process
    log_in(page, hub_url, "staff")
    publish_draft(page, hub_url)  # version 1: the office's list, no area yet
    wait_for(
        booth.alive(lambda: (held := booth.risk_areas()) is not None and held["version"] == 1),
        "the booth to take version 1",
        STARTUP_S,
    )

    add_xian_to_draft(page, hub_url)
    publish_draft(page, hub_url)
    published = datetime.now(UTC)
    # Within one sync interval (plus the machine's slack): the booth holds version 2.
    wait_for(
        booth.alive(lambda: (held := booth.risk_areas()) is not None and held["version"] == 2),
        "the booth to take version 2",
    )
    taken = booth.risk_areas()
    assert taken is not None
    assert _utc(taken["received_at"]) > published

    _write_video(booth.camera, pass_text)  # the traveller steps up to the booth's camera
    query = "SELECT passage_id, decided_at, outcome, reasons FROM passages WHERE pass_id = ?"
    wait_for(booth.alive(lambda: bool(booth.rows(query, CLAIMS.pass_id))), "the passage")
    (passage,) = booth.rows(query, CLAIMS.pass_id)
    assert passage["outcome"] == "TURN_AWAY"
    assert "travel.risk_medium" in {reason["code"] for reason in json.loads(passage["reasons"])}
    assert _utc(passage["decided_at"]) > _utc(taken["received_at"])

    wait_for(booth.alive(lambda: hub.passage(passage["passage_id"]) is not None), "the hub")
    at_hub = hub.passage(passage["passage_id"])
    assert at_hub is not None and at_hub["outcome"] == "TURN_AWAY"
    wait_for(booth.alive(lambda: _reported_risk_areas(hub) == 2), "the booth's report of v2")
