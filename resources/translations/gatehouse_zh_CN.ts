<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BoothPage</name>
    <message>
        <source>This booth</source>
        <translation>本岗亭</translation>
    </message>
    <message>
        <source>The booth id names this booth at the hub and in every record it keeps.</source>
        <translation>岗亭编号用于在中心服务器和每条记录中标识本岗亭。</translation>
    </message>
    <message>
        <source>Booth &amp;id</source>
        <translation>岗亭编号(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Mine</source>
        <translation>矿名(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Checkpoint</source>
        <translation>卡口类型(&amp;C)</translation>
    </message>
    <message>
        <source>Mine gate</source>
        <translation>矿井大门</translation>
    </message>
    <message>
        <source>Office area</source>
        <translation>办公区</translation>
    </message>
    <message>
        <source>Canteen</source>
        <translation>食堂</translation>
    </message>
    <message>
        <source>Dormitory</source>
        <translation>宿舍</translation>
    </message>
    <message>
        <source>Vehicle gate</source>
        <translation>车辆卡口</translation>
    </message>
    <message>
        <source>Type the booth id, e.g. north-gate-2.</source>
        <translation>请输入岗亭编号,例如 north-gate-2。</translation>
    </message>
    <message>
        <source>A booth id is up to %1 letters, digits, dots, dashes or underscores, without spaces, e.g. north-gate-2.</source>
        <translation>岗亭编号最多%1个字符,只能用字母、数字、点、短横线或下划线,不能有空格,例如 north-gate-2。</translation>
    </message>
</context>
<context>
    <name>CameraPage</name>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>The camera that reads the codes people hold up.</source>
        <translation>用于扫描来人出示的二维码的摄像头。</translation>
    </message>
    <message>
        <source>Video file, image folder or stream address</source>
        <translation>视频文件、图片文件夹或视频流地址</translation>
    </message>
    <message>
        <source>&amp;Test</source>
        <translation>测试(&amp;T)</translation>
    </message>
    <message>
        <source>Automatic: the first webcam, or the demo video when none</source>
        <translation>自动:第一个摄像头;没有摄像头时播放演示视频</translation>
    </message>
    <message>
        <source>Looking for cameras…</source>
        <translation>正在查找摄像头…</translation>
    </message>
    <message>
        <source>Type a video file, an image folder or a stream address.</source>
        <translation>请输入视频文件、图片文件夹或视频流地址。</translation>
    </message>
    <message numerus="yes">
        <source>%n camera(s) found.</source>
        <translation>
            <numerusform>找到 %n 个摄像头。</numerusform>
        </translation>
    </message>
    <message>
        <source>Webcam %1 (%2)</source>
        <translation>摄像头 %1(%2)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1(%2)</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <source>Picture received: %1 × %2.</source>
        <translation>已收到画面:%1 × %2。</translation>
    </message>
    <message>
        <source>No webcam answers: the booth will play the demo video.</source>
        <translation>没有摄像头响应:岗亭将播放演示视频。</translation>
    </message>
    <message>
        <source>This camera cannot be opened (%1).</source>
        <translation>无法打开此摄像头(%1)。</translation>
    </message>
    <message>
        <source>The camera opened but sent no picture (%1).</source>
        <translation>摄像头已打开,但没有画面(%1)。</translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation>出错了:%1</translation>
    </message>
</context>
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
        <source>Filled in by</source>
        <translation>填报人</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation>审核人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
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
    <name>DutyFlow</name>
    <message>
        <source>Guard on duty: %1 (F11 to change)</source>
        <translation>当班门卫:%1(F11 换班)</translation>
    </message>
    <message>
        <source>No guard signed on: press F11</source>
        <translation>尚无门卫签到:请按 F11</translation>
    </message>
    <message>
        <source>Sign-on not recorded: %1</source>
        <translation>签到未能记录:%1</translation>
    </message>
</context>
<context>
    <name>EnrolmentScanDialog</name>
    <message>
        <source>Scan the enrolment code</source>
        <translation>扫描注册码</translation>
    </message>
    <message>
        <source>No QR decoder can be used (%1).</source>
        <translation>没有可用的二维码解码器(%1)。</translation>
    </message>
    <message>
        <source>Opening the camera…</source>
        <translation>正在打开摄像头…</translation>
    </message>
    <message>
        <source>Hold the enrolment QR code from the office&apos;s console to the camera.</source>
        <translation>请把防疫办控制台上的注册二维码对准摄像头。</translation>
    </message>
    <message>
        <source>The camera does not answer (%1); trying again…</source>
        <translation>摄像头无响应(%1),正在重试…</translation>
    </message>
    <message>
        <source>That is not the office&apos;s enrolment code (%1). Show the QR code the console gave when the booth was added.</source>
        <translation>这不是防疫办的注册码(%1)。请出示添加岗亭时控制台给出的二维码。</translation>
    </message>
</context>
<context>
    <name>GuardFlows</name>
    <message>
        <source>The pass&apos;s health-code colour is from an earlier check: look at today&apos;s code on the phone. Which colour does it show?  F1 green · F2 yellow · F3 red</source>
        <translation>通行证上的健康码颜色已过时效:请查看手机上今日的健康码,是什么颜色?  F1 绿码 · F2 黄码 · F3 红码</translation>
    </message>
    <message>
        <source>Cannot be checked offline: look at the phone. Which colour does the code show?  F1 green · F2 yellow · F3 red</source>
        <translation>无法离线核验:请看手机上的健康码是什么颜色?  F1 绿码 · F2 黄码 · F3 红码</translation>
    </message>
    <message>
        <source>Abnormal again. Check with the contact thermometer. Still abnormal: F5 turns the person away and reports the case. Normal: F6 and type the value.</source>
        <translation>复测仍异常。请用接触式体温计确认。仍异常:按 F5 劝返并上报;正常:按 F6 输入体温。</translation>
    </message>
    <message>
        <source>This code carries no travel record: look at the person&apos;s travel card and press F4 to enter the cities.</source>
        <translation>该二维码不含行程记录:请查看本人行程卡,按 F4 录入城市。</translation>
    </message>
    <message>
        <source>The person lists need this person&apos;s ID number: press F7 and type the number on the ID card.</source>
        <translation>需核对人员名单:请按 F7 录入身份证上的号码。</translation>
    </message>
    <message>
        <source>RE-VERIFICATION ALERT: %1. Tell the supervisor now. (F8: dismiss)</source>
        <translation>复核警报:%1。请立即报告主管。(F8:关闭)</translation>
    </message>
    <message>
        <source>Temperature typed by hand: %1 °C (manual).</source>
        <translation>手工录入体温:%1 °C(手工)。</translation>
    </message>
    <message>
        <source>Scan the pass first, then press F7.</source>
        <translation>请先扫描通行证,再按 F7。</translation>
    </message>
    <message>
        <source>Scan the code first, then press F4.</source>
        <translation>请先扫码,再按 F4。</translation>
    </message>
    <message>
        <source>This pass carries its own signed travel record.</source>
        <translation>该通行证已含签名的行程记录,无需录入。</translation>
    </message>
    <message>
        <source>No verdict on screen to override.</source>
        <translation>屏幕上没有可更改的判定。</translation>
    </message>
    <message>
        <source>One moment…</source>
        <translation>请稍候…</translation>
    </message>
    <message>
        <source>This person is no longer waiting: scan the pass again.</source>
        <translation>此人已不在等待列表中:请重新扫描通行证。</translation>
    </message>
    <message>
        <source>Re-measure: the person waits %1 min, then measures and shows the pass again. (%2 waiting)</source>
        <translation>复测:请此人等候%1分钟后再测温并出示通行证。(%2人等候中)</translation>
    </message>
    <message>
        <source>No usable temperature: measure again. Thermometer down? F6: type the value.</source>
        <translation>无有效体温读数:请重新测温。体温计故障?按 F6 手工输入。</translation>
    </message>
    <message>
        <source>Colour attested by the guard: pending online verification.</source>
        <translation>健康码颜色由门岗人工确认:待联网核验。</translation>
    </message>
    <message>
        <source>Travel as the person declared it, typed by the guard (not signed).</source>
        <translation>行程为本人申报、门岗录入(非签名数据)。</translation>
    </message>
    <message>
        <source>Case flagged: report it to the epidemic office.</source>
        <translation>已标记异常:请上报疫情防控办公室。</translation>
    </message>
    <message>
        <source>Admitted under home health monitoring: tell the person.</source>
        <translation>准予通行,须居家健康监测:请告知本人。</translation>
    </message>
    <message>
        <source>Supervisor alerted: this person must not pass.</source>
        <translation>已通知主管:此人不得通行。</translation>
    </message>
    <message>
        <source>Temperature typed by hand (manual).</source>
        <translation>体温为手工录入(手工)。</translation>
    </message>
    <message>
        <source>ADMIT</source>
        <translation>通行</translation>
    </message>
    <message>
        <source>RE-MEASURE</source>
        <translation>复测</translation>
    </message>
    <message>
        <source>REFER</source>
        <translation>交主管</translation>
    </message>
    <message>
        <source>TURN AWAY</source>
        <translation>劝返</translation>
    </message>
    <message>
        <source>SUPERVISOR OVERRIDE: %1 instead of %2. Reason: %3</source>
        <translation>主管更改判定:由%2改为%1。理由:%3</translation>
    </message>
    <message>
        <source>Could not complete: %1</source>
        <translation>未能完成:%1</translation>
    </message>
    <message>
        <source>F4 travel cities</source>
        <translation>F4 录入行程</translation>
    </message>
    <message>
        <source>F6 temperature by hand · F7 ID number · F9 override (supervisor) · F10 vehicle · F11 guard sign-on · F12 supervisor desk · Esc dismiss</source>
        <translation>F6 手工体温 · F7 身份证号 · F9 更改判定(主管)· F10 车辆 · F11 门卫签到 · F12 主管工作台 · Esc 关闭提示</translation>
    </message>
</context>
<context>
    <name>HubPage</name>
    <message>
        <source>Central hub</source>
        <translation>中心服务器</translation>
    </message>
    <message>
        <source>The hub collects this booth&apos;s records and sends it the office&apos;s rules and lists. The epidemic office gives you its address and a one-time code.</source>
        <translation>中心服务器汇总本岗亭的记录,并下发防疫办的规则和名单。防疫办会提供服务器地址和一次性注册码。</translation>
    </message>
    <message>
        <source>No hub &amp;yet (the booth works on its own)</source>
        <translation>暂无中心服务器(岗亭单独工作)(&amp;Y)</translation>
    </message>
    <message>
        <source>&amp;Enrol with a hub</source>
        <translation>向中心服务器注册(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Scan the code with the camera…</source>
        <translation>用摄像头扫码(&amp;S)…</translation>
    </message>
    <message>
        <source>Hub &amp;address</source>
        <translation>服务器地址(&amp;A)</translation>
    </message>
    <message>
        <source>Enrolment &amp;code</source>
        <translation>注册码(&amp;C)</translation>
    </message>
    <message>
        <source>Checking this booth&apos;s enrolment…</source>
        <translation>正在检查本岗亭的注册情况…</translation>
    </message>
    <message>
        <source>Enrolling with the hub…</source>
        <translation>正在向中心服务器注册…</translation>
    </message>
    <message>
        <source>The booth id changed to %1: enrolling it needs a new code from the office.</source>
        <translation>岗亭编号已改为 %1:需要防疫办提供新的注册码。</translation>
    </message>
    <message>
        <source>Type the hub&apos;s address and the enrolment code from the office.</source>
        <translation>请输入中心服务器地址和防疫办提供的注册码。</translation>
    </message>
    <message>
        <source>Enrolled with %1 as %2.</source>
        <translation>已在 %1 注册为 %2。</translation>
    </message>
    <message>
        <source>The hub&apos;s address is host:port or http(s)://host:port, e.g. 192.168.1.10:8750.</source>
        <translation>中心服务器地址应为 主机:端口 或 http(s)://主机:端口,例如 192.168.1.10:8750。</translation>
    </message>
    <message>
        <source>The hub refused this code: it is wrong, already used, or made for another booth. Ask the epidemic office for a new code for booth %1. (%2)</source>
        <translation>服务器拒绝了此注册码:注册码错误、已被使用或属于其他岗亭。请向防疫办索取岗亭 %1 的新注册码。(%2)</translation>
    </message>
    <message>
        <source>No hub answered at this address. Check the address and the network, or choose &quot;No hub yet&quot;. (%1)</source>
        <translation>此地址没有服务器响应。请检查地址和网络,或选择“暂无中心服务器”。(%1)</translation>
    </message>
    <message>
        <source>This booth is enrolled with %1 as %2. Leave the code empty to keep that.</source>
        <translation>本岗亭已在 %1 注册为 %2。注册码留空即保持不变。</translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation>出错了:%1</translation>
    </message>
    <message>
        <source>Code read for booth %1: press Next to enrol.</source>
        <translation>已读取岗亭 %1 的注册码:请按“下一步”注册。</translation>
    </message>
    <message>
        <source>This code was made for booth %1, but this booth is %2: go back and set the booth id to %1, or ask the epidemic office for a code for %2.</source>
        <translation>此注册码是为岗亭 %1 生成的,而本岗亭是 %2:请返回把岗亭编号改为 %1,或请防疫办为 %2 生成注册码。</translation>
    </message>
</context>
<context>
    <name>IdCardFlow</name>
    <message>
        <source>ID card read: scan the pass first, then place the card.</source>
        <translation>已读取身份证:请先扫描通行证,再放身份证。</translation>
    </message>
    <message>
        <source>Connecting ID card reader…</source>
        <translation>正在连接身份证阅读器…</translation>
    </message>
    <message>
        <source>ID card reader ready</source>
        <translation>身份证阅读器就绪</translation>
    </message>
    <message>
        <source>ID card reader does not answer</source>
        <translation>身份证阅读器无响应</translation>
    </message>
    <message>
        <source>ID card reader lost, reconnecting</source>
        <translation>身份证阅读器断开,正在重连</translation>
    </message>
    <message>
        <source>ID card reader: %1</source>
        <translation>身份证阅读器:%1</translation>
    </message>
    <message>
        <source>The ID card failed the reader&apos;s authentication (%1): it may be forged or damaged. Check it by eye and call the supervisor. (F8: dismiss)</source>
        <translation>身份证未通过阅读器认证(%1):可能是伪造或损坏的证件。请人工查验并通知主管。(F8:关闭)</translation>
    </message>
    <message>
        <source>Could not read the ID card: place it again and hold it still. (%1)</source>
        <translation>未能读取身份证:请重新放置并保持不动。(%1)</translation>
    </message>
    <message>
        <source>ID card reader fault: %1</source>
        <translation>身份证阅读器故障:%1</translation>
    </message>
</context>
<context>
    <name>IdNumberDialog</name>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Type the 18-character number on the ID card.</source>
        <translation>请输入身份证上的18位号码。</translation>
    </message>
    <message>
        <source>Not a valid ID number (18 characters, the last a digit or X). Check it.</source>
        <translation>身份证号无效(18位,最后一位为数字或X),请核对。</translation>
    </message>
</context>
<context>
    <name>IdReaderPage</name>
    <message>
        <source>ID card reader</source>
        <translation>身份证阅读器</translation>
    </message>
    <message>
        <source>A resident ID card reader saves the guard typing 18 digits (F7). A reader that types like a keyboard needs no setting.</source>
        <translation>身份证阅读器让门岗不必手输18位号码(F7)。键盘输入式阅读器无需设置。</translation>
    </message>
    <message>
        <source>Port, e.g. COM5</source>
        <translation>端口,例如 COM5</translation>
    </message>
    <message>
        <source>&amp;Test</source>
        <translation>测试(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Port</source>
        <translation>端口(&amp;P)</translation>
    </message>
    <message>
        <source>Baud ra&amp;te</source>
        <translation>波特率(&amp;T)</translation>
    </message>
    <message>
        <source>No ID card reader (the guard types the number)</source>
        <translation>无身份证阅读器(门岗手输号码)</translation>
    </message>
    <message>
        <source>Looking for an ID card reader on the serial ports…</source>
        <translation>正在各串口查找身份证阅读器…</translation>
    </message>
    <message numerus="yes">
        <source>%n ID card reader(s) found.</source>
        <translation>
            <numerusform>找到 %n 个身份证阅读器。</numerusform>
        </translation>
    </message>
    <message>
        <source>No reader to test: the guard types ID numbers (F7).</source>
        <translation>没有可测试的阅读器:门岗手输身份证号码(F7)。</translation>
    </message>
    <message>
        <source>Lay an ID card on the reader…</source>
        <translation>请将身份证放在阅读器上…</translation>
    </message>
    <message>
        <source>Card read: %1 %2</source>
        <translation>已读取:%1 %2</translation>
    </message>
    <message>
        <source>The reader did not read a card: %1</source>
        <translation>阅读器未读到身份证:%1</translation>
    </message>
    <message>
        <source>This port name is not valid: %1</source>
        <translation>端口名称无效:%1</translation>
    </message>
    <message>
        <source>This port cannot be opened: %1</source>
        <translation>无法打开此端口:%1</translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation>出错了:%1</translation>
    </message>
</context>
<context>
    <name>ListImportPanel</name>
    <message>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>Check file</source>
        <translation>检查文件</translation>
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
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>People</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>导入时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>How</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>&amp;Restore this version…</source>
        <translation>恢复此版本(&amp;R)…</translation>
    </message>
    <message>
        <source>recorded in the audit with the change</source>
        <translation>与本次变更一同记入审计</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>File (Excel or CSV)</source>
        <translation>文件(Excel 或 CSV)</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>您的姓名</translation>
    </message>
    <message>
        <source>Lists in force</source>
        <translation>现行名单</translation>
    </message>
    <message>
        <source>Kept versions of this list</source>
        <translation>此名单的历史版本</translation>
    </message>
    <message>
        <source>Nothing was changed: %1</source>
        <translation>未做任何更改:%1</translation>
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
        <source>This booth cannot store lists: it has no list secret.</source>
        <translation>本岗亭未配置名单密钥,无法保存名单。</translation>
    </message>
    <message>
        <source>never imported</source>
        <translation>从未导入</translation>
    </message>
    <message>
        <source>%1 (from the office)</source>
        <translation>%1(防疫办下发)</translation>
    </message>
    <message>
        <source>sent by the hub</source>
        <translation>中心下发</translation>
    </message>
    <message>
        <source>office</source>
        <translation>防疫办</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) are valid, but this booth cannot store lists: it has no list secret.</source>
        <translation>
            <numerusform>%n 行均有效,但本岗亭未配置名单密钥,无法保存名单。</numerusform>
        </translation>
    </message>
    <message>
        <source>removed</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>信息变更</translation>
    </message>
    <message>
        <source>not on the list</source>
        <translation>不在名单上</translation>
    </message>
    <message>
        <source>Type your name first: the audit records who changed the list.</source>
        <translation>请先填写您的姓名:审计会记录名单由谁更改。</translation>
    </message>
    <message>
        <source>Choose a version and type your name first.</source>
        <translation>请先选择版本并填写您的姓名。</translation>
    </message>
    <message>
        <source>version %1</source>
        <translation>第%1版</translation>
    </message>
    <message>
        <source>Cancelled: nothing was changed.</source>
        <translation>已取消:未做任何更改。</translation>
    </message>
    <message>
        <source>Version %1 of the %2 is in force: %3 people.</source>
        <translation>%2第%1版已生效:共 %3 人。</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) found. Nothing was imported: fix the file, then check again.</source>
        <translation>
            <numerusform>发现 %n 处问题,未导入任何数据:请修改文件后重新检查。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ListWords</name>
    <message>
        <source>Home isolation list</source>
        <translation>居家隔离名单</translation>
    </message>
    <message>
        <source>Visitor approvals</source>
        <translation>访客审批名单</translation>
    </message>
    <message>
        <source>Contractor ledger</source>
        <translation>外委人员台账</translation>
    </message>
    <message>
        <source>Employee roster</source>
        <translation>职工名册</translation>
    </message>
    <message>
        <source>Replaced the list</source>
        <translation>整表替换</translation>
    </message>
    <message>
        <source>Added people</source>
        <translation>追加人员</translation>
    </message>
    <message>
        <source>Removed people</source>
        <translation>移除人员</translation>
    </message>
    <message>
        <source>Restored a version</source>
        <translation>恢复版本</translation>
    </message>
    <message>
        <source>Replace the whole list with the file</source>
        <translation>用文件替换整份名单</translation>
    </message>
    <message>
        <source>Add the file&apos;s people to the list</source>
        <translation>将文件中的人员追加到名单</translation>
    </message>
    <message>
        <source>Remove the file&apos;s people from the list</source>
        <translation>从名单中移除文件中的人员</translation>
    </message>
    <message>
        <source>Added %1 · removed %2 · changed %3 · unchanged %4 — %5 people on the list afterwards.</source>
        <translation>新增 %1 · 移除 %2 · 信息变更 %3 · 不变 %4 —— 变更后名单共 %5 人。</translation>
    </message>
    <message>
        <source>Replace the %1 with the people in %2?</source>
        <translation>用 %2 中的人员替换%1?</translation>
    </message>
    <message>
        <source>&amp;Replace the list</source>
        <translation>替换名单(&amp;R)</translation>
    </message>
    <message>
        <source>Add the people in %2 to the %1?</source>
        <translation>将 %2 中的人员追加到%1?</translation>
    </message>
    <message>
        <source>&amp;Add to the list</source>
        <translation>追加到名单(&amp;A)</translation>
    </message>
    <message>
        <source>Remove the people in %2 from the %1?</source>
        <translation>从%1中移除 %2 中的人员?</translation>
    </message>
    <message>
        <source>Re&amp;move from the list</source>
        <translation>从名单移除(&amp;M)</translation>
    </message>
    <message>
        <source>Make %2 the %1 again?</source>
        <translation>将%1恢复为%2?</translation>
    </message>
    <message>
        <source>Re&amp;store this version</source>
        <translation>恢复此版本(&amp;S)</translation>
    </message>
    <message>
        <source>%1 people leave the list and are no longer matched against it.</source>
        <translation>%1 人将移出名单,不再按此名单比对。</translation>
    </message>
    <message>
        <source>%1 people in the file are not on the list; nothing changes for them.</source>
        <translation>文件中有 %1 人不在名单上,对他们无任何变化。</translation>
    </message>
    <message>
        <source>The current version is kept and can be restored.</source>
        <translation>当前版本会被保留,可随时恢复。</translation>
    </message>
</context>
<context>
    <name>LogPanel</name>
    <message>
        <source>The latest warnings and errors in %1</source>
        <translation>%1 中最近的警告和错误</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>No warnings or errors logged.</source>
        <translation>没有记录警告或错误。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Gatehouse — DEMO MODE</source>
        <translation>Gatehouse 门岗 — 演示模式</translation>
    </message>
    <message>
        <source>Gatehouse</source>
        <translation>Gatehouse 门岗</translation>
    </message>
    <message>
        <source>DEMO MODE: demo video and simulated thermometer; the demo issuer is trusted only in demo mode</source>
        <translation>演示模式:演示视频与模拟体温计,演示签发方仅在此模式下受信任</translation>
    </message>
    <message>
        <source>QR decoder: %1</source>
        <translation>二维码解码器:%1</translation>
    </message>
    <message>
        <source>DEMO MODE</source>
        <translation>演示模式</translation>
    </message>
    <message>
        <source>Connecting camera…</source>
        <translation>正在连接摄像头…</translation>
    </message>
    <message>
        <source>Camera lost, reconnecting</source>
        <translation>摄像头断开,正在重连</translation>
    </message>
    <message>
        <source>Camera live</source>
        <translation>摄像头正常</translation>
    </message>
    <message>
        <source>Camera video ended</source>
        <translation>摄像头视频已结束</translation>
    </message>
    <message>
        <source>Camera: %1</source>
        <translation>摄像头:%1</translation>
    </message>
    <message>
        <source>Connecting scanner…</source>
        <translation>正在连接扫码枪…</translation>
    </message>
    <message>
        <source>Scanner connected</source>
        <translation>扫码枪已连接</translation>
    </message>
    <message>
        <source>Scanner lost, reconnecting</source>
        <translation>扫码枪断开,正在重连</translation>
    </message>
    <message>
        <source>Scanner garbled a code, scan again</source>
        <translation>扫码枪读数乱码,请重扫</translation>
    </message>
    <message>
        <source>Scanner: %1</source>
        <translation>扫码枪:%1</translation>
    </message>
</context>
<context>
    <name>ManualTemperatureDialog</name>
    <message>
        <source>Temperature typed by hand</source>
        <translation>手工录入体温</translation>
    </message>
    <message>
        <source>Measure with the hand-held thermometer and type the value in °C.</source>
        <translation>请用手持体温计测温,并输入读数(°C)。</translation>
    </message>
    <message>
        <source>Type a temperature between %1 and %2 °C, e.g. 36.5.</source>
        <translation>请输入%1至%2 °C之间的体温,例如 36.5。</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <source>Supervisor override</source>
        <translation>主管更改判定</translation>
    </message>
    <message>
        <source>Contact thermometer reads normal</source>
        <translation>接触式体温计测量正常</translation>
    </message>
    <message>
        <source>Identity and documents checked in person</source>
        <translation>已当面核验身份和证件</translation>
    </message>
    <message>
        <source>Visit approval confirmed by telephone</source>
        <translation>已电话确认来访审批</translation>
    </message>
    <message>
        <source>Emergency or rescue team</source>
        <translation>应急或救援人员</translation>
    </message>
    <message>
        <source>Scanner or thermometer fault</source>
        <translation>扫码设备或体温计故障</translation>
    </message>
    <message>
        <source>Other (say why below)</source>
        <translation>其他(请在下方说明)</translation>
    </message>
    <message>
        <source>Admit</source>
        <translation>通行</translation>
    </message>
    <message>
        <source>Refer to supervisor</source>
        <translation>交主管处理</translation>
    </message>
    <message>
        <source>Turn away</source>
        <translation>劝返</translation>
    </message>
    <message>
        <source>New outcome</source>
        <translation>新判定</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>The original verdict stays in the log; the override is added to it.</source>
        <translation>原判定保留在记录中;更改作为附加记录写入。</translation>
    </message>
    <message>
        <source>Say why in the details field.</source>
        <translation>请在说明栏写明理由。</translation>
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
        <source>Decided the outcome</source>
        <translation>决定结果</translation>
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
    <message>
        <source>Overridden by a supervisor</source>
        <translation>主管已更改判定</translation>
    </message>
    <message>
        <source>%1 instead of %2</source>
        <translation>改为 %1(原为 %2)</translation>
    </message>
    <message>
        <source>by</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>at</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>audit event</source>
        <translation>审计事件</translation>
    </message>
    <message>
        <source>Checked online by the issuer</source>
        <translation>签发方在线核验结果</translation>
    </message>
    <message>
        <source>supervisor alerted</source>
        <translation>已提醒主管</translation>
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
        <source>One moment…</source>
        <translation>请稍候…</translation>
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
    <name>PinPage</name>
    <message>
        <source>Supervisor PIN</source>
        <translation>主管密码</translation>
    </message>
    <message>
        <source>Supervisors type it to open their desk, override a decision or change these settings. At least %1 digits.</source>
        <translation>主管用它打开主管台、更改判定或修改这些设置。至少%1位数字。</translation>
    </message>
    <message>
        <source>New &amp;PIN</source>
        <translation>新密码(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Repeat PIN</source>
        <translation>再次输入(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Current PIN or recovery code</source>
        <translation>当前密码或恢复码(&amp;C)</translation>
    </message>
    <message>
        <source>The PIN must be at least %1 digits.</source>
        <translation>密码须为至少%1位数字。</translation>
    </message>
    <message>
        <source>The two PINs differ. Type them again.</source>
        <translation>两次输入的密码不一致,请重新输入。</translation>
    </message>
    <message>
        <source>A PIN is set: type the current PIN, or a recovery code from the office, to change it.</source>
        <translation>已设置密码:如需更改,请输入当前密码或办公室提供的恢复码。</translation>
    </message>
    <message>
        <source>A PIN is set. Leave both fields empty to keep it.</source>
        <translation>已设置密码。两栏都留空即保持原密码。</translation>
    </message>
</context>
<context>
    <name>PolicyPanel</name>
    <message>
        <source>Change checkpoint policy…</source>
        <translation>更改检查点策略…</translation>
    </message>
    <message>
        <source>Rule pack in force</source>
        <translation>现行规则包</translation>
    </message>
    <message>
        <source>Checkpoint policy</source>
        <translation>检查点策略</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Automatic admits</source>
        <translation>自动放行</translation>
    </message>
    <message>
        <source>Person lists</source>
        <translation>人员名单</translation>
    </message>
    <message>
        <source>Change to</source>
        <translation>改为</translation>
    </message>
    <message>
        <source>Change checkpoint policy</source>
        <translation>更改检查点策略</translation>
    </message>
    <message>
        <source>From the next person on, this booth will decide by the policy %1. The change is recorded in the audit log.</source>
        <translation>从下一人起,本岗亭将按“%1”策略判定。此更改会记入审计日志。</translation>
    </message>
    <message>
        <source>What changes:</source>
        <translation>变化如下:</translation>
    </message>
    <message>
        <source>Continue?</source>
        <translation>是否继续?</translation>
    </message>
    <message>
        <source>None in force: every person is referred</source>
        <translation>无现行规则包:所有人员均转主管处理</translation>
    </message>
    <message>
        <source>%1 version %2, in force from %3 until %4</source>
        <translation>%1 版本 %2,生效期 %3 至 %4</translation>
    </message>
    <message>
        <source>Allowed</source>
        <translation>允许</translation>
    </message>
    <message>
        <source>ID NOT REQUIRED by this pack (%1): a person nobody identified passes the list check unchecked</source>
        <translation>本规则包不要求核验身份证(%1):未核实身份的人员将不经名单核对直接通过</translation>
    </message>
    <message>
        <source>An admit needs the person identified (ID number or the pass&apos;s hash)</source>
        <translation>放行须核实身份(身份证号码或通行证中的身份摘要)</translation>
    </message>
</context>
<context>
    <name>PolicyWords</name>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Abnormal temperature from</source>
        <translation>体温异常阈值</translation>
    </message>
    <message>
        <source>Implausibly low (re-measure) below</source>
        <translation>体温过低(需复测)低于</translation>
    </message>
    <message>
        <source>A reading counts for</source>
        <translation>体温读数有效期</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Wait before re-measuring</source>
        <translation>复测前等待</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>Nucleic-acid test valid for</source>
        <translation>核酸检测有效期</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>Travel looked back over</source>
        <translation>行程回溯</translation>
    </message>
    <message>
        <source>%1 days</source>
        <translation>%1 天</translation>
    </message>
    <message>
        <source>Codes accepted</source>
        <translation>接受的二维码</translation>
    </message>
    <message>
        <source>A colour the guard attests may admit</source>
        <translation>门卫确认的健康码颜色可放行</translation>
    </message>
    <message>
        <source>Travel declared to the guard may admit</source>
        <translation>向门卫申报的行程可放行</translation>
    </message>
    <message>
        <source>Pass signature and validity</source>
        <translation>通行证签名与有效期</translation>
    </message>
    <message>
        <source>Health code</source>
        <translation>健康码</translation>
    </message>
    <message>
        <source>Nucleic-acid test</source>
        <translation>核酸检测</translation>
    </message>
    <message>
        <source>Medium/high-risk areas visited</source>
        <translation>到访中高风险地区</translation>
    </message>
    <message>
        <source>Home health monitoring</source>
        <translation>居家健康监测</translation>
    </message>
    <message>
        <source>Home isolation list</source>
        <translation>居家隔离名单</translation>
    </message>
    <message>
        <source>Visitor approval</source>
        <translation>访客审批</translation>
    </message>
    <message>
        <source>Contractor ledger</source>
        <translation>外委人员台账</translation>
    </message>
    <message>
        <source>Employee roster</source>
        <translation>职工名册</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>体温</translation>
    </message>
    <message>
        <source>Office data up to date</source>
        <translation>防疫办数据时效</translation>
    </message>
    <message>
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>The office&apos;s own rule</source>
        <translation>防疫办自定规则</translation>
    </message>
    <message>
        <source>+ checked: %1</source>
        <translation>+ 新增检查:%1</translation>
    </message>
    <message>
        <source>− no longer checked: %1</source>
        <translation>− 不再检查:%1</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>The same rules and parameters apply.</source>
        <translation>规则与参数均不变。</translation>
    </message>
</context>
<context>
    <name>PreviewPanel</name>
    <message>
        <source>Connecting camera…</source>
        <translation>正在连接摄像头…</translation>
    </message>
</context>
<context>
    <name>RoleWords</name>
    <message>
        <source>employee</source>
        <translation>职工</translation>
    </message>
    <message>
        <source>visitor</source>
        <translation>访客</translation>
    </message>
    <message>
        <source>contractor</source>
        <translation>外委人员</translation>
    </message>
    <message>
        <source>driver</source>
        <translation>司机</translation>
    </message>
    <message>
        <source>vehicle</source>
        <translation>车辆</translation>
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
        <source>All guards</source>
        <translation>全部门卫</translation>
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
        <source>Overridden</source>
        <translation>主管改判</translation>
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
        <source>Guard</source>
        <translation>门卫</translation>
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
        <source>Contractor ledger</source>
        <translation>外委人员台账</translation>
    </message>
    <message>
        <source>Every contractor on the imported list with their passages in the chosen dates, and contractors seen at the gate who are not on the list</source>
        <translation>所选日期内已登记外委人员名单上的每一人及其通行情况,以及在卡口出现但未登记的外委人员</translation>
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
        <source>Guard on duty</source>
        <translation>当班门卫</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>All booths</source>
        <translation>全部岗亭</translation>
    </message>
    <message>
        <source>All reasons</source>
        <translation>全部原因</translation>
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
    <message numerus="yes">
        <source>Export these %n passage(s)</source>
        <translation>
            <numerusform>导出这 %n 条记录</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (by %2)</source>
        <translation>%1(%2)</translation>
    </message>
    <message numerus="yes">
        <source>Contractor ledger with %n person(s) saved to %1</source>
        <translation>
            <numerusform>外委人员台账(%n 人)已保存到 %1</numerusform>
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
    <name>SetupWizard</name>
    <message>
        <source>Gatehouse — booth setup</source>
        <translation>Gatehouse — 岗亭设置</translation>
    </message>
    <message>
        <source>Booth</source>
        <translation>岗亭</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>矿名</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>卡口类型</translation>
    </message>
    <message>
        <source>Hub</source>
        <translation>中心服务器</translation>
    </message>
    <message>
        <source>No hub yet</source>
        <translation>暂无</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Thermometer</source>
        <translation>体温计</translation>
    </message>
    <message>
        <source>ID card reader</source>
        <translation>身份证阅读器</translation>
    </message>
    <message>
        <source>Supervisor PIN</source>
        <translation>主管密码</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新设置</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>不变</translation>
    </message>
</context>
<context>
    <name>SignOnDialog</name>
    <message>
        <source>Guard on duty</source>
        <translation>当班门卫</translation>
    </message>
    <message>
        <source>Starting a shift: type your name or number, then Enter.</source>
        <translation>接班签到:输入您的姓名或工号,按回车。</translation>
    </message>
    <message>
        <source>On duty until now: %1</source>
        <translation>上一班门卫:%1</translation>
    </message>
    <message>
        <source>Type your name or number.</source>
        <translation>请输入姓名或工号。</translation>
    </message>
</context>
<context>
    <name>SoundCues</name>
    <message>
        <source>Spoken prompt failed: %1</source>
        <translation>语音播报故障:%1</translation>
    </message>
    <message>
        <source>Loudspeaker failed: %1</source>
        <translation>扬声器故障:%1</translation>
    </message>
    <message>
        <source>Loudspeaker failed, beeping instead: %1</source>
        <translation>扬声器故障,改用蜂鸣提示:%1</translation>
    </message>
    <message>
        <source>Please go ahead.</source>
        <translation>请通行。</translation>
    </message>
    <message>
        <source>Temperature normal, please go ahead.</source>
        <translation>体温正常,请通行。</translation>
    </message>
    <message>
        <source>Please wait, then measure your temperature again.</source>
        <translation>请稍候,再测一次体温。</translation>
    </message>
    <message>
        <source>Please wait for the supervisor.</source>
        <translation>请稍候,等待主管处理。</translation>
    </message>
    <message>
        <source>You cannot enter. Please follow the guard&apos;s instructions.</source>
        <translation>不能通行,请听从门卫安排。</translation>
    </message>
</context>
<context>
    <name>StatusStrip</name>
    <message>
        <source>Sync: starting…</source>
        <translation>同步:启动中…</translation>
    </message>
    <message numerus="yes">
        <source>%n passage(s) waiting to be written.</source>
        <translation>
            <numerusform>%n 条通行记录等待写入。</numerusform>
        </translation>
    </message>
    <message>
        <source>Office data: refused, everyone is referred</source>
        <translation>疫情办数据无法使用,所有人员一律交主管</translation>
    </message>
    <message>
        <source>THIS BOOTH REFERS EVERYONE: call the supervisor.
%1</source>
        <translation>本岗亭所有人员一律交主管处理:请叫主管。
%1</translation>
    </message>
    <message>
        <source>Automatic admits stopped, refer to the supervisor:
%1</source>
        <translation>已暂停自动放行,请交主管处理:
%1</translation>
    </message>
    <message>
        <source>Sync: no hub set up</source>
        <translation>同步:未设置中心</translation>
    </message>
    <message>
        <source>Office data: built-in only</source>
        <translation>疫情办数据:仅内置数据</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting to send</source>
        <translation>
            <numerusform>%n 条待上传</numerusform>
        </translation>
    </message>
    <message>
        <source>Sync: never yet · %1</source>
        <translation>同步:尚未成功 · %1</translation>
    </message>
    <message>
        <source>Sync: last %1 · %2</source>
        <translation>同步:最近 %1 · %2</translation>
    </message>
    <message>
        <source>Clock is %1 min off the hub: have the time checked</source>
        <translation>时钟与中心相差%1分钟:请核对时间</translation>
    </message>
    <message>
        <source>This booth has no office data yet: it is not connected to a hub. Enrol it (F12, then Booth settings…, or gatehouse setup) with the code from the epidemic office.</source>
        <translation>本岗亭尚无防疫办数据:未连接中心服务器。请用防疫办提供的注册码注册(按 F12 后点“岗亭设置…”,或运行 gatehouse setup)。</translation>
    </message>
    <message>
        <source>The office data arrives at the first sync with the hub: check the network.</source>
        <translation>防疫办数据将在首次与中心服务器同步时送达:请检查网络。</translation>
    </message>
    <message>
        <source>OFFLINE: the hub cannot be reached. Passages are kept and sent later.</source>
        <translation>离线:无法连接中心。通行记录已保存,恢复后自动上传。</translation>
    </message>
    <message>
        <source>OFFLINE: the hub cannot be reached since %1. Passages are kept and sent later.</source>
        <translation>离线:自%1起无法连接中心。通行记录已保存,恢复后自动上传。</translation>
    </message>
    <message>
        <source>Office data: never received</source>
        <translation>疫情办数据:从未收到</translation>
    </message>
    <message>
        <source>Office data: current</source>
        <translation>疫情办数据:最新</translation>
    </message>
    <message numerus="yes">
        <source>Office data: %n hour(s) old</source>
        <translation>
            <numerusform>疫情办数据:%n 小时前</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>Summary</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Finish writes these settings.</source>
        <translation>点击“完成”保存以下设置。</translation>
    </message>
    <message>
        <source>The booth uses the new settings from its next start.</source>
        <translation>岗亭下次启动时使用新设置。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Could not save: %1</source>
        <translation>无法保存:%1</translation>
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
        <source>Policy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Problems log</source>
        <translation>问题日志</translation>
    </message>
    <message>
        <source>Trust</source>
        <translation>信任文件</translation>
    </message>
    <message>
        <source>Booth &amp;settings…</source>
        <translation>岗亭设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Exports and reports are saved in %1</source>
        <translation>导出文件和报告保存在 %1</translation>
    </message>
</context>
<context>
    <name>TemperaturePanel</name>
    <message>
        <source>Implausible reading, measure again</source>
        <translation>读数异常,请重测</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>体温</translation>
    </message>
    <message>
        <source>Connecting thermometer…</source>
        <translation>正在连接体温计…</translation>
    </message>
    <message>
        <source>Thermometer connected</source>
        <translation>体温计已连接</translation>
    </message>
    <message>
        <source>Thermometer not answering, check the sensor</source>
        <translation>体温计无应答,请检查探头</translation>
    </message>
    <message>
        <source>Thermometer lost, reconnecting</source>
        <translation>体温计断开,正在重连</translation>
    </message>
    <message>
        <source>No thermometer configured</source>
        <translation>未配置体温计</translation>
    </message>
    <message>
        <source>Thermometer: %1</source>
        <translation>体温计:%1</translation>
    </message>
</context>
<context>
    <name>ThermometerPage</name>
    <message>
        <source>Thermometer</source>
        <translation>体温计</translation>
    </message>
    <message>
        <source>The serial thermometer at the booth. Without one, the guard types it in.</source>
        <translation>岗亭的串口体温计。没有体温计时由门卫手动输入。</translation>
    </message>
    <message>
        <source>Port, e.g. COM3</source>
        <translation>端口,例如 COM3</translation>
    </message>
    <message>
        <source>&amp;Test</source>
        <translation>测试(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Port</source>
        <translation>端口(&amp;P)</translation>
    </message>
    <message>
        <source>P&amp;rotocol</source>
        <translation>协议(&amp;R)</translation>
    </message>
    <message>
        <source>Baud ra&amp;te</source>
        <translation>波特率(&amp;T)</translation>
    </message>
    <message>
        <source>No thermometer (temperatures typed in by hand)</source>
        <translation>无体温计(手动输入体温)</translation>
    </message>
    <message>
        <source>Simulated thermometer (for trying the booth out)</source>
        <translation>模拟体温计(用于试用)</translation>
    </message>
    <message>
        <source>Looking for serial ports…</source>
        <translation>正在查找串口…</translation>
    </message>
    <message>
        <source>Type the port the thermometer is plugged into.</source>
        <translation>请输入体温计所接的端口。</translation>
    </message>
    <message numerus="yes">
        <source>%n serial port(s) found.</source>
        <translation>
            <numerusform>找到 %n 个串口。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 — %2 (USB %3)</source>
        <translation>%1 — %2(USB %3)</translation>
    </message>
    <message>
        <source>No thermometer to test: the guard types temperatures in.</source>
        <translation>没有可测试的体温计:由门卫手动输入体温。</translation>
    </message>
    <message>
        <source>The simulated thermometer is built in: nothing to test.</source>
        <translation>模拟体温计为内置,无需测试。</translation>
    </message>
    <message>
        <source>Waiting for a reading… hold a hand in front of it.</source>
        <translation>正在等待读数…请把手放在体温计前。</translation>
    </message>
    <message>
        <source>Reading: %1 °C</source>
        <translation>读数:%1 °C</translation>
    </message>
    <message>
        <source>The port opened but no reading came (%1). Check the protocol and baud rate.</source>
        <translation>端口已打开,但没有收到读数(%1)。请检查协议和波特率。</translation>
    </message>
    <message>
        <source>This port name is not valid: %1</source>
        <translation>端口名称无效:%1</translation>
    </message>
    <message>
        <source>This port cannot be opened: %1</source>
        <translation>无法打开此端口:%1</translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation>出错了:%1</translation>
    </message>
</context>
<context>
    <name>TravelDialog</name>
    <message>
        <source>Travel declared by the person</source>
        <translation>本人申报的行程</translation>
    </message>
    <message>
        <source>bj, beijing, 北京, taiyuan, ty …</source>
        <translation>bj、beijing、北京、taiyuan、ty …</translation>
    </message>
    <message>
        <source>Remove the chosen city (Del)</source>
        <translation>删除选中的城市(Del)</translation>
    </message>
    <message>
        <source>No travel outside the home area in the last %1 days</source>
        <translation>近%1天未离开本地</translation>
    </message>
    <message>
        <source>Days ago</source>
        <translation>几天前</translation>
    </message>
    <message>
        <source>Read the cities on the person&apos;s travel card. Type pinyin, initials or the name; ↑/↓ choose, Enter adds the city. Enter in the empty field confirms.</source>
        <translation>查看本人行程卡上的城市。输入拼音、首字母或城市名;↑/↓ 选择,回车添加。输入框为空时按回车确认。</translation>
    </message>
    <message>
        <source>Declared cities</source>
        <translation>申报的城市</translation>
    </message>
    <message>
        <source>No city matches “%1”.</source>
        <translation>没有与“%1”匹配的城市。</translation>
    </message>
    <message>
        <source>today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>%1 days ago</source>
        <translation>%1天前</translation>
    </message>
    <message>
        <source>Add at least one city from the travel card, or tick “No travel outside the home area”.</source>
        <translation>请至少添加一个行程卡上的城市,或勾选“未离开本地”。</translation>
    </message>
</context>
<context>
    <name>TrustRefusalsPanel</name>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>No trust file has been refused.</source>
        <translation>没有信任文件被拒用。</translation>
    </message>
    <message>
        <source>Trust files refused: %1. Where nothing from a file is trusted, the codes it would verify are referred to you; ask the office for a good copy.</source>
        <translation>被拒用的信任文件:%1 个。凡是文件内容全部不被信任的,由其核验的二维码会转交给您处理;请向办公室索取完好的文件。</translation>
    </message>
    <message>
        <source>Trust files refused: %1. The booth still uses the last good copy of each.</source>
        <translation>被拒用的信任文件:%1 个。岗亭仍在使用每个文件上一份完好的副本。</translation>
    </message>
    <message>
        <source>The last good copy is still used.</source>
        <translation>仍在使用上一份完好的副本。</translation>
    </message>
    <message>
        <source>Nothing from it is trusted: codes it would verify are referred.</source>
        <translation>其内容全部不被信任:由其核验的二维码一律转交主管。</translation>
    </message>
    <message>
        <source>Only this item is left out.</source>
        <translation>仅此一项未被采用。</translation>
    </message>
</context>
<context>
    <name>VehicleDialog</name>
    <message>
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <source>typed</source>
        <translation>手工输入</translation>
    </message>
    <message>
        <source>e.g. 蒙K12345</source>
        <translation>例如 蒙K12345</translation>
    </message>
    <message>
        <source>name or pinyin, e.g. eeds</source>
        <translation>地名或拼音,例如 eeds</translation>
    </message>
    <message>
        <source>Other purpose (referred to the supervisor)</source>
        <translation>其他用途(交主管处理)</translation>
    </message>
    <message>
        <source>Number plate</source>
        <translation>车牌号</translation>
    </message>
    <message>
        <source>Comes from</source>
        <translation>来自</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Chosen: %1</source>
        <translation>已选:%1</translation>
    </message>
    <message>
        <source>Not a number plate: a province character (typed, or chosen in the list left of it), a letter, then 5 or 6 letters or digits (e.g. 蒙K12345).</source>
        <translation>车牌号不正确:省份简称(直接输入或在左侧列表中选择)、一个字母,再加5或6位字母或数字(例如 蒙K12345)。</translation>
    </message>
    <message>
        <source>Choose where the vehicle comes from: type, arrows, then Enter.</source>
        <translation>请选择车辆来自何地:输入后用方向键选择,再按回车。</translation>
    </message>
</context>
<context>
    <name>VehicleFlow</name>
    <message>
        <source>Vehicle %1 cancelled: no vehicle logged; the people scanned stay logged.</source>
        <translation>车辆 %1 已取消:不记录车辆;已扫描人员的记录保留。</translation>
    </message>
    <message>
        <source>Vehicle not started: %1</source>
        <translation>未能开始车辆核验:%1</translation>
    </message>
    <message>
        <source>Deciding the vehicle…</source>
        <translation>正在判定车辆…</translation>
    </message>
    <message>
        <source>Could not decide the vehicle: %1</source>
        <translation>未能判定车辆:%1</translation>
    </message>
</context>
<context>
    <name>VehiclePanel</name>
    <message>
        <source>VEHICLE %1 · from %2 · purpose %3</source>
        <translation>车辆 %1 · 来自 %2 · 用途 %3</translation>
    </message>
    <message>
        <source>Scan the DRIVER&apos;s pass</source>
        <translation>请扫描驾驶员的通行证</translation>
    </message>
    <message>
        <source>Scan the next PASSENGER&apos;s pass (%1 scanned so far)</source>
        <translation>请扫描下一位乘车人员的通行证(已扫描 %1 人)</translation>
    </message>
    <message>
        <source>Press Esc AGAIN to cancel this vehicle (nothing logged).</source>
        <translation>再按一次 Esc 取消本车辆(不记录车辆)。</translation>
    </message>
    <message>
        <source>F10 finish: decide the vehicle · Esc twice: cancel the vehicle</source>
        <translation>F10 完成:判定车辆 · 连按两次 Esc:取消车辆</translation>
    </message>
    <message>
        <source>VEHICLE %1: %2</source>
        <translation>车辆 %1:%2</translation>
    </message>
    <message>
        <source>Held back by: %1</source>
        <translation>未通过人员:%1</translation>
    </message>
    <message>
        <source>Esc: back to scanning people</source>
        <translation>Esc:返回逐人核验</translation>
    </message>
    <message>
        <source>%1: %2 — %3</source>
        <translation>%1:%2 — %3</translation>
    </message>
    <message>
        <source>Driver</source>
        <translation>驾驶员</translation>
    </message>
    <message>
        <source>Passenger %1</source>
        <translation>乘车人员 %1</translation>
    </message>
    <message>
        <source>✔ ADMIT</source>
        <translation>✔ 通行</translation>
    </message>
    <message>
        <source>↻ RE-MEASURE</source>
        <translation>↻ 请复测体温</translation>
    </message>
    <message>
        <source>☎ REFER</source>
        <translation>☎ 请联系主管</translation>
    </message>
    <message>
        <source>✖ TURN AWAY</source>
        <translation>✖ 劝返</translation>
    </message>
</context>
<context>
    <name>VerdictPanel</name>
    <message>
        <source>Show your pass</source>
        <translation>请出示通行证</translation>
    </message>
    <message>
        <source>NOT SAVED to the log, kept in memory and retried: %1</source>
        <translation>未能保存记录,已暂存内存并将重试:%1</translation>
    </message>
    <message>
        <source>Same pass scanned %1 s ago</source>
        <translation>同一通行证 %1 秒前已扫描</translation>
    </message>
    <message>
        <source>ADMIT</source>
        <translation>通行</translation>
    </message>
    <message>
        <source>RE-MEASURE</source>
        <translation>请复测体温</translation>
    </message>
    <message>
        <source>REFER TO SUPERVISOR</source>
        <translation>请联系主管</translation>
    </message>
    <message>
        <source>TURN AWAY</source>
        <translation>劝返</translation>
    </message>
</context>
</TS>
