"""A checkpoint policy in a supervisor's words: parameters with their units, rules by what they
check, and what a change of policy would change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication

from gatehouse.core.code_kinds import kind_info
from gatehouse.ui.translations import current_language

translate = QCoreApplication.translate  # lupdate finds translate("PolicyWords", "…") calls


def _yes_no(value: Any) -> str:
    return translate("PolicyWords", "yes") if value else translate("PolicyWords", "no")


def _code_kinds(value: Any) -> str:
    """The kinds by the names core's table gives them; a kind this release does not know is
    shown as stored."""
    kinds = value if isinstance(value, list | tuple) else [value]
    return "、".join(_kind_name(str(kind)) for kind in kinds)


def _kind_name(kind: str) -> str:
    info = kind_info(kind)
    if info is None:
        return kind
    return info.name_zh if current_language() == "zh" else info.name_en


def _celsius(value: Any) -> str:
    return f"{float(value):.1f} °C" if isinstance(value, int | float) else str(value)


def parameter_line(key: str, value: Any) -> str:
    """One parameter as a sentence with its unit; a parameter this release does not know is
    shown as stored."""
    known = {
        "temperature_threshold_c": (
            translate("PolicyWords", "Abnormal temperature from"),
            _celsius(value),
        ),
        "implausible_below_c": (
            translate("PolicyWords", "Implausibly low (re-measure) below"),
            _celsius(value),
        ),
        "reading_max_age_s": (
            translate("PolicyWords", "A reading counts for"),
            translate("PolicyWords", "%1 s").replace("%1", str(value)),
        ),
        "remeasure_wait_min": (
            translate("PolicyWords", "Wait before re-measuring"),
            translate("PolicyWords", "%1 min").replace("%1", str(value)),
        ),
        "test_max_age_h": (
            translate("PolicyWords", "Nucleic-acid test valid for"),
            translate("PolicyWords", "%1 h").replace("%1", str(value)),
        ),
        "lookback_days": (
            translate("PolicyWords", "Travel looked back over"),
            translate("PolicyWords", "%1 days").replace("%1", str(value)),
        ),
        "accepted_code_kinds": (translate("PolicyWords", "Codes accepted"), _code_kinds(value)),
        "allow_attested": (
            translate("PolicyWords", "A colour the guard attests may admit"),
            _yes_no(value),
        ),
        "allow_declared_travel": (
            translate("PolicyWords", "Travel declared to the guard may admit"),
            _yes_no(value),
        ),
    }
    if key not in known:
        return f"{key}: {value}"
    words, shown = known[key]
    return f"{words}: {shown}"


def rule_words(rule_id: str, kind: str) -> str:
    """A rule by what it checks, its id after it (the rule trace names rules by id)."""
    words = {
        "credential": translate("PolicyWords", "Pass signature and validity"),
        "health_code": translate("PolicyWords", "Health code"),
        "nucleic_acid_test": translate("PolicyWords", "Nucleic-acid test"),
        "travel_risk": translate("PolicyWords", "Medium/high-risk areas visited"),
        "travel_monitoring": translate("PolicyWords", "Home health monitoring"),
        "isolation_list": translate("PolicyWords", "Home isolation list"),
        "visitor_approval": translate("PolicyWords", "Visitor approval"),
        "contractor_ledger": translate("PolicyWords", "Contractor ledger"),
        "employee_roster": translate("PolicyWords", "Employee roster"),
        "temperature": translate("PolicyWords", "Temperature"),
        "data_freshness": translate("PolicyWords", "Office data up to date"),
        "vehicle": translate("PolicyWords", "Vehicle"),
        "expression": translate("PolicyWords", "The office's own rule"),
    }.get(kind, kind)
    return f"{words} ({rule_id})"


def policy_differences(
    rules_now: Sequence[tuple[str, str]],
    rules_then: Sequence[tuple[str, str]],
    parameters_now: Mapping[str, Any],
    parameters_then: Mapping[str, Any],
) -> list[str]:
    """What a change from the policy in force ("now") to another ("then") changes, one line
    each: rules that start and stop applying, and parameters whose value changes."""
    lines = []
    before, after = dict(rules_now), dict(rules_then)
    for rule_id, kind in rules_then:
        if rule_id not in before:
            lines.append(
                translate("PolicyWords", "+ checked: %1").replace("%1", rule_words(rule_id, kind))
            )
    for rule_id, kind in rules_now:
        if rule_id not in after:
            lines.append(
                translate("PolicyWords", "− no longer checked: %1").replace(
                    "%1", rule_words(rule_id, kind)
                )
            )
    for key in sorted(set(parameters_now) | set(parameters_then)):
        old, new = parameters_now.get(key), parameters_then.get(key)
        if old != new:
            lines.append(
                translate("PolicyWords", "%1 → %2")
                .replace("%1", parameter_line(key, old))
                .replace("%2", parameter_line(key, new).split(": ", 1)[-1])
            )
    return lines or [translate("PolicyWords", "The same rules and parameters apply.")]
