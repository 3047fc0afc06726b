"""A passage's digests are taken before its write when SQLite's storing of it is certain
(``store.affinity``), else read back: either way the chain holds the digests of the row as
stored, which is what ``verify`` and the hub recompute."""

import math
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gatehouse.core.chain import PASSAGE_KIND, record_digests
from gatehouse.store import Ledger
from gatehouse.store.records import read_record
from tests.factories import make_passage


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    with Ledger.open(tmp_path_factory.mktemp("digests") / "ledger.sqlite3") as opened:
        yield opened


def _assert_chained_as_stored(ledger: Ledger, passage_id: str) -> dict[str, Any]:
    with closing(sqlite3.connect(ledger.path)) as conn:
        record = read_record(conn, PASSAGE_KIND, passage_id)
        linked = conn.execute(
            "SELECT public_digest, personal_digest FROM chain WHERE record_id = ?", (passage_id,)
        ).fetchone()
    assert record is not None
    assert linked == record_digests(PASSAGE_KIND, record)
    return record


_TEXT = st.text()
_OPTIONAL_TEXT = st.none() | st.text()


@settings(max_examples=60, deadline=None)
@given(
    scanned_text=_TEXT,
    holder_name=_OPTIONAL_TEXT,
    pass_id=_OPTIONAL_TEXT,
    role=_OPTIONAL_TEXT,
    temperature_c=st.none()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.integers(-(2**63), 2**63 - 1),
)
@example(scanned_text="7", holder_name="36.5", pass_id="", role=None, temperature_c=-0.0)
@example(scanned_text="", holder_name=None, pass_id=None, role="x", temperature_c=float("nan"))
@example(scanned_text="a\x00b", holder_name="张伟", pass_id="0", role="1e5", temperature_c=36)
def test_the_chain_digests_the_row_as_stored(
    shared: Ledger,
    scanned_text: str,
    holder_name: str | None,
    pass_id: str | None,
    role: str | None,
    temperature_c: float | None,
) -> None:
    passage = make_passage(
        scanned_text=scanned_text,
        holder_name=holder_name,
        pass_id=pass_id,
        role=role,
        temperature_c=temperature_c,
    )
    shared.record(passage).result()
    record = _assert_chained_as_stored(shared, passage.passage_id)
    if isinstance(temperature_c, int):
        assert record["temperature_c"] == float(temperature_c)
        assert type(record["temperature_c"]) is float  # stored as REAL, digested as 36.0
    verdict = shared.verify()
    assert verdict.intact, verdict.problem()


def test_a_value_whose_storing_is_not_certain_is_read_back(ledger: Ledger) -> None:
    """Numeric text in the REAL column is stored as a number: the chain has the number's
    digest, not the text's (a caller's mistake still yields a provable record)."""
    passage = make_passage(temperature_c="36.5")
    ledger.record(passage).result()
    assert _assert_chained_as_stored(ledger, passage.passage_id)["temperature_c"] == 36.5
    verdict = ledger.verify()
    assert verdict.intact, verdict.problem()


def test_a_batch_mixing_certain_and_read_back_rows_verifies(ledger: Ledger) -> None:
    passages = [
        make_passage(temperature_c=float("nan")),
        make_passage(temperature_c="37"),
        make_passage(),
    ]
    ledger.record_many(passages).result()
    stored = [_assert_chained_as_stored(ledger, p.passage_id) for p in passages]
    assert stored[0]["temperature_c"] is None
    assert stored[1]["temperature_c"] == 37.0 and not math.isnan(stored[2]["temperature_c"])
    verdict = ledger.verify()
    assert verdict.intact, verdict.problem()
    assert verdict.links == 3


def test_a_ledger_opened_on_an_existing_file_predicts_its_rows(ledger_path: Path) -> None:
    with Ledger.open(ledger_path) as first:
        first.record(make_passage()).result()
    with Ledger.open(ledger_path) as again:
        passage = make_passage(temperature_c=35)
        again.record(passage).result()
        _assert_chained_as_stored(again, passage.passage_id)
        assert again.verify().intact
