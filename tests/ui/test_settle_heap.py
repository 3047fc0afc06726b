"""settle_heap: start-up's objects leave the collector's walks; later garbage is still freed."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from gatehouse.ui.app import settle_heap


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the garbage collector frees it


@pytest.fixture
def thawed() -> Iterator[None]:
    yield
    gc.unfreeze()  # the test process keeps collecting what the booth would have frozen


@pytest.mark.usefixtures("thawed")
def test_startup_is_frozen_and_later_cycles_are_still_collected() -> None:
    built_at_startup = Node()
    frozen = weakref.ref(built_at_startup)
    settle_heap()
    assert gc.get_freeze_count() > 0
    del built_at_startup
    gc.collect()
    assert frozen() is not None  # not even looked at: what start-up built is never walked again

    later = Node()
    gone = weakref.ref(later)
    del later
    gc.collect()
    assert gone() is None
