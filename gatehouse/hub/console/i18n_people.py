"""The words of the person-list and visitor pages (Chinese, English), kept apart from the
rest of the console's so each part's pages stay in their own modules."""

from __future__ import annotations

PEOPLE_TEXTS: dict[str, tuple[str, str]] = {
    "person_lists": ("人员名单", "Person lists"),
    "list_isolation": ("居家隔离", "Home isolation"),
    "list_contractors": ("外委人员", "Contractors"),
    "no_secret": (
        "本中心启动时未提供名单密钥(hub serve --list-secret),无法登记身份证号。",
        "This hub was started without the list secret (hub serve --list-secret): ID numbers "
        "cannot be recorded.",
    ),
    "done_added": (
        "已添加,名单已签名发布,岗亭下次同步时生效。",
        "Added; the lists were signed and published: booths take it at their next sync.",
    ),
    "done_changed": (
        "已修改,名单已签名发布,岗亭下次同步时生效。",
        "Changed; the lists were signed and published: booths take it at their next sync.",
    ),
    "done_ended": (
        "已移出名单,名单已签名发布,岗亭下次同步时生效。",
        "Taken off; the lists were signed and published: booths take it at their next sync.",
    ),
    "done_imported": (
        "文件已全部导入,名单已签名发布,岗亭下次同步时生效。",
        "The whole file was imported; the lists were signed and published: booths take it at "
        "their next sync.",
    ),
    "done_published": (
        "名单已签名发布,岗亭下次同步时获取。",
        "The lists were signed and published; booths take them at their next sync.",
    ),
    "import_refused": (
        "文件有错误,未导入任何一行。请改正后重新导入:",
        "The file has errors; no row was imported. Fix these and import it again:",
    ),
    "row": ("行", "Row"),
    "column": ("列", "Column"),
    "problem": ("问题", "Problem"),
    "isolated_until": ("解除日期(当天起可通行)", "Isolated until (may pass from that day)"),
    "until_lifted": ("待通知", "until further notice"),
    "company": ("单位", "Company"),
    "project": ("项目", "Project"),
    "valid_from": ("有效期自", "Valid from"),
    "valid_until": ("有效期至(含)", "Valid until (inclusive)"),
    "validity_state": ("状态", "State"),
    "contract_in_force": ("有效", "in force"),
    "contract_not_yet": (
        "未开始(已发往岗亭,首日起自动生效)",
        "not yet (sent to the booths, in force from its first day)",
    ),
    "contract_ended": ("已到期(不再发往岗亭)", "ended (no longer sent to the booths)"),
    "changed": ("最后修改", "Last changed"),
    "edit": ("修改", "Edit"),
    "add_person": ("添加人员", "Add a person"),
    "id_number": (
        "身份证号(只保存加密哈希和脱敏号码)",
        "ID number (kept only as a keyed hash and masked)",
    ),
    "add": ("添加", "Add"),
    "import_file": ("从 CSV/Excel 导入", "Import from CSV/Excel"),
    "import_help_isolation": (
        "列:姓名、身份证号、解除日期。任何一行有错,整个文件都不导入。",
        "Columns: 姓名 name, 身份证号 ID number, 解除日期 until. "
        "If any row is wrong, nothing is imported.",
    ),
    "import_help_contractors": (
        "列:姓名、身份证号、单位、项目,可选开始、结束(每人自己的有效期);没有这两列的行按下面的"
        "有效期。任何一行有错,整个文件都不导入。",
        "Columns: 姓名 name, 身份证号 ID number, 单位 company, 项目 project, and optionally 开始 "
        "valid from, 结束 valid until (each person's own days); rows without them take the "
        "validity below. If any row is wrong, nothing is imported.",
    ),
    "file": ("文件", "File"),
    "import": ("导入", "Import"),
    "publish_lists": ("发布名单", "Publish the lists"),
    "lists_publish_help": (
        "名单每次变动(添加、修改、移出、导入,批准或注销来访)都会立即用中心密钥签名发布,"
        "岗亭下次同步时生效。日期由岗亭按通行当天自行判断:隔离解除日、外委人员有效期、来访日期"
        "到期即生效或失效,无需再次发布(尚未开始的外委人员和来访也一并发出)。"
        "此按钮用于附说明重新发布,或在自动发布失败后重试。",
        "Every change (add, edit, take off, import; approving or revoking a visit) is signed "
        "with the hub's key and published at once; booths take it at their next sync. Dates "
        "need no publish: booths judge isolation until-days, contractor validity and visit "
        "days on the day of each passage (contractors and visits not yet started are sent "
        "too). Use this button to publish with a note, or to retry after a failed publish.",
    ),
    "why": ("说明", "Note"),
    "lists_publish": ("签名发布", "Sign and publish"),
    "list_history": ("发布历史", "Published versions"),
    "visitors": ("来访人员", "Visitors"),
    "save": ("保存", "Save"),
    "end_help": (
        "移出名单后,下一版名单不再包含此人。",
        "Once taken off, the next published lists no longer hold this person.",
    ),
    "end_entry": ("移出名单", "Take off the list"),
    "request_visit": ("申请来访", "Request a visit"),
    "revocations": ("通行证注销", "Revoked passes"),
    "visit_roles": (
        "矿井主管可为本矿申请来访;防疫办工作人员审批、拒绝或注销。",
        "A mine's supervisor requests visits to their mine; office staff approve, refuse "
        "or revoke.",
    ),
    "visit_id": ("审批号", "Approval"),
    "host": ("接待人", "Host"),
    "visit_days": ("来访日期", "Days"),
    "purpose": ("来访事由", "Purpose"),
    "status": ("状态", "Status"),
    "visit_requested": ("待审批", "awaiting approval"),
    "visit_approved": ("已批准", "approved"),
    "visit_refused": ("已拒绝", "refused"),
    "visit_revoked": ("已注销", "revoked"),
    "first_day": ("来访日期", "First day"),
    "last_day": ("离开日期(含)", "Last day (inclusive)"),
    "send_request": ("提交申请", "Send the request"),
    "visit": ("来访", "Visit"),
    "requested_by": ("申请人", "Requested by"),
    "decided_by": ("审批人", "Decided by"),
    "refusal": ("拒绝理由", "Reason for refusal"),
    "code_checked": ("已核验访客健康码为绿码", "I checked the visitor's health code is green"),
    "approve_help": (
        "批准即签发访客通行证,并发布名单,岗亭下次同步时生效。",
        "Approving issues the visitor's pass and publishes the lists; booths take it at their "
        "next sync.",
    ),
    "approve": ("批准并签发通行证", "Approve and issue the pass"),
    "refuse": ("拒绝", "Refuse"),
    "awaiting_office": ("等待防疫办审批。", "Awaiting the epidemic office's decision."),
    "visitor_pass": ("访客通行证", "Visitor's pass"),
    "send_to_phone": (
        "下载二维码图片发送到访客手机,或打印通行证卡片。",
        "Download the QR code to send to the visitor's phone, or print the card.",
    ),
    "download_qr": ("下载二维码(PNG)", "Download QR code (PNG)"),
    "download_card": ("下载卡片(PDF)", "Download card (PDF)"),
    "revoke": ("注销通行证", "Revoke the pass"),
    "rev_missing": ("尚未列入已发布的信任列表", "not yet in the published trust list"),
    "rev_published": ("已列入已发布的信任列表", "in the published trust list"),
    "root_needed": ("需要根密钥签名", "A signature from the root key is needed"),
    "root_needed_help": (
        "已注销的访客已从名单中移除。要让岗亭拒绝该通行证本身,信任列表须由离线保存的根密钥"
        "签名:在保存根密钥的电脑上运行下面的命令,然后在此上传生成的文件。",
        "Revoked visitors were taken off the lists. For booths to refuse the pass itself, the "
        "trust list must be signed with the root key, which stays offline: run this command "
        "on the computer that holds it, then upload the file it writes here.",
    ),
    "publish_trust_list": ("上传并发布签名信任列表", "Upload and publish the signed trust list"),
}
