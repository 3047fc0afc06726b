"""Virtual serial cables for device simulators: a real port that pyserial opens by URL.

POSIX gets a pseudo-terminal, which pyserial treats exactly like a USB serial adapter. Windows
has no pty, so there a localhost TCP server is opened as ``socket://127.0.0.1:PORT``. Both can be
unplugged and replugged to exercise the reconnect logic of whatever reads them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
import threading
from pathlib import Path
from typing import Literal, Protocol

Transport = Literal["pty", "tcp", "auto"]


class VirtualPort(Protocol):
    """The device end of a virtual cable."""

    @property
    def url(self) -> str:
        """What the host passes to serial.serial_for_url; stable across unplug/replug."""
        ...

    def write(self, data: bytes) -> None:
        """Send bytes to the host; dropped while unplugged or when nobody reads (like a UART)."""
        ...

    def read(self) -> bytes:
        """Bytes the host sent since the last call, without waiting; b"" when none or unplugged."""
        ...

    def unplug(self) -> None: ...

    def replug(self) -> None: ...

    def close(self) -> None: ...


def open_virtual_port(transport: Transport = "auto") -> VirtualPort:
    """Plug in a new virtual cable; "auto" picks pty on POSIX and tcp elsewhere."""
    if transport == "auto":
        transport = "pty" if os.name == "posix" else "tcp"
    return PtyPort() if transport == "pty" else TcpPort()


class PtyPort:
    """A pseudo-terminal posing as a USB serial adapter.

    Closing the master on unplug is what a yanked adapter looks like to the host: the /dev/pts/N
    node vanishes, pyserial's read() raises SerialException ("device reports readiness to read
    but returned no data") while `is_open` stays True, and in_waiting raises OSError (EIO). A
    replug gets a new /dev/pts/N, so `url` is a symlink that follows it, the way udev keeps
    /dev/serial/by-id/... stable while /dev/ttyUSBn changes.
    """

    def __init__(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="gatehouse-serial-"))
        self._link = self._dir / "tty"
        self._lock = threading.Lock()
        self._master: int | None = None
        self.replug()

    @property
    def url(self) -> str:
        return str(self._link)

    def write(self, data: bytes) -> None:
        with self._lock:
            if self._master is None:
                return
            with contextlib.suppress(BlockingIOError):  # input queue full: nobody is reading
                os.write(self._master, data)

    def read(self) -> bytes:
        with self._lock:
            if self._master is None:
                return b""
            try:
                return os.read(self._master, 4096)
            except OSError:  # nothing waiting (EAGAIN), or no host has the port open (EIO)
                return b""

    def unplug(self) -> None:
        with self._lock:
            if self._master is None:
                return
            self._link.unlink(missing_ok=True)
            os.close(self._master)
            self._master = None

    def replug(self) -> None:
        """Create a fresh pty in raw mode (no echo, no CR/LF translation) and point url at it."""
        import tty  # POSIX only

        with self._lock:
            if self._master is not None:
                return
            master, slave = os.openpty()
            try:
                tty.setraw(slave)
                device = os.ttyname(slave)
            finally:
                os.close(slave)
            os.set_blocking(master, False)
            staging = self._dir / "tty.new"
            staging.symlink_to(device)
            staging.replace(self._link)
            self._master = master

    def close(self) -> None:
        self.unplug()
        shutil.rmtree(self._dir, ignore_errors=True)


class TcpPort:
    """A localhost TCP server posing as a serial device, for pyserial's socket:// transport.

    Unplug closes every connection and the listening socket, so the host's read() fails and new
    connections are refused until replug listens again on the same port.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._server: socket.socket | None = None
        self._clients: list[socket.socket] = []
        self._port = 0
        self.replug()

    @property
    def url(self) -> str:
        return f"socket://127.0.0.1:{self._port}"

    def write(self, data: bytes) -> None:
        """Send to every connected host; connections are accepted here, no thread needed."""
        with self._lock:
            if self._server is None:
                return
            self._accept_waiting(self._server)
            for client in list(self._clients):
                try:
                    client.sendall(data)
                except OSError:  # gone, or so far behind that its buffer is full
                    client.close()
                    self._clients.remove(client)

    def read(self) -> bytes:
        with self._lock:
            if self._server is None:
                return b""
            self._accept_waiting(self._server)
            received = b""
            for client in list(self._clients):
                try:
                    chunk = client.recv(4096)
                except BlockingIOError:
                    continue
                except OSError:
                    chunk = b""
                if not chunk:  # the host hung up
                    client.close()
                    self._clients.remove(client)
                received += chunk
            return received

    def unplug(self) -> None:
        with self._lock:
            if self._server is None:
                return
            for client in self._clients:
                client.close()
            self._clients.clear()
            self._server.close()
            self._server = None

    def replug(self) -> None:
        with self._lock:
            if self._server is not None:
                return
            server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind(("127.0.0.1", self._port))
            server.listen()
            server.setblocking(False)
            self._port = server.getsockname()[1]
            self._server = server

    def close(self) -> None:
        self.unplug()

    def _accept_waiting(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except BlockingIOError:
                return
            client.setblocking(False)
            self._clients.append(client)
