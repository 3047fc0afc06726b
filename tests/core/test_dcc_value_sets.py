"""EU DCC value sets: shipped as versioned data, updated set by set, checked by the rule pack.

The certificates are real HC1 texts signed with a real DSC (tests/core/dcc_factory.py), read by
``read_code`` and decided by ``decide`` as the booth does; the sets are the shipped release.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from gatehouse.core.dcc.value_sets import (
    FORMAT,
    DccValueSets,
    ValueSetError,
    value_sets_from_json,
)
from gatehouse.core.models import Outcome
from gatehouse.core.reasons import GuardAction, Reason

from .dcc_factory import (
    certificate,
    naat_entry,
    recovery_entry,
    vaccination_entry,
)
from .dcc_rule import NOW, value_set_reasons

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
SHIPPED_FILE = RESOURCES / "dcc_value_sets" / "value_sets.json"
SHIPPED = value_sets_from_json(SHIPPED_FILE.read_text("utf-8"))


def test_shipped_release_holds_every_set_a_checked_field_needs() -> None:
    assert SHIPPED.version == "eu-dcc-valuesets 2.12.0" and SHIPPED.refused == ()
    assert len(SHIPPED.sets) == 8
    for group in ("v", "t", "r"):
        assert SHIPPED.outside({group: [{}]}) == []  # nothing to check, and no set missing
        assert SHIPPED.outside({group: [None, "x"]}) == []  # the schema check refuses these
    assert "EU/1/20/1528" in SHIPPED.sets["vaccines-covid-19-names"].codes


def _set(set_id: str, day: str, *codes: str) -> dict[str, Any]:
    values = {code: {"display": code, "lang": "en", "active": True} for code in codes}
    return {"valueSetId": set_id, "valueSetDate": day, "valueSetValues": values}


def _document(*sets: Any) -> dict[str, Any]:
    return {"format": FORMAT, "version": "office 7", "value_sets": list(sets)}


def test_values_outside_their_sets_are_named_with_field_value_and_set() -> None:
    cert = certificate("v", vaccination_entry(co="XY", ma="ORG-99999999", mp="EU/1/20/1528"))
    assert [(o.field, o.value, o.set_id) for o in SHIPPED.outside(cert)] == [
        ("v[0].ma", "ORG-99999999", "vaccines-covid-19-auth-holders"),
        ("v[0].co", "XY", "country-2-codes"),
    ]
    test = certificate("t", naat_entry(NOW, tt="LP217198-3", ma="9999"))
    assert [(o.field, o.value) for o in SHIPPED.outside(test)] == [("t[0].ma", "9999")]
    assert SHIPPED.outside(test, ["t.co"]) == []  # the office checks only what it chose
    # The device is a rapid antigen test's: a NAAT with an empty one (as CH, HU, IT issue) is
    # fine, a rapid antigen test with an empty one is not.
    assert SHIPPED.outside(certificate("t", naat_entry(NOW, ma=""))) == []
    rapid = certificate("t", naat_entry(NOW, tt="LP217198-3", ma=""))
    assert [(o.field, o.value) for o in SHIPPED.outside(rapid)] == [("t[0].ma", "")]


def test_a_set_that_is_not_held_cannot_pass() -> None:
    held = {name: value for name, value in SHIPPED.sets.items() if name != "country-2-codes"}
    partial = DccValueSets("partial", held)
    with pytest.raises(ValueSetError, match="country-2-codes"):
        partial.outside(certificate("r", recovery_entry()))


def test_update_takes_good_newer_sets_and_refuses_the_rest() -> None:
    update = _document(
        _set("country-2-codes", "2024-01-01", "AT", "XY"),  # newer: replaces
        _set("covid-19-lab-result", "2020-01-01", "1"),  # older than the shipped: refused
        {"valueSetId": "covid-19-lab-test-type", "valueSetDate": "someday", "valueSetValues": {}},
        "not a set",
    )
    updated = SHIPPED.updated_by(update)
    assert updated.version == "office 7"
    assert updated.sets["country-2-codes"].codes == {"AT", "XY"}
    assert updated.sets["covid-19-lab-result"] == SHIPPED.sets["covid-19-lab-result"]
    assert updated.sets["covid-19-lab-test-type"] == SHIPPED.sets["covid-19-lab-test-type"]
    assert [problem.split(" ")[0] for problem in updated.refused] == [
        "covid-19-lab-result",
        "value_sets[2]",
        "value_sets[3]",
    ]


@pytest.mark.parametrize(
    "document",
    [[], {"format": "other"}, {"format": FORMAT, "version": "", "value_sets": []}],
)
def test_a_document_that_is_not_value_sets_is_refused(document: Any) -> None:
    with pytest.raises(ValueSetError):
        SHIPPED.updated_by(document)


# -- the rule, through read_code and decide --


def _decide(
    cert: dict[str, Any], params: dict[str, Any] | None = None, sets: DccValueSets | None = SHIPPED
) -> list[Reason]:
    return value_set_reasons(cert, params, sets)


def test_certificate_inside_the_sets_passes_the_rule() -> None:
    reasons = _decide(certificate("t", naat_entry(NOW - timedelta(hours=3))))
    assert [(r.code, r.outcome) for r in reasons] == [("dcc.value_sets_ok", Outcome.ADMIT)]
    assert "eu-dcc-valuesets 2.12.0" in reasons[0].en


@pytest.mark.parametrize(
    ("group", "entry", "field", "value"),
    [
        ("t", naat_entry(NOW, co="XY"), "t[0].co", "XY"),
        ("t", naat_entry(NOW, tt="LP217198-3", ma="9999"), "t[0].ma", "9999"),
        ("t", naat_entry(NOW, tr="999"), "t[0].tr", "999"),
        ("v", vaccination_entry(ma="ORG-99999999"), "v[0].ma", "ORG-99999999"),
        ("v", vaccination_entry(mp="EU/9/99/9999"), "v[0].mp", "EU/9/99/9999"),
        ("v", vaccination_entry(vp="123"), "v[0].vp", "123"),
        ("r", recovery_entry(tg="123"), "r[0].tg", "123"),
    ],
)
def test_each_value_outside_its_set_turns_away_naming_field_and_value(
    group: str, entry: dict[str, Any], field: str, value: str
) -> None:
    reasons = _decide(certificate(group, entry))
    assert [(r.code, r.outcome) for r in reasons] == [("dcc.value_not_in_set", Outcome.TURN_AWAY)]
    assert field in reasons[0].en and value in reasons[0].en
    assert field in reasons[0].zh and value in reasons[0].zh


def test_the_office_may_refer_instead_and_choose_the_fields() -> None:
    cert = certificate("v", vaccination_entry(co="XY", ma="ORG-99999999"))
    referred = _decide(cert, {"outcome": "refer"})
    assert [r.outcome for r in referred] == [Outcome.REFER, Outcome.REFER]
    only_country = _decide(cert, {"fields": ["v.co"]})
    assert [r.params["field"] for r in only_country] == ["v[0].co"]
    assert _decide(cert, {"fields": ["t.co"]})[0].code == "dcc.value_sets_ok"


@pytest.mark.parametrize("params", [{"fields": ["v.xx"]}, {"outcome": "admit"}, {"fields": "v.co"}])
def test_bad_rule_parameters_leave_the_rule_open(params: dict[str, Any]) -> None:
    reasons = _decide(certificate("r", recovery_entry()), params)
    assert [(r.code, r.outcome) for r in reasons] == [("rule.open", Outcome.REFER)]


def test_without_value_sets_the_rule_is_open_never_passed() -> None:
    reasons = _decide(certificate("r", recovery_entry()), sets=None)
    assert [(r.code, r.outcome) for r in reasons] == [("rule.open", Outcome.REFER)]


def test_a_set_refused_with_no_earlier_good_copy_refers_the_certificates_that_need_it() -> None:
    """The set held may be looser than the office's refused one: never judged by it."""
    unsure = dataclasses.replace(SHIPPED, unsure=frozenset({"vaccines-covid-19-names"}))
    reasons = _decide(certificate("v", vaccination_entry()), sets=unsure)
    assert [(r.code, r.outcome, r.action) for r in reasons] == [
        ("dcc.value_set_refused", Outcome.REFER, GuardAction.SUPERVISOR)
    ]
    assert "vaccines-covid-19-names" in reasons[0].en and "vaccines-covid-19-names" in reasons[0].zh
    assert "office must publish" in reasons[0].en and "疫情办重新发布" in reasons[0].zh
    # A test certificate needs none of the vaccine sets; a rule not checking v.mp neither.
    test = _decide(certificate("t", naat_entry(NOW - timedelta(hours=3))), sets=unsure)
    assert [r.code for r in test] == ["dcc.value_sets_ok"]
    only_country = _decide(certificate("v", vaccination_entry()), {"fields": ["v.co"]}, unsure)
    assert [r.code for r in only_country] == ["dcc.value_sets_ok"]
