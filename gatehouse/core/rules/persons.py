"""Person lists matched by a keyed hash of the resident ID number, never by the number itself.

A plain SHA-256 of an 18-digit ID number is brute-forced in minutes (birth date and region are
guessable), so lists carry HMAC-SHA256 under the mine's secret: only the office and its booths
can link an entry to a person. The ID number's ISO 7064 MOD 11-2 check character is validated
first, so a mistyped number is reported as such instead of silently matching nothing.

Lists (published together by the epidemic office): home isolation (never passes), approved
visitors (validity window, host, approval id), the contractor ledger (company, project,
itinerary) and the employee roster.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any, TypeVar

LISTS_FORMAT = "gatehouse-person-lists/1"
_WEIGHTS = tuple(pow(2, 17 - position, 11) for position in range(17))
_CHECK_CHARS = "10X98765432"
_KEY_CHECK_LABEL = b"gatehouse person-list key check"
_T = TypeVar("_T")


class IdNumberError(ValueError):
    """Not a valid 18-digit resident ID number; the message says what is wrong."""


def normalise_id_number(text: str) -> str:
    """The ID number in canonical form (no spaces, capital X), or IdNumberError."""
    number = "".join(text.split()).upper()
    if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789X":
        raise IdNumberError("ID number must be 17 digits and a check digit or X (18 characters)")
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError("ID number holds no valid birth date") from None
    if check_character(number[:17]) != number[17]:
        raise IdNumberError("ID number check digit is wrong (mistyped?)")
    return number


def mask_id_number(id_number: str) -> str:
    """The form shown on screens, passes and reports: first 4 and last 4 kept, e.g.
    6101**********1234, so a stored or printed row never holds the whole number."""
    if len(id_number) < 9:
        raise ValueError("ID number too short to mask")
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits (GB 11643)."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def id_hash(secret: bytes, id_number: str) -> str:
    """The keyed hash lists are matched by: hex HMAC-SHA256 of the normalised number."""
    normalised = normalise_id_number(id_number)
    return hmac.new(secret, normalised.encode("ascii"), hashlib.sha256).hexdigest()


def key_check(secret: bytes) -> str:
    """A short value that shows which secret a list was hashed with, without revealing it."""
    return hmac.new(secret, _KEY_CHECK_LABEL, hashlib.sha256).hexdigest()[:16]


@dataclass(frozen=True)
class IsolationEntry:
    id_hash: str
    until: date | None  # first day the person may pass again; None until removed

    def in_force_on(self, day: date) -> bool:
        return self.until is None or day < self.until


@dataclass(frozen=True)
class VisitorApproval:
    id_hash: str
    valid_from: datetime
    valid_until: datetime
    host: str
    approval_id: str

    def valid_at(self, moment: datetime) -> bool:
        return self.valid_from <= moment < self.valid_until


@dataclass(frozen=True)
class ContractorEntry:
    """A registered contractor. ``valid_from``/``valid_until`` are China calendar days, both
    inclusive (the console's validity); None is no limit, as in lists published before dates
    were carried, so the booth judges the contract on the day of the passage, not of the publish.
    """

    id_hash: str
    company: str
    project: str
    itinerary: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True)
class EmployeeEntry:
    id_hash: str
    employee_no: str
    department: str = ""


@dataclass(frozen=True)
class ListMatch:
    """What the lists say about one ID number."""

    isolation: IsolationEntry | None = None
    visitor: VisitorApproval | None = None
    contractor: ContractorEntry | None = None
    employee: EmployeeEntry | None = None


class PersonListError(ValueError):
    """A list document that cannot be read or was hashed with another secret."""


@dataclass(frozen=True)
class PersonLists:
    """One published version of the four lists, indexed by keyed hash."""

    version: str
    published_at: datetime
    key_check: str
    isolation: dict[str, IsolationEntry] = field(default_factory=dict, repr=False)
    visitors: dict[str, VisitorApproval] = field(default_factory=dict, repr=False)
    contractors: dict[str, ContractorEntry] = field(default_factory=dict, repr=False)
    employees: dict[str, EmployeeEntry] = field(default_factory=dict, repr=False)

    @classmethod
    def empty(cls, secret: bytes = b"") -> PersonLists:
        return cls("none", datetime(1970, 1, 1, tzinfo=UTC), key_check(secret))

    def hashed_with(self, secret: bytes) -> bool:
        return hmac.compare_digest(self.key_check, key_check(secret))

    def match(self, hashed: str) -> ListMatch:
        return ListMatch(
            self.isolation.get(hashed),
            self.visitors.get(hashed),
            self.contractors.get(hashed),
            self.employees.get(hashed),
        )

    def __len__(self) -> int:
        return (
            len(self.isolation) + len(self.visitors) + len(self.contractors) + len(self.employees)
        )

    @classmethod
    def from_json(cls, text: str) -> PersonLists:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != LISTS_FORMAT:
            raise PersonListError(f"not a {LISTS_FORMAT} document")
        try:
            published_at = datetime.fromisoformat(data["published_at"])
            return cls(
                version=str(data["version"]),
                published_at=published_at,
                key_check=str(data["key_check"]),
                isolation=_index("isolation", data.get("isolation", []), _isolation),
                visitors=_index("visitors", data.get("visitors", []), _visitor),
                contractors=_index("contractors", data.get("contractors", []), _contractor),
                employees=_index("employees", data.get("employees", []), _employee),
            )
        except KeyError as exc:
            raise PersonListError(f"person lists are malformed: missing field {exc}") from exc
        except (TypeError, ValueError) as exc:
            raise PersonListError(f"person lists are malformed: {exc}") from exc

    def to_json(self) -> str:
        def rows(entries: Iterable[Any]) -> list[dict[str, Any]]:
            return [_row(entry) for entry in entries]

        return json.dumps(
            {
                "format": LISTS_FORMAT,
                "version": self.version,
                "published_at": self.published_at.isoformat(),
                "key_check": self.key_check,
                "isolation": rows(self.isolation.values()),
                "visitors": rows(self.visitors.values()),
                "contractors": rows(self.contractors.values()),
                "employees": rows(self.employees.values()),
            },
            ensure_ascii=False,
            indent=1,
        )


def _index(
    kind: str, rows: list[dict[str, Any]], build: Callable[[dict[str, Any]], _T]
) -> dict[str, _T]:
    """The list's entries by keyed hash; ValueError naming the list and row (from 1) that
    cannot be read, so the refusal says which entry to fix."""
    index: dict[str, _T] = {}
    for number, row in enumerate(rows, start=1):
        try:
            hashed = str(row["id_hash"])
            if len(hashed) != 64:
                raise ValueError(f"id_hash {hashed[:12]}… is not a hex HMAC-SHA256")
            index[hashed] = build(row)
        except KeyError as exc:
            raise ValueError(f"{kind} row {number}: missing field {exc}") from exc
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{kind} row {number}: {exc}") from exc
    return index


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} needs a UTC offset")
    return moment


def _isolation(row: dict[str, Any]) -> IsolationEntry:
    until = row.get("until")
    return IsolationEntry(row["id_hash"], date.fromisoformat(until) if until else None)


def _visitor(row: dict[str, Any]) -> VisitorApproval:
    return VisitorApproval(
        row["id_hash"],
        _aware(row["valid_from"]),
        _aware(row["valid_until"]),
        str(row["host"]),
        str(row["approval_id"]),
    )


def _contractor(row: dict[str, Any]) -> ContractorEntry:
    entry = ContractorEntry(
        row["id_hash"],
        str(row["company"]),
        str(row["project"]),
        tuple(row.get("itinerary", ())),
        _day(row.get("valid_from")),
        _day(row.get("valid_until")),
    )
    if entry.valid_from and entry.valid_until and entry.valid_until < entry.valid_from:
        raise ValueError(f"valid_until {entry.valid_until} is before valid_from {entry.valid_from}")
    return entry


def _day(value: Any) -> date | None:
    """An optional calendar day: absent or null is no limit; anything else must be a date."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date (2026-12-06)")
    return date.fromisoformat(value)


def _employee(row: dict[str, Any]) -> EmployeeEntry:
    return EmployeeEntry(row["id_hash"], str(row["employee_no"]), str(row.get("department", "")))


def _row(entry: Any) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, value in vars(entry).items():
        if isinstance(value, date | datetime):
            row[name] = value.isoformat()
        elif isinstance(value, tuple):
            row[name] = list(value)
        else:
            row[name] = value
    return row


def merge_lists(office: PersonLists | None, local: PersonLists | None) -> PersonLists | None:
    """The office's lists (hub bundle) together with the mine's own (supervisor's import).

    Precedence, so that a local list can only add caution or the mine's own approvals:
    - home isolation: both apply; for a person on both, the later ``until`` (open beats dated).
      A local list never releases someone the office isolates.
    - visitors and contractors: the mine approves its own visitors and registers its own
      contractors, so a local entry replaces the office's entry for the same person, with one
      exception that fails closed: a contract day the mine's row leaves open (no
      ``valid_from``/``valid_until``) is taken from the office's row for that person. An empty
      cell in a spreadsheet is silence, not an extension; reading it as "no limit" would
      re-admit a contractor whose contract the office has ended. A day the mine does write wins
      (the mine's own registration, e.g. an extension it negotiated), as before.
    - employees: the office's roster only (there is no local roster).
    Staleness and the hash key are the office's when it sent lists (its isolation list must stay
    current); a booth with local lists only is as current as its latest import.
    """
    if local is None:
        return office
    if office is None:
        return local
    isolation = dict(office.isolation)
    for hashed, entry in local.isolation.items():
        held = isolation.get(hashed)
        if held is None or _later(entry.until, held.until):
            isolation[hashed] = entry
    return PersonLists(
        version=f"{office.version}+local-{local.version}",
        published_at=office.published_at,
        key_check=office.key_check,
        isolation=isolation,
        visitors={**office.visitors, **local.visitors},
        contractors={
            **office.contractors,
            **{
                hashed: _within_office_days(entry, office.contractors.get(hashed))
                for hashed, entry in local.contractors.items()
            },
        },
        employees=dict(office.employees),
    )


def _within_office_days(mine: ContractorEntry, office: ContractorEntry | None) -> ContractorEntry:
    """The mine's row, with each contract day it leaves open taken from the office's row."""
    if office is None:
        return mine
    return replace(
        mine,
        valid_from=mine.valid_from if mine.valid_from is not None else office.valid_from,
        valid_until=mine.valid_until if mine.valid_until is not None else office.valid_until,
    )


def _later(candidate: date | None, held: date | None) -> bool:
    if held is None:
        return False
    return candidate is None or candidate > held
