"""The EU DCC value sets: which codes a certificate's coded fields may hold, as versioned data.

Verifiers check a certificate's coded values (country, disease, vaccine product, manufacturer,
prophylaxis, test type, test device, test result) against the eHealth Network's published
value sets; a certificate with country "XY" or manufacturer "ORG-99999999" is well-formed but
not one any member state issued. The sets are data: shipped in resources (with their release)
and replaced by the hub's ``dcc_value_sets`` bundle, one set at a time: each set is validated,
a malformed or older one is refused with the reason and the one in force stays.

Document: ``{"format": "gatehouse-dcc-value-sets/1", "version": "...", "value_sets": [...]}``,
each set exactly as the EU publishes it (``valueSetId``, ``valueSetDate``, ``valueSetValues``).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

FORMAT = "gatehouse-dcc-value-sets/1"
COUNTRY = "country-2-codes"
DISEASE = "disease-agent-targeted"
# (group, field) -> the value set its code must be in (DCC JSON schema, "valueset-uri").
FIELD_SETS: Mapping[tuple[str, str], str] = {
    ("v", "tg"): DISEASE,
    ("v", "vp"): "sct-vaccines-covid-19",
    ("v", "mp"): "vaccines-covid-19-names",
    ("v", "ma"): "vaccines-covid-19-auth-holders",
    ("v", "co"): COUNTRY,
    ("t", "tg"): DISEASE,
    ("t", "tt"): "covid-19-lab-test-type",
    ("t", "ma"): "covid-19-lab-test-manufacturer-and-name",
    ("t", "tr"): "covid-19-lab-result",
    ("t", "co"): COUNTRY,
    ("r", "tg"): DISEASE,
    ("r", "co"): COUNTRY,
}
FIELDS = tuple(f"{group}.{name}" for group, name in FIELD_SETS)
# The test device (t.ma) identifies a rapid antigen test; issuers leave it empty or absent for
# a NAAT, so, as in the EU business rules, it is checked only for a rapid antigen test.
RAPID_ANTIGEN = "LP217198-3"


class ValueSetError(ValueError):
    """A value-set document that cannot be used; the message says which part and why."""


@dataclass(frozen=True)
class ValueSet:
    set_id: str
    published: date  # valueSetDate: a set never gives way to an older one
    codes: frozenset[str]


@dataclass(frozen=True)
class OutsideValue:
    """A coded value of a certificate that is not in its value set."""

    field: str  # e.g. "v[0].ma"
    value: str
    set_id: str


@dataclass(frozen=True)
class SetRefusal:
    """One set of a document not taken, and why."""

    set_id: str | None  # None: the set does not even name itself
    problem: str
    superseded: bool = False  # well-formed but older than the one in force, which stays


@dataclass(frozen=True)
class Overlay:
    """What a document did to the sets: the sets now, each set refused and each one taken (as
    the document gave it, so the booth can keep the office's last good copy of it)."""

    sets: DccValueSets
    refusals: tuple[SetRefusal, ...]
    taken: Mapping[str, Any]


@dataclass(frozen=True)
class DccValueSets:
    version: str
    sets: Mapping[str, ValueSet] = field(hash=False)
    refused: tuple[str, ...] = ()  # sets refused while loading, each with its reason
    # Sets the office's document refused with no earlier good copy of the office's: the one
    # held may be looser than what the office published, so a check that needs one refers.
    unsure: frozenset[str] = frozenset()

    def outside(
        self, certificate: Mapping[str, Any], fields: Collection[str] = FIELDS
    ) -> list[OutsideValue]:
        """Every checked coded value not in its set. ValueSetError when a set a checked field
        needs is not held, so the check cannot pass by default."""
        found = []
        for label, value, set_id in _checked_values(certificate, fields):
            value_set = self.sets.get(set_id)
            if value_set is None:
                raise ValueSetError(f"value set {set_id} is not held")
            if value not in value_set.codes:
                found.append(OutsideValue(label, value, set_id))
        return found

    def unsure_needed(
        self, certificate: Mapping[str, Any], fields: Collection[str] = FIELDS
    ) -> list[str]:
        """The unsure sets (in order) that a checked value of ``certificate`` needs."""
        needed = {set_id for _, _, set_id in _checked_values(certificate, fields)}
        return sorted(needed & self.unsure)

    def updated_by(self, data: Any) -> DccValueSets:
        """These sets with a newer document's sets taken one by one: a malformed or older set
        is refused (listed in ``refused``) and the one in force stays."""
        return self.overlaid(data).sets

    def overlaid(self, data: Any) -> Overlay:
        """``updated_by`` saying which sets were refused and which taken. ValueSetError for a
        data that is not a value-set document at all."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueSetError(f"not a {FORMAT} document")
        version, documents = data.get("version"), data.get("value_sets")
        if not isinstance(version, str) or not version or not isinstance(documents, list):
            raise ValueSetError('"version" must be text and "value_sets" a list')
        sets, refusals, taken = dict(self.sets), [], {}
        for index, document in enumerate(documents):
            try:
                value_set = value_set_from_data(document)
            except ValueSetError as exc:
                named = document.get("valueSetId") if isinstance(document, dict) else None
                set_id = named if isinstance(named, str) and named else None
                refusals.append(SetRefusal(set_id, f"value_sets[{index}] refused: {exc}"))
                continue
            held = sets.get(value_set.set_id)
            if held is not None and value_set.published < held.published:
                problem = (
                    f"{value_set.set_id} of {value_set.published} refused: older than the "
                    f"one in force ({held.published})"
                )
                refusals.append(SetRefusal(value_set.set_id, problem, superseded=True))
                continue
            sets[value_set.set_id] = value_set
            taken[value_set.set_id] = document
        refused = tuple(item.problem for item in refusals)
        return Overlay(DccValueSets(version, sets, refused), tuple(refusals), taken)


def _checked_values(
    certificate: Mapping[str, Any], fields: Collection[str]
) -> Iterator[tuple[str, str, str]]:
    """(field as in "v[0].ma", value, the set it must be in) for every value checked."""
    for (group, name), set_id in FIELD_SETS.items():
        entries = certificate.get(group)
        if f"{group}.{name}" not in fields or not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict) or entry.get(name) is None:
                continue  # optional fields; a required one missing is the schema's refusal
            if (group, name) == ("t", "ma") and entry.get("tt") != RAPID_ANTIGEN:
                continue
            yield f"{group}[{index}].{name}", str(entry[name]), set_id


EMPTY = DccValueSets("none", {})


def value_sets_from_json(text: str) -> DccValueSets:
    try:
        return EMPTY.updated_by(json.loads(text))
    except json.JSONDecodeError as exc:
        raise ValueSetError(f"value sets are not JSON: {exc}") from exc


def value_set_from_data(data: Any) -> ValueSet:
    """One set as the EU publishes it; every code a non-empty string with a display name."""
    if not isinstance(data, dict):
        raise ValueSetError("a value set is an object")
    set_id, published, values = (
        data.get("valueSetId"),
        data.get("valueSetDate"),
        data.get("valueSetValues"),
    )
    if not isinstance(set_id, str) or not set_id:
        raise ValueSetError("valueSetId must be non-empty text")
    try:
        day = date.fromisoformat(published) if isinstance(published, str) else None
    except ValueError:
        day = None
    if day is None:
        raise ValueSetError(f"{set_id}: valueSetDate must be a date, e.g. 2021-04-27")
    if not isinstance(values, dict) or not values:
        raise ValueSetError(f"{set_id}: valueSetValues must be a non-empty object")
    for code, entry in values.items():
        if not code.strip() or not isinstance(entry, dict) or not entry.get("display"):
            raise ValueSetError(f"{set_id}: code {code[:40]!r} has no display name")
    return ValueSet(set_id, day, frozenset(values))
