"""The booth's EU DCC value sets: the shipped release, updated through the hub's bundle."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from gatehouse import config
from gatehouse.bundles.policy import booth_policy
from gatehouse.bundles.value_sets import BUNDLE, booth_value_sets, shipped_value_sets
from gatehouse.core.dcc.value_sets import FORMAT
from gatehouse.store.bundles import StoredBundle

AT = datetime(2026, 1, 1, tzinfo=UTC)
COUNTRY = "country-2-codes"


class _Hub:
    def __init__(self, content: Any) -> None:
        self._bundle = StoredBundle(BUNDLE, 3, content, b"", "e", AT, AT)

    def bundle(self, name: str) -> StoredBundle | None:
        return self._bundle if name == BUNDLE else None


def _countries(day: str, *codes: str) -> dict[str, Any]:
    values = {code: {"display": code, "lang": "en", "active": True} for code in codes}
    return {"valueSetId": COUNTRY, "valueSetDate": day, "valueSetValues": values}


def test_without_a_hub_the_shipped_release_is_used() -> None:
    assert booth_value_sets(None) is shipped_value_sets()
    assert booth_value_sets(None).version == "eu-dcc-valuesets 2.12.0"


def test_hub_bundle_updates_the_sets_and_reaches_the_policy(tmp_path: Path) -> None:
    update = {
        "format": FORMAT,
        "version": "office 2026-01",
        "value_sets": [
            _countries("2026-01-01", "AT", "XK"),
        ],
    }
    cfg = config.from_mapping({}, environ={})
    policy = booth_policy(cfg, _Hub(update), demo=False)
    assert policy.dcc_value_sets is not None
    assert policy.dcc_value_sets.version == "office 2026-01"
    assert policy.dcc_value_sets.sets[COUNTRY].codes == {"AT", "XK"}
    untouched = "vaccines-covid-19-names"
    assert policy.dcc_value_sets.sets[untouched] == shipped_value_sets().sets[untouched]


def test_refused_sets_are_logged_and_the_set_in_force_stays(
    caplog: pytest.LogCaptureFixture,
) -> None:
    update = {
        "format": FORMAT,
        "version": "office bad",
        "value_sets": [
            _countries("2026-01-01"),  # empty: refused
        ],
    }
    with caplog.at_level(logging.ERROR):
        sets = booth_value_sets(_Hub(update))
    assert sets.sets[COUNTRY] == shipped_value_sets().sets[COUNTRY]
    assert "country-2-codes: valueSetValues must be a non-empty object" in caplog.text


def test_a_bundle_that_is_not_value_sets_keeps_the_shipped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR):
        sets = booth_value_sets(_Hub(json.loads("[1, 2]")))
    assert sets.sets == shipped_value_sets().sets
    assert sets.refused == (f"hub bundle {BUNDLE} refused: not a {FORMAT} document",)
    assert f"hub bundle {BUNDLE} refused" in caplog.text
