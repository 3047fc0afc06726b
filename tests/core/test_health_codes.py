"""The provincial issuer table and what a re-verification answer means for the supervisor."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from gatehouse.core.health_codes import (
    HealthCodeIssuers,
    IssuerTableError,
    VerificationAnswer,
    reverification_result,
)
from gatehouse.core.models import HealthCodeColour
from gatehouse.resources import resource_path

CHECKED = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def _table(*issuers: dict[str, object]) -> str:
    return json.dumps({"format": "gatehouse-health-code-issuers/1", "issuers": list(issuers)})


def _issuer(issuer_id: str, *prefixes: str) -> dict[str, object]:
    return {"id": issuer_id, "name_zh": "省码", "name_en": "Province", "prefixes": list(prefixes)}


def test_longest_prefix_wins() -> None:
    table = HealthCodeIssuers.from_json(
        _table(
            _issuer("a", "https://codes.example.cn/"), _issuer("b", "https://codes.example.cn/sn/")
        )
    )
    shaanxi = table.match("https://codes.example.cn/sn/123")
    other = table.match("https://codes.example.cn/gd/123")
    assert shaanxi is not None and shaanxi.issuer_id == "b"
    assert other is not None and other.issuer_id == "a"
    assert table.match("https://other.example.cn/sn/123") is None


def test_path_stays_case_sensitive() -> None:
    table = HealthCodeIssuers.from_json(_table(_issuer("a", "https://codes.example.cn/SN/")))
    assert table.match("HTTPS://Codes.Example.CN/SN/1") is not None
    assert table.match("https://codes.example.cn/sn/1") is None


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        json.dumps({"format": "other", "issuers": []}),
        _table(_issuer("a", "https:/")),  # too short: would claim every URL
        _table({**_issuer("a", "https://codes.example.cn/"), "regex": ".*"}),
        _table(_issuer("", "https://codes.example.cn/")),
    ],
)
def test_bad_tables_are_refused(text: str) -> None:
    with pytest.raises(IssuerTableError):
        HealthCodeIssuers.from_json(text)


def test_shipped_table_loads() -> None:
    path = resource_path("health_code_issuers.json")
    HealthCodeIssuers.from_json(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("colour", "alert", "code"),
    [
        (HealthCodeColour.GREEN, False, "health_code.reverified_green"),
        (HealthCodeColour.YELLOW, True, "health_code.reverified_not_green"),
        (HealthCodeColour.RED, True, "health_code.reverified_not_green"),
        (None, True, "health_code.reverify_unknown"),
    ],
)
def test_supervisor_is_alerted_unless_the_issuer_says_green(
    colour: HealthCodeColour | None, alert: bool, code: str
) -> None:
    result = reverification_result(HealthCodeColour.GREEN, VerificationAnswer(colour, CHECKED))
    assert (result.alert_supervisor, result.reason.code) == (alert, code)
