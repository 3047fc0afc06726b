"""The CertLogic evaluator against the language's own conformance suite, plus booth safety."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gatehouse.core.rules.certlogic import CertLogicError, evaluate, plus_time, validate

SUITE = Path(__file__).resolve().parents[4] / "shared" / "testdata" / "certlogic"


def _load(folder: str) -> list[tuple[str, Any]]:
    return [
        (path.stem, json.loads(path.read_text("utf-8")))
        for path in sorted((SUITE / folder).glob("*.json"))
    ]


def _evaluator_cases() -> list[Any]:
    cases = []
    for stem, suite in _load("testSuite"):
        if suite.get("directive") == "skip":
            continue
        for case in suite["cases"]:
            if case.get("directive") == "skip":
                continue
            for index, assertion in enumerate(case["assertions"]):
                if assertion.get("directive") == "skip":
                    continue
                expression = assertion.get("certLogicExpression", case.get("certLogicExpression"))
                cases.append(
                    pytest.param(
                        expression,
                        assertion["data"],
                        assertion["expected"],
                        id=f"{stem}:{case['name']}:{index}",
                    )
                )
    return cases


def _validation_cases() -> list[Any]:
    return [
        pytest.param(case["certLogicExpression"], bool(case["issues"]), id=f"{stem}:{index}")
        for stem, suite in _load("validation-testSuite")
        for index, case in enumerate(suite["cases"])
    ]


def test_suite_is_there() -> None:
    assert len(_evaluator_cases()) > 150
    assert len(_validation_cases()) > 15


@pytest.mark.parametrize(("expression", "data", "expected"), _evaluator_cases())
def test_conformance_suite(expression: Any, data: Any, expected: Any) -> None:
    assert validate(expression) == []
    result = evaluate(expression, data)
    assert result == expected
    assert type(result) is type(expected) or {type(result), type(expected)} <= {int, float}


@pytest.mark.parametrize(("expression", "has_issues"), _validation_cases())
def test_validation_suite(expression: Any, has_issues: bool) -> None:
    assert bool(validate(expression)) == has_issues


@pytest.mark.parametrize(
    "expression",
    [
        {"__import__": ["os"]},
        {"var": ["x"]},
        {"+": ["1", 2]},
        {"<": [1, "2"]},
        {"in": ["a", "abc"]},
        {"if": [{"var": "ratio"}, 1, 2]},
        {"after": [1, 2]},
        {"plusTime": ["not a date", 1, "day"]},
        {"plusTime": ["2021-01-01", 1, "week"]},
        {"reduce": ["abc", 1, 0]},
        {"!": [{"plusTime": ["2021-01-01", 0, "day"]}]},
    ],
)
def test_what_cannot_be_evaluated_raises_instead_of_guessing(expression: Any) -> None:
    with pytest.raises(CertLogicError):
        evaluate(expression, {"ratio": 1.5, "x": 1})


def test_month_arithmetic_rolls_over_like_javascript() -> None:
    start = evaluate({"plusTime": ["2020-02-29", 0, "day"]}, None)
    assert plus_time(start, 1, "day").isoformat() == "2020-03-01T00:00:00+00:00"
    assert plus_time(start, 1, "month").isoformat() == "2020-03-29T00:00:00+00:00"
    assert plus_time(start, 1, "year").isoformat() == "2021-03-01T00:00:00+00:00"
    assert plus_time(start, -1, "month").isoformat() == "2020-01-29T00:00:00+00:00"
