"""What every page of the setup works with, handed in by the wizard."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QLabel

from gatehouse.config import Config
from gatehouse.setup.configure import BoothSetup
from gatehouse.setup.detect import DeviceProbe
from gatehouse.ui.setup.jobs import Jobs


@dataclass(frozen=True)
class SetupContext:
    setup: BoothSetup
    probe: DeviceProbe
    jobs: Jobs
    current: Config  # the settings as the file has them: the pages start from these


def message_label(name: str) -> QLabel:
    """Where a page says what happened or what is wrong, in words."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    return label
