"""``gatehouse setup``: the booth's setup wizard, any time (the first ``gatehouse run`` opens it
by itself)."""

from __future__ import annotations

import argparse
from pathlib import Path


def _setup(args: argparse.Namespace) -> int:
    from gatehouse import config
    from gatehouse.commands.errors import CommandError
    from gatehouse.ui.setup.launch import application, can_ask, run_wizard

    if not can_ask(application()):
        raise CommandError("the setup needs a screen / 设置向导需要显示器 (QT_QPA_PLATFORM)")
    path = config.config_path(args.config)
    saved = run_wizard(path, args.database)
    if saved is None:
        print("setup cancelled, nothing written / 已取消,未保存")
        return 1
    print(f"settings written to {path} / 设置已保存")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("setup", help="the booth's setup wizard (booth, hub, devices, PIN)")
    parser.add_argument("--config", type=Path, help="configuration file (default: per platform)")
    parser.add_argument("--database", type=Path, help="ledger file (overrides the configuration)")
    parser.set_defaults(handler=_setup)
