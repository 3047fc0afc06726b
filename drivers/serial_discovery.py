"""Finding a USB serial adapter by vendor/product id, since its port name changes on replug.

A port URL of the form ``usb:VID:PID`` or ``usb:VID:PID:SERIAL`` (hex ids, as ``lsusb`` prints
them, e.g. ``usb:1a86:7523``) is resolved at every connection attempt to whatever name the
adapter has now (/dev/ttyUSB0 today, /dev/ttyUSB1 after a replug, COM5 on Windows). Any other
URL is used as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from serial.tools import list_ports
from serial.tools.list_ports_common import ListPortInfo

USB_PREFIX = "usb:"
_USB_URL = re.compile(r"usb:([0-9a-fA-F]{4}):([0-9a-fA-F]{4})(?::(.+))?")

PortLister = Callable[[], Sequence[ListPortInfo]]


class PortNotFoundError(OSError):
    """No attached adapter matches; an OSError so callers retry it like a failed open."""


@dataclass(frozen=True)
class UsbId:
    vendor_id: int
    product_id: int
    serial_number: str | None = None

    def matches(self, port: ListPortInfo) -> bool:
        return (
            port.vid == self.vendor_id
            and port.pid == self.product_id
            and (self.serial_number is None or port.serial_number == self.serial_number)
        )

    def __str__(self) -> str:
        text = f"{USB_PREFIX}{self.vendor_id:04x}:{self.product_id:04x}"
        return text if self.serial_number is None else f"{text}:{self.serial_number}"


def parse_usb_url(url: str) -> UsbId | None:
    """The USB ids in a ``usb:`` URL; None for other URLs; ValueError for a malformed one."""
    if not url.startswith(USB_PREFIX):
        return None
    match = _USB_URL.fullmatch(url)
    if match is None:
        raise ValueError(
            f"USB port {url!r} must look like usb:VID:PID or usb:VID:PID:SERIAL "
            "with 4-digit hex ids, e.g. usb:1a86:7523"
        )
    return UsbId(int(match[1], 16), int(match[2], 16), match[3])


def resolve_port(url: str, lister: PortLister = list_ports.comports) -> str:
    """The URL to open now: a ``usb:`` URL becomes the device name of the first match."""
    usb = parse_usb_url(url)
    if usb is None:
        return url
    for port in sorted(lister(), key=lambda p: p.device):
        if usb.matches(port):
            return str(port.device)
    raise PortNotFoundError(f"no USB serial adapter {usb} is attached")
