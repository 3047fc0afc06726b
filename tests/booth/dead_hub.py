"""A booth enrolled with a hub that never answers (a loopback port nobody listens on)."""

from __future__ import annotations

import socket
from pathlib import Path

from gatehouse.core.keys import generate_issuer_key, public_key_to_pem
from gatehouse.store import Ledger


def closed_loopback_port() -> int:
    """A port on 127.0.0.1 nothing listens on: the hub is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def enrol_with_a_dead_hub(database: Path) -> None:
    pem = public_key_to_pem(generate_issuer_key().public_key()).decode("ascii")
    with Ledger.open(database) as ledger:
        ledger.save_settings(
            {
                "hub_url": f"http://127.0.0.1:{closed_loopback_port()}",
                "booth_id": "booth-1",
                "token": "t0ken",
                "bundle_key_pem": pem,
            }
        ).result()
