"""The self-test's judge: it must fail a run that decided anything differently."""

from __future__ import annotations

from gatehouse.core.models import Outcome
from gatehouse.core.passage import Passage
from gatehouse.core.reasons import Reason
from gatehouse.demo import DemoManifest
from gatehouse.replay.demo_check import FORGERY_REASON, demo_problems
from tests.factories import make_passage

FORGERY = Reason(FORGERY_REASON, Outcome.TURN_AWAY, "forged", "伪造")


def as_expected(manifest: DemoManifest) -> list[Passage]:
    return [
        make_passage(pass_id=None, outcome=d.expected, reasons=(FORGERY,))
        if d.forged
        else make_passage(pass_id=d.pass_id, outcome=d.expected)
        for d in manifest.passes
    ]


def test_a_run_as_the_manifest_says_has_no_problems() -> None:
    manifest = DemoManifest.load()
    assert demo_problems(manifest, as_expected(manifest)) == []


def test_a_missing_pass_is_reported() -> None:
    manifest = DemoManifest.load()
    problems = demo_problems(manifest, as_expected(manifest)[1:])
    assert problems == [f"{manifest.passes[0].pass_id} ({manifest.passes[0].why}): never logged"]


def test_a_wrong_outcome_is_reported() -> None:
    manifest = DemoManifest.load()
    passages = as_expected(manifest)
    admitted = next(i for i, d in enumerate(manifest.passes) if d.expected is Outcome.ADMIT)
    passages.append(
        make_passage(pass_id=manifest.passes[admitted].pass_id, outcome=Outcome.TURN_AWAY)
    )
    assert len(demo_problems(manifest, passages)) == 1


def test_an_undetected_forgery_is_reported() -> None:
    manifest = DemoManifest.load()
    passages = [p for p in as_expected(manifest) if p.pass_id is not None]
    assert any("never logged" in p for p in demo_problems(manifest, passages))
