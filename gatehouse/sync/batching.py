"""How many items the booth sends per upload: as many as the hub answers in a fraction of the
client's timeout, so a busy hub (a recovery storm, an export) slows uploads down instead of
timing them out and then finishing work the booth has already given up on."""

from __future__ import annotations

from dataclasses import dataclass, field

MIN_BATCH = 10
BUDGET_FRACTION = 0.25  # of the client timeout, for one upload's answer
GROWTH = 2.0  # at most this much bigger per upload (a quiet hub is probed, not flooded)


@dataclass
class BatchSizer:
    """``size`` follows the hub's recent answer time per item, between ``MIN_BATCH`` and
    ``ceiling`` (the configured batch size)."""

    ceiling: int
    timeout_s: float
    size: int = field(init=False)

    def __post_init__(self) -> None:
        if self.ceiling < 1 or self.timeout_s <= 0:
            raise ValueError("the batch ceiling and the timeout must be positive")
        self.size = self.ceiling

    @property
    def budget_s(self) -> float:
        return self.timeout_s * BUDGET_FRACTION

    def answered(self, items: int, elapsed_s: float) -> None:
        """An upload of ``items`` was answered after ``elapsed_s``: aim the next at the budget."""
        if items < 1:
            return
        per_item = max(elapsed_s, 1e-6) / items
        fits = int(self.budget_s / per_item)
        self.size = self._bounded(min(fits, int(self.size * GROWTH)))

    def failed(self) -> None:
        """No answer within the timeout: send a quarter as many next time."""
        self.size = self._bounded(self.size // 4)

    def _bounded(self, size: int) -> int:
        return max(min(MIN_BATCH, self.ceiling), min(self.ceiling, size))
