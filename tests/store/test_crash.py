"""SIGKILL of the writing process loses no acknowledged passage (see crash_harness)."""

from pathlib import Path

from tests.store.crash_harness import run

RUNS = 10  # the full run is documented in crash_harness


def test_sigkill_at_random_moments_loses_nothing_acknowledged(tmp_path: Path) -> None:
    report = run(tmp_path, RUNS)
    print(f"\n{report}")
    assert report.runs == RUNS
    assert report.acknowledged > 0
    assert (report.lost, report.corrupt, report.chain_broken) == (0, 0, 0), str(report)
    assert report.stored >= report.acknowledged
