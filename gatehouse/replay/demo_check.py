"""Did a demo run decide what the demo manifest says it must? Used by ``gatehouse self-test``."""

from __future__ import annotations

from collections.abc import Iterable

from gatehouse.core.passage import Passage
from gatehouse.core.reasons import ReasonCode
from gatehouse.demo import DemoManifest

FORGERY_REASON = ReasonCode.PASS_SIGNATURE_INVALID


def demo_problems(manifest: DemoManifest, passages: Iterable[Passage]) -> list[str]:
    """Every way ``passages`` (one play-through or more) differ from the manifest; [] is a pass.

    A forged pass is logged without a pass id (nothing in it is believed), so it is recognised by
    its refusal reason instead.
    """
    logged = list(passages)
    problems = []
    for demo in manifest.passes:
        if demo.forged:
            matches = [p for p in logged if FORGERY_REASON in {r.code for r in p.reasons}]
        else:
            matches = [p for p in logged if p.pass_id == demo.pass_id]
        if not matches:
            problems.append(f"{demo.pass_id} ({demo.why}): never logged")
        for passage in matches:
            if passage.outcome is not demo.expected:
                problems.append(
                    f"{demo.pass_id} ({demo.why}): expected {demo.expected.name}, "
                    f"logged {passage.outcome.name}"
                )
    return problems
