"""The checkpoint policy as the supervisor sees and changes it. No Qt.

A booth runs one checkpoint policy (mine gate, canteen, ...) from the rule pack in force.
Changing it is a supervisor's act: the supervisor window calls ``change_checkpoint`` only after
the PIN and a confirmation, the change is recorded in the audit chain, takes effect from the
next scan and is written to the configuration file so it survives a restart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from gatehouse import config as config_file
from gatehouse.booth.clock import Clock
from gatehouse.bundles.policy import PolicyKeeper
from gatehouse.config import Config
from gatehouse.core.reasons import Reason
from gatehouse.core.rules.checks import id_waivers
from gatehouse.store.audit import AuditKind
from gatehouse.store.ledger import Ledger


@dataclass(frozen=True)
class CheckpointChoice:
    checkpoint_type: str
    name_zh: str
    name_en: str
    rules: tuple[tuple[str, str], ...] = ()  # (rule id, rule kind), in the order they run
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PolicySummary:
    """What is in force now; ``pack_id`` is None when no pack is (every passage is referred)."""

    checkpoint_type: str
    pack_id: str | None
    pack_version: str | None
    effective_from: datetime | None
    effective_until: datetime | None
    parameters: dict[str, Any]
    choices: tuple[CheckpointChoice, ...]
    blockers: tuple[Reason, ...]
    id_waived: tuple[str, ...] = ()  # list rules the pack lets pass without an identified person


class PolicyDesk:
    def __init__(
        self,
        config: Config,
        keeper: PolicyKeeper,
        ledger: Ledger,
        clock: Clock,
        blockers: Callable[[], tuple[Reason, ...]],
    ) -> None:
        self._config = config
        self._keeper = keeper
        self._ledger = ledger
        self._clock = clock
        self._blockers = blockers

    def summary(self) -> PolicySummary:
        policy = self._keeper.policy
        now = self._clock.now()
        pack = policy.pack_at(now)  # none while an office document is refused
        checkpoint = pack.checkpoint(policy.checkpoint_type) if pack else None
        kinds = {rule_id: spec.kind for rule_id, spec in pack.rules.items()} if pack else {}
        return PolicySummary(
            checkpoint_type=policy.checkpoint_type,
            pack_id=pack.pack_id if pack else None,
            pack_version=pack.version if pack else None,
            effective_from=pack.effective_from if pack else None,
            effective_until=pack.effective_until if pack else None,
            parameters=checkpoint.parameters() if checkpoint else {},
            choices=tuple(
                CheckpointChoice(
                    c.checkpoint_type,
                    c.name_zh,
                    c.name_en,
                    tuple((rule, kinds.get(rule, "")) for rule in c.rules),
                    c.parameters(),
                )
                for c in (pack.checkpoints.values() if pack else ())
            ),
            blockers=self._blockers(),
            id_waived=id_waivers(pack, policy.checkpoint_type) if pack else (),
        )

    def change_checkpoint(self, checkpoint_type: str, actor: str) -> None:
        """Switch the booth to another checkpoint policy of the pack in force, audited first."""
        before = self._keeper.policy.checkpoint_type
        if checkpoint_type == before:
            return
        if checkpoint_type not in {c.checkpoint_type for c in self.summary().choices}:
            raise ValueError(f"the rule pack in force has no checkpoint policy {checkpoint_type!r}")
        self._ledger.record_event(
            AuditKind.POLICY_CHANGE,
            at=self._clock.now(),
            booth_id=self._config.booth.booth_id,
            actor=actor,
            details={"checkpoint_type": {"from": before, "to": checkpoint_type}},
        ).result()
        self._config = replace(
            self._config, booth=replace(self._config.booth, checkpoint_type=checkpoint_type)
        )
        self._keeper.change_config(self._config)
        if self._config.path is not None:
            config_file.update_file(
                self._config.path,
                lambda on_file: replace(
                    on_file, booth=replace(on_file.booth, checkpoint_type=checkpoint_type)
                ),
            )
