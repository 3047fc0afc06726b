"""An option's choices read from a registry only when argparse needs them.

argparse tests a value against the choices, and lists them, only when that command runs or
shows its own help; until then the registry (the thermometer protocols, the pass's enums) is
not imported, so ``gatehouse --version`` and ``--help`` stay fast. The option needs a
``metavar`` (argparse would otherwise list the choices while building the parser) and shows
them through ``%(choices)s`` in its help.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator


class LazyChoices:
    """The names ``load()`` gives, loaded on the first test or listing."""

    def __init__(self, load: Callable[[], Iterable[str]]) -> None:
        self._load = load
        self._names: tuple[str, ...] | None = None

    def _loaded(self) -> tuple[str, ...]:
        if self._names is None:
            self._names = tuple(self._load())
        return self._names

    def __contains__(self, name: object) -> bool:
        return name in self._loaded()

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())
