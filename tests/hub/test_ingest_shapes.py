"""Ingest digests an upload's records with one digester per shape: records whose keys differ
from their neighbours' are still checked exactly as ``record_digests`` checks them, and a
changed record is rejected whatever its shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gatehouse.hub.service import Hub
from tests.hub.test_hostile import BOOTH, _chain, _records

MISMATCH = "record content does not match the digests in its link"


def _upload(hub: Hub, items: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    hub.enrol(BOOTH, hub.create_enrolment_code(BOOTH))
    return [(r.status, r.reason) for r in hub.upload(BOOTH, items)]


def test_records_with_an_extra_or_missing_key_among_a_tables_rows_are_taken(hub: Hub) -> None:
    """An older booth's record lacks a field, a newer one's has one more: each is chained over
    what it holds, so each is taken between the usual rows."""
    usual, extra, missing, last = _records(4)
    extra["seen_by"] = "camera-2"
    del missing["temperature_c"]
    assert _upload(hub, _chain([usual, extra, missing, last])) == [("ack", None)] * 4


def _extra_key(record: dict[str, Any]) -> None:
    record["seen_by"] = "camera-2"


def _missing_key(record: dict[str, Any]) -> None:
    del record["temperature_c"]


def _edited(record: dict[str, Any]) -> None:
    record["outcome"] = "ADMIT" if record["outcome"] != "ADMIT" else "REFER"


def _edited_name(record: dict[str, Any]) -> None:
    record["holder_name"] = "李四"


@pytest.mark.parametrize("change", [_extra_key, _missing_key, _edited, _edited_name])
def test_a_record_changed_after_chaining_is_rejected_after_usual_rows(
    hub: Hub, change: Callable[[dict[str, Any]], None]
) -> None:
    """Three usual rows (the shape the upload's digester keeps), then the fourth changed
    after its link was made: rejected as not matching its link."""
    items = _chain(_records(4))
    change(items[3]["record"])
    assert _upload(hub, items) == [("ack", None)] * 3 + [("rejected", MISMATCH)]
