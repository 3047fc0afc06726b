"""The console's words in Chinese (the default) and English.

Pages call ``t(key)``; a key missing here shows as itself, which a test catches.
"""

from __future__ import annotations

from gatehouse.hub.console.data_texts import DATA_TEXTS
from gatehouse.hub.console.i18n_people import PEOPLE_TEXTS

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

_PAGE_TEXTS: dict[str, tuple[str, str]] = {
    "app_title": ("防疫办控制台", "Epidemic office console"),
    "login": ("登录", "Log in"),
    "logout": ("退出", "Log out"),
    "username": ("用户名", "User name"),
    "password": ("密码", "Password"),
    "login_refused": ("用户名或密码错误。", "Wrong user name or password."),
    "login_locked": (
        "密码错误次数过多,账户已锁定至 {until}。请稍后再试,或请管理员协助。",
        "Too many wrong passwords: the account is locked until {until}. "
        "Try again later or ask the administrator.",
    ),
    "csrf_refused": (
        "表单已过期或来源不明,未执行任何操作。请重新打开页面再提交。",
        "The form has expired or did not come from this console; nothing was done. "
        "Open the page again and resubmit.",
    ),
    "forbidden": ("您的账户无权查看此页面。", "Your account may not see this page."),
    "not_found": ("未找到。", "Not found."),
    "export_failed": (
        "导出失败,请稍后再试:{reason}",
        "The export failed, try again shortly: {reason}",
    ),
    "booths": ("岗亭", "Booths"),
    "passages": ("通行记录", "Passages"),
    "live": ("实时", "Live"),
    "users": ("账户", "Accounts"),
    "audit": ("操作日志", "Audit log"),
    "role_admin": ("防疫办管理员", "Office administrator"),
    "role_staff": ("防疫办工作人员", "Office staff"),
    "role_supervisor": ("矿井主管(只读,可申请来访)", "Mine supervisor (reads; requests visits)"),
    "mine": ("矿井", "Mine"),
    "unassigned": ("未分配", "unassigned"),
    "booth": ("岗亭", "Booth"),
    "checkpoint_type": ("卡口类型", "Checkpoint type"),
    "cp_mine_gate": ("井口", "mine gate"),
    "cp_office_area": ("办公区", "office area"),
    "cp_canteen": ("食堂", "canteen"),
    "cp_dormitory": ("宿舍", "dormitory"),
    "cp_vehicle_gate": ("车辆卡口", "vehicle gate"),
    "enrolled_at": ("注册时间", "Enrolled"),
    "last_contact": ("最后联系", "Last contact"),
    "never": ("从未", "never"),
    "passage_count": ("通行数", "Passages"),
    "quarantined": ("隔离区(24小时内新增)", "Quarantined (new in 24 h)"),
    "alarms": ("告警", "Alarms"),
    "alarm_not_enrolled": ("尚未用注册码注册", "not enrolled with its code yet"),
    "alarm_silent": ("超过{minutes}分钟未联系", "not heard from for over {minutes} minutes"),
    "alarm_clock": (
        "岗亭时钟与中心相差超过{limit}秒",
        "the booth's clock is more than {limit} s off the hub's",
    ),
    "alarm_checkpoint_type": (
        "岗亭上报的卡口类型与防疫办登记的不同",
        "the booth is set up as another checkpoint type than the office gave it",
    ),
    "alarm_quarantine": ("24小时内有上传被隔离", "uploads quarantined in the last 24 h"),
    "alarm_attested": (
        "门卫确认的健康码颜色被发码方答复为黄/红码",
        "the issuer answered yellow/red for a colour a guard attested",
    ),
    "no_alarm": ("正常", "OK"),
    "not_reported": (
        "待上传、时钟偏差、版本和生效数据包为岗亭最近一次同步时上报的情况;"
        "旧版本岗亭不上报,显示为“未知”。时钟偏差为中心时间减岗亭时间。",
        "Backlog, clock skew, version and bundles in force are what each booth reported at its "
        "latest sync; a booth of an older version reports none (shown as unknown). Clock skew "
        "is the hub's time minus the booth's.",
    ),
    "backlog": ("待上传", "Backlog"),
    "clock_skew": ("时钟偏差", "Clock skew"),
    "app_version": ("程序版本", "App version"),
    "bundles_in_force": ("生效的数据包(版本)", "Bundles in force (version)"),
    "unknown": ("未知", "unknown"),
    "behind": ("旧于发布版本", "older than published"),
    "reported_type": ("岗亭设置为", "the booth says"),
    "published": (
        "中心发布的数据包(岗亭同步后即生效此版本)",
        "Bundles the hub publishes (a booth that synced since holds these)",
    ),
    "bundle": ("数据包", "Bundle"),
    "version": ("版本", "Version"),
    "published_at": ("发布时间", "Published"),
    "add_booth": ("添加岗亭", "Add a booth"),
    "booth_id": ("岗亭编号", "Booth id"),
    "create_code": ("生成注册码", "Create the enrolment code"),
    "code_for": ("岗亭 {booth} 的一次性注册码", "One-time enrolment code for booth {booth}"),
    "code_help": (
        "在岗亭的设置向导中输入中心地址和此码,或在向导的“中心”页点“扫码”,把二维码对准岗亭摄像头"
        "(二维码含中心地址、岗亭编号和此码)。此码只能使用一次,离开本页后不再显示。",
        "Type the hub's address and this code into the booth's setup wizard, or press \"Scan the "
        "code\" on its hub page and show this QR code to the booth's camera (it holds the hub's "
        "address, the booth id and the code). It works once and is not shown again after you "
        "leave this page.",
    ),
    "hub_address": ("中心地址", "Hub address"),
    "bad_booth_id": ("岗亭编号须为1至64个字符。", "The booth id must be 1 to 64 characters."),
    "bad_mine": ("请填写矿井。", "Enter the mine."),
    "bad_checkpoint_type": ("请选择卡口类型。", "Choose the checkpoint type."),
    "search": ("查询", "Search"),
    "since": ("开始日期", "From"),
    "until": ("结束日期(含)", "To (inclusive)"),
    "person": ("人员(姓名/证件号/通行证号)", "Person (name / ID number / pass id)"),
    "person_help": (
        "姓名按开头匹配(如“王”或“王建国”);完整身份证号按脱敏形式匹配,可能对应多人。",
        "A name is matched from its start (a surname, or the whole name); a full ID number by "
        "its masked form, which may match several people.",
    ),
    "outcome": ("结果", "Outcome"),
    "reason": ("原因代码", "Reason code"),
    "role": ("身份", "Role"),
    "any": ("全部", "any"),
    "role_employee": ("员工", "employee"),
    "role_visitor": ("访客", "visitor"),
    "role_contractor": ("外委", "contractor"),
    "role_driver": ("司机", "driver"),
    "role_vehicle": ("车辆", "vehicle"),
    "ADMIT": ("通行", "admit"),
    "REMEASURE": ("复测", "re-measure"),
    "REFER": ("转主管", "refer"),
    "TURN_AWAY": ("劝返", "turn away"),
    "time": ("时间", "Time"),
    "name": ("姓名", "Name"),
    "id_masked": ("证件号(脱敏)", "ID number (masked)"),
    "reasons": ("原因", "Reasons"),
    "no_passages": ("没有符合条件的通行记录。", "No passage matches."),
    "next_page": ("下一页(更早)", "Next page (older)"),
    "first_page": ("第一页", "First page"),
    "export_csv": ("导出 CSV", "Export CSV"),
    "export_xlsx": ("导出 Excel", "Export Excel"),
    "bad_date": ("日期格式应为 YYYY-MM-DD:{value}", "A date must be YYYY-MM-DD: {value}"),
    "passage": ("通行记录", "Passage"),
    "rule": ("规则", "Rule"),
    "rule_pack": ("规则包版本", "Rule pack version"),
    "overrides": ("主管改判与发码方答复", "Overrides and the issuer's answers"),
    "none": ("无", "none"),
    "temperature": ("体温", "Temperature"),
    "pass_id": ("通行证编号", "Pass id"),
    "guard": ("门卫", "Guard"),
    "live_title": ("最近的劝返、转主管与告警", "Latest turn-aways, referrals and alerts"),
    "live_refresh": ("本页每30秒自动刷新。", "This page refreshes itself every 30 seconds."),
    "contractor_ledger": ("外委人员台账", "Contractor ledger"),
    "contractor_help": (
        "防疫办发布的外委人员名单中的每个人(无论是否到岗),及所选期间在所选矿井岗亭的通行情况;"
        "以外委人员身份通行但不在名单上的人员列在后面并标出。"
        "只在矿井岗亭本地导入的外委人员中心不掌握,显示为未登记。",
        "Everyone on the contractor list the office publishes (whether they came or not) with "
        "their passages at the chosen mine's booths in the period; people who passed as "
        "contractors but are not on the list follow, flagged. Contractors a mine imported only "
        "at its own booth are not known at the hub and show as not on the list.",
    ),
    "list_version": ("外委名单版本:{version}", "Contractor list version: {version}"),
    "no_list": (
        "防疫办尚未发布外委人员名单,下表只有以外委身份通行的人员。",
        "The office has published no contractor list: only people who passed as contractors "
        "are shown.",
    ),
    "list_unreadable": (
        "防疫办发布的名单无法读取({problem}),下表只有以外委身份通行的人员。",
        "The office's published list cannot be read ({problem}): only people who passed as "
        "contractors are shown.",
    ),
    "from": ("从", "From"),
    "to": ("到", "To"),
    "bad_period": ("开始日期晚于结束日期:{value}", "The start is after the end: {value}"),
    "long_period": ("期间最长一年:{value}", "A period is at most a year: {value}"),
    "download": ("下载 {format}", "Download {format}"),
    "no_contractor": ("期间内无外委人员记录。", "No contractor in the period."),
    "reports": ("日报告", "Daily reports"),
    "group": ("集团(全部矿井)", "The group (every mine)"),
    "day": ("日期", "Day"),
    "show": ("显示", "Show"),
    "total": ("人次", "Passages"),
    "people": ("人数", "People"),
    "vehicles": ("车辆", "Vehicles"),
    "abnormal": ("异常人员", "People with an abnormal case"),
    "zero_report": ("零报告", "zero report"),
    "download_pdf": ("下载 PDF", "Download PDF"),
    "reports_help": (
        "每个矿井一份日报告;当天没有异常情况(包括没有通行)时为零报告。默认为昨天。",
        "One daily report per mine; a day without an abnormal case (or without passages) "
        "gives the zero report. Yesterday unless another day is chosen.",
    ),
    "overrides_unavailable": (
        "主管改判记录在各岗亭的审计链中,总部无此数据:结果按岗亭判定统计。",
        "The supervisors' overrides stay in each booth's audit chain and are not available "
        "at the hub: outcomes are counted as the booths decided them.",
    ),
    "add_user": ("添加账户", "Add an account"),
    "create": ("创建", "Create"),
    "user_created": ("账户已创建:{user}", "Account created: {user}"),
    "locked_until": ("锁定至", "Locked until"),
    "at": ("时间", "When"),
    "who": ("操作人", "Who"),
    "action": ("操作", "Action"),
    "detail": ("内容", "Details"),
    "address": ("来源地址", "From"),
    "timezone_note": ("时间为北京时间(UTC+8)。", "Times are China Standard Time (UTC+8)."),
}


def _merged(*parts: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """One table from each area's words; a key two areas word differently is refused, since the
    later one would silently change the other's page."""
    merged: dict[str, tuple[str, str]] = {}
    for part in parts:
        for key, words in part.items():
            if merged.setdefault(key, words) != words:
                raise ValueError(f"console text {key!r} is worded twice: {merged[key]} and {words}")
    return merged


TEXTS = _merged(_PAGE_TEXTS, PEOPLE_TEXTS, DATA_TEXTS)


def translate(key: str, language: str, **values: object) -> str:
    zh, en = TEXTS.get(key, (key, key))
    text = en if language == "en" else zh
    return text.format(**values) if values else text
