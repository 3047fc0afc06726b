"""Opening the booth's own ledger, and re-walking its whole hash chain in the background.

At start only the chain's newest links are checked (``Ledger.open``), so a year of passages
does not delay the first scan; the full walk runs on its own thread and a break it finds is
logged and shown on the status bar, in words, with what to do.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

from gatehouse import config
from gatehouse.store.ledger import Ledger
from gatehouse.store.problems import StorageProblem
from gatehouse.store.verify import NotALedgerError

log = logging.getLogger(__name__)


def open_booth_ledger(cfg: config.Config, override: Path | None) -> Ledger:
    """The configured ledger, refused if the booth had one and it is gone; once opened, the
    configuration file remembers that it exists (a ``--database`` override is another file)."""
    if override is not None:
        return Ledger.open(override)
    ledger = Ledger.open(cfg.database_path(), existing=cfg.store.ledger_in_use)
    if not cfg.store.ledger_in_use and cfg.path is not None and cfg.path.exists():
        try:
            config.update_file(
                cfg.path, lambda c: replace(c, store=replace(c.store, ledger_in_use=True))
            )
        except (OSError, config.ConfigError):
            log.exception("could not note in %s that the ledger is in use", cfg.path)
    return ledger


def damaged_chain(problem: str) -> StorageProblem:
    return StorageProblem(
        "ledger_damaged",
        f"The ledger's hash chain is broken ({problem}). Keep this PC as it is and call IT: "
        "they run `gatehouse verify-ledger` and `gatehouse restore`.",
        f"记录库哈希链损坏({problem})。请保持本机现状并联系信息部门"
        "(gatehouse verify-ledger,gatehouse restore)。",
    )


class ChainCheck:
    """Walks the whole chain once, on its own thread; ``problem`` is set if it does not hold."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger
        self.problem: StorageProblem | None = None
        self._thread = threading.Thread(target=self._run, name="gatehouse-chain-check", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        if self._thread.ident is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        try:
            verdict = self._ledger.verify()
        except (sqlite3.Error, OSError, NotALedgerError) as exc:
            log.exception("the full check of the ledger's chain could not read it")
            self.problem = damaged_chain(str(exc))
            return
        except Exception as exc:  # a worker never dies silently: logged and shown
            log.exception("the full check of the ledger's chain failed")
            self.problem = damaged_chain(str(exc))
            return
        found = verdict.problem()
        if found is not None:
            log.error("ledger %s: %s", self._ledger.path, found)
            self.problem = damaged_chain(found)
        else:
            log.info("ledger chain intact: %d links", verdict.links)
