"""The EU DCC JSON schema (eHealth Network, ehn-dcc-schema), as code.

Written out rather than shipped as a schema file and a JSON-schema engine: the rules are few,
a scanned code must not reach a general-purpose validator, and every failure here names the
field. Versions before 1.3.0 cap text at 50 characters and doses at 9 and insist on a date of
birth from 1900-2099; 1.3.0 allows 80 characters, an empty date of birth and any dose count,
and says a DCC holds exactly one entry. Like the reference validators, ``format`` is not
asserted. One rule goes beyond the schema, as every verifier applies it: a DCC certifies
exactly one thing, so exactly one of v, t, r is present.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

_VERSION = re.compile(r"\d+.\d+.\d+")
_TRANSLITERATED = re.compile(r"[A-Z<]*")
_COUNTRY = re.compile(r"[A-Z]{1,10}")  # unanchored in the schema: "contains", not "is"
_DOB_BEFORE_1_3 = re.compile(r"(19|20)\d\d(-\d\d){0,2}")
_DOB_FROM_1_3 = re.compile(r"((19|20)\d\d(-\d\d){0,2}){0,1}")
GROUPS = ("v", "t", "r")


@dataclass(frozen=True)
class _Rules:
    max_text: int
    max_dose: int | None
    dob: re.Pattern[str]
    max_entries: int | None


_BEFORE_1_3 = _Rules(max_text=50, max_dose=9, dob=_DOB_BEFORE_1_3, max_entries=None)
_FROM_1_3 = _Rules(max_text=80, max_dose=None, dob=_DOB_FROM_1_3, max_entries=1)


def schema_errors(dcc: object) -> list[str]:
    """Every way ``dcc`` breaks the schema of the version it names; empty when valid."""
    if not isinstance(dcc, Mapping):
        return ["the DCC is not an object"]
    errors: list[str] = []
    version = dcc.get("ver")
    if not isinstance(version, str) or not _VERSION.fullmatch(version):
        return ["ver: missing or not a semantic version"]
    rules = _rules_for(version)
    check = _Checker(rules, errors)
    check.required(dcc, ("ver", "nam", "dob"), "")
    if "nam" in dcc:
        check.person_name(dcc["nam"])
    if "dob" in dcc:
        check.pattern(dcc["dob"], rules.dob, "dob", anchored=True)
    present = [group for group in GROUPS if group in dcc]
    if len(present) != 1:
        errors.append(f"exactly one of v, t, r must be present, found {present or 'none'}")
    entry_checks: dict[str, Callable[[object, str], None]] = {
        "v": check.vaccination,
        "t": check.test,
        "r": check.recovery,
    }
    for group in present:
        check.entries(dcc[group], group, entry_checks[group])
    return errors


def _rules_for(version: str) -> _Rules:
    major, minor = (int(part) for part in re.split(r"\D", version)[:2])
    return _FROM_1_3 if (major, minor) >= (1, 3) else _BEFORE_1_3


class _Checker:
    def __init__(self, rules: _Rules, errors: list[str]) -> None:
        self._rules = rules
        self._errors = errors

    def required(self, value: Mapping[str, Any], names: tuple[str, ...], where: str) -> None:
        for name in names:
            if name not in value:
                self._errors.append(f"{where}{name}: required")

    def text(self, value: object, where: str) -> None:
        if not isinstance(value, str):
            self._errors.append(f"{where}: not text")
        elif len(value) > self._rules.max_text:
            self._errors.append(f"{where}: longer than {self._rules.max_text}")

    def pattern(
        self, value: object, pattern: re.Pattern[str], where: str, *, anchored: bool
    ) -> None:
        if not isinstance(value, str):
            self._errors.append(f"{where}: not text")
            return
        found = pattern.fullmatch(value) if anchored else pattern.search(value)
        if not found:
            self._errors.append(f"{where}: does not match {pattern.pattern}")

    def person_name(self, value: object) -> None:
        if not isinstance(value, Mapping):
            self._errors.append("nam: not an object")
            return
        self.required(value, ("fnt",), "nam.")
        for name in ("fn", "gn"):
            if name in value:
                self.text(value[name], f"nam.{name}")
        for name in ("fnt", "gnt"):
            if name in value:
                self.text(value[name], f"nam.{name}")
                self.pattern(value[name], _TRANSLITERATED, f"nam.{name}", anchored=True)

    def entries(self, value: object, group: str, check: Callable[[object, str], None]) -> None:
        if not isinstance(value, list) or not value:
            self._errors.append(f"{group}: not a non-empty array")
            return
        limit = self._rules.max_entries
        if limit is not None and len(value) > limit:
            self._errors.append(f"{group}: more than {limit} entry")
        for index, entry in enumerate(value):
            check(entry, f"{group}[{index}]")

    def _entry(
        self, entry: object, where: str, required: tuple[str, ...]
    ) -> Mapping[str, Any] | None:
        if not isinstance(entry, Mapping):
            self._errors.append(f"{where}: not an object")
            return None
        self.required(entry, required, f"{where}.")
        for name in ("is", "ci"):
            if name in entry:
                self.text(entry[name], f"{where}.{name}")
        if "co" in entry:
            self.pattern(entry["co"], _COUNTRY, f"{where}.co", anchored=False)
        for name in ("tg", "vp", "mp", "ma", "tt", "tr", "dt", "sc", "fr", "df", "du"):
            if name in entry and not isinstance(entry[name], str):
                self._errors.append(f"{where}.{name}: not text")
        return entry

    def vaccination(self, entry: object, where: str) -> None:
        required = ("tg", "vp", "mp", "ma", "dn", "sd", "dt", "co", "is", "ci")
        fields = self._entry(entry, where, required)
        if fields is None:
            return
        for name in ("dn", "sd"):
            if name in fields:
                self._dose(fields[name], f"{where}.{name}")

    def test(self, entry: object, where: str) -> None:
        fields = self._entry(entry, where, ("tg", "tt", "sc", "tr", "tc", "co", "is", "ci"))
        if fields is None:
            return
        for name in ("tc", "nm"):
            if name in fields:
                self.text(fields[name], f"{where}.{name}")

    def recovery(self, entry: object, where: str) -> None:
        self._entry(entry, where, ("tg", "fr", "co", "is", "df", "du", "ci"))

    def _dose(self, value: object, where: str) -> None:
        maximum = self._rules.max_dose
        if isinstance(value, bool) or not isinstance(value, int):
            self._errors.append(f"{where}: not an integer")
        elif value < 1 or (maximum is not None and value > maximum):
            self._errors.append(f"{where}: outside 1..{maximum or 'any'}")
