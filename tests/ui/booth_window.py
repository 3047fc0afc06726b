"""The real booth window, built exactly as the app builds it (``gatehouse.ui.app.build_window``,
hence ``BoothRuntime.from_config``) from a configuration file: what the ``make_booth_window``
fixture hands a test, the way napari's ``make_napari_viewer`` does."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gatehouse import config
from gatehouse.booth.runtime import BoothRuntime, RuntimeOptions
from gatehouse.config import Config
from gatehouse.ui.app import build_window
from gatehouse.ui.bridge import BoothBridge
from gatehouse.ui.main_window import MainWindow

ENGLISH = {"ui": {"language": "en"}}


@dataclass
class BoothWindow:
    """A booth window, its runtime (not started) and the bridge between them."""

    config: Config
    database: Path
    window: MainWindow
    runtime: BoothRuntime
    bridge: BoothBridge
    _stopped: bool = field(default=False, repr=False)

    def stop(self) -> None:
        """Stops the runtime (devices, workers, the ledger) once; the fixture calls it too."""
        if not self._stopped:
            self._stopped = True
            self.runtime.stop()


def booth_window(
    folder: Path, settings: Mapping[str, Any], *, demo: bool, demo_speed: float
) -> BoothWindow:
    """Writes ``settings`` as the configuration file in ``folder``, loads it back as the booth
    does, and builds the window on a ledger in ``folder``."""
    path = folder / "gatehouse.toml"
    config.save(config.from_mapping(settings, environ={}), path)
    loaded = config.load(path, environ={})
    database = folder / "booth.sqlite3"
    options = RuntimeOptions(demo=demo, demo_speed=demo_speed, database=database)
    window, runtime, bridge = build_window(loaded, options)
    return BoothWindow(loaded, database, window, runtime, bridge)


MakeBoothWindow = Callable[..., BoothWindow]
