"""The hub hands freed heap back once ingest goes quiet after a burst, never during one, at
most once per interval; and glibc's real ``malloc_trim`` returns freed pages on this Linux."""

from __future__ import annotations

import asyncio
import resource
from pathlib import Path

import pytest

from gatehouse.hub.admission import Admission
from gatehouse.hub.memory import TrimAfterBurst, malloc_trim

QUIET_S = 0.2
MB = 1024 * 1024


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _admission(calls: list[str], clock: _Clock, after_bytes: int = MB) -> Admission:
    def trimmer() -> bool:
        calls.append("trim")
        return True

    trim = TrimAfterBurst(
        trimmer, after_bytes=after_bytes, quiet_s=QUIET_S, every_s=30, clock=clock
    )
    return Admission(2, trim=trim)


async def _burst(admission: Admission, uploads: int, size: int) -> None:
    """Uploads one after the other, each gap far shorter than the quiet time."""
    for _ in range(uploads):
        async with admission.slot(size):
            await asyncio.sleep(0.01)
        await asyncio.sleep(QUIET_S / 10)


async def _settle() -> None:
    await asyncio.sleep(QUIET_S * 2)
    await asyncio.sleep(0.05)  # the trim runs in a worker thread


def test_the_trim_runs_once_the_burst_is_over_and_never_during_it() -> None:
    calls: list[str] = []

    async def scenario() -> None:
        admission = _admission(calls, _Clock())
        await _burst(admission, 20, MB // 4)  # longer than the quiet time in all
        assert calls == []
        await _settle()
        assert calls == ["trim"]

    asyncio.run(scenario())


def test_a_small_trickle_is_not_worth_a_trim() -> None:
    calls: list[str] = []

    async def scenario() -> None:
        admission = _admission(calls, _Clock())
        await _burst(admission, 3, 1000)
        await _settle()

    asyncio.run(scenario())
    assert calls == []


def test_trims_are_at_most_one_per_interval() -> None:
    calls: list[str] = []
    clock = _Clock()

    async def scenario() -> None:
        admission = _admission(calls, clock)
        for advance in (0, 10, 25):  # bursts at 0 s, 10 s and 35 s
            clock.now += advance
            await _burst(admission, 2, MB)
            await _settle()

    asyncio.run(scenario())
    assert calls == ["trim", "trim"]  # not the one 10 s after the first


def test_uploads_still_waiting_keep_the_hub_from_trimming() -> None:
    calls: list[str] = []

    async def scenario() -> None:
        admission = _admission(calls, _Clock())
        holding = asyncio.Event()

        async def ingest(release: asyncio.Event) -> None:
            async with admission.slot(MB):
                holding.set()
                await release.wait()

        release = asyncio.Event()
        long_one = asyncio.create_task(ingest(release))
        await holding.wait()
        async with admission.slot(MB):  # a short one ends while the long one ingests
            pass
        await _settle()
        assert calls == []
        release.set()
        await long_one
        await _settle()
        assert calls == ["trim"]

    asyncio.run(scenario())


def _rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / MB


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs Linux /proc")
def test_the_real_malloc_trim_returns_freed_heap_on_this_linux() -> None:
    """Freed 4 KB blocks between live ones stay with glibc until trimmed: the holes are
    whole pages malloc_trim can give back."""
    trim = malloc_trim()
    blocks = [bytearray(4000) for _ in range(40_000)]  # ~160 MB below the mmap threshold
    kept = blocks[::8]
    del blocks
    before = _rss_mb()
    assert trim() is True
    assert before - _rss_mb() > 50
    assert len(kept) == 5000
