"""Opening the wizard from the command line: ``gatehouse setup``, and ``gatehouse run`` when
there is no configuration file yet (the first run).

The first run shows the wizard only where someone can answer it: on an offscreen or minimal Qt
platform (CI, a headless check) the booth starts on the defaults as before. Cancelling the
first-run wizard starts the booth on the defaults without writing them, so the setup is offered
again at the next start.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog

from gatehouse import config
from gatehouse.setup.configure import BoothSetup, opening
from gatehouse.ui.app import resolve_language
from gatehouse.ui.qt_messages import install_qt_message_log
from gatehouse.ui.setup.wizard import SetupWizard
from gatehouse.ui.translations import install_translators

HEADLESS_PLATFORMS = ("offscreen", "minimal")


def application() -> QApplication:
    install_qt_message_log()
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    return app


def can_ask(app: QApplication) -> bool:
    """True when the wizard would be seen: not on a platform that draws nowhere."""
    return app.platformName() not in HEADLESS_PLATFORMS


def run_wizard(path: Path, database: Path | None) -> config.Config | None:
    """Show the wizard for the file at ``path``; the configuration it wrote, or None."""
    app = application()
    current = config.load(path)  # a missing file: the defaults, not written
    install_translators(app, resolve_language(current.ui.language))
    in_use = database is None and current.store.ledger_in_use
    setup = BoothSetup(path, opening(database or current.database_path(), existing=in_use))
    wizard = SetupWizard(setup)
    if wizard.exec() != QDialog.DialogCode.Accepted:
        return None
    return config.load(path)  # as the booth reads it: with this run's environment overrides


def first_run(path: Path, database: Path | None) -> config.Config:
    """The configuration ``gatehouse run`` starts with when no file exists yet."""
    if not can_ask(application()):
        config.save(config.Config(), path)  # the defaults, never this run's overrides
        return config.load(path)
    return run_wizard(path, database) or config.load(path)  # cancelled: nothing written
