"""No test module reads the wall clock at import: a "now" or "today" made then went stale when a
run crossed China's midnight (16:00 UTC) and broke CI twice. Tests read the time when they run,
or pass a fixed clock."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).parent
# (what is called on, what is called): the calls that read the wall clock.
WALL_CLOCK = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
}


def _reads_wall_clock(call: ast.Call) -> bool:
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    owner = func.value
    name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
    return (name, func.attr) in WALL_CLOCK


def _run_at_import(node: ast.AST) -> Iterator[ast.AST]:
    """``node`` and what under it runs when the module is imported: a function's decorators and
    defaults do, its body and a lambda's body do not; a class body does."""
    yield node
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        arguments = node.args
        under: list[ast.AST | None] = [
            *node.decorator_list,
            *arguments.defaults,
            *arguments.kw_defaults,
        ]
    elif isinstance(node, ast.Lambda):
        under = [*node.args.defaults, *node.args.kw_defaults]
    else:
        under = list(ast.iter_child_nodes(node))
    for child in under:
        if child is not None:
            yield from _run_at_import(child)


def import_time_clock_reads(source: str) -> list[int]:
    """The lines of ``source`` that read the wall clock when the module is imported."""
    return [
        node.lineno
        for node in _run_at_import(ast.parse(source))
        if isinstance(node, ast.Call) and _reads_wall_clock(node)
    ]


def test_no_test_module_reads_the_wall_clock_at_import() -> None:
    found = [
        f"{path.relative_to(TESTS.parent)}:{line}"
        for path in sorted(TESTS.rglob("*.py"))
        for line in import_time_clock_reads(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "read the time when the test runs, or pass a fixed clock: " + ", ".join(
        found
    )


def test_the_scan_finds_import_time_reads_and_leaves_run_time_ones() -> None:
    source = """
import datetime as dt
import time
from datetime import UTC, date, datetime

NOW = datetime.now(UTC)
TODAY = dt.date.today()
class Fixture:
    started = time.time()
    def now(self):
        return datetime.now(UTC)
@pytest.mark.parametrize("moment", [datetime.utcnow()])
def test(moment=date.today()):
    return datetime.now(UTC)
clock = lambda: datetime.now(UTC)
"""
    assert import_time_clock_reads(source) == [6, 7, 9, 12, 13]
