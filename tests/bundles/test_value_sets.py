"""The booth's EU DCC value sets: the shipped release, updated through the hub's bundle; a
refused document or set leaves the office's last good copy in force, never the shipped one."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from gatehouse import config
from gatehouse.bundles.policy import booth_policy
from gatehouse.bundles.value_sets import BUNDLE, EVERY_SET, booth_value_sets, shipped_value_sets
from gatehouse.core.dcc.value_sets import FORMAT
from gatehouse.store.bundles import StoredBundle
from gatehouse.store.trust_refusals import LAST_GOOD_STAYS, NOTHING_TRUSTED

AT = datetime(2026, 1, 1, tzinfo=UTC)
COUNTRY = "country-2-codes"
VACCINES = "vaccines-covid-19-names"


class _Hub:
    def __init__(self, content: Any) -> None:
        self._bundle = StoredBundle(BUNDLE, 3, content, b"", "e", AT, AT)

    def bundle(self, name: str) -> StoredBundle | None:
        return self._bundle if name == BUNDLE else None


def _set(set_id: str, day: str, *codes: str) -> dict[str, Any]:
    values = {code: {"display": code, "lang": "en", "active": True} for code in codes}
    return {"valueSetId": set_id, "valueSetDate": day, "valueSetValues": values}


def _countries(day: str, *codes: str) -> dict[str, Any]:
    return _set(COUNTRY, day, *codes)


def _document(version: str, *sets: Any) -> dict[str, Any]:
    return {"format": FORMAT, "version": version, "value_sets": list(sets)}


def test_without_a_hub_the_shipped_release_is_used() -> None:
    assert booth_value_sets(None).sets is shipped_value_sets()
    assert booth_value_sets(None).sets.version == "eu-dcc-valuesets 2.12.0"


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
    kept = booth_value_sets(_Hub(_document("office 1", _countries("2025-06-01", "AT")))).last_good
    with caplog.at_level(logging.ERROR):
        loaded = booth_value_sets(_Hub(update), kept)
    assert loaded.sets.sets[COUNTRY].codes == {"AT"}  # the office's, not the shipped
    assert loaded.sets.unsure == frozenset()
    assert "country-2-codes: valueSetValues must be a non-empty object" in caplog.text
    assert "the office's last good copy stays in force" in loaded.sets.refused[0]
    assert loaded.last_good == kept


def test_a_refused_set_with_no_earlier_copy_of_the_office_is_unsure() -> None:
    """The shipped set may be looser than the office's: checks that need it refer."""
    update = _document("office 1", _countries("2026-01-01"), _set(VACCINES, "2026-01-01", "X"))
    loaded = booth_value_sets(_Hub(update))
    assert loaded.sets.unsure == {COUNTRY}
    (problem,) = loaded.sets.refused
    assert f"no earlier good copy from the office: {NOTHING_TRUSTED}" in problem
    assert f"every EU DCC checked against {COUNTRY} is referred" in problem
    assert loaded.sets.sets[VACCINES].codes == {"X"}  # the good set in it is taken
    assert loaded.last_good is not None
    assert [item["valueSetId"] for item in loaded.last_good["value_sets"]] == [VACCINES]


def test_a_set_that_does_not_name_itself_leaves_unsure_every_set_not_kept() -> None:
    kept = booth_value_sets(_Hub(_document("office 1", _countries("2025-06-01", "AT")))).last_good
    nameless = {"valueSetDate": "2026-01-01"}
    document = _document("office 2", nameless, _set(VACCINES, "2026-01-01", "X"))
    loaded = booth_value_sets(_Hub(document), kept)
    assert loaded.sets.unsure == EVERY_SET - {COUNTRY, VACCINES}


def test_a_set_older_than_the_offices_last_good_is_refused_and_that_one_stays() -> None:
    kept = booth_value_sets(_Hub(_document("office 1", _countries("2025-06-01", "AT")))).last_good
    loaded = booth_value_sets(
        _Hub(_document("office 2", _countries("2025-01-01", "AT", "XY"))), kept
    )
    assert loaded.sets.sets[COUNTRY].codes == {"AT"}
    assert loaded.sets.unsure == frozenset()
    assert "older than the one in force (2025-06-01)" in loaded.sets.refused[0]


def test_the_last_good_copy_keeps_each_set_the_office_ever_published() -> None:
    first = _document("office 1", _countries("2025-06-01", "AT"), _set(VACCINES, "2025-06-01", "X"))
    kept = booth_value_sets(_Hub(first)).last_good
    second = booth_value_sets(_Hub(_document("office 2", _set(VACCINES, "2025-07-01", "Y"))), kept)
    assert second.last_good is not None and second.last_good["version"] == "office 2"
    sets = {item["valueSetId"]: item for item in second.last_good["value_sets"]}
    assert set(sets[COUNTRY]["valueSetValues"]) == {"AT"}
    assert set(sets[VACCINES]["valueSetValues"]) == {"Y"}
    assert second.sets.sets[COUNTRY].codes == {"AT"}  # still the office's


def test_a_bundle_that_is_not_value_sets_with_no_earlier_copy_refers_every_dcc(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR):
        loaded = booth_value_sets(_Hub(json.loads("[1, 2]")))
    assert loaded.sets.sets == shipped_value_sets().sets
    assert loaded.sets.unsure == EVERY_SET
    (problem,) = loaded.sets.refused
    assert problem.startswith(f"hub bundle {BUNDLE} version 3 refused: not a {FORMAT} document")
    assert NOTHING_TRUSTED in problem
    assert f"hub bundle {BUNDLE} version 3 refused" in caplog.text
    assert loaded.last_good is None


def test_a_bundle_that_is_not_value_sets_leaves_the_offices_last_good_sets() -> None:
    kept = booth_value_sets(_Hub(_document("office 1", _countries("2025-06-01", "AT")))).last_good
    loaded = booth_value_sets(_Hub(json.loads("[1, 2]")), kept)
    assert loaded.sets.version == "office 1" and loaded.sets.sets[COUNTRY].codes == {"AT"}
    assert loaded.sets.unsure == frozenset()
    assert (
        f"the office's last good value sets (office 1) {LAST_GOOD_STAYS}" in loaded.sets.refused[0]
    )
    assert loaded.last_good == kept
