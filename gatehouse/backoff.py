"""Exponential backoff with jitter, so a hub coming back is not hit by every booth at once."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """Delay after the n-th failure in a row: half of min(cap, base·2ⁿ⁻¹) plus up to the
    other half at random ("equal jitter": never hammering, never waiting longer than cap)."""

    base_s: float = 2.0
    cap_s: float = 300.0
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, failures: int) -> float:
        if failures < 1:
            return 0.0
        ceiling = min(self.cap_s, self.base_s * 2 ** min(failures - 1, 32))
        return float(ceiling / 2 + self.rng.uniform(0, ceiling / 2))

    def after(self, asked_s: float) -> float:
        """The wait a busy server asked for (``Retry-After``) plus up to half again at random:
        never sooner than asked, and booths told the same do not all come back together."""
        return float(asked_s + self.rng.uniform(0, asked_s / 2))
