"""Batch size follows the hub's answer time; a busy hub's Retry-After is honoured, jittered."""

from __future__ import annotations

import random

import pytest

from gatehouse.backoff import Backoff
from gatehouse.sync.batching import MIN_BATCH, BatchSizer
from gatehouse.sync.client import HubRefusedError, HubUnavailableError
from gatehouse.sync.worker import retry_delay


def test_a_slow_answer_shrinks_the_next_batch_to_the_budget() -> None:
    sizer = BatchSizer(ceiling=500, timeout_s=15.0)  # budget: 3.75 s
    sizer.answered(500, 7.5)  # 15 ms an item
    assert sizer.size == 250


def test_quick_answers_grow_the_batch_at_most_twofold_and_never_past_the_ceiling() -> None:
    sizer = BatchSizer(ceiling=500, timeout_s=15.0)
    sizer.failed()
    assert sizer.size == 125
    sizer.answered(125, 0.01)
    assert sizer.size == 250
    sizer.answered(250, 0.01)
    sizer.answered(500, 0.01)
    assert sizer.size == 500


def test_failures_never_shrink_below_the_minimum() -> None:
    sizer = BatchSizer(ceiling=500, timeout_s=15.0)
    for _ in range(10):
        sizer.failed()
    assert sizer.size == MIN_BATCH
    assert BatchSizer(ceiling=3, timeout_s=1.0).size == 3


def test_a_busy_hubs_wait_is_honoured_never_shortened_and_spread() -> None:
    backoff = Backoff(rng=random.Random(7))
    busy = HubRefusedError(503, "the hub is busy", retry_after_s=4.0)
    waits = [retry_delay(backoff, 9, busy) for _ in range(200)]
    assert all(4.0 <= wait <= 6.0 for wait in waits)
    assert max(waits) - min(waits) > 1.0  # booths told the same do not return together


def test_without_retry_after_the_booth_backs_off_as_before() -> None:
    down = HubUnavailableError("no answer in time")
    assert retry_delay(Backoff(base_s=2.0, cap_s=8.0), 10, down) == pytest.approx(8.0, abs=4.0)
