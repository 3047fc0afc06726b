"""Starts the booth GUI: one QApplication, one runtime, one window."""

from __future__ import annotations

import gc
import sys
from dataclasses import replace

from PySide6.QtCore import QLocale, QSize
from PySide6.QtWidgets import QApplication

from gatehouse.booth.runtime import BoothRuntime, RuntimeOptions
from gatehouse.booth.startup import classify
from gatehouse.config import Config
from gatehouse.setup.configure import BoothSetup, sharing
from gatehouse.ui.bridge import BoothBridge
from gatehouse.ui.guard.attach import attach_guard
from gatehouse.ui.guard.flows import GuardServices
from gatehouse.ui.guard.signals import GuardSignals
from gatehouse.ui.main_window import MainWindow
from gatehouse.ui.qt_messages import install_qt_message_log
from gatehouse.ui.supervisor.launcher import DeskLauncher, default_output_folder, desk_services
from gatehouse.ui.translations import install_translators

WINDOW_SIZE = QSize(1280, 800)  # the window's size where the screen has room for it


def resolve_language(setting: str) -> str:
    """ "auto" follows the system: Chinese on a Chinese system, English elsewhere."""
    if setting != "auto":
        return setting
    return "zh" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def build_window(
    config: Config, options: RuntimeOptions
) -> tuple[MainWindow, BoothRuntime, BoothBridge]:
    """Creates the runtime and its window without starting devices (tests start them)."""
    language = resolve_language(config.ui.language)
    app = QApplication.instance()
    if app is not None:
        install_translators(app, language)
    bridge = BoothBridge()
    signals = GuardSignals()
    runtime = BoothRuntime.from_config(config, options, signals.extend(bridge.callbacks()))
    window = MainWindow(
        bridge,
        demo=runtime.demo,
        decoder_name=runtime.decoder.name,
        language=language,
        threshold_c=runtime.policy.temperature_threshold_c,
        verdict_seconds=config.ui.verdict_seconds,
    )
    window.wedge.scanned.connect(runtime.submit_scan)  # hand scanners join the camera's path
    services = desk_services(runtime, config, default_output_folder())
    if config.path is not None:  # a supervisor can re-run the setup on the file it came from
        setup = BoothSetup(config.path, sharing(runtime.ledger), running=True)
        services = replace(services, setup=setup)
    desk = DeskLauncher(services, window)
    window.supervisor_requested.connect(desk.open)
    guard = GuardServices(
        service=runtime.service,
        temperature=runtime.temperature,
        deliver=bridge.callbacks().on_result,
        show_temperature=bridge.temperature.emit,
        desk=services,
        duty=runtime.duty,
        announcer=runtime.announcer,
        beeps=config.ui.sounds != "off",
    )
    flows = attach_guard(
        window, bridge, signals, guard, language=language, verdict_seconds=config.ui.verdict_seconds
    )
    signals.setParent(flows)  # lives as long as the window
    return window, runtime, bridge


def settle_heap() -> None:
    """Stops the garbage collector re-examining what start-up built.

    Qt's wrappers, NumPy/OpenCV and the rule tables live as long as the booth; a full
    collection walks all of them on the GUI thread, about 50 ms, the booth's longest stall
    (BENCHMARKS.md, bench_booth). Frozen, they are skipped; what the booth makes afterwards is
    collected as usual.
    """
    gc.collect()
    gc.freeze()


def show_window(window: MainWindow, *, full_screen: bool) -> None:
    """Full screen on the booth's monitor; else a window that fits the screen it opens on."""
    if full_screen:
        window.showFullScreen()
        return
    screen = window.screen().availableGeometry()
    if screen.width() < WINDOW_SIZE.width() or screen.height() < WINDOW_SIZE.height():
        window.showMaximized()  # a 1024x768 or 1366x768 desk: never past the screen's edge
    else:
        window.resize(WINDOW_SIZE)
        window.show()


def run_booth(config: Config, options: RuntimeOptions, *, full_screen: bool) -> int:
    """Runs the booth until its window closes; a start-up failure (the ledger damaged,
    missing, read-only, locked) is shown to the guard and ends with that failure's status."""
    install_qt_message_log()
    app = QApplication.instance() or QApplication(sys.argv)
    try:
        window, runtime, _bridge = build_window(config, options)
    except Exception as exc:
        demo_database = config.demo_database_path() if options.demo else None
        failure = classify(exc, options.database or demo_database or config.database_path())
        if failure is None:
            raise
        from gatehouse.ui.startup_failure import report_startup_failure

        return report_startup_failure(failure, resolve_language(config.ui.language))
    settle_heap()
    app.aboutToQuit.connect(runtime.stop)
    runtime.start()
    show_window(window, full_screen=full_screen)
    return app.exec()
