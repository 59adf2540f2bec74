"""Demo support data for `portal demo-data`: business hours with China's 2026 holidays, SLA
targets, two teams, routing rules, a dozen knowledge-base articles in Chinese and English, and
cases for several partners in every state (new, open, breached, waiting, resolved, closed).
Idempotent: each part is skipped when its rows exist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.auth.constants import DEMO_PASSWORD, Role
from portal.auth.schemas import CurrentUser
from portal.auth.services import create_user
from portal.auth.tables import User
from portal.lib.clock import now
from portal.partners.tables import Partner, Tier
from portal.support import cases, kb, policy, services, sla
from portal.support.constants import CaseCategory, CasePriority, CaseStatus
from portal.support.escalation import check_deadlines
from portal.support.schemas import ArticleForm, CaseForm
from portal.support.tables import (
    CaseEvent,
    CaseMessage,
    KbArticle,
    KbCategory,
    RoutingRule,
    SlaTarget,
    SupportCalendar,
    SupportCase,
    SupportHoliday,
    SupportTeam,
    SupportTeamMember,
)

HOLIDAYS_2026 = [
    ("2026-01-01", "元旦 New Year", False),
    ("2026-01-02", "元旦 New Year", False),
    ("2026-01-04", "元旦调休 make-up day", True),
    ("2026-02-16", "春节 Spring Festival", False),
    ("2026-02-17", "春节 Spring Festival", False),
    ("2026-02-18", "春节 Spring Festival", False),
    ("2026-02-19", "春节 Spring Festival", False),
    ("2026-02-20", "春节 Spring Festival", False),
    ("2026-02-14", "春节调休 make-up day", True),
    ("2026-04-06", "清明节 Qingming", False),
    ("2026-05-01", "劳动节 Labour Day", False),
    ("2026-05-04", "劳动节 Labour Day", False),
    ("2026-05-05", "劳动节 Labour Day", False),
    ("2026-06-19", "端午节 Dragon Boat", False),
    ("2026-09-25", "中秋节 Mid-Autumn", False),
    ("2026-10-01", "国庆节 National Day", False),
    ("2026-10-02", "国庆节 National Day", False),
    ("2026-10-05", "国庆节 National Day", False),
    ("2026-10-06", "国庆节 National Day", False),
    ("2026-10-07", "国庆节 National Day", False),
    ("2026-10-10", "国庆调休 make-up day", True),
]

# priority -> (first response, resolution) business minutes; gold/platinum get faster answers
TARGETS = {"urgent": (60, 480), "high": (180, 1080), "normal": (480, 2700), "low": (1080, 5400)}
TIER_TARGETS = {
    "platinum": {"urgent": (30, 240), "high": (120, 720)},
    "gold": {"urgent": (45, 360), "high": (150, 900)},
}

KB_CATEGORIES = [
    ("SETUP", "安装与配置", "Installation and setup", 1),
    ("TROUBLE", "故障排查", "Troubleshooting", 2),
    ("ORDER", "订单与物流", "Orders and delivery", 3),
    ("BILLING", "发票与结算", "Invoices and billing", 4),
    ("WARRANTY", "质保与退换", "Warranty and returns", 5),
]

# (category, title_zh, title_en, body_zh, body_en, keywords)
ARTICLES: list[tuple[str, str, str, str, str, str]] = [
    (
        "SETUP",
        "如何将网络摄像机恢复出厂设置",
        "How to reset an IP camera to factory settings",
        "1. 保持摄像机通电。\n2. 用针按住复位孔 15 秒，直到指示灯闪烁。\n3. 等待约 2 分钟重启，默认地址为 192.168.1.64，首次登录需设置新密码。\n注意：复位会清除所有配置，请提前导出配置文件。",
        "1. Keep the camera powered.\n2. Press and hold the reset pin for 15 seconds until the LED blinks.\n3. Wait about 2 minutes for the restart; the default address is 192.168.1.64 and you must set a new password on first login.\nNote: a reset clears every setting, so export the configuration first.",
        "reset 复位 password 密码 factory",
    ),
    (
        "SETUP",
        "录像机添加摄像机的三种方式",
        "Three ways to add cameras to an NVR",
        "在录像机“通道管理”中可：① 一键添加同网段设备；② 手动输入 IP、端口和密码；③ 使用 PoE 口即插即用。若显示“离线”，请检查密码与协议（私有协议/ONVIF）。",
        "In the NVR's channel management you can: 1) add every device on the subnet with one click; 2) enter IP, port and password by hand; 3) plug cameras into the PoE ports. If a channel shows offline, check the password and the protocol (private or ONVIF).",
        "NVR 录像机 channel 通道 ONVIF offline 离线",
    ),
    (
        "TROUBLE",
        "摄像机夜间频繁掉线怎么办",
        "Camera drops offline at night",
        "夜间开启红外后功耗上升，常见原因是 PoE 供电不足或网线过长。请确认交换机 PoE 预算、网线不超过 100 米，并在摄像机“节能模式”中关闭“夜间降频”。",
        "At night the infrared LEDs raise the power draw; the usual causes are an insufficient PoE budget or a cable that is too long. Check the switch's PoE budget, keep cables under 100 m, and disable 'night down-clocking' in the camera's energy saving mode.",
        "offline 掉线 night 夜间 PoE power 供电",
    ),
    (
        "TROUBLE",
        "升级固件失败的处理",
        "A firmware upgrade fails",
        "请使用与型号完全一致的固件包，升级时不要断电。若进度停在 80%，请通过 TFTP 恢复：将电脑地址设为 192.168.1.128，运行 TFTP 工具后给设备重新上电。",
        "Use the firmware package for the exact model and never cut the power during an upgrade. If progress stops at 80 %, recover through TFTP: set the PC to 192.168.1.128, start the TFTP tool and power-cycle the device.",
        "firmware 固件 upgrade 升级 TFTP",
    ),
    (
        "TROUBLE",
        "门禁一体机无法识别人脸",
        "Access terminal does not recognise faces",
        "检查安装高度（1.4–1.6 米）、避免逆光；在人脸库中重新采集照片，照片需正脸、无遮挡。仍无法识别时请导出日志并开工单。",
        "Check the mounting height (1.4-1.6 m) and avoid back light; re-enrol the photo in the face library (frontal, unobstructed). If recognition still fails, export the log and open a case.",
        "face 人脸 access 门禁 recognition 识别",
    ),
    (
        "ORDER",
        "订单发货时间与物流查询",
        "When orders ship and how to track them",
        "审批通过的订单在 2 个工作日内出库。发货后订单详情页会显示承运商和运单号，也可在“我的订单”中查看物流状态。",
        "Approved orders leave the warehouse within 2 working days. After shipment the order page shows the carrier and tracking number; you can also follow the status under 'My orders'.",
        "shipping 发货 tracking 物流 运单 delivery",
    ),
    (
        "ORDER",
        "到货破损或少件如何处理",
        "Damaged or missing items on delivery",
        "请在签收后 48 小时内拍照（外箱、面单、破损处）并开“订单/物流”类工单，关联对应订单。我们会在 1 个工作日内安排补发或退货。",
        "Within 48 hours of delivery, take photos (outer box, label, damage) and open an 'Order / delivery' case linked to the order. We arrange a replacement or a return within one working day.",
        "damaged 破损 missing 少件 delivery 到货",
    ),
    (
        "BILLING",
        "发票开具时间与抬头修改",
        "When invoices are issued and changing the invoice title",
        "增值税专用发票在每月 5 日前开具上月已发货订单。如需修改抬头或税号，请在 3 日前开“发票与结算”类工单。",
        "VAT invoices for last month's shipped orders are issued before the 5th of each month. To change the invoice title or tax number, open a 'Billing' case before the 3rd.",
        "invoice 发票 tax 税号 title 抬头",
    ),
    (
        "BILLING",
        "信用额度与付款周期",
        "Credit limit and payment terms",
        "信用额度按合作伙伴等级核定，下单时占用、收款后释放。付款周期一般为月结 30 天，逾期会暂停新订单审批。",
        "The credit limit depends on the partner tier; orders use it and payments release it. Terms are usually 30 days end of month; overdue amounts pause the approval of new orders.",
        "credit 信用 额度 payment 付款",
    ),
    (
        "WARRANTY",
        "产品质保政策",
        "Product warranty policy",
        "摄像机与录像机整机质保 3 年，硬盘与配件 1 年。质保期内非人为损坏免费维修或更换，请提供序列号与故障描述。",
        "Cameras and recorders carry a 3-year warranty, hard disks and accessories 1 year. Within warranty, failures not caused by misuse are repaired or replaced free of charge; give the serial number and a description of the fault.",
        "warranty 质保 repair 维修 RMA serial 序列号",
    ),
    (
        "WARRANTY",
        "如何申请返修（RMA）",
        "How to request a repair (RMA)",
        "开“质量投诉”类工单并注明序列号、故障现象和照片。审核通过后我们会发送返修单号，请将设备寄往上海中心仓，外箱注明返修单号。",
        "Open a 'Quality complaint' case with the serial number, the symptoms and photos. Once approved we send an RMA number; ship the device to the Shanghai central warehouse with the RMA number on the box.",
        "RMA 返修 repair quality 质量",
    ),
    (
        "SETUP",
        "交换机 PoE 预算计算方法",
        "Working out a switch's PoE budget",
        "将所有受电设备的最大功耗相加，再预留 20% 余量。例如 8 台 6.5W 红外摄像机需要约 63W，建议选用 PoE 预算不低于 65W 的交换机。",
        "Add up the maximum power draw of every powered device and keep 20 % headroom. Eight 6.5 W infrared cameras need about 63 W, so choose a switch with a PoE budget of at least 65 W.",
        "PoE budget 预算 switch 交换机 power 功耗",
    ),
]

# partner key letter, subject, description, category, priority, state, age in days
CASES: list[tuple[str, str, str, str, str, str, float]] = [
    (
        "A",
        "IPC-2140 夜间掉线",
        "上周安装的 12 台 IPC-2140 每晚 23 点后陆续离线，白天正常。交换机为 24 口 PoE。",
        "technical",
        "high",
        "open",
        0.1,
    ),
    (
        "A",
        "订单到货少 2 台录像机",
        "订单到货时少了 2 台 NVR-08，外箱完好。",
        "order_delivery",
        "urgent",
        "breached",
        3,
    ),
    (
        "A",
        "请提供 11 月发票",
        "11 月的增值税专用发票还没有收到，请尽快开具。",
        "billing",
        "normal",
        "waiting",
        1,
    ),
    (
        "A",
        "固件升级后无法登录",
        "升级到 2.1.0 后 Web 页面无法登录，提示密码错误。",
        "technical",
        "normal",
        "closed",
        20,
    ),
    (
        "B",
        "Access terminal rejects registered faces",
        "Since yesterday the terminal at our customer's lobby rejects about 30 % of registered staff.",
        "technical",
        "high",
        "new",
        0.02,
    ),
    (
        "B",
        "Lens scratches on delivered cameras",
        "3 of 20 cameras delivered last week have scratched lenses. Photos attached in the next reply.",
        "quality_complaint",
        "high",
        "breached",
        6,
    ),
    (
        "B",
        "Change of invoice title",
        "Please use our new company name on invoices from December.",
        "billing",
        "low",
        "resolved",
        2,
    ),
    (
        "B",
        "Delivery date for the next order",
        "When will the back-ordered switches be available?",
        "order_delivery",
        "normal",
        "closed",
        35,
    ),
    (
        "C",
        "Quotation for a hospital project",
        "We need a quotation for 180 cameras and 6 recorders for a hospital project.",
        "product_question",
        "normal",
        "open",
        0.3,
    ),
    (
        "D",
        "RMA for two recorders",
        "Two NVR-16 recorders do not boot (serials attached).",
        "quality_complaint",
        "normal",
        "waiting",
        4,
    ),
]


async def _user(email: str) -> int | None:
    row = await User.select(User.id).where(User.email == email).first()
    return int(row["id"]) if row else None


async def _staff(email: str) -> int | None:
    """A demo vendor account, or else the first active vendor admin."""
    found = await _user(email)
    if found is not None:
        return found
    row = await (
        User.select(User.id)
        .where((User.role == Role.VENDOR_ADMIN) & (User.is_active == True))  # noqa: E712
        .order_by(User.id)
        .first()
    )
    return int(row["id"]) if row else None


async def _current(user_id: int) -> CurrentUser:
    row = await (
        User.select(
            User.id,
            User.email,
            User.name,
            User.role,
            User.partner,
            User.can_sales,
            User.can_purchasing,
        )
        .where(User.id == user_id)
        .first()
    )
    assert row is not None
    return CurrentUser(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=row["role"],
        partner_id=row["partner"],
        can_sales=row["can_sales"],
        can_purchasing=row["can_purchasing"],
    )


async def _settings() -> int:
    if await SupportCalendar.exists():
        return 0
    moment = now()
    await SupportCalendar.insert(
        SupportCalendar(
            time_zone="Asia/Shanghai",
            work_days="0,1,2,3,4",
            start_minute=9 * 60,
            end_minute=18 * 60,
            warn_percent=80,
            second_breach_percent=200,
            updated_at=moment,
        )
    )
    for day, name, workday in HOLIDAYS_2026:
        await SupportHoliday.insert(
            SupportHoliday(on=dt.date.fromisoformat(day), name=name, is_workday=workday)
        )
    tiers = {r["code"]: r["id"] for r in await Tier.select(Tier.id, Tier.code)}
    for priority, (fr, res) in TARGETS.items():
        await SlaTarget.insert(
            SlaTarget(
                priority=priority,
                tier=None,
                first_response_minutes=fr,
                resolution_minutes=res,
                updated_at=moment,
            )
        )
    for tier, rows in TIER_TARGETS.items():
        if tier not in tiers:
            continue
        for priority, (fr, res) in rows.items():
            await SlaTarget.insert(
                SlaTarget(
                    priority=priority,
                    tier=tiers[tier],
                    first_response_minutes=fr,
                    resolution_minutes=res,
                    updated_at=moment,
                )
            )
    return 1


async def _teams() -> int:
    if await SupportTeam.exists():
        return 0
    admin = await _staff("admin@vendor.demo")
    manager = await _staff("manager@vendor.demo")
    manager2 = await _staff("manager2@vendor.demo")
    moment = now()
    teams = {}
    for name, lead, members in (
        ("技术支持 Technical support", admin, [manager, manager2]),
        ("质量与退换 Quality & RMA", manager2, [manager2]),
    ):
        rows = await SupportTeam.insert(
            SupportTeam(name=name, lead_id=lead, is_active=True, created_at=moment)
        ).returning(SupportTeam.id)
        teams[name] = int(rows[0]["id"])
        for member in dict.fromkeys(m for m in members if m):
            await SupportTeamMember.insert(SupportTeamMember(team=teams[name], user_id=member))
    await RoutingRule.insert(
        RoutingRule(
            position=10,
            name="质量投诉 → 质量与退换",
            category="quality_complaint",
            team=teams["质量与退换 Quality & RMA"],
            created_at=moment,
        ),
        RoutingRule(
            position=20,
            name="技术问题 → 技术支持",
            category="technical",
            team=teams["技术支持 Technical support"],
            created_at=moment,
        ),
        RoutingRule(
            position=30,
            name="发票 → 王立新",
            category="billing",
            assignee_id=admin,
            created_at=moment,
        ),
    )
    return len(teams)


async def _articles() -> int:
    if await KbArticle.exists():
        return 0
    codes = {
        r["code"]: int(r["id"]) for r in await KbCategory.select(KbCategory.id, KbCategory.code)
    }
    for code, zh, en, position in KB_CATEGORIES:
        if code in codes:
            continue
        rows = await KbCategory.insert(
            KbCategory(code=code, name_zh=zh, name_en=en, position=position)
        ).returning(KbCategory.id)
        codes[code] = int(rows[0]["id"])
    admin_id = await _staff("admin@vendor.demo")
    if admin_id is None:
        return 0
    admin = await _current(admin_id)
    for category, title_zh, title_en, body_zh, body_en, keywords in ARTICLES:
        await kb.save_article(
            admin,
            ArticleForm(
                title_zh=title_zh,
                title_en=title_en,
                body_zh=body_zh,
                body_en=body_en,
                keywords=keywords,
                category_id=codes[category],
                status="published",  # type: ignore[arg-type]
            ),
        )
    return len(ARTICLES)


async def _contacts() -> dict[str, int]:
    """The partner user for each demo partner letter: the demo accounts for A and B, and a
    service contact (created once) for other active partners in the letters still free."""

    out: dict[str, int] = {}
    for letter, email in (("A", "alice@partner-a.demo"), ("B", "carol@partner-b.demo")):
        uid = await _user(email)
        if uid:
            out[letter] = uid
    others = await (
        Partner.select(Partner.id, Partner.code, Partner.name)
        .where(Partner.status == "active")
        .order_by(Partner.id)
        .limit(6)
    )
    used = set()
    for uid in out.values():
        row = await User.select(User.partner).where(User.id == uid).first()
        used.add(row["partner"] if row else None)
    missing = [letter for letter in ("A", "B", "C", "D") if letter not in out]
    spare = [p for p in others if p["id"] not in used][: len(missing)]
    for letter, partner in zip(missing, spare, strict=False):
        email = f"service@{partner['code'].lower()}.demo"
        uid = await _user(email)
        if uid is None:
            uid = await create_user(
                email=email,
                name=f"售后服务 Service desk ({partner['code']})",
                password=DEMO_PASSWORD,
                role=Role.PARTNER_ADMIN,
                partner_id=partner["id"],
            )
        out[letter] = uid
    return out


async def _age(case_id: int, created: dt.datetime) -> None:
    """Move a freshly opened case back in time, with deadlines recomputed from that start."""
    current = await SupportCase.select().where(SupportCase.id == case_id).first()
    assert current is not None
    the_policy = await policy.load_policy()
    values = cases._ladder_columns(the_policy, {**current, "created_at": created}, 0)
    values[SupportCase.created_at] = created
    values[SupportCase.updated_at] = created
    await SupportCase.update(values).where(SupportCase.id == case_id)
    await CaseEvent.update({CaseEvent.at: created}).where(CaseEvent.support_case == case_id)


async def _cases(contacts: dict[str, int]) -> int:
    if await SupportCase.exists() or not contacts:
        return 0
    admin_id = await _staff("admin@vendor.demo")
    if admin_id is None:
        return 0
    admin = await _current(admin_id)
    the_policy = await policy.load_policy()
    moment = now()
    made = 0
    for letter, subject, description, category, priority, state, age in CASES:
        requester = contacts.get(letter)
        if requester is None:
            continue
        actor = await _current(requester)
        case_id = await services.open_case(
            actor,
            CaseForm(
                category=CaseCategory(category),
                priority=CasePriority(priority),
                subject=subject,
                description=description,
            ),
        )
        made += 1
        assignee = (await cases_row(case_id))["assignee_id"]
        staff = await _current(assignee) if assignee else admin
        created = moment - dt.timedelta(days=age)
        await _age(case_id, created)
        if state in ("new", "breached"):
            continue
        answer = sla.add_business_minutes(the_policy.calendar, created, 45)
        resolved = moment
        if answer > moment:
            answer = moment
        if state == "open":
            await services.reply(
                staff, case_id, "已收到，我们的工程师正在分析，请稍候。We are looking into it."
            )
        elif state == "waiting":
            await services.reply(
                staff,
                case_id,
                "请提供设备序列号和故障照片。Please send the serial numbers and photos.",
                then=CaseStatus.WAITING,
            )
        elif state in ("resolved", "closed"):
            await services.reply(
                staff,
                case_id,
                "问题已处理，详见附言。The issue is fixed.",
                then=CaseStatus.RESOLVED,
            )
            resolved = min(sla.add_business_minutes(the_policy.calendar, created, 600), moment)
            if state == "closed":
                await services.change_status(actor, case_id, CaseStatus.CLOSED)
            spent = sla.business_minutes_between(the_policy.calendar, created, resolved)
            await SupportCase.update(
                {
                    SupportCase.resolved_at: resolved,
                    SupportCase.resolution_minutes: spent,
                    SupportCase.resolved_within_sla: resolved <= (await _due(case_id)),
                    SupportCase.closed_at: resolved + dt.timedelta(days=1)
                    if state == "closed"
                    else None,
                    SupportCase.paused_at: resolved,
                }
            ).where(SupportCase.id == case_id)
        await SupportCase.update(
            {
                SupportCase.first_responded_at: answer,
                SupportCase.first_response_minutes: sla.business_minutes_between(
                    the_policy.calendar, created, answer
                ),
            }
        ).where(SupportCase.id == case_id)
        await CaseMessage.update({CaseMessage.created_at: answer}).where(
            CaseMessage.support_case == case_id
        )
        await CaseEvent.update({CaseEvent.at: answer}).where(
            (CaseEvent.support_case == case_id) & (CaseEvent.kind == "reply")
        )
        if state == "closed":
            await CaseEvent.update({CaseEvent.at: resolved + dt.timedelta(days=1)}).where(
                (CaseEvent.support_case == case_id) & (CaseEvent.kind == "status")
            )
    await check_deadlines()
    return made


async def cases_row(case_id: int) -> dict[str, Any]:
    row = await SupportCase.select().where(SupportCase.id == case_id).first()
    assert row is not None
    return row


async def _due(case_id: int) -> dt.datetime:
    row = await SupportCase.select(SupportCase.res_due_at).where(SupportCase.id == case_id).first()
    assert row is not None
    return row["res_due_at"]


async def load_support_demo() -> dict[str, Any]:
    """Add the support demo rows that are missing; returns what was created."""
    settings = await _settings()
    teams = await _teams()
    articles = await _articles()
    contacts = await _contacts()
    made = await _cases(contacts)
    return {
        "support_settings": settings,
        "support_teams": teams,
        "support_articles": articles,
        "support_cases": made,
    }
