"""Neutral words for reasons in reports: a category, and a label that names no one.

A stored reason's text is one person's ("2026-11-26到访…雁塔区", "复测体温 37.7 °C"); a report
that counts many people needs words true of all of them. The category groups reasons the way an
epidemic office reads them (health code, test, travel, temperature, lists, …); the label is the
reason catalogue's own words where they carry no parameters, else a short neutral phrase.
"""

from __future__ import annotations

from gatehouse.core.reasons import CATALOGUE, ReasonCode

# code prefix -> category (zh, en); the longest matching prefix wins
CATEGORIES: dict[str, tuple[str, str]] = {
    "health": ("健康码", "Health code"),
    "health_code": ("健康码", "Health code"),
    "test": ("核酸检测", "Nucleic-acid test"),
    "travel": ("行程", "Travel"),
    "temp": ("体温", "Temperature"),
    "list": ("人员名单", "Person lists"),
    "validity": ("通行证", "Pass"),
    "pass": ("通行证", "Pass"),
    "code": ("通行证", "Pass"),
    "dcc": ("通行证", "Pass"),
    "shc": ("通行证", "Pass"),
    "decision": ("通行证", "Pass"),
    "vehicle": ("车辆", "Vehicle"),
    "policy": ("规则与数据", "Rules and data"),
    "pack": ("规则与数据", "Rules and data"),
    "rule": ("规则与数据", "Rules and data"),
    "data": ("规则与数据", "Rules and data"),
    "clock": ("规则与数据", "Rules and data"),
}
OTHER = ("其他", "Other")

# Labels for reasons whose catalogue text carries one person's details.
LABELS: dict[str, tuple[str, str]] = {
    ReasonCode.TRAVEL_RISK_HIGH: ("14天内到访高风险地区", "Visited a high-risk area in 14 days"),
    ReasonCode.TRAVEL_RISK_MEDIUM: (
        "14天内到访中风险地区",
        "Visited a medium-risk area in 14 days",
    ),
    ReasonCode.TRAVEL_STARRED_HIGH: ("行程卡带*(高风险)", "Travel card starred (high risk)"),
    ReasonCode.TRAVEL_STARRED_MEDIUM: ("行程卡带*(中风险)", "Travel card starred (medium risk)"),
    ReasonCode.TRAVEL_DECLARED_RISK_HIGH: ("申报到访高风险地区", "Declared a high-risk area visit"),
    ReasonCode.TRAVEL_DECLARED_RISK_MEDIUM: (
        "申报到访中风险地区",
        "Declared a medium-risk area visit",
    ),
    ReasonCode.TRAVEL_HOME_MONITORING: (
        "低风险地区来返,居家健康监测",
        "Low-risk arrival: home monitoring",
    ),
    ReasonCode.TRAVEL_DECLARED_HOME_MONITORING: (
        "申报低风险地区来返,居家健康监测",
        "Declared low-risk arrival: home monitoring",
    ),
    ReasonCode.TEMP_HIGH: ("体温异常(待复测)", "High temperature (to re-measure)"),
    ReasonCode.TEMP_LOW: ("体温过低(待复测)", "Implausibly low temperature (to re-measure)"),
    ReasonCode.TEMP_CONFIRMED_ABNORMAL: ("复测确认体温异常", "Abnormal temperature confirmed"),
    ReasonCode.TEMP_STALE: ("体温读数过旧", "Temperature reading too old"),
    ReasonCode.TEMP_WAIT: ("等待复测", "Waiting to re-measure"),
    ReasonCode.TEMP_CONFIRM: ("需接触式体温计确认", "To confirm with a contact thermometer"),
    ReasonCode.TEST_TOO_OLD: ("核酸检测超过时限", "Test too old"),
    ReasonCode.TEST_IN_FUTURE: ("核酸采样时间在未来", "Test sampled in the future"),
    ReasonCode.VALIDITY_EXPIRED: ("通行证已过期", "Pass expired"),
    ReasonCode.VALIDITY_NOT_YET: ("通行证尚未生效", "Pass not yet valid"),
    ReasonCode.LIST_ISOLATION: ("居家隔离名单人员", "On the home isolation list"),
    ReasonCode.TRAVEL_DECLARED_STARRED_HIGH: (
        "申报行程带*(高风险)",
        "Declared starred city (high risk)",
    ),
    ReasonCode.TRAVEL_DECLARED_STARRED_MEDIUM: (
        "申报行程带*(中风险)",
        "Declared starred city (medium risk)",
    ),
    ReasonCode.PASS_REVOKED: ("通行证已被注销", "Pass revoked"),
    ReasonCode.PASS_KEY_REVOKED: ("签发密钥已被吊销", "Signing key revoked"),
    ReasonCode.PASS_UNKNOWN_KEY: ("签发机构不受信任", "Issuer not trusted"),
    ReasonCode.PASS_ISSUER_MISMATCH: ("签发机构不符", "Issuer mismatch"),
    ReasonCode.PASS_KEY_NOT_VALID: ("签发密钥不在有效期内", "Signing key not valid then"),
    ReasonCode.PASS_CLAIM_MISSING: ("通行证缺少字段", "Pass lacks a field"),
    ReasonCode.PASS_CLAIM_INVALID: ("通行证字段无效", "Pass field invalid"),
    ReasonCode.DCC_EXPIRED: ("欧盟数字新冠证书已过期", "EU DCC expired"),
    ReasonCode.DCC_UNKNOWN_SIGNER: ("欧盟数字新冠证书签发者不受信任", "EU DCC signer not trusted"),
    ReasonCode.SHC_UNKNOWN_KEY: (
        "SMART健康卡签发机构不受信任",
        "SMART Health Card issuer not trusted",
    ),
    ReasonCode.HEALTH_CODE_ATTEST_NEEDED: (
        "健康码需人工查看颜色",
        "Health code colour to be attested",
    ),
    ReasonCode.HEALTH_CODE_REVERIFIED_NOT_GREEN: (
        "签发平台核验健康码非绿码",
        "Issuer: health code not green",
    ),
    ReasonCode.LIST_VISITOR_UNAPPROVED_CALL: ("来访人员未经审批", "Visitor not approved"),
    ReasonCode.LIST_CONTRACTOR_NOT_YET: (
        "外委人员登记尚未生效",
        "Contractor registration not yet in force",
    ),
    ReasonCode.LIST_CONTRACTOR_ENDED: ("外委人员登记已到期", "Contractor registration ended"),
    ReasonCode.POLICY_CODE_KIND_NOT_ACCEPTED: (
        "本检查点不接受此类二维码",
        "Code kind not accepted here",
    ),
    ReasonCode.RULE_OPEN: ("规则无法执行,转主管", "A rule could not run: referred"),
    ReasonCode.PACK_REFUSED: ("规则包无法使用,一律转主管", "Rule pack refused: all referred"),
    ReasonCode.DATA_RISK_LIST_REFUSED: (
        "风险地区名单无法使用,一律转主管",
        "Risk-area list refused: all referred",
    ),
    ReasonCode.DATA_LISTS_REFUSED: (
        "人员名单无法使用,一律转主管",
        "Person lists refused: all referred",
    ),
    ReasonCode.DATA_RISK_LIST_STALE: ("风险地区名单过期,暂停自动放行", "Risk-area list stale"),
    ReasonCode.DATA_LISTS_STALE: ("人员名单过期,暂停自动放行", "Person lists stale"),
    ReasonCode.DATA_PACK_STALE: ("规则包过期,暂停自动放行", "Rule pack stale"),
    ReasonCode.CLOCK_SKEW: ("岗亭时钟偏差,暂停自动放行", "Booth clock off"),
    ReasonCode.VEHICLE_PLATE_INVALID: ("车牌号格式无效", "Plate number invalid"),
    ReasonCode.VEHICLE_ORIGIN_HIGH: ("车辆来自高风险地区", "Vehicle from a high-risk area"),
    ReasonCode.VEHICLE_ORIGIN_MEDIUM: ("车辆来自中风险地区", "Vehicle from a medium-risk area"),
    ReasonCode.VEHICLE_PURPOSE_NOT_ALLOWED: ("车辆事由不允许", "Vehicle purpose not allowed"),
    ReasonCode.VEHICLE_DRIVER_NOT_ADMITTED: ("驾驶员未通过核验", "Driver not admitted"),
    ReasonCode.VEHICLE_PASSENGER_NOT_ADMITTED: ("乘车人员未通过核验", "Passenger not admitted"),
}


def category(code: str) -> tuple[str, str]:
    """The category a reason code belongs to (zh, en)."""
    prefix = code.split(".", 1)[0]
    return CATEGORIES.get(prefix, OTHER)


def label(code: str) -> tuple[str, str]:
    """Words for ``code`` that are true of everyone counted under it (zh, en)."""
    if code in LABELS:
        return LABELS[code]
    entry = CATALOGUE.get(code)
    if entry is not None and "{" not in entry[1] + entry[2]:
        return entry[2], entry[1]
    zh, en = category(code)
    return f"{zh}({code})", f"{en} ({code})"
