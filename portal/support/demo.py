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
from portal.support import cases, demo_kb, policy, services, sla
from portal.support.constants import CaseCategory, CasePriority, CaseStatus
from portal.support.escalation import check_deadlines
from portal.support.schemas import CaseForm
from portal.support.tables import (
    CaseEvent,
    CaseMessage,
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
    admin_id = await _staff("admin@vendor.demo")
    return await demo_kb.load_articles(await _current(admin_id) if admin_id else None)


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


async def load_support_demo() -> dict[str, int]:
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
