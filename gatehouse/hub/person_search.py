"""Finding one person's passages through an index, never a scan of every passage.

A masked ID number (the form booths store) is looked up by ``hub_passages_masked``; any other
text as a pass id, a masked number of another form, or the start of a name (a surname, or the
whole name) by ``hub_passages_name``. A name is matched from its start, not anywhere inside:
"in part anywhere" cannot use an index and costs a scan of the whole table (seconds at a
million passages). On PostgreSQL the name index uses ``text_pattern_ops``, so ``LIKE 'x%'``
uses it whatever the database's collation; on SQLite (binary order, code point by code point)
the prefix is a range.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, Connection, and_, or_

from gatehouse.hub.tables import passages, person_indexes

MASKED_ID = re.compile(r"^\d{6}\*{8}\d{3}[\dX]$")
_LAST_CODE_POINT = 0x10FFFF


def person_condition(person: str, dialect: str) -> ColumnElement[bool]:
    """Passages of ``person``: a masked ID number, a pass id or the start of a name."""
    if MASKED_ID.match(person):
        return passages.c.id_masked == person
    return or_(
        passages.c.pass_id == person,
        passages.c.id_masked == person,
        _name_starts(person, dialect),
    )


def _name_starts(prefix: str, dialect: str) -> ColumnElement[bool]:
    name = passages.c.holder_name
    last = ord(prefix[-1])
    if dialect == "sqlite" and last < _LAST_CODE_POINT:
        return and_(name >= prefix, name < prefix[:-1] + chr(last + 1))
    return name.startswith(prefix, autoescape=True)


def ensure_person_indexes(conn: Connection) -> None:
    """Create the person indexes on a hub database made before they existed (``create_all``
    adds no index to a table that is already there): CREATE INDEX IF NOT EXISTS."""
    for index in person_indexes:
        index.create(conn, checkfirst=True)
