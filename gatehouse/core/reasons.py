"""Reason codes: why a code was refused or a decision was made, in Chinese and English.

Every refusal the booth shows or logs is one of these codes, so the screen, the log and the
reports can always say exactly why. Messages are templates filled with named parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from gatehouse.core.models import Outcome


@dataclass(frozen=True)
class Reason:
    code: str
    outcome: Outcome
    en: str
    zh: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


# code -> (outcome it implies, English template, Chinese template)
# "pass.*" codes are CredentialError reasons: the scanned pass itself was refused.
CATALOGUE: dict[str, tuple[Outcome, str, str]] = {
    # -- the scanned text is not a Gatehouse pass we can read --
    "pass.too_long": (
        Outcome.TURN_AWAY,
        "Code too long to be a Gatehouse pass ({length} characters)",
        "二维码内容过长,不是本矿通行证({length}个字符)",
    ),
    "pass.other_kind": (
        Outcome.TURN_AWAY,
        "This is another kind of health code ({prefix}), not a Gatehouse pass",
        "这是其他类型的健康码({prefix}),不是本矿通行证",
    ),
    "pass.unsupported_version": (
        Outcome.TURN_AWAY,
        "Pass format version {version} is not supported by this booth",
        "本岗亭不支持第{version}版通行证",
    ),
    "pass.not_gatehouse": (Outcome.TURN_AWAY, "Not a Gatehouse pass", "不是本矿通行证"),
    "pass.bad_base45": (
        Outcome.TURN_AWAY,
        "Pass code is damaged (invalid characters), scan again",
        "通行证二维码已损坏(字符无效),请重新扫描",
    ),
    "pass.bad_compression": (
        Outcome.TURN_AWAY,
        "Pass code is damaged (cannot be unpacked), scan again",
        "通行证二维码已损坏(无法解压),请重新扫描",
    ),
    "pass.oversized": (
        Outcome.TURN_AWAY,
        "Pass content is larger than {limit_kib} KiB, refused",
        "通行证内容超过{limit_kib} KiB,拒绝处理",
    ),
    "pass.malformed": (
        Outcome.TURN_AWAY,
        "Pass data is malformed",
        "通行证数据格式错误",
    ),
    "pass.unsupported_algorithm": (
        Outcome.TURN_AWAY,
        "Pass is signed with an unsupported algorithm ({alg})",
        "通行证签名算法不受支持({alg})",
    ),
    "pass.claim_missing": (
        Outcome.TURN_AWAY,
        "Pass is missing the '{field}' field",
        "通行证缺少“{field}”字段",
    ),
    "pass.claim_invalid": (
        Outcome.TURN_AWAY,
        "Pass field '{field}' is invalid",
        "通行证“{field}”字段无效",
    ),
    # -- the pass is readable but its signature cannot be trusted --
    "pass.unknown_key": (
        Outcome.TURN_AWAY,
        "Pass issuer not trusted (unknown key {kid})",
        "通行证签发机构不受信任(未知密钥 {kid})",
    ),
    "pass.signature_invalid": (
        Outcome.TURN_AWAY,
        "Pass signature invalid (possibly forged)",
        "通行证签名无效(疑似伪造)",
    ),
    "pass.key_not_valid": (
        Outcome.TURN_AWAY,
        "Issuer key was not valid when the pass was issued ({issued_at})",
        "通行证签发时({issued_at})签发密钥不在有效期内",
    ),
    "pass.issuer_mismatch": (
        Outcome.TURN_AWAY,
        "Pass names issuer '{claimed}' but was signed by '{issuer}'",
        "通行证声称的签发机构“{claimed}”与实际签名机构“{issuer}”不符",
    ),
    # -- decision checks: each explains itself, passed checks too --
    "decision.no_pass": (
        Outcome.REFER,
        "No pass scanned, refer to supervisor",
        "未扫描通行证,请交主管处理",
    ),
    "health.green": (Outcome.ADMIT, "Health code green", "健康码绿码"),
    "health.yellow": (Outcome.TURN_AWAY, "Health code yellow", "健康码黄码"),
    "health.red": (Outcome.TURN_AWAY, "Health code red", "健康码红码"),
    "test.negative": (
        Outcome.ADMIT,
        "Test negative, sampled {hours} h ago",
        "核酸阴性,{hours}小时前采样",
    ),
    "test.missing": (Outcome.TURN_AWAY, "No nucleic acid test on the pass", "无核酸检测记录"),
    "test.positive": (Outcome.TURN_AWAY, "Nucleic acid test positive", "核酸检测阳性"),
    "test.too_old": (
        Outcome.TURN_AWAY,
        "Test is older than {max_hours} hours (sampled {hours} h ago)",
        "核酸检测已超过{max_hours}小时({hours}小时前采样)",
    ),
    "test.in_future": (
        Outcome.REFER,
        "Test sampling time is in the future, check the booth clock",
        "核酸采样时间晚于当前时间,请检查时钟",
    ),
    "validity.ok": (
        Outcome.ADMIT,
        "Pass valid until {valid_until}",
        "通行证有效期至 {valid_until}",
    ),
    "validity.not_yet": (
        Outcome.TURN_AWAY,
        "Pass not valid until {valid_from}",
        "通行证尚未生效(生效时间 {valid_from})",
    ),
    "validity.expired": (
        Outcome.TURN_AWAY,
        "Pass expired at {valid_until}",
        "通行证已过期(有效期至 {valid_until})",
    ),
    "temp.normal": (Outcome.ADMIT, "{celsius:.1f} °C normal", "体温 {celsius:.1f} °C 正常"),
    "temp.missing": (
        Outcome.REMEASURE,
        "No temperature reading, please measure",
        "无体温读数,请测温",
    ),
    "temp.stale": (
        Outcome.REMEASURE,
        "No current temperature reading (last taken {age_s} s ago), measure again",
        "无当前体温读数({age_s}秒前测得),请重新测温",
    ),
    "temp.unreadable": (
        Outcome.REMEASURE,
        "Temperature reading unusable, re-measure",
        "体温读数无效,请复测",
    ),
    "temp.high": (
        Outcome.REMEASURE,
        "{celsius:.1f} °C high, re-measure",
        "体温 {celsius:.1f} °C 偏高,请复测",
    ),
    "temp.low": (
        Outcome.REMEASURE,
        "{celsius:.1f} °C implausibly low, re-measure",
        "体温 {celsius:.1f} °C 过低(读数异常),请复测",
    ),
}


def reason(code: str, **params: Any) -> Reason:
    """Build the Reason for ``code`` with its messages filled from ``params``."""
    outcome, en, zh = CATALOGUE[code]
    return Reason(code, outcome, en.format(**params), zh.format(**params), dict(params))


def display_time(moment: datetime) -> str:
    """How reason messages show a time: UTC to the minute, labelled so nobody takes it as local."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
