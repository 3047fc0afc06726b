"""The canonical JSON a digest is taken of, pinned byte for byte: booths and hubs of every
version must agree, so any faster encoder has to reproduce exactly these texts.

The format: ``json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)`` —
keys sorted by code point, no whitespace, non-ASCII kept as UTF-8 (U+2028 too), control
characters and quotes escaped as JSON requires (``\\u0001``, ``\\t``, ``\\n``), floats as
Python's ``repr`` (``36.6``, ``1e+16``, ``-0.0``), ``null``/``true``/``false``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gatehouse.core.chain import (
    AUDIT_KIND,
    PASSAGE_KIND,
    RecordDigester,
    RecordDigesters,
    canonical_json,
    digest,
    record_digests,
)
from gatehouse.core.passage import PERSONAL_FIELDS

VECTORS: list[tuple[dict[str, Any], str, str]] = [
    (
        {"b": 1, "a": "张三", "c": None, "d": True},
        '{"a":"张三","b":1,"c":null,"d":true}',
        "ec307ff186b39ab0d86b26c3c0ff1e5e4f944834f2cdc6d355c9c83070730bf2",
    ),
    (
        {"t": 36.6, "x": 1e16, "y": -0.0, "z": 0.1},
        '{"t":36.6,"x":1e+16,"y":-0.0,"z":0.1}',
        "88131e99f4ce55954098e243838ea5a0d8e4a7036653ed6af1a949f1778bb8e4",
    ),
    (
        {"s": 'tab\there "quote" \\ back\nline \x01 \u2028 😀'},
        '{"s":"tab\\there \\"quote\\" \\\\ back\\nline \\u0001 \u2028 😀"}',
        "74f98f3579eb2f656118e77bc1945be976fae6134ef30ddb6714e7116347b2b9",
    ),
    (
        {"n": [3, {"k": "v", "a": []}], "e": {}},
        '{"e":{},"n":[3,{"a":[],"k":"v"}]}',
        "cb226b6ea31ef4710f644830a33a7fd8c03f4e3bcb6d6b4b09355dc3d4da182f",
    ),
]


@pytest.mark.parametrize(("record", "text", "sha256"), VECTORS)
def test_canonical_text_and_digest_are_pinned(
    record: dict[str, Any], text: str, sha256: str
) -> None:
    assert canonical_json(record) == text
    assert digest(record) == sha256


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300)
@given(st.dictionaries(st.text(), _JSON, max_size=8))
def test_canonical_text_is_json_dumps_with_the_documented_options(record: dict[str, Any]) -> None:
    """Whatever encoder ``canonical_json`` uses, its text is this one, byte for byte (floats'
    exponents, -0.0, NaN, escapes, astral characters, key order): booths and hubs of every
    version digest the same bytes."""
    reference = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical_json(record) == reference


# Column-like names, the personal fields among them, and any text at all.
_KEYS = st.sampled_from(("passage_id", "decided_at", "temperature_c", *PERSONAL_FIELDS)) | st.text()


@settings(max_examples=300)
@given(st.sampled_from((PASSAGE_KIND, AUDIT_KIND)), st.dictionaries(_KEYS, _JSON, max_size=12))
def test_the_commit_paths_digester_gives_record_digests(kind: str, record: dict[str, Any]) -> None:
    """``RecordDigester`` (a table's rows, keys encoded once) writes the same texts."""
    assert RecordDigester(kind, record.keys())(record) == record_digests(kind, record)


@settings(max_examples=100)
@given(st.dictionaries(_KEYS, _JSON, max_size=8), st.dictionaries(_KEYS, _JSON, max_size=8))
def test_a_record_with_other_keys_is_digested_the_plain_way(
    expected: dict[str, Any], record: dict[str, Any]
) -> None:
    digester = RecordDigester(PASSAGE_KIND, expected.keys())
    assert digester(record) == record_digests(PASSAGE_KIND, record)


def test_a_personal_field_the_table_lacks_is_digested_as_null() -> None:
    record = {"passage_id": "p1", "holder_name": "张伟"}
    digests = RecordDigester(PASSAGE_KIND, record.keys())(record)
    assert digests == record_digests(PASSAGE_KIND, record)


@settings(max_examples=100)
@given(
    st.lists(
        st.tuples(
            st.sampled_from((PASSAGE_KIND, AUDIT_KIND)), st.dictionaries(_KEYS, _JSON, max_size=8)
        ),
        max_size=12,
    )
)
def test_the_digesters_of_a_stream_give_record_digests(
    records: list[tuple[str, dict[str, Any]]],
) -> None:
    """A loop's ``RecordDigesters``: records of mixed kinds and key sets, each as
    ``record_digests`` would digest it (two shapes kept: the rest go the plain way)."""
    digests = RecordDigesters(shapes=2)
    for kind, record in records:
        assert digests(kind, record) == record_digests(kind, record)


def test_a_record_with_an_extra_or_missing_key_after_a_table_shape() -> None:
    """The rows of a table, then one with a column more and one with a column less."""
    row = {"passage_id": "p1", "decided_at": "2026-12-06T10:00:00Z", "holder_name": "张伟"}
    extra = {**row, "temperature_c": 36.6}
    missing = {"passage_id": "p2", "decided_at": "2026-12-06T10:01:00Z"}
    reordered = dict(reversed(row.items()))
    digests = RecordDigesters()
    for record in (row, extra, row, missing, reordered, extra):
        assert digests(PASSAGE_KIND, record) == record_digests(PASSAGE_KIND, record)


def test_an_unknown_kind_is_refused_as_record_digests_refuses_it() -> None:
    with pytest.raises(ValueError, match="unknown record kind 'vehicle'"):
        RecordDigesters()("vehicle", {"id": "v1"})
