"""Demo deals for partners A and B in every stage and status: one conflict waiting for the
vendor (B registered A's protected customer), one protection ending this week, drafts, a
question from the vendor, won and lost deals. Idempotent: a partner with deals is left alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.auth.tables import User
from portal.customers.services import customer_choices
from portal.deals import services
from portal.deals.ordering import set_deal_prices
from portal.deals.schemas import DealData
from portal.deals.tables import Deal, DealLine
from portal.lib.clock import today

# (partner user, customer, project, lines, amount in yuan, stage, outcome, phone)
DEALS: list[tuple[str, str, str, list[tuple[str, int]], int, str, str, str]] = [
    ("alice@partner-a.demo", "上海星河智能科技有限公司", "星河园区安防改造", [("IPC-5425", 60), ("NVR-4432", 4)], 286_000, "negotiation", "expiring", "021-5888 1234"),
    ("alice@partner-a.demo", "杭州云帆信息技术有限公司", "云帆总部网络升级", [("SW-2024G", 30)], 96_000, "proposal", "approved", ""),
    ("bob@partner-a.demo", "苏州恒达精密机械有限公司", "恒达厂区监控", [("IPC-2120", 120)], 150_000, "qualified", "submitted", ""),
    ("bob@partner-a.demo", "Harbour View Hotel Shanghai", "Hotel CCTV refresh", [("IPC-5425", 40)], 180_000, "proposal", "info", ""),
    ("alice@partner-a.demo", "南京博远物流有限公司", "博远仓库门禁", [("IPC-2120", 24)], 42_000, "negotiation", "won", ""),
    ("alice@partner-a.demo", "宁波海润贸易有限公司", "海润办公室摄像机", [("IPC-2120", 10)], 18_000, "proposal", "lost", ""),
    ("bob@partner-a.demo", "无锡锦程电子有限公司", "锦程新车间", [("NVR-4432", 2)], 24_000, "qualified", "draft", ""),
    ("carol@partner-b.demo", "上海星河智能科技 有限公司", "星河智能楼宇监控", [("IPC-5425", 50)], 240_000, "qualified", "submitted", "+86 21 5888 1234"),
    ("carol@partner-b.demo", "广州天河数码城有限公司", "天河数码城安防", [("IPC-2120", 200)], 260_000, "proposal", "approved", ""),
    ("carol@partner-b.demo", "深圳南山创客空间有限公司", "创客空间网络", [("SW-2024G", 8)], 30_000, "qualified", "declined", ""),
]  # fmt: skip
VENDOR = "admin@vendor.demo"


async def _actor(email: str) -> CurrentUser | None:
    row = await (
        User.select(
            User.id,
            User.email,
            User.name,
            User.role,
            User.partner,
            User.can_sales,
            User.can_purchasing,
            User.locale,
        )
        .where(User.email == email)
        .first()
    )
    if row is None:
        return None
    return CurrentUser(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=row["role"],
        partner_id=row["partner"],
        can_sales=row["can_sales"],
        can_purchasing=row["can_purchasing"],
        locale=row["locale"] or "",
    )


async def _one(seller: CurrentUser, vendor: CurrentUser, spec: tuple[Any, ...]) -> int:
    _email, customer, project, lines, yuan, stage, outcome, phone = spec
    # the partner's demo customer of that name when it may see it, else a new one
    known = [
        cid
        for cid, label in await customer_choices(seller, customer, 5)
        if label.startswith(customer)
    ]
    deal_id = await services.save_deal(
        seller,
        DealData(
            name=project,
            customer_id=known[0] if known else None,
            customer_name="" if known else customer,
            customer_phone=phone,
            lines=list(lines),
            estimated_amount=yuan * 100,
            expected_close_on=today() + dt.timedelta(days=60),
            stage=stage,
            competitors="海康威视, 大华" if outcome in ("lost", "expiring") else "",
            note="演示商机 Demo deal",
        ),
    )
    if outcome == "draft":
        return deal_id
    await services.submit_deal(seller, deal_id)
    if outcome == "info":
        await services.request_info(
            vendor, deal_id, "请补充客户预算和决策人。Please add budget and decision maker."
        )
    elif outcome == "declined":
        await services.decline_deal(
            vendor, deal_id, "该客户由厂商直销覆盖。Covered by our direct sales."
        )
    elif outcome in ("approved", "expiring", "won", "lost"):
        await services.approve_deal(vendor, deal_id)
    if outcome in ("approved", "expiring"):  # a deal price: 15 % below list on every product
        rows = await DealLine.select(DealLine.id, DealLine.product.list_price_amount).where(
            DealLine.deal == deal_id
        )
        await set_deal_prices(
            vendor,
            deal_id,
            {int(r["id"]): int(r["product.list_price_amount"]) * 85 // 100 for r in rows},
        )
    if outcome == "expiring":  # approved long ago: the protection ends in four days
        await Deal.update(
            {
                Deal.protection_from: today() - dt.timedelta(days=86),
                Deal.protection_until: today() + dt.timedelta(days=4),
            }
        ).where(Deal.id == deal_id)
    elif outcome == "won":
        await services.win_deal(seller, deal_id, [])
    elif outcome == "lost":
        await services.lose_deal(seller, deal_id, "客户选择了更低价格的方案。Lost on price.")
    return deal_id


async def load_deals_demo() -> dict[str, int]:
    """The demo deals (idempotent per partner); how many were added."""
    vendor = await _actor(VENDOR)
    created = {"deals": 0}
    if vendor is None:
        return created
    done: dict[int, bool] = {}
    for spec in DEALS:
        seller = await _actor(spec[0])
        if seller is None or seller.partner_id is None:
            continue
        if seller.partner_id not in done:
            done[seller.partner_id] = not await Deal.exists().where(
                Deal.partner == seller.partner_id
            )
        if done[seller.partner_id]:
            await _one(seller, vendor, spec)
            created["deals"] += 1
    return created
