"""Canonical JSON for the chain's digests: today's encoder beside faster candidates.

A candidate is only worth anything if it gives byte for byte today's text
(``core.chain.canonical_json``, the format pinned in tests/core/test_canonical_vectors.py
and written down in docs/canonical-json.md), so
each is first run over the fixed vectors and a seeded random corpus (nested objects and lists,
non-ASCII and astral text, every control character, quotes and backslashes, U+2028, floats of
every magnitude including -0.0, subnormals, NaN and infinities, 64-bit integers); its
mismatches are counted and the first one shown. Then each digests the same passage records
(encode + SHA-256), as the booth and the hub do for every record.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import time
from collections.abc import Callable, Mapping
from typing import Any

import msgspec
import orjson

from bench.report import Section, table
from gatehouse.core.chain import canonical_json
from gatehouse.store.rows import passage_to_row
from tests.core.test_canonical_vectors import VECTORS
from tests.factories import make_passage

Encoder = Callable[[Mapping[str, Any]], bytes]

_MSGSPEC = msgspec.json.Encoder(order="sorted")
_REUSED = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b"}
_ESCAPES |= {"\f": "\\f"} | {
    chr(c): f"\\u{c:04x}" for c in range(0x20) if chr(c) not in "\n\r\t\b\f"
}


def _hand_written(value: Any) -> str:
    """The format written out by hand, as another implementation (another language) would."""
    if isinstance(value, dict):
        inner = ",".join(f"{_hand_written(k)}:{_hand_written(value[k])}" for k in sorted(value))
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ",".join(_hand_written(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + "".join(_ESCAPES.get(c, c) for c in value) + '"'
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return repr(value)


CANDIDATES: tuple[tuple[str, Encoder], ...] = (
    ("`canonical_json`: json.dumps(sort_keys=True, ...)", lambda r: canonical_json(r).encode()),
    ("one json.JSONEncoder, built once and reused", lambda r: _REUSED.encode(r).encode()),
    ("orjson OPT_SORT_KEYS", lambda r: orjson.dumps(r, option=orjson.OPT_SORT_KEYS)),
    ("msgspec Encoder(order='sorted')", _MSGSPEC.encode),
    ("hand-written Python", lambda r: _hand_written(r).encode()),
)


def _text(rng: random.Random) -> str:
    pools = (
        "abcxyz ",
        "张三李四王五矿井",
        "\"\\/'",
        "".join(chr(c) for c in range(0x20)) + "\x7f\u2028\u2029",
        "😀𠀀\U0010ffff\ufeff",
    )
    return "".join(rng.choice(rng.choice(pools)) for _ in range(rng.randint(0, 12)))


def _float(rng: random.Random) -> float:
    kind = rng.randint(0, 5)
    if kind == 0:
        specials = [0.0, -0.0, 5e-324, 1e16, 1e-7, 1e22, 0.1, 36.6, 2.0**53, 1e-5, 1e-4]
        return rng.choice([*specials, math.nan, math.inf, -math.inf])
    if kind == 1:
        return rng.uniform(30, 45)
    if kind == 2:
        bits = rng.getrandbits(64)
        value = float.fromhex(
            f"{'-' if bits & 1 else ''}0x1.{bits >> 12:013x}p{rng.randint(-1074, 1023)}"
        )
        return value if math.isfinite(value) else 1.5
    return rng.uniform(-1, 1) * 10.0 ** rng.randint(-30, 30)


def _value(rng: random.Random, depth: int) -> Any:
    kind = rng.randint(0, 8 if depth < 4 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.randint(-(2**63), 2**63 - 1) if rng.random() < 0.3 else rng.randint(-999, 999)
    if kind == 3:
        return _float(rng)
    if kind in (4, 5):
        return _text(rng)
    if kind in (6, 7):
        return {_text(rng): _value(rng, depth + 1) for _ in range(rng.randint(0, 6))}
    return [_value(rng, depth + 1) for _ in range(rng.randint(0, 5))]


def corpus(size: int, seed: int = 2026) -> list[dict[str, Any]]:
    """The fixed vectors' records, then ``size`` random records (seeded: the same each run)."""
    rng = random.Random(seed)
    records = [record for record, _, _ in VECTORS]
    records += [
        {_text(rng): _value(rng, 1) for _ in range(rng.randint(1, 10))} for _ in range(size)
    ]
    return records


def _mismatches(encode: Encoder, records: list[dict[str, Any]]) -> tuple[int, str]:
    """How many records ``encode`` writes otherwise than today, and the first, shown."""
    wrong, first = 0, ""
    for record in records:
        expected = canonical_json(record).encode()
        try:
            got = encode(record)
        except (TypeError, ValueError, OverflowError, msgspec.EncodeError) as exc:
            got = f"<{type(exc).__name__}: {exc}>".encode()
        if got != expected:
            wrong += 1
            if not first:
                pairs = zip(got, expected, strict=False)
                at = max(0, next((i for i, (a, b) in enumerate(pairs) if a != b), 0) - 12)
                first = f"`{expected[at : at + 24]!r}` → `{got[at : at + 24]!r}`"
    return wrong, first


def _digest_us(records: list[dict[str, Any]], repeats: int) -> list[float]:
    """µs per record of encode + SHA-256 for each candidate, the fastest of ``repeats``
    passes (the least disturbed on a shared machine), the candidates taking turns in each."""
    runs: list[list[float]] = [[] for _ in CANDIDATES]
    for turn in range(repeats):
        order = list(zip(runs, CANDIDATES, strict=True))
        for times, (_, encode) in order[:: 1 if turn % 2 else -1]:  # first one way, then back
            start = time.perf_counter()
            for record in records:
                hashlib.sha256(encode(record)).hexdigest()
            times.append((time.perf_counter() - start) / len(records) * 1e6)
    return [min(times) for times in runs]


def run(quick: bool) -> list[Section]:
    records = corpus(2_000 if quick else 50_000)
    passages = [passage_to_row(make_passage()) for _ in range(1_000 if quick else 5_000)]
    rows = []
    timings = _digest_us(passages, 15)
    for (name, encode), per_record in zip(CANDIDATES, timings, strict=True):
        wrong, first = _mismatches(encode, records)
        rows.append(
            [
                name,
                f"{wrong:,} of {len(records):,}" + (f": {first}" if first else ""),
                f"{per_record:.2f}",
                f"{timings[0] / per_record:.2f}x",
            ]
        )
    header = ("encoder", "texts unlike today's", "digest µs per passage record", "vs today")
    return [
        Section(
            title="Canonical JSON for digests: candidates side by side",
            method=(
                "`bench/bench_canonical.py`: each candidate encodes the fixed vectors of "
                "tests/core/test_canonical_vectors.py and a seeded random corpus of "
                f"{len(records) - len(VECTORS):,} records (nested objects and lists, Chinese, "
                "astral and control characters, quotes, backslashes, U+2028, floats of every "
                "magnitude with -0.0, subnormals, NaN and infinities, 64-bit integers); any "
                "text unlike `canonical_json`'s is counted and the first "
                "shown (expected → got). Then each digests "
                f"{len(passages):,} passage records (encode + SHA-256; fastest of 15 passes, "
                "the candidates taking turns, in alternating order). Only a candidate with no "
                "differing text may replace the encoder: orjson and msgspec differ in float "
                "exponents (`1e-07`, `1e+16`) and write NaN and infinities as `null`."
            ),
            body=table(header, rows),
        )
    ]
