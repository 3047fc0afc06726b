"""Neutral words for reasons in reports: a category, and a label that names no one.

A stored reason's text is one person's ("2026-11-26到访…雁塔区", "复测体温 37.7 °C"); a report
that counts many people needs words true of all of them. The category groups reasons the way an
epidemic office reads them (health code, test, travel, temperature, lists, …); the label is the
reason catalogue's own words where they carry no parameters, else a short neutral phrase.
"""

from __future__ import annotations

from gatehouse.core.reasons import CATALOGUE

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
    "travel.risk_high": ("14天内到访高风险地区", "Visited a high-risk area in 14 days"),
    "travel.risk_medium": ("14天内到访中风险地区", "Visited a medium-risk area in 14 days"),
    "travel.starred_high": ("行程卡带*(高风险)", "Travel card starred (high risk)"),
    "travel.starred_medium": ("行程卡带*(中风险)", "Travel card starred (medium risk)"),
    "travel.declared_risk_high": ("申报到访高风险地区", "Declared a high-risk area visit"),
    "travel.declared_risk_medium": ("申报到访中风险地区", "Declared a medium-risk area visit"),
    "travel.home_monitoring": ("低风险地区来返,居家健康监测", "Low-risk arrival: home monitoring"),
    "travel.declared_home_monitoring": (
        "申报低风险地区来返,居家健康监测",
        "Declared low-risk arrival: home monitoring",
    ),
    "temp.high": ("体温异常(待复测)", "High temperature (to re-measure)"),
    "temp.low": ("体温过低(待复测)", "Implausibly low temperature (to re-measure)"),
    "temp.confirmed_abnormal": ("复测确认体温异常", "Abnormal temperature confirmed"),
    "temp.stale": ("体温读数过旧", "Temperature reading too old"),
    "temp.wait": ("等待复测", "Waiting to re-measure"),
    "temp.confirm": ("需接触式体温计确认", "To confirm with a contact thermometer"),
    "test.too_old": ("核酸检测超过时限", "Test too old"),
    "test.in_future": ("核酸采样时间在未来", "Test sampled in the future"),
    "validity.expired": ("通行证已过期", "Pass expired"),
    "validity.not_yet": ("通行证尚未生效", "Pass not yet valid"),
    "list.isolation": ("居家隔离名单人员", "On the home isolation list"),
    "travel.declared_starred_high": ("申报行程带*(高风险)", "Declared starred city (high risk)"),
    "travel.declared_starred_medium": (
        "申报行程带*(中风险)",
        "Declared starred city (medium risk)",
    ),
    "pass.revoked": ("通行证已被注销", "Pass revoked"),
    "pass.key_revoked": ("签发密钥已被吊销", "Signing key revoked"),
    "pass.unknown_key": ("签发机构不受信任", "Issuer not trusted"),
    "pass.issuer_mismatch": ("签发机构不符", "Issuer mismatch"),
    "pass.key_not_valid": ("签发密钥不在有效期内", "Signing key not valid then"),
    "pass.claim_missing": ("通行证缺少字段", "Pass lacks a field"),
    "pass.claim_invalid": ("通行证字段无效", "Pass field invalid"),
    "dcc.expired": ("欧盟数字新冠证书已过期", "EU DCC expired"),
    "dcc.unknown_signer": ("欧盟数字新冠证书签发者不受信任", "EU DCC signer not trusted"),
    "shc.unknown_key": ("SMART健康卡签发机构不受信任", "SMART Health Card issuer not trusted"),
    "health_code.attest_needed": ("健康码需人工查看颜色", "Health code colour to be attested"),
    "health_code.reverified_not_green": (
        "签发平台核验健康码非绿码",
        "Issuer: health code not green",
    ),
    "list.visitor_unapproved_call": ("来访人员未经审批", "Visitor not approved"),
    "policy.code_kind_not_accepted": ("本检查点不接受此类二维码", "Code kind not accepted here"),
    "rule.open": ("规则无法执行,转主管", "A rule could not run: referred"),
    "data.risk_list_stale": ("风险地区名单过期,暂停自动放行", "Risk-area list stale"),
    "data.lists_stale": ("人员名单过期,暂停自动放行", "Person lists stale"),
    "data.pack_stale": ("规则包过期,暂停自动放行", "Rule pack stale"),
    "clock.skew": ("岗亭时钟偏差,暂停自动放行", "Booth clock off"),
    "vehicle.plate_invalid": ("车牌号格式无效", "Plate number invalid"),
    "vehicle.origin_high": ("车辆来自高风险地区", "Vehicle from a high-risk area"),
    "vehicle.origin_medium": ("车辆来自中风险地区", "Vehicle from a medium-risk area"),
    "vehicle.purpose_not_allowed": ("车辆事由不允许", "Vehicle purpose not allowed"),
    "vehicle.driver_not_admitted": ("驾驶员未通过核验", "Driver not admitted"),
    "vehicle.passenger_not_admitted": ("乘车人员未通过核验", "Passenger not admitted"),
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
