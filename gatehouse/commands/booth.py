"""``gatehouse run`` and ``gatehouse demo``: the booth window."""

from __future__ import annotations

import argparse
from pathlib import Path


def _run(args: argparse.Namespace, demo: bool | None) -> int:
    from gatehouse import config
    from gatehouse.booth.runtime import RuntimeOptions
    from gatehouse.ui.app import run_booth  # Qt is loaded only by the commands that show a window

    path = config.config_path(args.config)
    if demo is not True and not path.exists():  # the first run: the setup wizard, if it can ask
        from gatehouse.ui.setup.launch import first_run

        cfg = first_run(path, args.database)
    else:
        cfg = config.load(path)
    options = RuntimeOptions(demo=demo, demo_speed=args.speed, database=args.database)
    return run_booth(cfg, options)


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="configuration file (default: per platform)")
    parser.add_argument("--database", type=Path, help="ledger file (overrides the configuration)")
    parser.add_argument(
        "--speed", type=float, default=1.0, help="demo video playback speed (default 1.0)"
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = sub.add_parser("run", help="run the booth (demo mode when no webcam is attached)")
    _add_run_options(run)
    run.set_defaults(handler=lambda a: _run(a, demo=None))

    demo = sub.add_parser("demo", help="run the booth on the demo video and thermometer")
    _add_run_options(demo)
    demo.set_defaults(handler=lambda a: _run(a, demo=True))
