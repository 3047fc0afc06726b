"""Renders the booth window offscreen on the demo and saves screenshots for the README.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots.py

Writes docs/screenshots/booth-<outcome>.png for the first verdict of each outcome it sees, then
docs/screenshots/supervisor.png: the supervisor's desk (in Chinese, 1366x768) searching that demo
ledger, and supervisor-lists.png: its Lists tab after an import and a replace that removed people
(a preview of the next file checked), then the guard's screens: booth-remeasure.png (a high
reading: the wait and the F-keys), booth-offline.png (the booth enrolled with a hub that does
not answer) and booth-vehicle.png (vehicle mode with its first people scanned), and
setup-camera.png (the first-run setup trying the demo video as a camera). Windows are
1366x768, the commonest booth monitor; the first admit is also saved at each booth size as
booth-admit-<width>x<height>.png.
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSize, QTimer  # after QT_QPA_PLATFORM is chosen
from PySide6.QtWidgets import QApplication, QLabel

from drivers.thermometer.reading import RawReading
from gatehouse import config
from gatehouse.booth.runtime import RuntimeOptions
from gatehouse.booth.service import ScanResult
from gatehouse.core.keys import generate_issuer_key, public_key_to_pem
from gatehouse.core.models import Outcome
from gatehouse.core.rules.persons import check_character
from gatehouse.resources import resource_path
from gatehouse.setup.configure import BoothSetup, opening
from gatehouse.setup.detect import DeviceProbe
from gatehouse.store import Ledger
from gatehouse.store.list_changes import ListMode
from gatehouse.store.lists import Importer, ListStore
from gatehouse.store.pins import pin_store_for
from gatehouse.store.queries import PassageFilter, PassageQueries
from gatehouse.ui.app import build_window
from gatehouse.ui.guard.flows import GuardFlows
from gatehouse.ui.setup.wizard import SetupWizard
from gatehouse.ui.supervisor.services import DeskServices
from gatehouse.ui.supervisor.window import SupervisorWindow

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SIZE = QSize(1366, 768)  # the commonest booth monitor
SIZES = (QSize(1024, 768), QSize(1366, 768), QSize(1920, 1080))  # booth-admit-<w>x<h>.png
WANTED = {Outcome.ADMIT: "booth-admit.png", Outcome.TURN_AWAY: "booth-turn-away.png"}


def main() -> int:
    app = QApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        cfg = config.from_mapping({"ui": {"language": "zh"}}, environ={})
        options = RuntimeOptions(demo=True, demo_speed=2.0, database=Path(folder) / "l.sqlite3")
        window, runtime, bridge = build_window(cfg, options)
        window.resize(SIZE)
        window.show()
        saved: set[Outcome] = set()

        def on_verdict(result: ScanResult, _error: str) -> None:
            outcome = result.passage.outcome
            if outcome in WANTED and outcome not in saved:
                saved.add(outcome)
                # Let a couple of preview frames paint before grabbing.
                QTimer.singleShot(300, lambda: grab(outcome))

        def grab(outcome: Outcome) -> None:
            if outcome is Outcome.ADMIT:  # the same verdict on the three booth monitors
                for size in SIZES:
                    window.resize(size)
                    app.processEvents()
                    name = f"booth-admit-{size.width()}x{size.height()}.png"
                    window.grab().save(str(OUT / name))
                window.resize(SIZE)
                app.processEvents()
            window.grab().save(str(OUT / WANTED[outcome]))
            if saved == set(WANTED):
                QTimer.singleShot(600, app.quit)

        bridge.verdict.connect(on_verdict)
        QTimer.singleShot(120_000, app.quit)
        runtime.start()
        app.exec()
        runtime.stop()
        desk_saved = save_supervisor(app, options.database, Path(folder) / "out")
    for outcome, name in WANTED.items():
        print(f"{name}: {'saved' if outcome in saved else 'MISSING'}")
    print(f"{SUPERVISOR}, {SUPERVISOR_LISTS}: {'saved' if desk_saved else 'MISSING'}")
    guard_saved = [save_guard_screen(app, name) for name in (REMEASURE, OFFLINE)]
    others = [save_vehicle_mode(app), save_setup(app)]
    return 0 if saved == set(WANTED) and desk_saved and all(guard_saved + others) else 1


SUPERVISOR = "supervisor.png"
SUPERVISOR_LISTS = "supervisor-lists.png"


def save_supervisor(app: QApplication, database: Path | None, output: Path) -> bool:
    """The desk over the demo's ledger: searched, the first passage opened, then grabbed; then
    its Lists tab with two kept versions and the next file previewed."""
    assert database is not None
    with Ledger.open(database) as ledger:
        # the demo clock runs at the time the demo passes were signed: the desk follows it
        queries = PassageQueries(ledger.path)
        latest = queries.search(PassageFilter(), limit=1)
        moment = datetime.fromisoformat(latest[0]["decided_at"]) if latest else datetime.now(UTC)
        services = DeskServices(
            queries=queries,
            audit=ledger,
            pins=pin_store_for(ledger),
            booth_id="booth-1",
            mine_name="演示煤矿",
            zone=timezone(timedelta(hours=8)),
            output_folder=output,
            lists=_demo_lists(ledger, output),
            clock=lambda: moment,
        )
        window = SupervisorWindow(services)  # in Chinese: build_window installed zh
        panel = window.search
        window.resize(SIZE)
        window.show()
        _wait(app, lambda: panel.results.rowCount() > 0)
        panel.results.selectRow(0)
        app.processEvents()
        saved = panel.results.rowCount() > 0 and window.grab().save(str(OUT / SUPERVISOR))
        lists = window.lists
        window.tabs.setCurrentWidget(lists)
        lists.file.setText(str(output / "isolation-next.csv"))
        lists.by.setText("王主任")
        lists.check()
        _wait(app, lambda: lists.import_button.isEnabled())
        saved = saved and window.grab().save(str(OUT / SUPERVISOR_LISTS))
        window.close()
    return bool(saved)


def _wait(app: QApplication, done: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


def _demo_lists(ledger: Ledger, output: Path) -> ListStore:
    """Made-up isolation lists: 18 people, then 12 of them, and a next file of 10."""
    store = ListStore(ledger, b"screenshots-only list secret")
    people = []
    for serial in range(18):
        body = f"15060219850101{serial:03d}"
        people.append({"id_number": body + check_character(body), "name": f"演示{serial + 1}号"})
    who = Importer("李科长", "booth-1", "supervisor")
    for rows, name in ((people, "隔离名单-11月25日.xlsx"), (people[:12], "隔离名单-11月26日.xlsx")):
        change = store.preview("isolation", rows, ListMode.REPLACE)
        store.apply(change, rows, who, file=name).result()
    output.mkdir(parents=True, exist_ok=True)
    lines = ["身份证号,姓名", *(f"{p['id_number']},{p['name']}" for p in people[:10])]
    (output / "isolation-next.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return store


REMEASURE = "booth-remeasure.png"
OFFLINE = "booth-offline.png"


def save_guard_screen(app: QApplication, name: str) -> bool:
    """A fresh demo booth with no thermometer and a high reading (re-measure), or a real booth
    on the demo video enrolled with a hub on a loopback port nobody listens on (offline: a demo
    never syncs); grabbed at its first verdict once the screen shows what ``name`` is about."""
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "l.sqlite3"
        settings: dict[str, object] = {"ui": {"language": "zh"}}
        if name == REMEASURE:
            settings["thermometer"] = {"port": ""}
        else:
            enrol_with_silent_hub(database)
            settings["camera"] = {"source": str(resource_path("demo", "demo.mp4"))}
            settings["thermometer"] = {"port": "sim"}
        cfg = config.from_mapping(settings, environ={})
        options = RuntimeOptions(demo=name == REMEASURE, demo_speed=2.0, database=database)
        window, runtime, bridge = build_window(cfg, options)
        window.resize(SIZE)
        window.show()
        if name == REMEASURE:
            runtime.temperature.update(RawReading(38.4))
        shown: list[ScanResult] = []
        bridge.verdict.connect(lambda result, _error: shown.append(result))
        banner = window.findChild(QLabel, "offlineBanner")

        def ready() -> bool:
            if not shown:
                return False
            if name == REMEASURE:
                return shown[0].passage.outcome is Outcome.REMEASURE
            return banner is not None and banner.isVisible()

        runtime.start()
        deadline = time.monotonic() + 60
        while not ready() and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)
        saved = ready() and window.grab().save(str(OUT / name))
        runtime.stop()
        window.close()
    print(f"{name}: {'saved' if saved else 'MISSING'}")
    return bool(saved)


VEHICLE = "booth-vehicle.png"


def save_vehicle_mode(app: QApplication) -> bool:
    """A supply truck from Ordos stated (as F10 does), then the demo's people scanned into it."""
    with tempfile.TemporaryDirectory() as folder:
        cfg = config.from_mapping({"ui": {"language": "zh"}}, environ={})
        options = RuntimeOptions(demo=True, demo_speed=2.0, database=Path(folder) / "l.sqlite3")
        window, runtime, _bridge = build_window(cfg, options)
        window.resize(SIZE)
        window.show()
        flows = window.findChild(GuardFlows, "guardFlows")
        assert flows is not None
        desk = flows.vehicle.desk
        desk.start("蒙K12345", desk.search_regions("eeds")[0].code, "supply")
        flows.vehicle.refresh()
        runtime.start()
        deadline = time.monotonic() + 90
        session = desk.active
        while session is not None and len(session.people()) < 2 and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)
        for _ in range(20):  # the second person's verdict reaches the panel
            app.processEvents()
            time.sleep(0.02)
        saved = session is not None and len(session.people()) >= 2
        saved = saved and window.grab().save(str(OUT / VEHICLE))
        runtime.stop()
        window.close()
    print(f"{VEHICLE}: {'saved' if saved else 'MISSING'}")
    return bool(saved)


SETUP = "setup-camera.png"


def save_setup(app: QApplication) -> bool:
    """The first-run setup on its camera page, the demo video detected and tried."""
    with tempfile.TemporaryDirectory() as folder:
        setup = BoothSetup(Path(folder) / "gatehouse.toml", opening(Path(folder) / "l.sqlite3"))
        video = str(resource_path("demo", "demo.mp4"))
        wizard = SetupWizard(setup, DeviceProbe(camera_candidates=[video], port_lister=list))
        wizard.resize(900, 640)
        wizard.show()
        wizard.next()  # booth → hub ("no hub yet")
        wizard.next()  # hub → camera
        camera = wizard.camera
        deadline = time.monotonic() + 30
        while camera.device.choices.count() < 3 and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)
        camera.device.choices.setCurrentIndex(1)  # the detected camera
        camera.device.test.click()
        while camera.preview.pixmap().isNull() and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)
        saved = not camera.preview.pixmap().isNull() and wizard.grab().save(str(OUT / SETUP))
        wizard.jobs.wait_all()
        wizard.close()
    print(f"{SETUP}: {'saved' if saved else 'MISSING'}")
    return bool(saved)


def enrol_with_silent_hub(database: Path) -> None:
    with socket.socket() as probe:  # a loopback port, closed again: nothing answers there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pem = public_key_to_pem(generate_issuer_key().public_key()).decode("ascii")
    with Ledger.open(database) as ledger:
        settings = {"hub_url": f"http://127.0.0.1:{port}", "booth_id": "booth-1", "token": "t"}
        ledger.save_settings({**settings, "bundle_key_pem": pem}).result()


if __name__ == "__main__":
    sys.exit(main())
