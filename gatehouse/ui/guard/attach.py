"""Puts the guard's panels on the booth window and wires them to the booth's signals.

The banners go above the preview, the prompt under the verdict band, the sync and data labels
into the status bar; the window itself stays a shell that knows nothing of them.
"""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QMainWindow

from gatehouse.ui.bridge import BoothBridge
from gatehouse.ui.guard.duty_flow import DutyFlow
from gatehouse.ui.guard.flows import GuardFlows, GuardServices
from gatehouse.ui.guard.id_card_flow import IdCardFlow
from gatehouse.ui.guard.prompt_panel import GuardPrompt
from gatehouse.ui.guard.signals import GuardSignals
from gatehouse.ui.guard.status_strip import StatusStrip


def attach_guard(
    window: QMainWindow,
    bridge: BoothBridge,
    signals: GuardSignals,
    services: GuardServices,
    *,
    language: str,
    verdict_seconds: int,
) -> GuardFlows:
    """The flows (children of ``window``, which keeps them alive)."""
    strip = StatusStrip(language, services.desk.zone)
    strip.install(window.statusBar())
    prompt = GuardPrompt()
    central = window.centralWidget()
    layout = central.layout() if central is not None else None
    if not isinstance(layout, QBoxLayout):
        raise TypeError("the booth window's central widget must have a box layout")
    layout.insertWidget(0, strip)
    layout.addWidget(prompt)
    flows = GuardFlows(window, prompt, services, language=language, verdict_seconds=verdict_seconds)
    flows.setObjectName("guardFlows")
    if services.duty is not None:
        DutyFlow(window, services.duty).setObjectName("dutyFlow")
    flows.sounds.loudspeaker.connect(strip.show_loudspeaker)
    bridge.verdict.connect(flows.show_verdict)
    signals.status.connect(strip.show_status)
    signals.reverification.connect(flows.show_reverification)
    id_cards = IdCardFlow(flows, prompt, window.statusBar())
    id_cards.setObjectName("idCardFlow")
    signals.id_reader.connect(id_cards.show)
    return flows
