"""The wizard's worker jobs: started from any page, all joined before the wizard closes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from gatehouse.ui.background import BackgroundJob


class Jobs(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: list[BackgroundJob] = []

    def run(
        self,
        name: str,
        work: Callable[[], Any],
        on_result: Callable[[Any], None],
        on_error: Callable[[str], None],
    ) -> BackgroundJob:
        """Run ``work`` on a worker thread; its result or error comes back on the GUI thread."""
        job = BackgroundJob(lambda _progress, _cancel: work(), name, self)
        job.succeeded.connect(on_result)
        job.failed.connect(on_error)
        self._jobs = [j for j in self._jobs if j.running]
        self._jobs.append(job)
        job.start()
        return job

    def wait_all(self) -> None:
        for job in self._jobs:
            job.wait()
