"""The passage search form as a ``PassageQuery``: local dates to UTC bounds, a person's full
ID number to its masked form, a mine to its booths, the page key from the link."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from gatehouse.core.models import Outcome, Role
from gatehouse.hub.service import PassageQuery, iso

PAGE_SIZE = 50
ROLES = (*(role.value for role in Role), "vehicle")
OUTCOMES = tuple(outcome.name for outcome in Outcome)
_FULL_ID = re.compile(r"^\d{17}[\dX]$")
_NEWEST = ("9999-12-31T23:59:59", "")


class SearchError(ValueError):
    """A field the office typed cannot be read: ``key`` (i18n) and ``value`` say which."""

    def __init__(self, key: str, value: str) -> None:
        super().__init__(f"{key}: {value}")
        self.key = key
        self.value = value


@dataclass(frozen=True)
class Search:
    query: PassageQuery
    fields: dict[str, str]  # the form as typed, to fill it again and build page links


def masked(person: str) -> str:
    """A full 18-character ID number as the booths mask it; anything else unchanged."""
    compact = "".join(person.split()).upper()
    return f"{compact[:6]}{'*' * 8}{compact[-4:]}" if _FULL_ID.match(compact) else person


def _day(text: str, zone: tzinfo) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.combine(date.fromisoformat(text), time(), zone)
    except ValueError:
        raise SearchError("bad_date", text) from None


def parse_search(
    params: Mapping[str, str], zone: tzinfo, booth_ids: Sequence[str] | None
) -> Search:
    """The form's query over ``booth_ids`` (the booths the user may see; ``None``: all)."""
    names = ("since", "until", "booth", "mine", "person", "outcome", "reason", "role")
    fields = {name: params.get(name, "").strip() for name in names}
    since, until = _day(fields["since"], zone), _day(fields["until"], zone)
    booth = fields["booth"] or None
    if booth_ids is not None:
        booth_ids = tuple(b for b in booth_ids if booth in (None, b))
    elif booth:
        booth_ids = (booth,)
    before = _NEWEST
    if "before" in params:
        at, _, passage_id = params["before"].partition("|")
        before = (at, passage_id)
    query = PassageQuery(
        booth_ids=tuple(booth_ids) if booth_ids is not None else None,
        since=iso(since) if since else None,
        until=iso(until + timedelta(days=1)) if until else None,
        person=masked(fields["person"]) or None,
        outcome=fields["outcome"] if fields["outcome"] in OUTCOMES else None,
        reason=fields["reason"] or None,
        role=fields["role"] if fields["role"] in ROLES else None,
        before=before,
        limit=PAGE_SIZE,
    )
    return Search(query, fields)


def page_key(record: Mapping[str, Any]) -> str:
    """The link to the page after ``record`` (the last of this page)."""
    return f"{record['decided_at']}|{record['passage_id']}"
