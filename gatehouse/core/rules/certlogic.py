"""CertLogic 1.3 (the JsonLogic subset of the EU DCC business rules): a safe expression language.

Rule packs may carry an expression for what the built-in rule kinds cannot say. Expressions are
JSON data walked by this small interpreter: no ``eval``, no attribute access, no loops beyond
``reduce`` over data that is already there, so a pack can never run code on the booth.
Conformance is tested against the CertLogic suite in ``shared/testdata/certlogic``.

``validate`` finds structural problems before anything is evaluated; ``evaluate`` raises
``CertLogicError`` for an invalid expression or a type mismatch found while evaluating. The
caller turns that into an OPEN result (refer to a supervisor), never into a pass.
"""

from __future__ import annotations

import calendar
import itertools
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

JsonValue = Any  # JSON values: None, bool, int, str, list, dict (plus date-times inside)

COMPARISONS = ("<", ">", "<=", ">=")
DATE_COMPARISONS = {"after": ">", "before": "<", "not-after": "<=", "not-before": ">="}
_INFIX = ("===", "and", "in", "+", *COMPARISONS, *DATE_COMPARISONS)
_OTHERS = ("var", "if", "!", "plusTime", "dccDateOfBirth", "reduce", "extractFromUVCI")
OPERATORS = frozenset((*_INFIX, *_OTHERS))
TIME_UNITS = ("year", "month", "day", "hour")
_PATH = re.compile(r"^([^.]+(\.[^.]+)*)?$")
_DATE_TIME = re.compile(
    r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?"
    r"(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{1,2}(?::?\d{2})?)?)?$"
)


class CertLogicError(ValueError):
    """The expression is invalid, or its operands have types the operation does not accept."""


def _is_int(value: object) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def is_truthy(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str | list | dict):
        return len(value) > 0
    return _is_int(value) and value != 0


def is_falsy(value: object) -> bool:
    if isinstance(value, bool):
        return not value
    if value is None:
        return True
    if isinstance(value, str | list | dict):
        return len(value) == 0
    return _is_int(value) and value == 0


# -- validation --


def validate(expr: JsonValue) -> list[str]:
    """Every structural problem in ``expr`` (empty: valid), checked before any evaluation."""
    issues: list[str] = []
    _validate(expr, issues)
    return issues


def _validate(expr: JsonValue, issues: list[str]) -> None:
    if expr is None:
        issues.append("invalid CertLogic expression")
    elif isinstance(expr, float) and not expr.is_integer():
        issues.append(f"{expr} is a non-integer number")
    elif isinstance(expr, list):
        for item in expr:
            _validate(item, issues)
    elif isinstance(expr, dict):
        _validate_operation(expr, issues)


def _validate_operation(expr: dict[str, JsonValue], issues: list[str]) -> None:
    if len(expr) != 1:
        issues.append(f"expression object must have exactly one key, but it has {len(expr)}")
        return
    ((operator, values),) = expr.items()
    if operator == "var":
        if not isinstance(values, str):
            issues.append('not of the form { "var": "<path>" }')
        elif not _PATH.match(values):
            issues.append(f"data access path doesn't have a valid format: {values}")
        return
    if not isinstance(values, list):
        issues.append('operation not of the form { "<operator>": [ <values...> ] }')
        return
    if operator not in OPERATORS:
        issues.append(f'unrecognised operator: "{operator}"')
        return
    for value in values:
        _validate(value, issues)


# -- evaluation --


def evaluate(expr: JsonValue, data: JsonValue) -> JsonValue:
    """The value of ``expr`` on the data context ``data``; CertLogicError if it cannot be had."""
    if isinstance(expr, str | bool) or _is_int(expr):
        return expr
    if expr is None:
        raise CertLogicError("invalid CertLogic expression: null")
    if isinstance(expr, list):
        return [evaluate(item, data) for item in expr]
    if not isinstance(expr, dict):
        raise CertLogicError(f"invalid CertLogic expression: {expr!r}")
    if len(expr) != 1:
        raise CertLogicError(f"expression object must have exactly one key, but it has {len(expr)}")
    ((operator, values),) = expr.items()
    if operator == "var":
        return _var(values, data)
    if not isinstance(values, list) or not values:
        raise CertLogicError('operation not of the form { "<operator>": [ <values...> ] }')
    operation = _OPERATIONS.get(operator)
    if operation is None:
        raise CertLogicError(f'unrecognised operator: "{operator}"')
    return operation(values, data)


def _var(path: JsonValue, data: JsonValue) -> JsonValue:
    if not isinstance(path, str):
        raise CertLogicError('not of the form { "var": "<path>" }')
    if path == "":
        return data
    value = data
    for fragment in path.split("."):
        if value is None:
            return None
        if isinstance(value, list):
            index = int(fragment) if fragment.isdigit() else None
            value = value[index] if index is not None and index < len(value) else None
        elif isinstance(value, dict):
            value = value.get(fragment)
        else:
            return None
    return value


def _if(values: list[JsonValue], data: JsonValue) -> JsonValue:
    if len(values) != 3:
        raise CertLogicError('an "if" operation must have exactly 3 operands')
    guard = evaluate(values[0], data)
    if is_truthy(guard):
        return evaluate(values[1], data)
    if is_falsy(guard):
        return evaluate(values[2], data)
    raise CertLogicError(f"if-guard evaluates to something neither truthy, nor falsy: {guard!r}")


def _not(values: list[JsonValue], data: JsonValue) -> bool:
    if len(values) != 1:
        raise CertLogicError('a "!" operation must have exactly 1 operand')
    operand = evaluate(values[0], data)
    if is_falsy(operand):
        return True
    if is_truthy(operand):
        return False
    raise CertLogicError(
        f"operand of ! evaluates to something neither truthy, nor falsy: {operand!r}"
    )


def _and(values: list[JsonValue], data: JsonValue) -> JsonValue:
    if len(values) < 2:
        raise CertLogicError('an "and" operation must have at least 2 operands')
    result: JsonValue = True
    for value in values:
        if is_falsy(result):
            return result
        if not is_truthy(result):
            raise CertLogicError('all operands of an "and" operation must be truthy or falsy')
        result = evaluate(value, data)
    return result


def _operands(values: list[JsonValue], data: JsonValue, low: int, high: int) -> list[JsonValue]:
    if not low <= len(values) <= high:
        raise CertLogicError(f"operation must have {low}-{high} operands, has {len(values)}")
    return [evaluate(value, data) for value in values]


def _strict_equal(a: JsonValue, b: JsonValue) -> bool:
    """JavaScript ``===``: same type and value for scalars, the very same object otherwise."""
    if a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if _is_int(a) and _is_int(b):
        return bool(a == b)
    return a is b


def _equal(values: list[JsonValue], data: JsonValue) -> bool:
    a, b = _operands(values, data, 2, 2)
    return _strict_equal(a, b)


def _in(values: list[JsonValue], data: JsonValue) -> bool:
    needle, haystack = _operands(values, data, 2, 2)
    if not isinstance(haystack, list):
        raise CertLogicError('right-hand side of an "in" operation must be an array')
    return any(_strict_equal(needle, item) for item in haystack)


def _plus(values: list[JsonValue], data: JsonValue) -> int:
    a, b = _operands(values, data, 2, 2)
    if not (_is_int(a) and _is_int(b)):
        raise CertLogicError("operands of + must both be integers")
    return int(a) + int(b)


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
}


def _chain(operator: str, operands: Sequence[Any]) -> bool:
    compare = _COMPARE[operator]
    return all(compare(a, b) for a, b in itertools.pairwise(operands))


def _comparison(operator: str) -> Callable[[list[JsonValue], JsonValue], bool]:
    def compare(values: list[JsonValue], data: JsonValue) -> bool:
        operands = _operands(values, data, 2, 3)
        if not all(_is_int(value) for value in operands):
            raise CertLogicError(f"all operands of {operator} must be integers")
        return _chain(operator, operands)

    return compare


def _date_comparison(operator: str) -> Callable[[list[JsonValue], JsonValue], bool]:
    def compare(values: list[JsonValue], data: JsonValue) -> bool:
        operands = _operands(values, data, 2, 3)
        if not all(isinstance(value, datetime) for value in operands):
            raise CertLogicError(f"all operands of {operator} must be date-times")
        return _chain(DATE_COMPARISONS[operator], operands)

    return compare


def _plus_time(values: list[JsonValue], data: JsonValue) -> datetime:
    if len(values) != 3:
        raise CertLogicError('a "plusTime" operation must have exactly 3 operands')
    operand, amount, unit = values
    if not _is_int(amount):
        raise CertLogicError('"plusTime" amount must be an integer literal')
    if unit not in TIME_UNITS:
        raise CertLogicError(f'"plusTime" unit must be one of {", ".join(TIME_UNITS)}')
    text = evaluate(operand, data)
    if not isinstance(text, str):
        raise CertLogicError('"plusTime" operand must evaluate to a date(-time) string')
    return plus_time(parse_date_time(text), int(amount), unit)


def _date_of_birth(values: list[JsonValue], data: JsonValue) -> datetime:
    if len(values) != 1:
        raise CertLogicError('a "dccDateOfBirth" operation must have exactly 1 operand')
    text = evaluate(values[0], data)
    if not isinstance(text, str):
        raise CertLogicError('"dccDateOfBirth" operand must evaluate to a string')
    return parse_date_time(text)


def _reduce(values: list[JsonValue], data: JsonValue) -> JsonValue:
    if len(values) != 3:
        raise CertLogicError('a "reduce" operation must have exactly 3 operands')
    operand, lambda_, initial = values
    items = evaluate(operand, data)
    accumulator = evaluate(initial, data)
    if items is None:
        return accumulator
    if not isinstance(items, list):
        raise CertLogicError('operand of a "reduce" operation must be an array')
    for current in items:
        accumulator = evaluate(lambda_, {"accumulator": accumulator, "current": current})
    return accumulator


def _extract_from_uvci(values: list[JsonValue], data: JsonValue) -> str | None:
    if len(values) != 2:
        raise CertLogicError('an "extractFromUVCI" operation must have exactly 2 operands')
    operand, index = values
    if not _is_int(index):
        raise CertLogicError('"extractFromUVCI" index must be an integer literal')
    text = evaluate(operand, data)
    if text is None:
        return None
    if not isinstance(text, str):
        raise CertLogicError('"extractFromUVCI" operand must be a string or null')
    fragments = re.split(r"[/#:]", text.removeprefix("URN:UVCI:"))
    position = int(index)
    return fragments[position] if 0 <= position < len(fragments) else None


_OPERATIONS: dict[str, Callable[[list[JsonValue], JsonValue], JsonValue]] = {
    "if": _if,
    "!": _not,
    "and": _and,
    "===": _equal,
    "in": _in,
    "+": _plus,
    **{operator: _comparison(operator) for operator in COMPARISONS},
    **{operator: _date_comparison(operator) for operator in DATE_COMPARISONS},
    "plusTime": _plus_time,
    "dccDateOfBirth": _date_of_birth,
    "reduce": _reduce,
    "extractFromUVCI": _extract_from_uvci,
}


# -- date-times --


def parse_date_time(text: str) -> datetime:
    """A CertLogic date(-time) string as an aware UTC datetime at millisecond precision.

    Partial dates take the last day they allow (``2004`` is 2004-12-31), as ``dccDateOfBirth``
    defines; a missing offset means UTC.
    """
    match = _DATE_TIME.match(text)
    if match is None:
        raise CertLogicError(f"not a date(-time) in an allowed format: {text!r}")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    year_n = int(year)
    month_n = int(month) if month else 12
    day_n = int(day) if day else calendar.monthrange(year_n, month_n)[1]
    millis = int((fraction or "0")[:3].ljust(3, "0"))
    try:
        moment = datetime(
            year_n,
            month_n,
            day_n,
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            millis * 1000,
            tzinfo=_offset(offset),
        )
    except ValueError as exc:
        raise CertLogicError(f"not a valid date(-time): {text!r}") from exc
    return moment.astimezone(UTC)


def _offset(text: str | None) -> timezone:
    if not text or text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = (digits, "0") if len(digits) <= 2 else (digits[:-2], digits[-2:])
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))


def plus_time(moment: datetime, amount: int, unit: str) -> datetime:
    """JavaScript ``Date.setUTC<unit>(get + amount)`` semantics: overflowing days roll over."""
    if unit == "hour":
        return moment + timedelta(hours=amount)
    if unit == "day":
        return moment + timedelta(days=amount)
    months = amount * 12 if unit == "year" else amount
    total = moment.year * 12 + (moment.month - 1) + months
    year, month = divmod(total, 12)
    first = moment.replace(year=year, month=month + 1, day=1)
    return first + timedelta(days=moment.day - 1)
