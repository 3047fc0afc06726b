"""Deciding one passage under a realistic policy: hundreds of risk areas, 10,000 list entries."""

from __future__ import annotations

import dataclasses
import random
from datetime import timedelta

from bench.report import Section, summary_ms, table, time_calls
from gatehouse.bundles.policy import builtin_policy_parts, region_table
from gatehouse.core.china_time import china_day
from gatehouse.core.decision import Evidence, Policy, decide
from gatehouse.core.models import (
    HealthCodeColour,
    NucleicAcidTest,
    PassClaims,
    Role,
    TemperatureReading,
    TestResult,
    TravelVisit,
    VerifiedPass,
)
from gatehouse.core.rules.persons import (
    ContractorEntry,
    EmployeeEntry,
    IsolationEntry,
    PersonLists,
    VisitorApproval,
    check_character,
    id_hash,
    key_check,
)
from gatehouse.core.rules.risk_areas import RiskArea, RiskAreaList, RiskLevel
from gatehouse.core.rules.vehicles import VehicleEvidence, decide_vehicle

SECRET = b"bench secret for the person lists"
RISK_AREAS = 600
LIST_ENTRIES = 10_000


def _id_number(rng: random.Random) -> str:
    birth = f"19{rng.randint(50, 99)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}"
    first17 = f"{rng.randint(110000, 659999)}{birth}{rng.randint(0, 999):03d}"
    return first17 + check_character(first17)


def _policy(rng: random.Random) -> tuple[Policy, list[str]]:
    packs, demo_areas = builtin_policy_parts(demo=True)
    now = demo_areas.published_at + timedelta(hours=6)
    regions = region_table()
    counties = [r.code for r in regions if not r.code.endswith("00")]
    areas = [
        RiskArea(
            code,
            rng.choice([RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH]),
            china_day(now) - timedelta(days=rng.randint(0, 40)),
            None,
        )
        for code in rng.sample(counties, RISK_AREAS)
    ]
    numbers = [_id_number(rng) for _ in range(LIST_ENTRIES)]
    hashes = [id_hash(SECRET, number) for number in numbers]
    quarter = LIST_ENTRIES // 4
    lists = PersonLists(
        "bench",
        now - timedelta(hours=1),
        key_check(SECRET),
        isolation={h: IsolationEntry(h, None) for h in hashes[:quarter]},
        visitors={
            h: VisitorApproval(h, now - timedelta(hours=1), now + timedelta(days=1), "王", "A")
            for h in hashes[quarter : 2 * quarter]
        },
        contractors={
            h: ContractorEntry(h, "公司", "项目") for h in hashes[2 * quarter : 3 * quarter]
        },
        employees={h: EmployeeEntry(h, f"E{i}") for i, h in enumerate(hashes[3 * quarter :])},
    )
    risk = RiskAreaList("bench", now - timedelta(hours=2), tuple(areas))
    policy = Policy(packs, "mine_gate", risk, lists, regions, list_secret=SECRET)
    return policy, numbers


def run(quick: bool) -> list[Section]:
    repeats = 300 if quick else 5000
    rng = random.Random(2260)
    policy, numbers = _policy(rng)
    assert policy.risk_areas is not None
    now = policy.risk_areas.published_at + timedelta(hours=2)
    areas = policy.risk_areas.areas
    cities = [r.code for r in policy.regions or () if r.code.endswith("00")]
    claims = PassClaims(
        pass_id="B-1",
        holder_name="张三",
        id_masked="1101**********1234",
        role=Role.EMPLOYEE,
        health_code=HealthCodeColour.GREEN,
        health_code_checked_at=now,
        test=NucleicAcidTest(now - timedelta(hours=20), TestResult.NEGATIVE),
        travel=tuple(
            TravelVisit(code, china_day(now) - timedelta(days=rng.randint(0, 20)))
            for code in rng.sample(cities, 5)
        ),
        issued_at=now - timedelta(days=1),
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=7),
    )
    person = Evidence(
        "GH1:bench",
        VerifiedPass(claims, b"\x01" * 8, "bench"),
        None,
        TemperatureReading(36.5, now, "sensor"),
        id_number=numbers[-1],
    )
    isolated = dataclasses.replace(person, id_number=numbers[0])
    anonymous = dataclasses.replace(person, id_number=None)
    truck = VehicleEvidence("蒙K12345", "150602", "supply", person, (anonymous, anonymous))
    cases = [
        (
            "decide: employee, ID typed (HMAC + 4 lists), 5 cities travelled",
            lambda: decide(person, policy, now),
        ),
        ("decide: person on the isolation list", lambda: decide(isolated, policy, now)),
        ("decide: pass only, no ID", lambda: decide(anonymous, policy, now)),
        (
            "decide a vehicle: origin + driver + 2 passengers",
            lambda: decide_vehicle(truck, policy, now),
        ),
    ]
    rows = [(name, *summary_ms(time_calls(fn, repeats))) for name, fn in cases]
    build = time_calls(lambda: RiskAreaList("b", now, areas), 20 if quick else 200)
    rows.append((f"index a risk-area list of {RISK_AREAS} entries", *summary_ms(build)))
    return [
        Section(
            title="The decision under a realistic policy",
            method=(
                "`bench/bench_decision.py`: the default pack, a risk-area list of "
                f"{RISK_AREAS} random county entries (low/medium/high, designated 0-40 days ago) "
                f"and person lists of {LIST_ENTRIES:,} keyed-hash entries (isolation, visitors, "
                f"contractors, roster); {repeats} calls each, timed with `perf_counter`. "
                "Target: under 1 ms median per person."
            ),
            body=table(("case", "median ms", "p95 ms"), rows),
        )
    ]
