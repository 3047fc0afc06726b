<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DailyReportPanel</name>
    <message>
        <source>All booths</source>
        <translation>全部岗亭</translation>
    </message>
    <message>
        <source>Make daily report (PDF)</source>
        <translation>生成日报告(PDF)</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Booth</source>
        <translation>岗亭</translation>
    </message>
    <message>
        <source>A report is made for every day, also when nothing happened (zero report).</source>
        <translation>每天都要生成报告,无人通行时也要生成(零报告)。</translation>
    </message>
    <message>
        <source>Making the report…</source>
        <translation>正在生成报告…</translation>
    </message>
    <message>
        <source>Report saved: %1</source>
        <translation>报告已保存:%1</translation>
    </message>
    <message>
        <source>No report: %1</source>
        <translation>未能生成报告:%1</translation>
    </message>
</context>
<context>
    <name>ListImportPanel</name>
    <message>
        <source>Home isolation list</source>
        <translation>居家隔离名单</translation>
    </message>
    <message>
        <source>Visitor approvals</source>
        <translation>来访审批</translation>
    </message>
    <message>
        <source>Contractor ledger</source>
        <translation>外委人员台账</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>Check file</source>
        <translation>检查文件</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>List</source>
        <translation>名单</translation>
    </message>
    <message>
        <source>File (Excel or CSV)</source>
        <translation>文件(Excel 或 CSV)</translation>
    </message>
    <message>
        <source>Choose a list file</source>
        <translation>选择名单文件</translation>
    </message>
    <message>
        <source>Lists (*.xlsx *.csv)</source>
        <translation>名单文件 (*.xlsx *.csv)</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>Cannot read the file: %1</source>
        <translation>无法读取文件:%1</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) found. Nothing was imported: fix the file, then check again.</source>
        <translation>
            <numerusform>发现 %n 处问题,未导入任何数据:请修改文件后重新检查。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) are valid, but this booth cannot store lists yet.</source>
        <translation>
            <numerusform>%n 行全部有效,但本岗亭暂不能保存名单。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) are valid and ready to import.</source>
        <translation>
            <numerusform>%n 行全部有效,可以导入。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) imported.</source>
        <translation>
            <numerusform>已导入 %n 行。</numerusform>
        </translation>
    </message>
    <message>
        <source>Import failed, nothing changed: %1</source>
        <translation>导入失败,数据未改变:%1</translation>
    </message>
</context>
<context>
    <name>PassageDetail</name>
    <message>
        <source>Choose a passage to see it in full.</source>
        <translation>选择一条记录查看详情。</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Booth</source>
        <translation>岗亭</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>卡口类型</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>通行证</translation>
    </message>
    <message>
        <source>Code kind</source>
        <translation>码类型</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>体温</translation>
    </message>
    <message>
        <source>Guard</source>
        <translation>门卫</translation>
    </message>
    <message>
        <source>Policy version</source>
        <translation>规则版本</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>时钟</translation>
    </message>
    <message>
        <source>Passage ID</source>
        <translation>记录编号</translation>
    </message>
    <message>
        <source>Reasons and rule trace</source>
        <translation>原因与规则追溯</translation>
    </message>
    <message>
        <source>No reasons recorded.</source>
        <translation>未记录原因。</translation>
    </message>
    <message>
        <source>code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>rule pack</source>
        <translation>规则包</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>证据</translation>
    </message>
    <message>
        <source>No further evidence recorded.</source>
        <translation>无更多证据记录。</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>Set PIN</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>No supervisor PIN is set yet. Choose one (6 digits or more).</source>
        <translation>尚未设置主管密码,请设置(至少 6 位数字)。</translation>
    </message>
    <message>
        <source>New PIN</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>Repeat PIN</source>
        <translation>再次输入</translation>
    </message>
    <message>
        <source>Supervisor PIN</source>
        <translation>主管密码</translation>
    </message>
    <message>
        <source>The two PINs differ. Type them again.</source>
        <translation>两次输入的密码不一致,请重新输入。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message numerus="yes">
        <source>Wrong PIN. %n attempt(s) left before entry is locked.</source>
        <translation>
            <numerusform>密码错误,再错 %n 次将被锁定。</numerusform>
        </translation>
    </message>
    <message>
        <source>Too many wrong PINs. Entry is locked until %1.</source>
        <translation>密码错误次数过多,已锁定至 %1。</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>ID number, masked ID number or name</source>
        <translation>身份证号、脱敏证件号或姓名</translation>
    </message>
    <message>
        <source>All outcomes</source>
        <translation>全部结果</translation>
    </message>
    <message>
        <source>All roles</source>
        <translation>全部身份</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Booth</source>
        <translation>岗亭</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>体温</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Full ID numbers where stored (recorded in the audit log)</source>
        <translation>导出完整证件号(如有存储;将记入审计日志)</translation>
    </message>
    <message>
        <source>Export results</source>
        <translation>导出结果</translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation>取消导出</translation>
    </message>
    <message>
        <source>Dates</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Reason code</source>
        <translation>原因代码</translation>
    </message>
    <message>
        <source>All booths</source>
        <translation>全部岗亭</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在查询…</translation>
    </message>
    <message>
        <source>%1 passages match; the latest %2 are shown. Export gives them all.</source>
        <translation>共 %1 条记录符合条件,显示最近 %2 条;导出可得全部记录。</translation>
    </message>
    <message numerus="yes">
        <source>%n passage(s) match.</source>
        <translation>
            <numerusform>共 %n 条记录符合条件。</numerusform>
        </translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>导出失败:%1</translation>
    </message>
    <message>
        <source>Export cancelled; no file was kept.</source>
        <translation>已取消导出,未保留任何文件。</translation>
    </message>
    <message numerus="yes">
        <source>%n passage(s) exported to %1</source>
        <translation>
            <numerusform>已导出 %n 条记录到 %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SupervisorWindow</name>
    <message>
        <source>Gatehouse — supervisor</source>
        <translation>门岗系统 — 主管</translation>
    </message>
    <message>
        <source>Passages</source>
        <translation>通行记录</translation>
    </message>
    <message>
        <source>Daily report</source>
        <translation>日报告</translation>
    </message>
    <message>
        <source>Lists</source>
        <translation>名单管理</translation>
    </message>
    <message>
        <source>Exports and reports are saved in %1</source>
        <translation>导出文件和报告保存在 %1</translation>
    </message>
</context>
</TS>
