"""``gatehouse run`` and ``gatehouse demo``: the booth window."""

from __future__ import annotations

import argparse
from pathlib import Path


def full_screen(command: str, setting: str, asked: str | None) -> bool:
    """Whether the window fills the screen: what was asked on the command line, else ``[ui]
    window``, else full screen for the booth (``run``) and a window for ``demo``."""
    mode = asked or setting
    if mode == "auto":
        return command == "run"
    return mode == "full_screen"


def child_arguments(args: argparse.Namespace) -> list[str]:
    """The same command without ``--keep-running``: what the supervisor restarts."""
    argv = [args.command, "--speed", str(args.speed)]
    for option in ("config", "database"):
        value = getattr(args, option)
        if value is not None:
            argv += [f"--{option}", str(value)]
    if args.window is not None:
        argv.append("--" + args.window.replace("_", "-"))
    return argv


def _run(args: argparse.Namespace, demo: bool | None) -> int:
    if args.keep_running:
        from gatehouse.booth.keep_running import keep_running
        from gatehouse.setup.autostart import launcher

        return keep_running([*launcher(), *child_arguments(args)])
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
    filling = full_screen(args.command, cfg.ui.window, args.window)
    return run_booth(cfg, options, full_screen=filling)


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, help="configuration file (default: gatehouse.toml per platform)"
    )
    parser.add_argument(
        "--database",
        type=Path,
        help="ledger file (default: from the configuration; the demo: its own, in a demo folder)",
    )
    parser.add_argument(
        "--speed", type=float, default=1.0, help="demo video playback speed (default: 1.0)"
    )
    window = parser.add_mutually_exclusive_group()
    window.add_argument(
        "--full-screen",
        dest="window",
        action="store_const",
        const="full_screen",
        help="fill the screen (default for run, or as [ui] window says)",
    )
    window.add_argument(
        "--windowed",
        dest="window",
        action="store_const",
        const="windowed",
        help="a window (default for demo, or as [ui] window says)",
    )
    parser.add_argument(
        "--keep-running",
        action="store_true",
        help="restart the booth if it crashes (the autostart entry uses this; default: off)",
    )
    parser.set_defaults(log_file=True)  # the booth keeps the rotating log file


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = sub.add_parser("run", help="run the booth (demo mode when no webcam is attached)")
    _add_run_options(run)
    run.set_defaults(handler=lambda a: _run(a, demo=None))

    demo = sub.add_parser("demo", help="run the booth on the demo video and thermometer")
    _add_run_options(demo)
    demo.set_defaults(handler=lambda a: _run(a, demo=True))
