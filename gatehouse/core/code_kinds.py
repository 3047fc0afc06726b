"""The kinds of code a person can hold up: the one table the reader, the rules, the booth and the
supervisor's desk read.

Adding a kind: a member of ``CodeKind`` with its row in ``KINDS``, its reader in
``code_reader.read_code`` and, when it vouches for a test or a name, a line in
``rules/scanned.py``. The values are stored in every ledger row and in rule packs'
``accepted_code_kinds``: never change one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class CodeKind(StrEnum):
    GATEHOUSE_PASS = "gatehouse-pass"
    EU_DCC = "eu-dcc"
    SHC = "shc"
    PROVINCIAL_HEALTH_CODE = "provincial-health-code"
    UNKNOWN = "unknown"
    SCANNER_MANGLED = "scanner-mangled"


@dataclass(frozen=True)
class KindInfo:
    """What the rules and screens need to know of one kind.

    ``attested``: its signature cannot be checked here, so its colour counts only once the guard
    attests what the phone shows. ``certificate``: a signed certificate other than a pass,
    whose verification is itself the evidence (it says "verified", named by ``name_en``).
    """

    name_en: str
    name_zh: str
    attested: bool = False
    certificate: bool = False


KINDS: Mapping[CodeKind, KindInfo] = {
    CodeKind.GATEHOUSE_PASS: KindInfo("Gatehouse pass", "本矿通行证"),
    CodeKind.EU_DCC: KindInfo("EU DCC", "欧盟数字新冠证书", certificate=True),
    CodeKind.SHC: KindInfo("SMART Health Card", "SMART健康卡", certificate=True),
    CodeKind.PROVINCIAL_HEALTH_CODE: KindInfo(
        "provincial health code", "各省健康码", attested=True
    ),
    CodeKind.UNKNOWN: KindInfo("unknown code", "无法识别的二维码"),
    CodeKind.SCANNER_MANGLED: KindInfo("garbled scan", "扫码内容被改乱"),
}

# What a rule pack's ``accepted_code_kinds`` may name: a scan that was not read as a code (unknown
# or garbled) is never evidence, so no checkpoint can accept it.
ACCEPTABLE_KINDS: tuple[str, ...] = tuple(
    kind.value for kind in KINDS if kind not in (CodeKind.UNKNOWN, CodeKind.SCANNER_MANGLED)
)


def kind_info(kind: str) -> KindInfo | None:
    """The row for a stored kind (a ledger row or a pack says it as text); None for a kind this
    release does not know, which the rules then treat as no accepted code."""
    try:
        return KINDS[CodeKind(kind)]
    except ValueError:
        return None
