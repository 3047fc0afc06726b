"""Rule kind ``dcc_value_sets``: a verified EU DCC's coded values must be in the EU value sets.

The office decides how strict to be with the rule's parameters: ``fields`` (default every coded
field: ``v.tg v.vp v.mp v.ma v.co t.tg t.tt t.ma t.tr t.co r.tg r.co``) and ``outcome``
(``turn_away``, the default, or ``refer``). Each value outside its set is a reason of its own,
naming the field, the value and the set. A set the booth does not hold makes the rule OPEN
(refer), never a pass; a set the office's document was refused for, with no earlier good copy
of the office's (``DccValueSets.unsure``), refers naming the set. Codes other than an EU DCC
are not this rule's business.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatehouse.core.code_kinds import CodeKind
from gatehouse.core.dcc.value_sets import FIELDS, ValueSetError
from gatehouse.core.reasons import Reason, ReasonCode, reason
from gatehouse.core.rules.pack import RuleSpec

if TYPE_CHECKING:
    from gatehouse.core.rules.checks import RuleContext

_OUTCOMES = {
    "turn_away": ReasonCode.DCC_VALUE_NOT_IN_SET,
    "refer": ReasonCode.DCC_VALUE_NOT_IN_SET_REFER,
}


def check_dcc_value_sets(spec: RuleSpec, ctx: RuleContext) -> tuple[Reason, ...]:
    certificate = ctx.evidence.dcc_certificate
    if ctx.evidence.code_kind != CodeKind.EU_DCC or certificate is None:
        return ()
    fields = spec.params.get("fields", list(FIELDS))
    code = _OUTCOMES.get(spec.params.get("outcome", "turn_away"))
    if not isinstance(fields, list) or not set(fields) <= set(FIELDS) or code is None:
        raise ValueSetError(f"{spec.rule_id}: fields among {FIELDS}, outcome refer or turn_away")
    sets = ctx.dcc_value_sets
    if sets is None:
        raise ValueSetError("no EU DCC value sets are held")
    unsure = sets.unsure_needed(certificate, fields)
    if unsure:  # the set held may be looser than the office's: never judged by it
        return (reason(ReasonCode.DCC_VALUE_SET_REFUSED, value_sets=", ".join(unsure)),)
    outside = sets.outside(certificate, fields)
    if not outside:
        return (reason(ReasonCode.DCC_VALUE_SETS_OK, version=sets.version),)
    return tuple(
        reason(code, field=item.field, value=item.value[:40], value_set=item.set_id)
        for item in outside
    )
