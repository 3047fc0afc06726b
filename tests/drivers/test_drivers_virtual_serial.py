"""Virtual cables seen through pyserial: pins down what an unplug looks like to a reader."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import serial

from drivers.virtual_serial import PtyPort, TcpPort, Transport, VirtualPort, open_virtual_port

TRANSPORTS: list[Transport] = ["pty", "tcp"] if os.name == "posix" else ["tcp"]
TIMEOUT_S = 10.0


@pytest.fixture(params=TRANSPORTS)
def port(request: pytest.FixtureRequest) -> Iterator[VirtualPort]:
    virtual = open_virtual_port(request.param)
    yield virtual
    virtual.close()


def read_exactly(reader: serial.SerialBase, size: int) -> bytes:
    reader.timeout = TIMEOUT_S
    return bytes(reader.read(size))


def test_bytes_pass_unchanged(port: VirtualPort) -> None:
    payload = b"T:36.5\r\n\r\x03\x04\x11\x13\x1a\n\xff\x00"  # CR, ^C, ^D, XON/XOFF, ^Z
    with serial.serial_for_url(port.url, timeout=TIMEOUT_S) as reader:
        port.write(payload)
        assert read_exactly(reader, len(payload)) == payload


def test_unplug_breaks_the_open_port_and_refuses_opening(port: VirtualPort) -> None:
    with serial.serial_for_url(port.url, timeout=0.2) as reader:
        port.write(b"T:36.5\r\n")
        assert read_exactly(reader, 8) == b"T:36.5\r\n"
        port.unplug()
        with pytest.raises(serial.SerialException):
            reader.timeout = 0.2
            reader.read(1)
        assert reader.is_open  # pyserial does not notice by itself
    with pytest.raises(serial.SerialException):
        serial.serial_for_url(port.url, timeout=0.2)


def test_replug_serves_again_at_the_same_url(port: VirtualPort) -> None:
    url = port.url
    port.unplug()
    port.write(b"lost\r\n")  # dropped, like bytes on a pulled cable
    port.replug()
    assert port.url == url
    with serial.serial_for_url(url, timeout=TIMEOUT_S) as reader:
        port.write(b"T:36.6\r\n")
        assert read_exactly(reader, 8) == b"T:36.6\r\n"


@pytest.mark.skipif(os.name != "posix", reason="no pseudo-terminals")
def test_pty_unplug_as_pyserial_sees_it() -> None:
    """On a closed pty master the node vanishes, read() raises, in_waiting raises EIO."""
    port = PtyPort()
    try:
        device = Path(port.url).resolve()
        assert str(device).startswith("/dev/")
        with serial.serial_for_url(port.url, timeout=0.2) as reader:
            port.unplug()
            assert not device.exists()
            assert not Path(port.url).exists()
            with pytest.raises(serial.SerialException, match="returned no data"):
                reader.read(1)
            with pytest.raises(OSError):
                _ = reader.in_waiting
    finally:
        port.close()


def test_auto_transport_matches_the_platform() -> None:
    port = open_virtual_port("auto")
    try:
        assert isinstance(port, PtyPort if os.name == "posix" else TcpPort)
    finally:
        port.close()


def test_tcp_url_is_a_pyserial_socket_url() -> None:
    port = TcpPort()
    try:
        assert port.url.startswith("socket://127.0.0.1:")
    finally:
        port.close()
