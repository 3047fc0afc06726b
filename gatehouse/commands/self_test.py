"""``gatehouse self-test``: exits 0 only if the booth decides the demo as it must."""

from __future__ import annotations

import argparse
import os


def _self_test(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # runs on a booth PC or a CI box alike
    from gatehouse.ui.self_test import run_self_test

    report = run_self_test(
        speed=args.speed, timeout_s=args.timeout, first_frame_only=args.first_frame
    )
    print(
        f"self-test: {report.verdicts_shown} verdicts shown, "
        f"{report.passages_logged} passages logged"
    )
    for problem in report.problems:
        print(f"  FAILED: {problem}")
    print("self-test passed" if report.passed else "self-test FAILED")
    return 0 if report.passed else 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("self-test", help="run the demo offscreen and check every verdict")
    parser.add_argument("--speed", type=float, default=4.0, help="demo playback speed")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before giving up")
    parser.add_argument(
        "--first-frame",
        action="store_true",
        help="stop at the first camera frame (start-up timing)",
    )
    parser.set_defaults(handler=_self_test)
