"""Words of the pages for the data booths decide with (risk areas, policies, keys), zh and en."""

from __future__ import annotations

DATA_TEXTS: dict[str, tuple[str, str]] = {
    "risk_areas": ("风险地区", "Risk areas"),
    "dry_run_and_publish": ("预演并发布", "Dry run and publish"),
    "history": ("历史版本", "History"),
    "risk_area_history": ("风险地区名单历史版本", "Risk-area list: history"),
    "published_version": (
        "已发布版本 {number}(生效时间 {at})。",
        "Published version {number} (in effect from {at}).",
    ),
    "never_published": ("尚未发布过风险地区名单。", "No risk-area list has been published yet."),
    "draft_note": (
        "以下为草稿:修改在预演并发布后才会下发到各岗亭。",
        "Below is the draft: changes reach the booths only once dry-run and published.",
    ),
    "region": ("地区", "Region"),
    "level": ("风险等级", "Level"),
    "level_low": ("低风险", "Low"),
    "level_medium": ("中风险", "Medium"),
    "level_high": ("高风险", "High"),
    "counts_from": ("起始日期", "Counts from"),
    "lifted_on": ("解除日期", "Lifted on"),
    "in_force": ("有效", "In force"),
    "lift": ("解除", "Lift"),
    "remove": ("删除", "Remove"),
    "add": ("添加", "Add"),
    "no_areas": ("草稿中没有风险地区。", "The draft has no risk areas."),
    "add_area": ("添加风险地区", "Add a risk area"),
    "region_search": ("地区(汉字、拼音或首字母)", "Region (Chinese, pinyin or initials)"),
    "no_region_found": ("未找到该地区。", "No such region."),
    "paste_announcement": ("粘贴公告", "Paste an announcement"),
    "read_announcement": ("识别地区", "Read the places"),
    "matched_places": ("已匹配 {count} 个地区", "{count} places matched"),
    "apply_read": (
        "写入草稿:新增 {added} 个地区,解除 {lifted} 个地区",
        "Put in the draft: add {added} places, lift {lifted} places",
    ),
    "draft_changes": (
        "草稿相对已发布名单的改动",
        "What the draft changes from the published list",
    ),
    "draft_stale": (
        "已发布的名单在此草稿开始编辑后有变化:草稿基于第 {base} 版,现已发布第 {latest} 版,"
        "此后发布的改动如下。",
        "The published list changed since this draft was started: the draft began from version "
        "{base}, version {latest} is published now. What was published since:",
    ),
    "draft_stale_first": (
        "此草稿开始编辑时尚未发布过名单,现已发布第 {latest} 版,其内容如下。",
        "No list was published when this draft was started; version {latest} is published now. "
        "What it holds:",
    ),
    "draft_stale_unknown": (
        "此草稿编辑于中心记录草稿来源版本之前,无法确定它基于哪一版。以下为草稿与现已发布的"
        "第 {latest} 版的不同(+ 仅草稿有,− 仅已发布名单有):",
        "This draft was started before the hub recorded which version a draft comes from. How "
        "it differs from version {latest}, published now (+ only in the draft, − only in the "
        "published list):",
    ),
    "rebase_help": (
        "发布前请先重新整理草稿:以现已发布的名单为基础,重新套用您的修改(与已发布名单冲突的"
        "修改会列出,需重新操作);或放弃草稿。两种方式都不会撤销他人已发布的内容。",
        "Before publishing, rebase the draft: your edits are applied again to the list published "
        "now (any that clash with it are listed, to redo by hand); or discard the draft. "
        "Neither undoes what others published.",
    ),
    "rebase_draft": ("以已发布名单为基础重新整理草稿", "Rebase the draft on the published list"),
    "discard_draft": ("放弃草稿", "Discard the draft"),
    "rebased": (
        "草稿已改为基于第 {version} 版,保留的修改如下:",
        "The draft now starts from version {version}, with these edits kept:",
    ),
    "rebase_left_out": (
        "以下修改与已发布名单冲突,未能保留,请核对后重新操作:",
        "These edits clash with the published list and were not kept; check them and redo "
        "them by hand:",
    ),
    "nothing_to_rebase": (
        "草稿已基于现已发布的版本,无需重新整理。",
        "The draft already starts from the published version: nothing to rebase.",
    ),
    "draft_changed": (
        "未发布:预演页打开后草稿又被修改过(可能是其他同事),此时发布的内容将与您核对的不同。"
        "请重新打开预演页,核对后再发布。",
        "Not published: the draft was changed after this dry run was shown (by a colleague, "
        "perhaps), so what would be signed is not what you reviewed. Reload the dry run, check "
        "it and publish again.",
    ),
    "lifted_places": ("公告解除 {count} 个地区", "{count} places lifted by the announcement"),
    "lift_from": ("自 {on} 起解除", "lifted from {on}"),
    "lift_ends": (
        "结束草稿中自 {since} 起的{level}",
        "ends the draft's {level} entry since {since}",
    ),
    "nothing_to_lift": (
        "草稿中没有在此日期前列入的该地区,无需解除",
        "not on the draft's list before that day: nothing to lift",
    ),
    "unmatched_places": ("{count} 个名称未能匹配", "{count} names not matched"),
    "unmatched_help": (
        "以下名称未能唯一对应到地区,或缺少风险等级/日期:请逐一选择正确的地区后添加,或忽略。",
        "These names match no single region, or lack a level or date: choose the right region "
        "and add it, or leave it out.",
    ),
    "dry_run": ("发布前预演", "Dry run before publishing"),
    "dry_run_help": (
        "按草稿名单重新核对所有岗亭近 {days} 天的 {count} 条通行记录"
        "(出行记录来自通行码或登记的行程)。",
        "The draft list checked against all booths' {count} passages of the last {days} days "
        "(travel from the pass or as declared).",
    ),
    "dry_stricter": ("将被劝返", "Would now be turned away"),
    "dry_looser": ("不再因行程被劝返", "No longer turned away for travel"),
    "dry_unchanged": ("结果不变", "Unchanged"),
    "dry_not_checkable": ("无法核对(无出行记录或已清除)", "Not checkable (no travel, or purged)"),
    "dry_no_change": ("没有通行记录的结果会改变。", "No passage would be decided otherwise."),
    "dry_more": ("另有 {count} 条变化未列出。", "{count} more changes are not listed."),
    "would_now": ("按草稿", "With the draft"),
    "because": ("行程", "Travel"),
    "publish": ("发布", "Publish"),
    "effective_at": ("生效时间(北京时间)", "In effect from (China time)"),
    "publish_help": (
        "以总部密钥签名;各岗亭在生效时间后的下一次同步时获取。",
        "Signed with the office key; booths take it at their first sync after this time.",
    ),
    "sign_and_publish": ("签名并发布", "Sign and publish"),
    "version_published": ("已发布版本 {number}。", "Version {number} published."),
    "scheduled": ("待生效", "Scheduled"),
    "areas_count": ("共 {count} 个地区条目", "{count} entries"),
    "no_difference": ("与上一版本相同", "Same as the version before"),
    "go_back_to": (
        "恢复到版本 {number}(作为新版本发布)",
        "Go back to version {number} (published as a new version)",
    ),
    "unknown_region": ("地区代码 {value} 不存在。", "Region code {value} does not exist."),
    "area_in_force": (
        "地区 {value} 已有有效条目:请先解除。",
        "Region {value} already has an entry in force: lift it first.",
    ),
    "no_open_area": ("草稿中没有该条目:{value}。", "The draft has no such entry: {value}."),
    "lift_before_designation": (
        "解除日期 {value} 早于起始日期。",
        "Lift day {value} is not after the day it counts from.",
    ),
    "bad_level": ("风险等级无效:{value}。", "Not a risk level: {value}."),
    "bad_time": (
        "生效时间无效或已过去:{value}。",
        "The time is not valid or already past: {value}.",
    ),
    "no_such_version": ("没有版本 {value}。", "There is no version {value}."),
    "nothing_matched": (
        "没有可新增或解除的已匹配地区。",
        "No matched place to add or lift.",
    ),
    "refused_by_booths": (
        "未发布:岗亭会拒收:{value}",
        "Not published: booths would refuse it: {value}",
    ),
    "keys": ("密钥", "Keys"),
    "hub_bundle_key": ("总部数据包签名密钥", "Hub bundle key"),
    "hub_bundle_key_help": (
        "签署风险地区、检查点规则等下发数据;各岗亭注册时已固定此密钥(指纹如上)。",
        "Signs risk areas, checkpoint policies and every bundle; each booth pinned it at "
        "enrolment (fingerprint above).",
    ),
    "trust_list": ("信任名单(根密钥)", "Trust list (root key)"),
    "root_none_published": (
        "尚未发布信任名单:需要用离线根密钥签名后发布。",
        "No trust list is published: it needs a signature from the offline root key.",
    ),
    "root_plain_file": (
        "已发布的是未签名的信任文件:配置了根密钥的岗亭会拒收,需要用离线根密钥签名。",
        "The published trust file is not signed: booths with root keys refuse it; it needs a "
        "signature from the offline root key.",
    ),
    "trust_list_signed": (
        "已发布第 {sequence} 号信任名单(签名时间 {at})。",
        "Trust list {sequence} is published (signed {at}).",
    ),
    "root_needed_when": (
        "新增或吊销签发密钥、吊销通行证时,需要在离线电脑上用根密钥重新签署信任名单。",
        "Adding or revoking an issuer key, or revoking a pass, needs the trust list signed "
        "again with the root key on the office's offline computer.",
    ),
    "keys_doc": (
        "各密钥的用途、存放位置与轮换方法见 docs/keys.md。",
        "Which key signs what, where it lives and how it is rotated: docs/keys.md.",
    ),
    "policies": ("检查点规则", "Checkpoint policies"),
    "policy_in_force": (
        "各岗亭当前执行的规则包版本:{version}。",
        "The pack booths hold now: {version}.",
    ),
    "policy_held_refused": (
        "已发布的规则包(第 {version} 版)本版本程序无法使用:{problem}。持有它的岗亭对所有人员一律"
        "交主管处理。",
        "The published rule pack (bundle version {version}) cannot be used by this release: "
        "{problem}. Booths holding it refer everyone.",
    ),
    "policy_refused_publish": (
        "下表从内置规则包开始,发布即为更正版本。",
        "The form starts from the built-in pack; publishing it is the correction.",
    ),
    "policy_refused_ask": (
        "您的账户只能查看规则,不能发布。请联系{staff}或{admin}发布更正版本。",
        "Your account reads the policies but cannot publish: ask {staff} or {admin} to publish "
        "the correction.",
    ),
    "policy_test_max_age_h": ("核酸有效时长(小时)", "Test valid for (hours)"),
    "policy_temperature_threshold_c": ("体温阈值(℃)", "Temperature limit (°C)"),
    "policy_lookback_days": ("行程追溯天数", "Travel look-back (days)"),
    "policy_allow_declared_travel": ("登记的行程可放行", "Declared travel admits"),
    "policy_allow_attested": ("人工核验的健康码可放行", "Guard-attested health code admits"),
    "policy_require_id": ("须核对身份证", "ID required"),
    "policy_home_regions": (
        "本地地区代码(来自其他地区者居家监测放行)",
        "Home region codes (arrivals from elsewhere pass under home monitoring)",
    ),
    "policy_help": (
        "保存即以总部密钥签名并下发;生效时间晚于现在时,现行规则执行至该时刻,各岗亭届时自动切换。",
        "Publishing signs with the office key; with a later time, the rules in force stay "
        "until then and booths switch at that moment.",
    ),
    "policy_not_a_number": ("{value} 不是有效数字。", "{value} is not a number."),
    "policy_range_test_max_age_h": (
        "{value}:核酸有效时长须在 1–168 小时之间。",
        "{value}: the test age must be 1 to 168 hours.",
    ),
    "policy_range_temperature_threshold_c": (
        "{value}:体温阈值须在 36.0–38.5 ℃ 之间。",
        "{value}: the temperature limit must be 36.0 to 38.5 °C.",
    ),
    "policy_range_lookback_days": (
        "{value}:行程追溯天数须在 1–30 天之间。",
        "{value}: the look-back must be 1 to 30 days.",
    ),
    "policy_bad_home": (
        "本地地区须为六位地区代码,以空格分隔。",
        "Home regions must be six-digit region codes separated by spaces.",
    ),
    "policy_unknown_checkpoint": (
        "未知的检查点类型:{value}。",
        "Unknown checkpoint type: {value}.",
    ),
    "policy_scheduled_help": (
        "以下规则包已发布、尚未生效,将保留并在各自的生效时间由岗亭自动启用;新发布的规则包按生效时间排在其前后。",
        "These packs are published for a later time and stay: booths switch to each at its own "
        "time. A new pack takes its place among them by its effective time.",
    ),
    "policy_scheduled": (
        "版本 {version},自 {at} 起生效({by} 发布)",
        "Version {version}, in effect from {at} (published by {by})",
    ),
    "policy_edit_scheduled": ("修改此版本", "Edit this version"),
    "policy_editing_scheduled": (
        "正在修改已排定的版本 {version}:发布后由新版本取代它。",
        "Editing scheduled version {version}: publishing puts the new pack in its place.",
    ),
    "policy_edit_in_force": ("改为修改现行规则", "Edit the rules in force instead"),
    "policy_same_time_as_scheduled": (
        "已有版本 {value} 排定在同一生效时间:请选择其他时间,或修改该版本。",
        "Version {value} is already scheduled for that very time: choose another time, or "
        "edit that version.",
    ),
    "publish_stale": (
        "未发布:您打开本页后,已有人发布了新版本(现为第 {value} 版),此时发布会撤销其修改。"
        "请重新打开本页,核对后再修改并发布;您填写的内容仍显示在下方。",
        "Not published: someone published version {value} after you opened this page, and "
        "publishing now would undo their change. Reload the page, check it and make your change "
        "again; what you typed is still shown below.",
    ),
    "policy_dry_run_against": (
        "与现行版本 {version} 比较。",
        "Compared with version {version}, in force now.",
    ),
    "policy_dry_run_against_refused": (
        "与岗亭现在的做法比较:持有被拒用规则包(第 {version} 版)的岗亭对所有人员一律交主管处理。"
        "“不再因此被拦下”即此规则包各项检查都能通过的人员,“结果不变”即仍会被拦下的人员。",
        "Compared with what booths do now: holding the refused pack (bundle version {version}) "
        'they refer everyone. "Would no longer be stopped" counts those this pack\'s checks '
        'would pass; "Unchanged", those it would still stop.',
    ),
    "policy_dry_run_against_scheduled": (
        "与版本 {version} 比较:即版本 {scheduled} 生效前一刻岗亭所用的规则包。",
        "Compared with version {version}: the pack booths will hold just before version "
        "{scheduled} takes effect.",
    ),
    "reload_page": ("重新打开本页", "Reload the page"),
    "policy_no_such_scheduled": (
        "版本 {value} 已不是待生效的规则包(可能已生效或已被取代),未作修改。",
        "Version {value} is no longer a scheduled pack (in effect or replaced by now); nothing "
        "was changed.",
    ),
    "policy_effect_stricter": (
        "将被拦下(转主管或劝返)",
        "Would now be stopped (referred or turned away)",
    ),
    "policy_effect_looser": ("不再因此被拦下", "Would no longer be stopped for it"),
    "policy_effect_unchanged": ("结果不变", "Unchanged"),
    "policy_effect_not_checkable": ("无法核对", "Not checkable"),
    "policy_check_temperature": ("体温", "Temperature"),
    "policy_check_test_age": ("核酸时效", "Test age"),
    "policy_check_look_back": ("行程追溯", "Travel look-back"),
    "policy_check_declared_travel": ("登记的行程", "Declared travel"),
    "policy_check_refused_pack": (
        "不再因被拒用的规则包转主管",
        "No longer referred for the refused pack",
    ),
    "policy_check_require_id": (
        "未核对身份证(名单无法核对)",
        "No ID read (the lists could not be checked)",
    ),
    "policy_lists_unreadable": (
        "无法读取已发布的人员名单,未能预演“须核对身份证”:{value}",
        'The published person lists cannot be read, so "ID required" cannot be dry-run: {value}',
    ),
}
