"""A person's passages are found through an index, on SQLite and on PostgreSQL; the indexes
are made at start-up on a hub database that predates them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, inspect, select, text

from gatehouse.hub.database import open_database
from gatehouse.hub.person_search import person_condition
from gatehouse.hub.service import Hub, PassageQuery
from gatehouse.hub.tables import passages, person_indexes

INDEXES = {"hub_passages_masked", "hub_passages_name"}


def _row(n: int, name: str, masked: str, pass_id: str) -> dict[str, object]:
    at = datetime(2024, 3, 1, 8, n, tzinfo=UTC).isoformat()
    record = json.dumps({"holder_name": name}, ensure_ascii=False)
    return {
        "passage_id": f"p{n}",
        "booth_id": "gate-1",
        "decided_at": at,
        "outcome": "ADMIT",
        "pass_id": pass_id,
        "holder_name": name,
        "id_masked": masked,
        "policy_version": "1",
        "chain_seq": n + 1,
        "public_digest": "0" * 64,
        "personal_digest": "0" * 64,
        "record": record,
        "received_at": at,
    }


@pytest.fixture
def filled(hub: Hub) -> Hub:
    hub.enrol("gate-1", hub.create_enrolment_code("gate-1"))
    rows = [
        _row(0, "李四", "150602********0021", "P-1"),
        _row(1, "李四光", "150602********0032", "P-2"),
        _row(2, "张李", "110101********1234", "P-3"),
        _row(3, "50%_off", "E12*****89", "P-4"),
        _row(4, "500_offer", "110101********9999", "P-5"),
    ]
    with hub.engine.begin() as conn:
        conn.execute(passages.insert(), rows)
    return hub


def _found(hub: Hub, person: str) -> list[str]:
    query = PassageQuery(person=person, before=("9999", ""), limit=50)
    return sorted(str(record["holder_name"]) for record in hub.passages(query))


@pytest.mark.parametrize(
    ("person", "names"),
    [
        ("李", ["李四", "李四光"]),  # a surname: every name starting with it, not "张李"
        ("李四", ["李四", "李四光"]),
        ("150602********0021", ["李四"]),  # the masked form booths store
        ("E12*****89", ["50%_off"]),  # a masked number of another form, exactly
        ("P-3", ["张李"]),  # a pass id
        ("50%", ["50%_off"]),  # % and _ are letters here, not wildcards
        ("四", []),
    ],
)
def test_a_person_is_found_by_name_start_masked_id_or_pass(
    filled: Hub, person: str, names: list[str]
) -> None:
    assert _found(filled, person) == names


def _plan(engine: Engine, person: str) -> str:
    statement = select(passages.c.passage_id).where(person_condition(person, engine.dialect.name))
    sql = str(statement.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)
            return " ".join(str(row[-1]) for row in plan)
        conn.execute(text("SET enable_seqscan = off"))  # a table this small would be scanned
        return " ".join(str(row[0]) for row in conn.exec_driver_sql("EXPLAIN " + sql))


@pytest.mark.parametrize(
    ("person", "index"),
    [("150602********0021", "hub_passages_masked"), ("李四", "hub_passages_name")],
)
def test_the_search_uses_the_person_indexes(filled: Hub, person: str, index: str) -> None:
    plan = _plan(filled.engine, person)
    assert index in plan
    assert "SCAN passages" not in plan and "Seq Scan" not in plan


def test_a_hub_database_made_before_the_indexes_gets_them_at_start_up(hub: Hub) -> None:
    for index in person_indexes:
        index.drop(hub.engine)
    names = {i["name"] for i in inspect(hub.engine).get_indexes("passages")}
    assert not INDEXES & names
    reopened = open_database(hub.engine.url.render_as_string(hide_password=False))
    try:
        names = {i["name"] for i in inspect(reopened).get_indexes("passages")}
        assert names >= INDEXES
    finally:
        reopened.dispose()
