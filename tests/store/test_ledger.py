import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from gatehouse.core.models import Outcome
from gatehouse.core.passage import Passage
from gatehouse.core.reasons import Reason
from gatehouse.store import Ledger, WriterClosedError
from tests.factories import make_passage


def _committed_ids(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {row[0] for row in conn.execute("SELECT passage_id FROM passages")}


def test_round_trip_keeps_chinese_text_and_every_reason(ledger: Ledger) -> None:
    reasons = (
        Reason(
            code="temperature.high",
            outcome=Outcome.REMEASURE,
            en="Temperature 37.6 °C is above 37.3 °C",
            zh="体温 37.6 °C 高于 37.3 °C",
            params={"celsius": 37.6, "limit": 37.3},
        ),
        Reason(
            code="travel.risk_area",
            outcome=Outcome.TURN_AWAY,
            en="Visited a risk area: Wuhan",
            zh="到访过风险地区：武汉",
            params={"region": "420100", "cities": ["武汉"]},
        ),
    )
    passage = make_passage(
        holder_name="张三",
        scanned_text="通行证：测试",
        outcome=Outcome.TURN_AWAY,
        reasons=reasons,
        decided_at=datetime(2024, 3, 1, 14, 30, 15, 123456, tzinfo=timezone(timedelta(hours=8))),
    )

    ledger.record(passage).result()
    stored = ledger.get(passage.passage_id)

    assert stored == passage
    assert stored is not None  # Reason equality ignores params, so compare them too
    assert [r.params for r in stored.reasons] == [r.params for r in reasons]


def test_optional_fields_round_trip_as_none(ledger: Ledger) -> None:
    passage = make_passage(
        code_kind="unknown",
        pass_id=None,
        holder_name=None,
        id_masked=None,
        role=None,
        temperature_c=None,
        temperature_source=None,
    )
    ledger.record(passage).result()
    assert ledger.get(passage.passage_id) == passage


def test_get_unknown_id_is_none(ledger: Ledger) -> None:
    assert ledger.get("0" * 32) is None


def test_passage_survives_close_and_reopen(ledger_path: Path) -> None:
    passage = make_passage()
    with Ledger.open(ledger_path) as ledger:
        ledger.record(passage).result()

    with Ledger.open(ledger_path) as reopened:
        assert reopened.get(passage.passage_id) == passage


def test_close_writes_everything_already_recorded(ledger_path: Path) -> None:
    ledger = Ledger.open(ledger_path)
    futures = [ledger.record(make_passage()) for _ in range(30)]
    ledger.close()
    assert all(f.done() and f.exception() is None for f in futures)
    assert len(_committed_ids(ledger_path)) == 30


def test_record_future_resolves_only_after_commit(ledger: Ledger) -> None:
    seen_committed: list[bool] = []
    all_seen = threading.Event()
    passages = [make_passage() for _ in range(20)]

    def checker(passage: Passage) -> Callable[[Future[None]], None]:
        def check(_: Future[None]) -> None:
            # Runs on the writer thread (or here if already done); a fresh connection must see it.
            seen_committed.append(passage.passage_id in _committed_ids(ledger.path))
            if len(seen_committed) == len(passages):
                all_seen.set()

        return check

    for passage in passages:
        ledger.record(passage).add_done_callback(checker(passage))

    assert all_seen.wait(timeout=10)
    assert seen_committed == [True] * len(passages)


def test_concurrent_records_from_many_threads_each_land_once(ledger: Ledger) -> None:
    def record_fifty(thread_no: int) -> list[tuple[str, Future[None]]]:
        passages = [make_passage(booth_id=f"booth-{thread_no}") for _ in range(50)]
        return [(p.passage_id, ledger.record(p)) for p in passages]

    with ThreadPoolExecutor(max_workers=8) as pool:
        submitted = [pair for batch in pool.map(record_fifty, range(8)) for pair in batch]
    wait([future for _, future in submitted])

    assert [future.result() for _, future in submitted] == [None] * 400
    assert ledger.count() == 400
    assert _committed_ids(ledger.path) == {passage_id for passage_id, _ in submitted}


def test_duplicate_passage_id_is_rejected_and_writer_carries_on(ledger: Ledger) -> None:
    first = make_passage()
    ledger.record(first).result()

    duplicate = ledger.record(make_passage(passage_id=first.passage_id, booth_id="other"))
    with pytest.raises(sqlite3.IntegrityError):
        duplicate.result()

    ledger.record(make_passage()).result()
    assert ledger.count() == 2
    assert ledger.get(first.passage_id) == first


def test_a_rolled_back_append_is_not_the_parent_of_the_next_link(ledger: Ledger) -> None:
    """The writer keeps the chain head between commits; a rollback must drop the head it kept."""
    ledger.record(make_passage()).result()
    duplicate = make_passage()
    ledger.record(duplicate).result()
    with pytest.raises(sqlite3.IntegrityError):  # the first is linked, then the batch fails
        ledger.record_many([make_passage(), duplicate]).result()
    ledger.record(make_passage()).result()

    verdict = ledger.verify()
    assert verdict.intact, verdict.problem()
    assert verdict.links == 3


def test_recent_is_newest_decision_first_and_limited(ledger: Ledger) -> None:
    start = datetime(2024, 3, 1, tzinfo=UTC)
    passages = [make_passage(decided_at=start + timedelta(minutes=m)) for m in (5, 1, 9, 3)]
    for passage in passages:
        ledger.record(passage).result()

    assert [p.decided_at.minute for p in ledger.recent(limit=3)] == [9, 5, 3]
    assert len(ledger.recent()) == 4


def test_recent_breaks_equal_decision_times_by_write_order(ledger: Ledger) -> None:
    same_time = [make_passage() for _ in range(3)]
    for passage in same_time:
        ledger.record(passage).result()
    assert ledger.recent() == same_time[::-1]


def test_naive_decision_time_is_refused_before_queueing(ledger: Ledger) -> None:
    with pytest.raises(ValueError, match="naive"):
        ledger.record(make_passage(decided_at=datetime(2024, 3, 1, 6, 30)))
    assert ledger.count() == 0


def test_writer_connection_is_wal_with_full_sync(ledger: Ledger) -> None:
    pragmas = ledger.pragmas()
    assert pragmas["journal_mode"] == "wal"
    assert pragmas["synchronous"] == 2  # FULL
    assert pragmas["foreign_keys"] == 1


def test_record_after_close_raises(ledger_path: Path) -> None:
    ledger = Ledger.open(ledger_path)
    ledger.close()
    with pytest.raises(WriterClosedError):
        ledger.record(make_passage())
