"""The booth callbacks the guard's panels need, carried to the GUI thread as Qt signals.

Kept beside ``BoothBridge`` rather than in it: the status monitor and the re-verification
worker call these on their own threads, and Qt queues each delivery to the GUI thread.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QObject, Signal

from gatehouse.booth.runtime import BoothCallbacks


class GuardSignals(QObject):
    status = Signal(object)  # BoothStatus
    reverification = Signal(object)  # Reverification
    id_reader = Signal(object)  # IdReaderReport: a card, a reader problem, the port's state

    def extend(self, callbacks: BoothCallbacks) -> BoothCallbacks:
        """``callbacks`` with the status, re-verification and ID card reader reports routed
        here."""
        return dataclasses.replace(
            callbacks,
            on_status=self.status.emit,
            on_reverification=self.reverification.emit,
            on_id_reader=self.id_reader.emit,
        )
