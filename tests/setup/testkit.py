"""What the setup's tests share: a real hub on 127.0.0.1, a pty described as a USB adapter."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from serial.tools.list_ports_common import ListPortInfo

from gatehouse.hub.service import Hub
from gatehouse.resources import resource_path
from tests.hub.live import fresh_database, make_hub, serving

DEMO_VIDEO = str(resource_path("demo", "demo.mp4"))  # a real video file OpenCV reads, 640x480


@contextmanager
def live_hub(folder: Path) -> Iterator[tuple[Hub, str]]:
    """A hub on SQLite in ``folder``, served on 127.0.0.1: (the hub, its URL)."""
    engine = fresh_database("sqlite", folder)
    try:
        hub = make_hub(engine)
        with serving(hub) as url:
            yield hub, url
    finally:
        engine.dispose()


def usb_adapter(device: str, serial_number: str = "T1") -> ListPortInfo:
    """What serial.tools.list_ports reports for a USB serial adapter (1a86:7523) at ``device``."""
    info = ListPortInfo(os.path.realpath(device), skip_link_detection=True)
    info.vid, info.pid, info.serial_number = 0x1A86, 0x7523, serial_number
    info.description = "USB-Serial Controller"
    return info
