"""What a benchmark module returns, and small helpers for timing and tables."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """One part of BENCHMARKS.md: what was measured, how, and the figures."""

    title: str
    method: str
    body: str  # Markdown, usually a table from ``table()``


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def time_calls(fn: Callable[[], object], repeats: int, warmup: int = 5) -> list[float]:
    """Seconds per call, one sample per call (``perf_counter``)."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def percentile(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f}"


def summary_ms(samples: Sequence[float]) -> tuple[str, str]:
    """(median, p95) in milliseconds, as table cells."""
    return ms(statistics.median(samples)), ms(percentile(samples, 95))
