"""An EU DCC decided by a pack with the ``dcc_value_sets`` rule, as a booth decides it: a real
HC1 text signed with a real DSC, read by ``read_code`` and decided by ``decide``."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from gatehouse.core.code_reader import TrustMaterial, read_code
from gatehouse.core.dcc.value_sets import DccValueSets
from gatehouse.core.decision import decide
from gatehouse.core.models import TemperatureReading
from gatehouse.core.reasons import Reason
from gatehouse.core.rules.pack import RuleSpec
from gatehouse.core.rules.scanned import evidence_from_code

from .dcc_factory import dsc, hc1, signer
from .policies import DEFAULT_PACK, policy, with_checkpoint

NOW = datetime(2021, 6, 1, 12, tzinfo=UTC)
RULE = "dcc-values"


def value_set_reasons(
    cert: dict[str, Any], params: dict[str, Any] | None = None, sets: DccValueSets | None = None
) -> list[Reason]:
    """The reasons the rule gives ``cert`` at ``NOW`` when the booth holds ``sets``."""
    key, der = signer(NOW)
    text = hc1(key, der, NOW, cert)
    scanned = read_code(text, TrustMaterial(dcc_signers=(dsc(der),)), NOW)
    assert scanned.verified, scanned.reasons
    reading = TemperatureReading(36.5, NOW - timedelta(seconds=2), "sensor")
    evidence = evidence_from_code(text, scanned, temperature=reading)
    spec = RuleSpec(RULE, "dcc_value_sets", params=params or {})
    pack = with_checkpoint(
        dataclasses.replace(DEFAULT_PACK, rules={**DEFAULT_PACK.rules, RULE: spec}),
        accepted_code_kinds=frozenset({"eu-dcc"}),
        rules=(*DEFAULT_PACK.checkpoints["mine_gate"].rules, RULE),
    )
    decision = decide(evidence, policy(packs=(pack,), dcc_value_sets=sets), NOW)
    return [item for item in decision.reasons if item.rule_id == RULE]
