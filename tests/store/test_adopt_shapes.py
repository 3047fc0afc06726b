"""Adopting the hub's links after a restore digests the records with one digester per shape:
a record with a key more or less is checked exactly as ``record_digests`` checks it, and a
record changed after its link was made is refused with nothing adopted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gatehouse.store import Ledger
from gatehouse.store.restore import RecoveryError
from tests.hub.test_hostile import _chain, _records
from tests.hub.test_ingest_shapes import _edited, _extra_key, _missing_key


def test_a_record_without_a_later_column_is_adopted_among_the_usual_rows(ledger: Ledger) -> None:
    """A record from before a column existed is chained over what it holds."""
    usual, missing, last = _records(3)
    del missing["temperature_c"]
    assert ledger.adopt_links(_chain([usual, missing, last])).result() == 3
    assert ledger.count() == 3


def test_a_record_with_an_extra_key_passes_its_digests_and_is_refused_by_name(
    ledger: Ledger,
) -> None:
    usual, extra = _records(2)
    extra["seen_by"] = "camera-2"
    with pytest.raises(RecoveryError, match=r"link 2 has unknown fields \['seen_by'\]"):
        ledger.adopt_links(_chain([usual, extra])).result()
    assert ledger.count() == 0


@pytest.mark.parametrize("change", [_extra_key, _missing_key, _edited])
def test_a_record_changed_after_chaining_is_refused_with_nothing_adopted(
    ledger: Ledger, change: Callable[[dict[str, Any]], None]
) -> None:
    items = _chain(_records(3))
    change(items[2]["record"])
    with pytest.raises(RecoveryError, match="record at link 3 does not match its link"):
        ledger.adopt_links(items).result()
    assert ledger.count() == 0 and ledger.chain_head() is None
