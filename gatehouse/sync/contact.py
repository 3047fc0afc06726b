"""What the booth last heard from the hub, kept in the ledger so it survives a restart.

The hub's clock at the last reply bounds the booth's clock from below (a booth clock set back
while offline shows at once), and per bundle the hub's time when it last confirmed that the
booth's copy is its newest tells how old the booth's office data really is: a risk list the
office has not changed for three days is current if the booth asked an hour ago.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

HUB_TIME_KEY = "hub_time_seen"
CHECKED_PREFIX = "checked_at."


class SettingsStore(Protocol):
    """The ledger's key/value sync settings."""

    def settings(self) -> dict[str, str]: ...

    def save_settings(self, values: Mapping[str, str]) -> Future[None]: ...


@dataclass(frozen=True)
class HubContact:
    hub_time: datetime | None = None  # the hub's clock in its latest reply
    checked_at: Mapping[str, datetime] = field(default_factory=dict)  # bundle -> hub time

    def to_settings(self) -> dict[str, str]:
        values = {CHECKED_PREFIX + name: at.isoformat() for name, at in self.checked_at.items()}
        if self.hub_time is not None:
            values[HUB_TIME_KEY] = self.hub_time.isoformat()
        return values


def load_contact(store: SettingsStore) -> HubContact:
    """The contact kept by the last sync; empty for a booth that never reached a hub."""
    stored = store.settings()
    checked = {
        key.removeprefix(CHECKED_PREFIX): _time(value)
        for key, value in stored.items()
        if key.startswith(CHECKED_PREFIX)
    }
    hub_time = stored.get(HUB_TIME_KEY)
    return HubContact(
        hub_time=_time(hub_time) if hub_time else None,
        checked_at={name: at for name, at in checked.items() if at is not None},
    )


def _time(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
