"""The CSV fast path writes exactly the bytes the general path (columns + ``safe_cell``) writes."""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from gatehouse.core.china_time import CHINA_TIME
from gatehouse.core.models import Outcome
from gatehouse.core.passage import Passage
from gatehouse.core.reasons import Reason, reason
from gatehouse.reports.cells import IdNumbers
from gatehouse.reports.columns import passage_columns
from gatehouse.reports.export import ExportRequest
from gatehouse.reports.table import write_table
from gatehouse.store import Ledger
from gatehouse.store.queries import PassageFilter, PassageQueries
from tests.factories import make_passage, record_override

NOW = datetime(2025, 1, 1, tzinfo=UTC)
# Text a spreadsheet could take for a formula, or that the file must not carry raw.
HOSTILE = (
    '=HYPERLINK("http://x")',
    "+1",
    "-2",
    "@SUM(A1)",
    "\tlead",
    "\rlead",
    "＝全角",
    "bell\x07inside",
    "nul\x00inside",
    'ok, "quoted"\nnew line',
    "x" * 33_000,
    "",
    "张伟",
)


def _passage(rng: random.Random, index: int) -> Passage:
    hostile = rng.random() < 0.3

    def text(plain: str) -> str:
        return rng.choice(HOSTILE) if hostile and rng.random() < 0.3 else plain

    reasons: tuple[Reason, ...] = ()
    if rng.random() < 0.3:
        reasons = (
            reason("pass.revoked", pass_id=text("P-1")),
            Reason(text("x.code"), Outcome.REFER, "en", text("中文"), {}),
        )
    return make_passage(
        booth_id=text(f"booth-{index % 3}"),
        checkpoint_type=text("mine_gate"),
        decided_at=datetime(2024, 3, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(10**8)),
        pass_id=text(f"P-{index:06d}"),
        holder_name=text(rng.choice(("张伟", "Li Na", "O'Brien"))),
        id_masked=rng.choice(("110101********1234", "11010119900101123X", None, "short")),
        temperature_c=rng.choice((None, 36.45, 37.25, 36.0, 38.149999, 35.05)),
        temperature_source=text(rng.choice(("sensor", "manual"))),
        outcome=rng.choice(list(Outcome)),
        reasons=reasons,
        guard_id=rng.choice((text("G1"), None)),
        policy_version=text("2024.1"),
    )


@pytest.fixture
def queries(tmp_path: Path) -> PassageQueries:
    rng = random.Random(20)
    path = tmp_path / "ledger.sqlite3"
    passages = [_passage(rng, i) for i in range(3000)]
    with Ledger.open(path) as ledger:
        ledger.record_many(passages).result()
        for passage in passages[::97]:  # a supervisor's overrides, one passage twice
            record_override(ledger, passage.passage_id, NOW)
        record_override(ledger, passages[0].passage_id, NOW, "admit", "refer")
    with closing(sqlite3.connect(path)) as conn, conn:  # values only a damaged file holds
        conn.execute("UPDATE passages SET outcome = 'MAYBE' WHERE rowid = 5")
        conn.execute("UPDATE passages SET reasons = 'not json' WHERE rowid = 6")
        conn.execute("UPDATE passages SET booth_id = x'3d31' WHERE rowid = 7")
    return PassageQueries(path)


@pytest.mark.parametrize("zone", [CHINA_TIME, UTC, timezone(timedelta(hours=-5, minutes=-30))])
@pytest.mark.parametrize("id_numbers", list(IdNumbers))
@pytest.mark.parametrize(
    "search",
    [
        PassageFilter(),
        PassageFilter(start=datetime(2025, 1, 1, tzinfo=UTC), booth_ids=("booth-1",)),
    ],
)
def test_the_csv_is_byte_for_byte_the_general_paths(
    queries: PassageQueries,
    tmp_path: Path,
    zone: timezone,
    id_numbers: IdNumbers,
    search: PassageFilter,
) -> None:
    fast = tmp_path / "fast.csv"
    request = ExportRequest(search, fast, "csv", id_numbers, zone)
    written = request.write(queries, now=NOW)

    general = tmp_path / "general.csv"
    expected = write_table(
        queries.iter_rows(search), passage_columns(zone, id_numbers, NOW), general, "csv"
    )
    assert written == expected > 0
    assert fast.read_bytes() == general.read_bytes()
    assert b",supervisor," in fast.read_bytes()  # the overrides are in it
