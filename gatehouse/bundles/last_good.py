"""The last good copy of each trust file a booth loads, kept across restarts.

A malformed replacement (a half-copied USB stick, a hand edit) is then refused with its reason
while the copy before it stays in force, the way signed trust lists and SMART Health Card
revocation lists already are: one bad file never stops the booth, and never silently drops
what it trusted. With no good copy at all nothing from that file is trusted, and the refusal
says so, so codes it would have verified refer rather than admit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Generic, TypeVar

from gatehouse.store.trust_refusals import LAST_GOOD_STAYS, NOTHING_TRUSTED

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Loaded(Generic[T]):
    """What a file gave (None: nothing usable) and why anything was refused."""

    value: T | None
    refused: tuple[str, ...] = ()


class LastGood:
    """Parses trust files, keeping a copy of each good one in ``folder`` under a slot name.

    ``keep``: write the copies (the running booth does; read-only commands only read them).
    """

    def __init__(self, folder: Path, *, keep: bool) -> None:
        self._folder = folder
        self._keep = keep

    def load(
        self, slot: str, what: str, read: Callable[[], str | None], parse: Callable[[str], T]
    ) -> Loaded[T]:
        """``read`` gives the file's text, None when there is no such file (not a fault: a
        file removed is no longer trusted); ``parse`` raises ValueError for a malformed one."""
        try:
            text = read()
            if text is None:
                return Loaded(None)
            value = parse(text)
        except (OSError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
            return self._fallback(slot, parse, f"{what}: refused: {exc}")
        self._save(slot, text)
        return Loaded(value)

    def _fallback(self, slot: str, parse: Callable[[str], T], problem: str) -> Loaded[T]:
        path = self._folder / slot
        if not path.is_file():
            return Loaded(None, (f"{problem}; no earlier good copy: {NOTHING_TRUSTED}",))
        try:
            value = parse(path.read_text(encoding="utf-8"))
            kept_at = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        except (OSError, ValueError) as exc:
            log.error("%s: kept copy unreadable: %s", path, exc)
            return Loaded(None, (f"{problem}; the kept copy is unreadable too: {NOTHING_TRUSTED}",))
        stays = f"the last good copy (kept {kept_at:%Y-%m-%d %H:%M} UTC) {LAST_GOOD_STAYS}"
        return Loaded(value, (f"{problem}; {stays}",))

    def _save(self, slot: str, text: str) -> None:
        path = self._folder / slot
        if not self._keep:
            return
        try:
            if path.is_file() and path.read_text(encoding="utf-8") == text:
                return
            self._folder.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(path.name + ".tmp")
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(path)
        except (OSError, ValueError) as exc:
            log.error("%s: last good copy not kept: %s", path, exc)
