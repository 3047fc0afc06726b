"""Opens the supervisor's desk from the booth window (F12), wired to the running booth."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QObject

from gatehouse.booth.logfile import log_folder
from gatehouse.booth.policy_desk import PolicyDesk
from gatehouse.booth.runtime import BoothRuntime
from gatehouse.config import Config
from gatehouse.store.pins import pin_store_for
from gatehouse.store.queries import PassageQueries
from gatehouse.ui.supervisor.services import DeskServices
from gatehouse.ui.supervisor.window import SupervisorWindow, open_desk


def default_output_folder() -> Path:
    """The user's documents folder, where a supervisor looks for files they made."""
    return Path(platformdirs.user_documents_dir()) / "Gatehouse"


def desk_services(runtime: BoothRuntime, config: Config, output_folder: Path) -> DeskServices:
    ledger = runtime.ledger
    return DeskServices(
        queries=PassageQueries(ledger.path),
        audit=ledger,
        pins=pin_store_for(ledger),
        booth_id=config.booth.booth_id,
        mine_name=config.booth.mine_name,
        zone=datetime.now(UTC).astimezone().tzinfo or UTC,
        output_folder=output_folder,
        lists=runtime.lists,  # the runtime's own store: an import reloads the booth's policy
        clock=runtime.clock.now,
        policy=PolicyDesk(
            config, runtime.policy_keeper, ledger, runtime.clock, runtime.service.admit_blockers
        ),
        log_folder=log_folder(),
    )


class DeskLauncher(QObject):
    """Keeps at most one desk open; a second F12 brings it to the front. Give it a parent
    (the booth window), which keeps it alive."""

    def __init__(self, services: DeskServices, parent: QObject) -> None:
        super().__init__(parent)
        self._services = services
        self.window: SupervisorWindow | None = None
        self.geometry: QByteArray | None = None  # where the supervisor left the desk

    def open(self) -> None:
        if self.window is not None and self.window.isVisible():
            self.window.raise_()
            self.window.activateWindow()
            return
        self.window = open_desk(self._services, geometry=self.geometry)
        if self.window is not None:
            self.window.closed.connect(self._remember)

    def _remember(self, geometry: QByteArray) -> None:
        self.geometry = geometry
