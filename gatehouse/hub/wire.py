"""What the hub accepts off the wire, before anything else looks at it.

Anybody can reach ``/v1/enrol`` and every booth token holder the rest, so a body is read
chunk by chunk and refused as soon as it passes its endpoint's limit (chunked transfer
included: nothing is buffered past the limit), and parsed JSON is walked once, without
recursion, for what the databases or the code after it cannot take: nesting deeper than
``MAX_DEPTH``, integers outside signed 64 bits, NaN or infinite numbers, text with NUL
(PostgreSQL refuses it) or lone surrogates (not encodable as UTF-8).
"""

from __future__ import annotations

import json
import math
from collections.abc import AsyncIterator
from typing import Any

MAX_DEPTH = 32
INT_RANGE = (-(2**63), 2**63 - 1)


class WireError(ValueError):
    """The body is refused; ``status`` is the HTTP status to answer with (413 or 400)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


async def read_limited(chunks: AsyncIterator[bytes], limit: int) -> bytes:
    """The whole body, or ``WireError(413)`` as soon as more than ``limit`` bytes arrived."""
    body = bytearray()
    async for chunk in chunks:
        body += chunk
        if len(body) > limit:
            raise WireError(413, f"request body over {limit} bytes")
    return bytes(body)


def parse_json(body: bytes, *, check_text: bool = True) -> Any:
    """The JSON value of ``body``; ``WireError(400)`` saying what is wrong with it.

    ``check_text=False`` leaves the text to the caller (an upload refuses a bad item on its
    own, not the whole batch: the booth's good items must still get through)."""
    try:
        value = json.loads(body, parse_constant=_no_constant)
    except RecursionError:
        raise WireError(400, f"request body is nested deeper than {MAX_DEPTH} levels") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise WireError(400, f"request body is not JSON: {exc}") from None
    problem = json_problem(value, check_text=check_text)
    if problem is not None:
        raise WireError(400, f"request body refused: {problem}")
    return value


def json_problem(value: Any, *, check_text: bool = True) -> str | None:
    """The first thing in ``value`` (parsed JSON) the hub cannot take, with where it is."""
    stack: list[tuple[Any, str, int]] = [(value, "$", 1)]
    while stack:
        item, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"nested deeper than {MAX_DEPTH} levels at {where}"
        if isinstance(item, dict):
            for key, inner in item.items():
                problem = text_problem(key) if check_text else None
                if problem is not None:
                    return f"key at {where}: {problem}"
                stack.append((inner, f"{where}.{key}", depth + 1))
        elif isinstance(item, list):
            stack.extend((inner, f"{where}[{i}]", depth + 1) for i, inner in enumerate(item))
        elif isinstance(item, str) and check_text:
            problem = text_problem(item)
            if problem is not None:
                return f"{where}: {problem}"
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int) and not INT_RANGE[0] <= item <= INT_RANGE[1]:
            return f"{where}: integer outside signed 64 bits"
        elif isinstance(item, float) and not math.isfinite(item):
            return f"{where}: number out of range"
    return None


def text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "text contains a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "text contains a lone surrogate (not valid Unicode)"
    return None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
