"""Replay re-decides what a booth logged: its tests log passages with the booth's own fixtures."""

from tests.booth.conftest import clock, ledger

__all__ = ["clock", "ledger"]
