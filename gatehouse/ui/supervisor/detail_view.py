"""One passage in full: what was read and measured, the outcome, every reason with the rule
and rule-pack version that gave it (the rule trace, as far as the passage recorded it), and the
evidence as stored. ID numbers are shown masked, as stored. A supervisor's override never
rewrites the passage: it is shown first, as the audit chain recorded it.
"""

from __future__ import annotations

import json
from datetime import datetime, tzinfo
from html import escape
from typing import Any

from PySide6.QtWidgets import QTextBrowser

from gatehouse.reports.columns import (
    Row,
    deciding_first,
    deciding_reasons,
    evidence_of,
    local_time,
    outcome_text,
)
from gatehouse.ui.guard.override_dialog import override_reason_words
from gatehouse.ui.role_words import role_words

TIME_SHOWN = "%Y-%m-%d %H:%M:%S %z"


class PassageDetail(QTextBrowser):
    def __init__(self, zone: tzinfo) -> None:
        super().__init__()
        self.setObjectName("passageDetail")
        self._zone = zone
        self.show_nothing()

    def show_nothing(self) -> None:
        self.setHtml(_paragraph(self.tr("Choose a passage to see it in full.")))

    def show_passage(self, row: Row) -> None:
        moment = local_time(row, self._zone)
        fields = [
            (self.tr("Time"), moment.strftime(TIME_SHOWN) if moment else ""),
            (self.tr("Outcome"), outcome_text(row)),
            (self.tr("Booth"), row.get("booth_id")),
            (self.tr("Checkpoint"), row.get("checkpoint_type")),
            (self.tr("Name"), row.get("holder_name")),
            (self.tr("ID number"), row.get("id_masked")),
            (self.tr("Role"), role_words(str(row.get("role") or ""))),
            (self.tr("Pass"), row.get("pass_id")),
            (self.tr("Code kind"), row.get("code_kind")),
            (self.tr("Temperature"), _temperature(row)),
            (self.tr("Guard"), row.get("guard_id")),
            (self.tr("Policy version"), row.get("policy_version")),
            (self.tr("Clock"), row.get("clock_source")),
            (self.tr("Passage ID"), row.get("passage_id")),
        ]
        parts = ["<table cellpadding='3'>"]
        parts += [
            f"<tr><th align='left' style='white-space:nowrap'>{escape(label)}</th>"
            f"<td>{escape(_text(value))}</td></tr>"
            for label, value in fields
        ]
        parts.append("</table>")
        parts += self._overrides(row.get("overrides") or [])
        parts += self._reverifications(row.get("reverifications") or [])
        parts.append(_heading(self.tr("Reasons and rule trace")))
        reasons = deciding_first(row)
        decided = deciding_reasons(row)
        decided_words = self.tr("Decided the outcome")
        if not reasons:
            parts.append(_paragraph(self.tr("No reasons recorded.")))
        parts.append("<ol>")
        for reason in reasons:
            params = reason.get("params") or {}
            mark = f"<b>{escape(decided_words)}</b> · " if reason in decided else ""
            trace = [
                _pair(self.tr("code"), reason.get("code")),
                _pair(self.tr("rule"), params.get("rule_id")),
                _pair(self.tr("rule pack"), params.get("pack_version")),
            ]
            parts.append(
                f"<li><b>{escape(_text(reason.get('zh')))}</b> · {escape(_text(reason.get('en')))}"
                f"<br/><small>{mark}{' · '.join(trace)}</small></li>"
            )
        parts.append("</ol>")
        evidence = evidence_of(row)
        parts.append(_heading(self.tr("Evidence")))
        if evidence:
            text = json.dumps(evidence, ensure_ascii=False, indent=2, sort_keys=True)
            parts.append(f"<pre>{escape(text)}</pre>")
        else:
            parts.append(_paragraph(self.tr("No further evidence recorded.")))
        self.setHtml("".join(parts))

    def _overrides(self, overrides: list[dict[str, Any]]) -> list[str]:
        if not overrides:
            return []
        parts = [_heading(self.tr("Overridden by a supervisor")), "<ol>"]
        for override in overrides:
            moment = _local(override.get("at"), self._zone)
            change = (
                self.tr("%1 instead of %2")
                .replace("%1", _outcome_words(override.get("outcome")))
                .replace("%2", _outcome_words(override.get("original_outcome")))
            )
            why = override_reason_words(str(override.get("reason", "")))
            note = _text(override.get("note"))
            details = [
                _pair(self.tr("by"), override.get("actor")),
                _pair(self.tr("at"), moment),
                _pair(self.tr("audit event"), override.get("event_id")),
            ]
            parts.append(_item(change, f"{why}: {note}" if note else why, details))
        parts.append("</ol>")
        return parts

    def _reverifications(self, answers: list[dict[str, Any]]) -> list[str]:
        """The issuer's answers for a colour the guard attested (the code was checked online)."""
        if not answers:
            return []
        parts = [_heading(self.tr("Checked online by the issuer")), "<ol>"]
        for answer in answers:
            reason = answer.get("reason") or {}
            flag = self.tr("supervisor alerted") if answer.get("alert_supervisor") else ""
            words = f"{_text(reason.get('zh'))} · {_text(reason.get('en'))}"
            details = [_pair(self.tr("at"), _local(answer.get("at"), self._zone))]
            parts.append(_item(words, flag, details))
        parts.append("</ol>")
        return parts


def _item(headline: str, comment: str, details: list[str]) -> str:
    """One later event: what happened in bold, a comment, and who/when (already escaped)."""
    said = f" · {escape(comment)}" if comment else ""
    return f"<li><b>{escape(headline)}</b>{said}<br/><small>{' · '.join(details)}</small></li>"


def _local(text: Any, zone: tzinfo) -> str:
    """A stored UTC time as the desk shows times."""
    if not text:
        return ""
    return datetime.fromisoformat(str(text)).astimezone(zone).strftime(TIME_SHOWN)


def _outcome_words(label: Any) -> str:
    """An outcome as the audit event stores it (``Outcome.label``) in the desk's words."""
    return outcome_text({"outcome": str(label or "").upper()})


def _paragraph(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def _heading(text: str) -> str:
    return f"<h3>{escape(text)}</h3>"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _pair(label: str, value: Any) -> str:
    return f"{escape(label)}: {escape(_text(value) or '—')}"


def _temperature(row: Row) -> str:
    celsius = row.get("temperature_c")
    if celsius is None:
        return ""
    source = row.get("temperature_source")
    return f"{float(celsius):.1f} °C" + (f" ({source})" if source else "")
