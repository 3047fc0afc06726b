"""``gatehouse install-autostart``: start the booth at login and restart it if it dies."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _install(args: argparse.Namespace) -> int:
    from gatehouse.setup.autostart import install_autostart, remove_autostart

    if not sys.platform.startswith("linux"):
        print(
            "gatehouse: install-autostart writes a Linux (XDG) autostart entry; on Windows "
            "follow docs/booth-pc.md (Startup folder or scheduled task)",
            file=sys.stderr,
        )
        return 1
    if args.remove:
        removed = remove_autostart()
        print(f"removed / 已删除: {removed}" if removed else "no autostart entry / 没有自启动项")
        return 0
    arguments = ["demo" if args.demo else "run", "--keep-running"]
    if args.config is not None:
        arguments += ["--config", str(args.config.resolve())]
    path = install_autostart(arguments)
    print(f"the booth starts at login / 登录后自动启动岗亭: {path}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "install-autostart",
        help="start the booth at login, restarted if it crashes (Linux desktop autostart)",
    )
    parser.add_argument(
        "--config", type=Path, help="configuration file (default: gatehouse.toml per platform)"
    )
    parser.add_argument(
        "--demo", action="store_true", help="start the demo instead of the booth (default: off)"
    )
    parser.add_argument(
        "--remove", action="store_true", help="remove the autostart entry (default: off)"
    )
    parser.set_defaults(handler=_install)
