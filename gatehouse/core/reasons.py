"""Reason codes: why a code was refused or a decision was made, in Chinese and English.

Every refusal the booth shows or logs is one of these codes, so the screen, the log and the
reports can always say exactly why. Messages are templates filled with named parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from gatehouse.core.china_time import CHINA_TIME
from gatehouse.core.models import Outcome


class CheckResult(StrEnum):
    """What one check found (CertLogic's PASSED / FAIL / OPEN).

    ``OPEN``: the check could not be made (evidence missing, aged, unreadable or unmatched);
    it never admits, and its reason names the one thing the guard does to resolve it.
    """

    PASSED = "passed"
    FAILED = "failed"
    OPEN = "open"


class GuardAction(StrEnum):
    """The one thing a guard does to resolve a check that could not be made."""

    LIVE_CODE = "live_code"  # F1-F3: look at today's health code on the phone
    TRAVEL = "travel"  # F4: enter the cities on the travel card
    ID_NUMBER = "id_number"  # F7: type (or read) the ID number
    TEMPERATURE = "temperature"  # measure again (F6: type a reading by hand)
    SUPERVISOR = "supervisor"  # only a supervisor can resolve it (data, clock, policy)


class ReasonCode(StrEnum):
    """Every reason code, as stored in ledgers and sent to the hub: the values never change
    (the hash chain and the hub depend on them byte for byte); ``CATALOGUE`` gives each its
    outcome and messages."""

    PASS_TOO_LONG = "pass.too_long"
    PASS_OTHER_KIND = "pass.other_kind"
    PASS_UNSUPPORTED_VERSION = "pass.unsupported_version"
    PASS_NOT_GATEHOUSE = "pass.not_gatehouse"
    PASS_BAD_BASE45 = "pass.bad_base45"
    PASS_BAD_COMPRESSION = "pass.bad_compression"
    PASS_OVERSIZED = "pass.oversized"
    PASS_MALFORMED = "pass.malformed"
    PASS_UNSUPPORTED_ALGORITHM = "pass.unsupported_algorithm"
    PASS_CLAIM_MISSING = "pass.claim_missing"
    PASS_CLAIM_INVALID = "pass.claim_invalid"
    PASS_UNKNOWN_KEY = "pass.unknown_key"
    TRUST_INCOMPLETE = "trust.incomplete"
    PASS_SIGNATURE_INVALID = "pass.signature_invalid"
    PASS_KEY_NOT_VALID = "pass.key_not_valid"
    PASS_ISSUER_MISMATCH = "pass.issuer_mismatch"
    PASS_KEY_REVOKED = "pass.key_revoked"
    PASS_REVOKED = "pass.revoked"
    CODE_UNKNOWN_KIND = "code.unknown_kind"
    CODE_SCANNER_MANGLED = "code.scanner_mangled"
    CODE_TOO_LONG = "code.too_long"
    CODE_VERIFIED = "code.verified"
    DCC_BAD_BASE45 = "dcc.bad_base45"
    DCC_BAD_COMPRESSION = "dcc.bad_compression"
    DCC_OVERSIZED = "dcc.oversized"
    DCC_MALFORMED = "dcc.malformed"
    DCC_UNSUPPORTED_ALGORITHM = "dcc.unsupported_algorithm"
    DCC_PAYLOAD_INVALID = "dcc.payload_invalid"
    DCC_UNKNOWN_SIGNER = "dcc.unknown_signer"
    DCC_SIGNATURE_INVALID = "dcc.signature_invalid"
    DCC_SCHEMA_INVALID = "dcc.schema_invalid"
    DCC_NOT_YET_VALID = "dcc.not_yet_valid"
    DCC_EXPIRED = "dcc.expired"
    DCC_OUTSIDE_SIGNER_VALIDITY = "dcc.outside_signer_validity"
    DCC_KEY_USAGE = "dcc.key_usage"
    DCC_VALUE_NOT_IN_SET = "dcc.value_not_in_set"
    DCC_VALUE_NOT_IN_SET_REFER = "dcc.value_not_in_set_refer"
    DCC_VALUE_SETS_OK = "dcc.value_sets_ok"
    DCC_VALUE_SET_REFUSED = "dcc.value_set_refused"
    SHC_BAD_NUMERIC = "shc.bad_numeric"
    SHC_CHUNK_INCOMPLETE = "shc.chunk_incomplete"
    SHC_MALFORMED = "shc.malformed"
    SHC_BAD_COMPRESSION = "shc.bad_compression"
    SHC_OVERSIZED = "shc.oversized"
    SHC_UNSUPPORTED_ALGORITHM = "shc.unsupported_algorithm"
    SHC_PAYLOAD_INVALID = "shc.payload_invalid"
    SHC_UNKNOWN_KEY = "shc.unknown_key"
    SHC_BAD_ISSUER = "shc.bad_issuer"
    SHC_WRONG_ISSUER = "shc.wrong_issuer"
    SHC_REVOCATION_UNCHECKED = "shc.revocation_unchecked"
    SHC_SIGNATURE_INVALID = "shc.signature_invalid"
    SHC_NOT_YET_VALID = "shc.not_yet_valid"
    SHC_REVOKED = "shc.revoked"
    HEALTH_CODE_ATTEST_NEEDED = "health_code.attest_needed"
    HEALTH_CODE_ATTESTED = "health_code.attested"
    HEALTH_CODE_REVERIFIED_GREEN = "health_code.reverified_green"
    HEALTH_CODE_REVERIFIED_NOT_GREEN = "health_code.reverified_not_green"
    HEALTH_CODE_REVERIFY_UNKNOWN = "health_code.reverify_unknown"
    DECISION_NO_PASS = "decision.no_pass"
    HEALTH_GREEN = "health.green"
    HEALTH_YELLOW = "health.yellow"
    HEALTH_RED = "health.red"
    HEALTH_AGED = "health.aged"
    HEALTH_LIVE_GREEN = "health.live_green"
    HEALTH_LIVE_YELLOW = "health.live_yellow"
    HEALTH_LIVE_RED = "health.live_red"
    HEALTH_NOT_SHOWN = "health.not_shown"
    TEST_NOT_SHOWN = "test.not_shown"
    TRAVEL_NOT_SHOWN = "travel.not_shown"
    TEST_NEGATIVE = "test.negative"
    TEST_MISSING = "test.missing"
    TEST_POSITIVE = "test.positive"
    TEST_TOO_OLD = "test.too_old"
    TEST_IN_FUTURE = "test.in_future"
    VALIDITY_OK = "validity.ok"
    VALIDITY_NOT_YET = "validity.not_yet"
    VALIDITY_EXPIRED = "validity.expired"
    TEMP_NORMAL = "temp.normal"
    TEMP_MISSING = "temp.missing"
    TEMP_STALE = "temp.stale"
    TEMP_UNREADABLE = "temp.unreadable"
    TEMP_HIGH = "temp.high"
    TEMP_LOW = "temp.low"
    TEMP_WAIT = "temp.wait"
    TEMP_CONFIRM = "temp.confirm"
    TEMP_CONFIRMED_ABNORMAL = "temp.confirmed_abnormal"
    TRAVEL_CLEAR = "travel.clear"
    TRAVEL_RISK_HIGH = "travel.risk_high"
    TRAVEL_RISK_MEDIUM = "travel.risk_medium"
    TRAVEL_STARRED_HIGH = "travel.starred_high"
    TRAVEL_STARRED_MEDIUM = "travel.starred_medium"
    TRAVEL_LOCAL = "travel.local"
    TRAVEL_HOME_MONITORING = "travel.home_monitoring"
    TRAVEL_DECLARED_CLEAR = "travel.declared_clear"
    TRAVEL_DECLARED_RISK_HIGH = "travel.declared_risk_high"
    TRAVEL_DECLARED_RISK_MEDIUM = "travel.declared_risk_medium"
    TRAVEL_DECLARED_STARRED_HIGH = "travel.declared_starred_high"
    TRAVEL_DECLARED_STARRED_MEDIUM = "travel.declared_starred_medium"
    TRAVEL_DECLARED_LOCAL = "travel.declared_local"
    TRAVEL_DECLARED_HOME_MONITORING = "travel.declared_home_monitoring"
    LIST_CLEAR = "list.clear"
    LIST_NOT_CHECKED = "list.not_checked"
    LIST_NONE = "list.none"
    LIST_ISOLATION = "list.isolation"
    LIST_VISITOR_OK = "list.visitor_ok"
    LIST_VISITOR_UNAPPROVED = "list.visitor_unapproved"
    LIST_VISITOR_UNAPPROVED_CALL = "list.visitor_unapproved_call"
    LIST_CONTRACTOR_OK = "list.contractor_ok"
    LIST_CONTRACTOR_UNREGISTERED = "list.contractor_unregistered"
    LIST_CONTRACTOR_NOT_YET = "list.contractor_not_yet"
    LIST_CONTRACTOR_ENDED = "list.contractor_ended"
    LIST_EMPLOYEE_OK = "list.employee_ok"
    LIST_EMPLOYEE_UNKNOWN = "list.employee_unknown"
    LIST_ID_NEEDED = "list.id_needed"
    LIST_ID_INVALID = "list.id_invalid"
    LIST_PASS_KEY_UNKNOWN = "list.pass_key_unknown"
    LIST_UNAVAILABLE = "list.unavailable"
    LIST_KEY_MISMATCH = "list.key_mismatch"
    POLICY_CODE_KIND_NOT_ACCEPTED = "policy.code_kind_not_accepted"
    POLICY_ATTESTED_NOT_ACCEPTED = "policy.attested_not_accepted"
    POLICY_DECLARED_TRAVEL_NOT_ACCEPTED = "policy.declared_travel_not_accepted"
    PACK_NONE = "pack.none"
    PACK_NO_CHECKPOINT = "pack.no_checkpoint"
    RULE_OPEN = "rule.open"
    PACK_REFUSED = "pack.refused"
    DATA_RISK_LIST_REFUSED = "data.risk_list_refused"
    DATA_LISTS_REFUSED = "data.lists_refused"
    RULE_PASSED = "rule.passed"
    DATA_FRESH = "data.fresh"
    DATA_NO_RISK_LIST = "data.no_risk_list"
    DATA_RISK_LIST_STALE = "data.risk_list_stale"
    DATA_LISTS_STALE = "data.lists_stale"
    DATA_PACK_STALE = "data.pack_stale"
    CLOCK_SKEW = "clock.skew"
    VEHICLE_ORIGIN_OK = "vehicle.origin_ok"
    VEHICLE_ORIGIN_HIGH = "vehicle.origin_high"
    VEHICLE_ORIGIN_MEDIUM = "vehicle.origin_medium"
    VEHICLE_PURPOSE_OK = "vehicle.purpose_ok"
    VEHICLE_PURPOSE_NOT_ALLOWED = "vehicle.purpose_not_allowed"
    VEHICLE_PLATE_INVALID = "vehicle.plate_invalid"
    VEHICLE_NO_DRIVER = "vehicle.no_driver"
    VEHICLE_DRIVER_NOT_ADMITTED = "vehicle.driver_not_admitted"
    VEHICLE_PASSENGER_NOT_ADMITTED = "vehicle.passenger_not_admitted"
    ID_CARD_CHECKED = "id_card.checked"
    ID_CARD_READ = "id_card.read"
    ID_CARD_NAME_MISMATCH = "id_card.name_mismatch"
    HOLDER_NUMBER_MISMATCH = "holder.number_mismatch"
    ID_CARD_EXPIRED = "id_card.expired"


@dataclass(frozen=True)
class Reason:
    code: str
    outcome: Outcome
    en: str
    zh: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    # True for the reasons that gave the decision its outcome (see ``mark_deciding``): those
    # the booth, the desk and the reports show first.
    deciding: bool = field(default=False, compare=False, hash=False)

    @property
    def result(self) -> CheckResult:
        if self.code in OPEN_CHECKS:
            return CheckResult.OPEN
        return CheckResult.PASSED if self.outcome is Outcome.ADMIT else CheckResult.FAILED

    @property
    def action(self) -> GuardAction | None:
        """What resolves this reason, for a check that could not be made."""
        return OPEN_CHECKS.get(self.code)

    @property
    def rule_id(self) -> str | None:
        """The rule that gave this reason, for reasons from a decision (see ``traced``)."""
        value = self.params.get("rule_id")
        return value if isinstance(value, str) else None

    @property
    def pack_version(self) -> str | None:
        value = self.params.get("pack_version")
        return value if isinstance(value, str) else None


# code -> (outcome it implies, English template, Chinese template)
# "pass.*" codes are CredentialError reasons: the scanned pass itself was refused.
CATALOGUE: dict[str, tuple[Outcome, str, str]] = {
    # -- the scanned text is not a Gatehouse pass we can read --
    ReasonCode.PASS_TOO_LONG: (
        Outcome.TURN_AWAY,
        "Code too long to be a Gatehouse pass ({length} characters)",
        "二维码内容过长,不是本矿通行证({length}个字符)",
    ),
    ReasonCode.PASS_OTHER_KIND: (
        Outcome.TURN_AWAY,
        "This is another kind of health code ({prefix}), not a Gatehouse pass",
        "这是其他类型的健康码({prefix}),不是本矿通行证",
    ),
    ReasonCode.PASS_UNSUPPORTED_VERSION: (
        Outcome.TURN_AWAY,
        "Pass format version {version} is not supported by this booth",
        "本岗亭不支持第{version}版通行证",
    ),
    ReasonCode.PASS_NOT_GATEHOUSE: (Outcome.TURN_AWAY, "Not a Gatehouse pass", "不是本矿通行证"),
    ReasonCode.PASS_BAD_BASE45: (
        Outcome.TURN_AWAY,
        "Pass code is damaged (invalid characters), scan again",
        "通行证二维码已损坏(字符无效),请重新扫描",
    ),
    ReasonCode.PASS_BAD_COMPRESSION: (
        Outcome.TURN_AWAY,
        "Pass code is damaged (cannot be unpacked), scan again",
        "通行证二维码已损坏(无法解压),请重新扫描",
    ),
    ReasonCode.PASS_OVERSIZED: (
        Outcome.TURN_AWAY,
        "Pass content is larger than {limit_kib} KiB, refused",
        "通行证内容超过{limit_kib} KiB,拒绝处理",
    ),
    ReasonCode.PASS_MALFORMED: (
        Outcome.TURN_AWAY,
        "Pass data is malformed",
        "通行证数据格式错误",
    ),
    ReasonCode.PASS_UNSUPPORTED_ALGORITHM: (
        Outcome.TURN_AWAY,
        "Pass is signed with an unsupported algorithm ({alg})",
        "通行证签名算法不受支持({alg})",
    ),
    ReasonCode.PASS_CLAIM_MISSING: (
        Outcome.TURN_AWAY,
        "Pass is missing the '{field}' field",
        "通行证缺少“{field}”字段",
    ),
    ReasonCode.PASS_CLAIM_INVALID: (
        Outcome.TURN_AWAY,
        "Pass field '{field}' is invalid",
        "通行证“{field}”字段无效",
    ),
    # -- the pass is readable but its signature cannot be trusted --
    ReasonCode.PASS_UNKNOWN_KEY: (
        Outcome.TURN_AWAY,
        "Pass issuer not trusted (unknown key {kid})",
        "通行证签发机构不受信任(未知密钥 {kid})",
    ),
    ReasonCode.TRUST_INCOMPLETE: (
        Outcome.REFER,
        "Cannot verify this code: some of this booth's trust files were refused"
        " ({refused}); refer to supervisor",
        "无法核验此码:本岗亭有信任文件被拒用({refused}),请交主管处理",
    ),
    ReasonCode.PASS_SIGNATURE_INVALID: (
        Outcome.TURN_AWAY,
        "Pass signature invalid (possibly forged)",
        "通行证签名无效(疑似伪造)",
    ),
    ReasonCode.PASS_KEY_NOT_VALID: (
        Outcome.TURN_AWAY,
        "Issuer key was not valid when the pass was issued ({issued_at})",
        "通行证签发时({issued_at})签发密钥不在有效期内",
    ),
    ReasonCode.PASS_ISSUER_MISMATCH: (
        Outcome.TURN_AWAY,
        "Pass names issuer '{claimed}' but was signed by '{issuer}'",
        "通行证声称的签发机构“{claimed}”与实际签名机构“{issuer}”不符",
    ),
    ReasonCode.PASS_KEY_REVOKED: (
        Outcome.TURN_AWAY,
        "Pass signing key {kid} has been revoked by the epidemic office",
        "通行证签发密钥 {kid} 已被防疫办吊销",
    ),
    ReasonCode.PASS_REVOKED: (
        Outcome.TURN_AWAY,
        "Pass {pass_id} has been revoked by the epidemic office",
        "通行证 {pass_id} 已被防疫办注销",
    ),
    # -- any scanned code: what kind it is (gatehouse.core.code_reader) --
    # Unknown and garbled codes refer: they say nothing about the person, so only a person can
    # decide (the shipped issuer table is empty, so a real provincial code reads as unknown).
    ReasonCode.CODE_UNKNOWN_KIND: (
        Outcome.REFER,
        "Unknown kind of code: not a pass or health code this booth can read",
        "无法识别的二维码:不是本岗亭能读取的通行证或健康码",
    ),
    ReasonCode.CODE_SCANNER_MANGLED: (
        Outcome.REFER,
        "Scanner garbled the code ({cause}): fix the scanner's keyboard setting and scan again",
        "扫码枪读出的内容被改乱({cause}):请检查扫码枪键盘设置后重新扫描",
    ),
    ReasonCode.CODE_TOO_LONG: (
        Outcome.TURN_AWAY,
        "Code too long to be a pass or health code ({length} characters)",
        "二维码内容过长,不是通行证或健康码({length}个字符)",
    ),
    ReasonCode.CODE_VERIFIED: (
        Outcome.ADMIT,
        "{kind} verified (issuer {issuer})",
        "{kind}核验通过(签发机构 {issuer})",
    ),
    # -- EU Digital COVID Certificate (HC1:) --
    ReasonCode.DCC_BAD_BASE45: (
        Outcome.TURN_AWAY,
        "EU certificate code is damaged (invalid characters), scan again",
        "欧盟数字新冠证书二维码已损坏(字符无效),请重新扫描",
    ),
    ReasonCode.DCC_BAD_COMPRESSION: (
        Outcome.TURN_AWAY,
        "EU certificate code is damaged (cannot be unpacked), scan again",
        "欧盟数字新冠证书二维码已损坏(无法解压),请重新扫描",
    ),
    ReasonCode.DCC_OVERSIZED: (
        Outcome.TURN_AWAY,
        "EU certificate content is larger than {limit_kib} KiB, refused",
        "欧盟数字新冠证书内容超过{limit_kib} KiB,拒绝处理",
    ),
    ReasonCode.DCC_MALFORMED: (
        Outcome.TURN_AWAY,
        "EU certificate data is malformed",
        "欧盟数字新冠证书数据格式错误",
    ),
    ReasonCode.DCC_UNSUPPORTED_ALGORITHM: (
        Outcome.TURN_AWAY,
        "EU certificate is signed with an unsupported algorithm ({alg})",
        "欧盟数字新冠证书签名算法不受支持({alg})",
    ),
    ReasonCode.DCC_PAYLOAD_INVALID: (
        Outcome.TURN_AWAY,
        "EU certificate field '{field}' is missing or invalid",
        "欧盟数字新冠证书“{field}”字段缺失或无效",
    ),
    ReasonCode.DCC_UNKNOWN_SIGNER: (
        Outcome.TURN_AWAY,
        "EU certificate signer not trusted (unknown key {kid})",
        "欧盟数字新冠证书签发者不受信任(未知密钥 {kid})",
    ),
    ReasonCode.DCC_SIGNATURE_INVALID: (
        Outcome.TURN_AWAY,
        "EU certificate signature invalid (possibly forged)",
        "欧盟数字新冠证书签名无效(疑似伪造)",
    ),
    ReasonCode.DCC_SCHEMA_INVALID: (
        Outcome.TURN_AWAY,
        "EU certificate content breaks the DCC schema ({detail})",
        "欧盟数字新冠证书内容不符合规范({detail})",
    ),
    ReasonCode.DCC_NOT_YET_VALID: (
        Outcome.TURN_AWAY,
        "EU certificate issued in the future ({issued_at}), check the booth clock",
        "欧盟数字新冠证书签发时间晚于当前时间({issued_at}),请检查时钟",
    ),
    ReasonCode.DCC_EXPIRED: (
        Outcome.TURN_AWAY,
        "EU certificate expired at {expires_at}",
        "欧盟数字新冠证书已过期(有效期至 {expires_at})",
    ),
    ReasonCode.DCC_OUTSIDE_SIGNER_VALIDITY: (
        Outcome.TURN_AWAY,
        "EU certificate validity is outside its signing certificate's validity",
        "欧盟数字新冠证书有效期超出签名证书有效期",
    ),
    ReasonCode.DCC_KEY_USAGE: (
        Outcome.TURN_AWAY,
        "EU certificate signer may not sign this type of certificate ({kind})",
        "欧盟数字新冠证书签名证书无权签发此类证书({kind})",
    ),
    # -- SMART Health Cards (shc:/) --
    ReasonCode.DCC_VALUE_NOT_IN_SET: (
        Outcome.TURN_AWAY,
        "EU DCC field {field} holds {value}, which is not in the EU value set {value_set}",
        "欧盟数字新冠证书字段 {field} 的值 {value} 不在欧盟值集 {value_set} 中",
    ),
    ReasonCode.DCC_VALUE_NOT_IN_SET_REFER: (
        Outcome.REFER,
        "EU DCC field {field} holds {value}, which is not in the EU value set {value_set}. "
        "Refer to the supervisor",
        "欧盟数字新冠证书字段 {field} 的值 {value} 不在欧盟值集 {value_set} 中,请交主管处理",
    ),
    ReasonCode.DCC_VALUE_SET_REFUSED: (
        Outcome.REFER,
        "This booth refused the office's EU value sets ({value_sets}) and holds no earlier "
        "ones of the office's, so this EU certificate cannot be checked against them. Refer "
        "to the supervisor: the office must publish value sets this booth accepts",
        "本岗亭拒用了疫情办发布的欧盟值集({value_sets}),且没有疫情办此前发布的可用版本,无法据此"
        "核验该欧盟数字新冠证书。请交主管处理:需疫情办重新发布本岗亭可用的值集",
    ),
    ReasonCode.DCC_VALUE_SETS_OK: (
        Outcome.ADMIT,
        "EU DCC coded values are in the EU value sets ({version})",
        "欧盟数字新冠证书的编码值均在欧盟值集内({version})",
    ),
    ReasonCode.SHC_BAD_NUMERIC: (
        Outcome.TURN_AWAY,
        "SMART Health Card code is damaged (invalid digits), scan again",
        "SMART健康卡二维码已损坏(数字无效),请重新扫描",
    ),
    ReasonCode.SHC_CHUNK_INCOMPLETE: (
        Outcome.TURN_AWAY,
        "SMART Health Card has {total} parts, {scanned} scanned: scan every part",
        "SMART健康卡共{total}部分,已扫描{scanned}部分:请扫描全部",
    ),
    ReasonCode.SHC_MALFORMED: (
        Outcome.TURN_AWAY,
        "SMART Health Card data is malformed",
        "SMART健康卡数据格式错误",
    ),
    ReasonCode.SHC_BAD_COMPRESSION: (
        Outcome.TURN_AWAY,
        "SMART Health Card cannot be unpacked",
        "SMART健康卡无法解压",
    ),
    ReasonCode.SHC_OVERSIZED: (
        Outcome.TURN_AWAY,
        "SMART Health Card content is larger than {limit_kib} KiB, refused",
        "SMART健康卡内容超过{limit_kib} KiB,拒绝处理",
    ),
    ReasonCode.SHC_UNSUPPORTED_ALGORITHM: (
        Outcome.TURN_AWAY,
        "SMART Health Card is signed with an unsupported algorithm ({alg})",
        "SMART健康卡签名算法不受支持({alg})",
    ),
    ReasonCode.SHC_PAYLOAD_INVALID: (
        Outcome.TURN_AWAY,
        "SMART Health Card field '{field}' is missing or invalid",
        "SMART健康卡“{field}”字段缺失或无效",
    ),
    ReasonCode.SHC_UNKNOWN_KEY: (
        Outcome.TURN_AWAY,
        "SMART Health Card issuer not trusted ({issuer}, key {kid})",
        "SMART健康卡签发机构不受信任({issuer},密钥 {kid})",
    ),
    ReasonCode.SHC_BAD_ISSUER: (
        Outcome.TURN_AWAY,
        "SMART Health Card names no valid issuer ({issuer}): {detail}",
        "SMART健康卡的签发机构地址无效({issuer}):{detail}",
    ),
    ReasonCode.SHC_WRONG_ISSUER: (
        Outcome.TURN_AWAY,
        "SMART Health Card claims issuer {issuer} but is signed with a key of {owner} (forged)",
        "SMART健康卡声称由 {issuer} 签发,但签名密钥属于 {owner}(伪造)",
    ),
    ReasonCode.SHC_REVOCATION_UNCHECKED: (
        Outcome.REFER,
        "Cannot check whether this SMART Health Card was revoked: the issuer's revocation "
        "list {version} is not held. Refer to the supervisor",
        "无法核对此SMART健康卡是否已吊销:未持有签发机构第 {version} 版吊销列表,请交主管处理",
    ),
    ReasonCode.SHC_SIGNATURE_INVALID: (
        Outcome.TURN_AWAY,
        "SMART Health Card signature invalid (possibly forged)",
        "SMART健康卡签名无效(疑似伪造)",
    ),
    ReasonCode.SHC_NOT_YET_VALID: (
        Outcome.TURN_AWAY,
        "SMART Health Card issued in the future ({issued_at}), check the booth clock",
        "SMART健康卡签发时间晚于当前时间({issued_at}),请检查时钟",
    ),
    ReasonCode.SHC_REVOKED: (
        Outcome.TURN_AWAY,
        "SMART Health Card has been revoked by its issuer",
        "SMART健康卡已被签发机构吊销",
    ),
    # -- provincial health codes: not self-verifying (gatehouse.core.health_codes) --
    ReasonCode.HEALTH_CODE_ATTEST_NEEDED: (
        Outcome.REFER,
        "{issuer} health code: cannot be verified offline, check the colour on the phone "
        "(F1 green, F2 yellow, F3 red)",
        "{issuer}健康码:无法离线核验,请查看手机上的颜色(F1绿码、F2黄码、F3红码)",
    ),
    ReasonCode.HEALTH_CODE_ATTESTED: (
        Outcome.ADMIT,
        "{issuer} health code {colour} as checked by the guard: pending online verification",
        "{issuer}健康码经门岗人工查看为{colour}:待联网核验",
    ),
    ReasonCode.HEALTH_CODE_REVERIFIED_GREEN: (
        Outcome.ADMIT,
        "Issuer confirmed the health code green ({checked})",
        "签发平台确认健康码为绿码({checked})",
    ),
    ReasonCode.HEALTH_CODE_REVERIFIED_NOT_GREEN: (
        Outcome.REFER,
        "Issuer reports the health code {colour} ({checked}), guard attested {attested}",
        "签发平台核验健康码为{colour}({checked}),门岗确认时为{attested}",
    ),
    ReasonCode.HEALTH_CODE_REVERIFY_UNKNOWN: (
        Outcome.REFER,
        "Issuer does not recognise the health code ({checked})",
        "签发平台无法识别该健康码({checked})",
    ),
    # -- decision checks: each explains itself, passed checks too --
    ReasonCode.DECISION_NO_PASS: (
        Outcome.REFER,
        "No pass scanned, refer to supervisor",
        "未扫描通行证,请交主管处理",
    ),
    ReasonCode.HEALTH_GREEN: (Outcome.ADMIT, "Health code green", "健康码绿码"),
    ReasonCode.HEALTH_YELLOW: (Outcome.TURN_AWAY, "Health code yellow", "健康码黄码"),
    ReasonCode.HEALTH_RED: (Outcome.TURN_AWAY, "Health code red", "健康码红码"),
    ReasonCode.HEALTH_AGED: (
        Outcome.REFER,
        "Health-code colour on the pass was checked {checked}, counted until {until}: look at "
        "today's code on the phone (F1 green, F2 yellow, F3 red)",
        "通行证上的健康码颜色核验于{checked},有效至{until}:请查看手机上今日的健康码"
        "(F1绿码、F2黄码、F3红码)",
    ),
    ReasonCode.HEALTH_LIVE_GREEN: (
        Outcome.ADMIT,
        "Today's health code green, as the guard saw it on the phone",
        "门岗查看手机上今日健康码为绿码",
    ),
    ReasonCode.HEALTH_LIVE_YELLOW: (
        Outcome.TURN_AWAY,
        "Today's health code yellow, as the guard saw it on the phone",
        "门岗查看手机上今日健康码为黄码",
    ),
    ReasonCode.HEALTH_LIVE_RED: (
        Outcome.TURN_AWAY,
        "Today's health code red, as the guard saw it on the phone",
        "门岗查看手机上今日健康码为红码",
    ),
    ReasonCode.HEALTH_NOT_SHOWN: (
        Outcome.REFER,
        "This code does not show the health-code colour: check the health code",
        "该二维码不含健康码颜色:请查验健康码",
    ),
    ReasonCode.TEST_NOT_SHOWN: (
        Outcome.REFER,
        "This code carries no nucleic acid test: check the test certificate",
        "该二维码不含核酸检测结果:请查验核酸证明",
    ),
    ReasonCode.TRAVEL_NOT_SHOWN: (
        Outcome.REFER,
        "No travel record shown: look at the travel card and press F4 to enter the cities",
        "未出示行程记录:请查看行程卡,按F4录入途经城市",
    ),
    ReasonCode.TEST_NEGATIVE: (
        Outcome.ADMIT,
        "Test negative, sampled {hours} h ago",
        "核酸阴性,{hours}小时前采样",
    ),
    ReasonCode.TEST_MISSING: (
        Outcome.TURN_AWAY,
        "No nucleic acid test on the pass",
        "无核酸检测记录",
    ),
    ReasonCode.TEST_POSITIVE: (Outcome.TURN_AWAY, "Nucleic acid test positive", "核酸检测阳性"),
    ReasonCode.TEST_TOO_OLD: (
        Outcome.TURN_AWAY,
        "Test is older than {max_hours} hours (sampled {hours} h ago)",
        "核酸检测已超过{max_hours}小时({hours}小时前采样)",
    ),
    ReasonCode.TEST_IN_FUTURE: (
        Outcome.REFER,
        "Test sampling time is in the future, check the booth clock",
        "核酸采样时间晚于当前时间,请检查时钟",
    ),
    ReasonCode.VALIDITY_OK: (
        Outcome.ADMIT,
        "Pass valid until {valid_until}",
        "通行证有效期至 {valid_until}",
    ),
    ReasonCode.VALIDITY_NOT_YET: (
        Outcome.TURN_AWAY,
        "Pass not valid until {valid_from}",
        "通行证尚未生效(生效时间 {valid_from})",
    ),
    ReasonCode.VALIDITY_EXPIRED: (
        Outcome.TURN_AWAY,
        "Pass expired at {valid_until}",
        "通行证已过期(有效期至 {valid_until})",
    ),
    ReasonCode.TEMP_NORMAL: (
        Outcome.ADMIT,
        "{celsius:.1f} °C normal",
        "体温 {celsius:.1f} °C 正常",
    ),
    ReasonCode.TEMP_MISSING: (
        Outcome.REMEASURE,
        "No temperature reading, please measure",
        "无体温读数,请测温",
    ),
    ReasonCode.TEMP_STALE: (
        Outcome.REMEASURE,
        "No current temperature reading (last taken {age_s} s ago), measure again",
        "无当前体温读数({age_s}秒前测得),请重新测温",
    ),
    ReasonCode.TEMP_UNREADABLE: (
        Outcome.REMEASURE,
        "Temperature reading unusable, re-measure",
        "体温读数无效,请复测",
    ),
    ReasonCode.TEMP_HIGH: (
        Outcome.REMEASURE,
        "{celsius:.1f} °C high, re-measure",
        "体温 {celsius:.1f} °C 偏高,请复测",
    ),
    ReasonCode.TEMP_LOW: (
        Outcome.REMEASURE,
        "{celsius:.1f} °C implausibly low, re-measure",
        "体温 {celsius:.1f} °C 过低(读数异常),请复测",
    ),
    # -- the rules engine (gatehouse.core.rules): temperature practice --
    ReasonCode.TEMP_WAIT: (
        Outcome.REMEASURE,
        "First reading {first:.1f} °C was abnormal: re-measure in {minutes} min",
        "首次体温 {first:.1f} °C 异常,请{minutes}分钟后复测",
    ),
    ReasonCode.TEMP_CONFIRM: (
        Outcome.REMEASURE,
        "{celsius:.1f} °C abnormal again: confirm with a contact thermometer",
        "复测体温 {celsius:.1f} °C 仍异常,请用接触式体温计确认",
    ),
    ReasonCode.TEMP_CONFIRMED_ABNORMAL: (
        Outcome.TURN_AWAY,
        "{celsius:.1f} °C confirmed abnormal on re-measure: turned away, case flagged",
        "复测体温 {celsius:.1f} °C 经确认异常,劝返并上报疫情办",
    ),
    # -- travel and risk areas --
    ReasonCode.TRAVEL_CLEAR: (
        Outcome.ADMIT,
        "No medium/high-risk area in the last {days} days (list {list_version})",
        "近{days}天未到访中高风险地区(名单 {list_version})",
    ),
    ReasonCode.TRAVEL_RISK_HIGH: (
        Outcome.TURN_AWAY,
        "Visited {region} on {day}: high-risk area since {since}",
        "{day}到访{region}({since}起为高风险地区)",
    ),
    ReasonCode.TRAVEL_RISK_MEDIUM: (
        Outcome.TURN_AWAY,
        "Visited {region} on {day}: medium-risk area since {since}",
        "{day}到访{region}({since}起为中风险地区)",
    ),
    ReasonCode.TRAVEL_STARRED_HIGH: (
        Outcome.TURN_AWAY,
        "Visited {region}* on {day}: it holds a high-risk area ({area}) since {since}",
        "{day}到访{region}*(辖区内{area}{since}起为高风险地区)",
    ),
    ReasonCode.TRAVEL_STARRED_MEDIUM: (
        Outcome.TURN_AWAY,
        "Visited {region}* on {day}: it holds a medium-risk area ({area}) since {since}",
        "{day}到访{region}*(辖区内{area}{since}起为中风险地区)",
    ),
    ReasonCode.TRAVEL_LOCAL: (
        Outcome.ADMIT,
        "No travel outside the home area in the last {days} days",
        "近{days}天未离开本地",
    ),
    ReasonCode.TRAVEL_HOME_MONITORING: (
        Outcome.ADMIT,
        "Arrived from {region} ({day}): admit under home health monitoring",
        "{day}自{region}来矿:放行,落实居家健康监测",
    ),
    # travel the person declared and the guard typed (no signed travel record): says so
    ReasonCode.TRAVEL_DECLARED_CLEAR: (
        Outcome.ADMIT,
        "Declared travel (typed by the guard, not signed): no medium/high-risk area in the "
        "last {days} days (list {list_version})",
        "申报行程(门岗录入,非签名数据):近{days}天未到访中高风险地区(名单 {list_version})",
    ),
    ReasonCode.TRAVEL_DECLARED_RISK_HIGH: (
        Outcome.TURN_AWAY,
        "Declared a visit to {region} on {day}: high-risk area since {since}",
        "申报{day}到访{region}({since}起为高风险地区)",
    ),
    ReasonCode.TRAVEL_DECLARED_RISK_MEDIUM: (
        Outcome.TURN_AWAY,
        "Declared a visit to {region} on {day}: medium-risk area since {since}",
        "申报{day}到访{region}({since}起为中风险地区)",
    ),
    ReasonCode.TRAVEL_DECLARED_STARRED_HIGH: (
        Outcome.TURN_AWAY,
        "Declared a visit to {region}* on {day}: it holds a high-risk area ({area}) since {since}",
        "申报{day}到访{region}*(辖区内{area}{since}起为高风险地区)",
    ),
    ReasonCode.TRAVEL_DECLARED_STARRED_MEDIUM: (
        Outcome.TURN_AWAY,
        "Declared a visit to {region}* on {day}: it holds a medium-risk area ({area}) since "
        "{since}",
        "申报{day}到访{region}*(辖区内{area}{since}起为中风险地区)",
    ),
    ReasonCode.TRAVEL_DECLARED_LOCAL: (
        Outcome.ADMIT,
        "Declared no travel outside the home area in the last {days} days (not signed)",
        "申报近{days}天未离开本地(非签名数据)",
    ),
    ReasonCode.TRAVEL_DECLARED_HOME_MONITORING: (
        Outcome.ADMIT,
        "Declared arrival from {region} ({day}): admit under home health monitoring",
        "申报{day}自{region}来矿:放行,落实居家健康监测",
    ),
    # -- person lists --
    ReasonCode.LIST_CLEAR: (Outcome.ADMIT, "Not on the home-isolation list", "不在居家隔离名单中"),
    ReasonCode.LIST_NOT_CHECKED: (
        Outcome.ADMIT,
        "Home-isolation list not checked: no ID number known (the rule pack does not require one)",
        "未核对居家隔离名单:无身份证号码(规则包不要求核对)",
    ),
    ReasonCode.LIST_NONE: (
        Outcome.ADMIT,
        "No person list is in force at this booth",
        "本岗亭无生效的人员名单",
    ),
    ReasonCode.LIST_ISOLATION: (
        Outcome.TURN_AWAY,
        "On the home-isolation list (until {until}): must not pass, supervisor alerted",
        "居家隔离人员(至{until}),严禁外出进矿,已通知主管",
    ),
    ReasonCode.LIST_VISITOR_OK: (
        Outcome.ADMIT,
        "Approved visitor (approval {approval_id}, host {host})",
        "已审批来访人员(审批号 {approval_id},对接人 {host})",
    ),
    ReasonCode.LIST_VISITOR_UNAPPROVED: (
        Outcome.REFER,
        "Visitor without a valid approval by the epidemic office",
        "来访人员未经疫情办审批或审批已过期,请交主管处理",
    ),
    ReasonCode.LIST_VISITOR_UNAPPROVED_CALL: (
        Outcome.REFER,
        "Visitor without a valid approval by the epidemic office: call {phone} to approve",
        "来访人员未经疫情办审批或审批已过期,请致电疫情办 {phone} 审批",
    ),
    ReasonCode.LIST_CONTRACTOR_OK: (
        Outcome.ADMIT,
        "Registered contractor: {company}, {project}",
        "外委人员已登记:{company},{project}",
    ),
    ReasonCode.LIST_CONTRACTOR_UNREGISTERED: (
        Outcome.REFER,
        "Contractor not in the contractor ledger",
        "外委人员未登记台账,请交主管处理",
    ),
    # a listed contractor outside the contract's days (China days, inclusive): the booth judges
    # the dates itself, so an ended contract stops at midnight without a new publish
    ReasonCode.LIST_CONTRACTOR_NOT_YET: (
        Outcome.REFER,
        "Contractor ({company}, {project}) registered only from {valid_from}: refer to the "
        "supervisor",
        "外委人员({company},{project})登记自{valid_from}起生效,尚未生效,请交主管处理",
    ),
    ReasonCode.LIST_CONTRACTOR_ENDED: (
        Outcome.REFER,
        "Contractor ({company}, {project}) registration ended on {valid_until}: refer to the "
        "supervisor",
        "外委人员({company},{project})登记已于{valid_until}到期,请交主管处理",
    ),
    ReasonCode.LIST_EMPLOYEE_OK: (
        Outcome.ADMIT,
        "On the employee roster ({employee_no})",
        "在册职工({employee_no})",
    ),
    ReasonCode.LIST_EMPLOYEE_UNKNOWN: (
        Outcome.REFER,
        "Not on the employee roster",
        "不在职工花名册中,请交主管处理",
    ),
    ReasonCode.LIST_ID_NEEDED: (
        Outcome.REFER,
        "ID number needed for the person lists: press F7 and type the number on the ID card",
        "需核对人员名单:请按F7录入身份证上的号码",
    ),
    ReasonCode.LIST_ID_INVALID: (
        Outcome.REFER,
        "ID number is not valid (check digit or birth date wrong): press F7 and type it again",
        "身份证号码无效(校验位或出生日期错误):请按F7重新录入",
    ),
    ReasonCode.LIST_PASS_KEY_UNKNOWN: (
        Outcome.REFER,
        "The pass's ID hash was not made with the current list key: press F7 and type the "
        "number on the ID card",
        "通行证中的身份证摘要不是用当前名单密钥生成的:请按F7录入身份证上的号码",
    ),
    ReasonCode.LIST_UNAVAILABLE: (
        Outcome.REFER,
        "No person lists at this booth: cannot check the ID",
        "本岗亭无人员名单,无法核验身份",
    ),
    ReasonCode.LIST_KEY_MISMATCH: (
        Outcome.REFER,
        "Person lists were hashed with another key: lists unusable",
        "人员名单密钥不符,名单无法使用",
    ),
    # -- checkpoint policy --
    ReasonCode.POLICY_CODE_KIND_NOT_ACCEPTED: (
        Outcome.REFER,
        "This checkpoint does not accept {kind} codes",
        "本检查点不接受{kind}类二维码,请交主管处理",
    ),
    ReasonCode.POLICY_ATTESTED_NOT_ACCEPTED: (
        Outcome.REFER,
        "Codes checked by eye only are not accepted at this checkpoint",
        "本检查点不接受仅人工查看的健康码,请交主管处理",
    ),
    ReasonCode.POLICY_DECLARED_TRAVEL_NOT_ACCEPTED: (
        Outcome.REFER,
        "Travel only declared, not signed, is not accepted at this checkpoint",
        "本检查点不接受仅凭申报的行程,请交主管处理",
    ),
    ReasonCode.PACK_NONE: (
        Outcome.REFER,
        "No rule pack is in force now: refer to supervisor",
        "当前没有生效的规则包,请交主管处理",
    ),
    ReasonCode.PACK_NO_CHECKPOINT: (
        Outcome.REFER,
        "Rule pack {pack} has no policy for checkpoint type {checkpoint}",
        "规则包 {pack} 未规定“{checkpoint}”类检查点的规则,请交主管处理",
    ),
    ReasonCode.RULE_OPEN: (
        Outcome.REFER,
        "Rule {rule} could not be evaluated ({problem}): refer to supervisor",
        "规则 {rule} 无法执行({problem}),请交主管处理",
    ),
    ReasonCode.RULE_PASSED: (Outcome.ADMIT, "Rule {rule}: passed", "规则 {rule}:通过"),
    # -- an office document the booth holds but this release refuses: everyone is referred --
    ReasonCode.PACK_REFUSED: (
        Outcome.REFER,
        "The office's rule pack (version {version}) cannot be used by this release: {problem}. "
        "Call the supervisor: this booth refers everyone until the office publishes a pack it "
        "accepts or the booth is updated",
        "疫情办的规则包(版本 {version})本版本程序无法使用:{problem}。请叫主管:在疫情办发布"
        "本岗亭可用的规则包或岗亭程序更新之前,本岗亭所有人员一律交主管处理",
    ),
    ReasonCode.DATA_RISK_LIST_REFUSED: (
        Outcome.REFER,
        "The office's risk-area list (version {version}) cannot be used by this release: "
        "{problem}. Call the supervisor: this booth refers everyone until the office publishes "
        "a list it accepts or the booth is updated",
        "疫情办的风险地区名单(版本 {version})本版本程序无法使用:{problem}。请叫主管:在疫情办"
        "发布本岗亭可用的名单或岗亭程序更新之前,本岗亭所有人员一律交主管处理",
    ),
    ReasonCode.DATA_LISTS_REFUSED: (
        Outcome.REFER,
        "The office's person lists (version {version}) cannot be used by this release: "
        "{problem}. Call the supervisor: this booth refers everyone until the office publishes "
        "lists it accepts or the booth is updated",
        "疫情办的人员名单(版本 {version})本版本程序无法使用:{problem}。请叫主管:在疫情办"
        "发布本岗亭可用的名单或岗亭程序更新之前,本岗亭所有人员一律交主管处理",
    ),
    # -- stale data and clocks: automatic admits stop --
    ReasonCode.DATA_FRESH: (
        Outcome.ADMIT,
        "Risk-area list {version} is current ({hours} h old)",
        "风险地区名单 {version} 为最新({hours}小时前发布)",
    ),
    ReasonCode.DATA_NO_RISK_LIST: (
        Outcome.REFER,
        "No risk-area list from the epidemic office: automatic admits stopped",
        "未收到疫情办的风险地区名单,暂停自动放行",
    ),
    ReasonCode.DATA_RISK_LIST_STALE: (
        Outcome.REFER,
        "Risk-area list is {hours} h old (limit {max_hours} h): automatic admits stopped",
        "风险地区名单已{hours}小时未更新(上限{max_hours}小时),暂停自动放行",
    ),
    ReasonCode.DATA_LISTS_STALE: (
        Outcome.REFER,
        "Person lists are {hours} h old (limit {max_hours} h): automatic admits stopped",
        "人员名单已{hours}小时未更新(上限{max_hours}小时),暂停自动放行",
    ),
    ReasonCode.DATA_PACK_STALE: (
        Outcome.REFER,
        "Rule pack is {hours} h old (limit {max_hours} h): automatic admits stopped",
        "规则包已{hours}小时未更新(上限{max_hours}小时),暂停自动放行",
    ),
    ReasonCode.CLOCK_SKEW: (
        Outcome.REFER,
        "Booth clock is {minutes} min off the hub (limit {max_minutes}): automatic admits stopped",
        "岗亭时钟与中心相差{minutes}分钟(上限{max_minutes}分钟),暂停自动放行",
    ),
    # -- vehicles --
    ReasonCode.VEHICLE_ORIGIN_OK: (
        Outcome.ADMIT,
        "Vehicle from {region}: not a medium/high-risk area",
        "车辆来自{region},非中高风险地区",
    ),
    ReasonCode.VEHICLE_ORIGIN_HIGH: (
        Outcome.TURN_AWAY,
        "Vehicle from {region}: high-risk area since {since}",
        "车辆来自{region}({since}起为高风险地区),劝返",
    ),
    ReasonCode.VEHICLE_ORIGIN_MEDIUM: (
        Outcome.TURN_AWAY,
        "Vehicle from {region}: medium-risk area since {since}",
        "车辆来自{region}({since}起为中风险地区),劝返",
    ),
    ReasonCode.VEHICLE_PURPOSE_OK: (
        Outcome.ADMIT,
        "Purpose: {label} ({purpose})",
        "用途:{label}({purpose})",
    ),
    ReasonCode.VEHICLE_PURPOSE_NOT_ALLOWED: (
        Outcome.REFER,
        "Vehicles for '{purpose}' are not admitted at this gate",
        "本门岗不放行“{purpose}”用途车辆,请交主管处理",
    ),
    ReasonCode.VEHICLE_PLATE_INVALID: (
        Outcome.REFER,
        "Number plate '{plate}' is not a valid plate",
        "车牌号“{plate}”格式无效,请交主管处理",
    ),
    ReasonCode.VEHICLE_NO_DRIVER: (
        Outcome.REFER,
        "No driver checked for this vehicle",
        "未核验驾驶员,请交主管处理",
    ),
    ReasonCode.VEHICLE_DRIVER_NOT_ADMITTED: (
        Outcome.TURN_AWAY,
        "Driver not admitted: the vehicle may not enter",
        "驾驶员未通过核验,车辆不得进入",
    ),
    ReasonCode.VEHICLE_PASSENGER_NOT_ADMITTED: (
        Outcome.TURN_AWAY,
        "Passenger {index} not admitted: the vehicle may not enter",
        "第{index}名乘车人员未通过核验,车辆不得进入",
    ),
    # -- the person's own ID against the pass: typed or on the card (gatehouse.core.id_card) --
    ReasonCode.ID_CARD_CHECKED: (
        Outcome.ADMIT,
        "ID card read: it names the pass holder",
        "已读取身份证:与通行证持有人一致",
    ),
    ReasonCode.ID_CARD_READ: (Outcome.ADMIT, "ID card read", "已读取身份证"),
    ReasonCode.ID_CARD_NAME_MISMATCH: (
        Outcome.REFER,
        "The pass belongs to someone else: the ID card names {card_name}, the pass {pass_name}",
        "通行证不是本人的:身份证姓名为{card_name},通行证为{pass_name},请交主管处理",
    ),
    ReasonCode.HOLDER_NUMBER_MISMATCH: (
        Outcome.REFER,
        "The pass belongs to someone else: the ID number given is not the pass holder's;"
        " do not admit, refer to supervisor",
        "通行证不是本人的:所提供的身份证号码与通行证持有人不符,不得放行,请交主管处理",
    ),
    ReasonCode.ID_CARD_EXPIRED: (
        Outcome.REFER,
        "ID card expired on {until}: not a valid ID, refer to supervisor",
        "身份证已于{until}过期,不是有效证件,请交主管处理",
    ),
}


# Checks that could not be made: each refers (never admits) and names what resolves it.
OPEN_CHECKS: Mapping[str, GuardAction] = {
    ReasonCode.HEALTH_CODE_ATTEST_NEEDED: GuardAction.LIVE_CODE,
    ReasonCode.HEALTH_AGED: GuardAction.LIVE_CODE,
    ReasonCode.HEALTH_NOT_SHOWN: GuardAction.SUPERVISOR,
    ReasonCode.TEST_NOT_SHOWN: GuardAction.SUPERVISOR,
    ReasonCode.TEST_IN_FUTURE: GuardAction.SUPERVISOR,
    ReasonCode.TRAVEL_NOT_SHOWN: GuardAction.TRAVEL,
    ReasonCode.TEMP_MISSING: GuardAction.TEMPERATURE,
    ReasonCode.TEMP_STALE: GuardAction.TEMPERATURE,
    ReasonCode.TEMP_UNREADABLE: GuardAction.TEMPERATURE,
    ReasonCode.LIST_ID_NEEDED: GuardAction.ID_NUMBER,
    ReasonCode.LIST_ID_INVALID: GuardAction.ID_NUMBER,
    ReasonCode.LIST_PASS_KEY_UNKNOWN: GuardAction.ID_NUMBER,
    ReasonCode.LIST_UNAVAILABLE: GuardAction.SUPERVISOR,
    ReasonCode.LIST_KEY_MISMATCH: GuardAction.SUPERVISOR,
    ReasonCode.PACK_NONE: GuardAction.SUPERVISOR,
    ReasonCode.PACK_NO_CHECKPOINT: GuardAction.SUPERVISOR,
    ReasonCode.RULE_OPEN: GuardAction.SUPERVISOR,
    ReasonCode.PACK_REFUSED: GuardAction.SUPERVISOR,
    ReasonCode.DATA_RISK_LIST_REFUSED: GuardAction.SUPERVISOR,
    ReasonCode.DATA_LISTS_REFUSED: GuardAction.SUPERVISOR,
    ReasonCode.TRUST_INCOMPLETE: GuardAction.SUPERVISOR,
    ReasonCode.DCC_VALUE_SET_REFUSED: GuardAction.SUPERVISOR,
    ReasonCode.DATA_NO_RISK_LIST: GuardAction.SUPERVISOR,
    ReasonCode.DATA_RISK_LIST_STALE: GuardAction.SUPERVISOR,
    ReasonCode.DATA_LISTS_STALE: GuardAction.SUPERVISOR,
    ReasonCode.DATA_PACK_STALE: GuardAction.SUPERVISOR,
    ReasonCode.CLOCK_SKEW: GuardAction.SUPERVISOR,
    ReasonCode.VEHICLE_NO_DRIVER: GuardAction.SUPERVISOR,
}


# Reason params that name the rule behind a reason; every decision's reasons carry both.
RULE_ID = "rule_id"
PACK_VERSION = "pack_version"


def traced(item: Reason, rule_id: str, pack_version: str) -> Reason:
    """``item`` stamped with the rule and pack that produced it (kept in params, so the ledger
    records them with the reason and they survive a round trip through it)."""
    params = {**item.params, RULE_ID: rule_id, PACK_VERSION: pack_version}
    return Reason(item.code, item.outcome, item.en, item.zh, params)


def mark_deciding(reasons: Iterable[Reason], outcome: Outcome) -> tuple[Reason, ...]:
    """``reasons`` with those that decided ``outcome`` marked: the outcome is the strictest
    reason's, so every reason with that outcome decided it (on an admit, the checks passed)."""
    return tuple(replace(item, deciding=item.outcome is outcome) for item in reasons)


def deciding_first(reasons: Iterable[Reason], outcome: Outcome) -> list[Reason]:
    """The reasons that decided ``outcome`` first, then the rest; for reasons never marked (a
    record from before the mark), those with the outcome count as deciding."""
    listed = list(reasons)
    marked = any(item.deciding for item in listed)
    return sorted(
        listed, key=lambda item: not (item.deciding if marked else item.outcome is outcome)
    )


def reason(code: str, **params: Any) -> Reason:
    """Build the Reason for ``code`` with its messages filled from ``params``."""
    outcome, en, zh = CATALOGUE[code]
    return Reason(code, outcome, en.format(**params), zh.format(**params), dict(params))


def display_time(moment: datetime) -> str:
    """How reason messages show a time: China Standard Time (the guard's clock) to the minute,
    labelled with its offset so a supervisor reading the log abroad cannot mistake it."""
    return moment.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M UTC+08:00")
