"""Finance demo data for `portal demo-data` (idempotent: orders carry fixed idempotency keys,
receivables are made once per shipment, payments once per bank reference).

Partner A (月结30天) and partner B (net 30) get invoicing details and three more orders each,
placed, approved, shipped and delivered through the orders services. Their receivables are dated
in past months (the shipments themselves are dated today: the demo cannot move the clock), so
the money pages show paid, overdue (partly paid) and due receivables, besides the receivables of
the orders demo's shipments. A confirms the month before last's statement, B disputes last
month's (which opens a billing support case). This quarter's rebate programme has A half-way to
its next band.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.auth.tables import User
from portal.finance import (
    ledger,
    queries,
    rebate_rules,
    rebates,
    receivables,
    services,
    statements,
)
from portal.finance.tables import RebateProgramme, Receivable
from portal.lib import clock, jobs
from portal.orders import services as orders
from portal.orders.access import get_order_for_user
from portal.partners.tables import Partner

# (the partner admin's e-mail, payment terms, invoicing details)
PROFILES = [
    (
        "alice@partner-a.demo",
        "month_end_30",
        {
            "invoice_title": "华东智联科技有限公司",
            "tax_number": "91310115MA1H7GQ93J",
            "invoice_address": "上海市浦东新区张江高科技园区碧波路 690 号",
            "invoice_phone": "021-6288 1024",
            "bank_name": "招商银行上海张江支行",
            "bank_account": "121909876510802",
        },
    ),
    (
        "carol@partner-b.demo",
        "net_30",
        {
            "invoice_title": "岭南优品贸易有限公司",
            "tax_number": "91440101MA59UQ5X1P",
            "invoice_address": "广州市天河区珠江新城华夏路 10 号",
            "invoice_phone": "020-3887 5510",
            "bank_name": "中国工商银行广州天河支行",
            "bank_account": "3602000109200456789",
        },
    ),
]
# (idempotency key, buyer, lines, days ago the receivable is dated)
ORDERS = [
    ("demo-fin-A-1", "alice@partner-a.demo", {"IPC-2120": 20, "NVR-4108": 2}, 110),
    ("demo-fin-A-2", "alice@partner-a.demo", {"IPC-2140": 25}, 75),
    ("demo-fin-A-3", "alice@partner-a.demo", {"ACC-HDD4T": 12}, 12),
    ("demo-fin-B-1", "carol@partner-b.demo", {"IPC-2120": 15}, 80),
    ("demo-fin-B-2", "carol@partner-b.demo", {"NVR-4104": 6}, 45),
    ("demo-fin-B-3", "carol@partner-b.demo", {"IPC-2140": 8}, 5),
]
# (bank reference, partner's admin e-mail, order keys it pays in full, extra fen, days ago)
PAYMENTS = [
    ("ICBC-DEMO-A-0001", "alice@partner-a.demo", ["demo-fin-A-1"], 0, 60),
    ("ICBC-DEMO-A-0002", "alice@partner-a.demo", [], 3_000_00, 8),  # part of A-2: overdue
    ("ICBC-DEMO-B-0001", "carol@partner-b.demo", ["demo-fin-B-1"], 0, 40),
    ("ICBC-DEMO-B-0002", "carol@partner-b.demo", [], 2_000_00, 3),  # part of B-2: overdue
]


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
    )


async def _ship(
    admin: CurrentUser,
    buyer: CurrentUser,
    key: str,
    lines: dict[str, int],
    issued_on: dt.date,
    dated: dict[int, dt.date],
) -> tuple[int | None, bool]:
    """The order with this key placed, approved, shipped and delivered, its receivable dated
    `issued_on`: (its id or None when refused, whether it was placed now)."""
    try:
        placed = await orders.place_order(
            buyer,
            [orders.LineRequest(sku, q) for sku, q in lines.items()],
            note="演示订单 Demo order",
            idempotency_key=key,
        )
    except orders.OrderRefused:
        return None, False  # stock or credit changed since the demo was first loaded
    if placed.replayed:
        return placed.order_id, False
    dated[placed.order_id] = issued_on  # before the shipment: its hook reads it
    await orders.approve_order(admin, await get_order_for_user(admin, placed.order_id))
    await orders.ship_order(
        admin,
        await get_order_for_user(admin, placed.order_id),
        carrier="顺丰速运",
        tracking_number=f"SF{placed.order_id:010d}",
    )
    await orders.deliver_order(buyer, await get_order_for_user(admin, placed.order_id))
    return placed.order_id, True


async def load_finance_demo() -> dict[str, int]:
    """Profiles, orders with dated receivables, payments; returns counts of what was created."""
    admin = await _actor("admin@vendor.demo")
    if admin is None:
        return {"orders": 0, "receivables": 0, "payments": 0, "rebate_programmes": 0}
    today = clock.today()
    started = clock.now()
    for email, terms, invoicing in PROFILES:
        person = await _actor(email)
        if person is None or person.partner_id is None:
            continue
        await ledger.ensure_profile(person.partner_id)
        profile = await services.get_profile(person.partner_id)
        if not profile.get("tax_number"):
            await services.update_invoicing(person, services.InvoicingForm(**invoicing))
            await services.set_payment_terms(admin, {"id": person.partner_id}, terms)
    order_ids: dict[str, int] = {}
    dated: dict[int, dt.date] = {}
    placed = 0
    token = receivables.ISSUED_ON.set(dated)
    try:
        for key, email, lines, days_ago in ORDERS:
            buyer = await _actor(email)
            if buyer is None:
                continue
            order_id, new = await _ship(
                admin, buyer, key, lines, today - dt.timedelta(days=days_ago), dated
            )
            if order_id is None:
                continue
            placed += int(new)
            order_ids[key] = order_id
        await jobs.drain()  # the shipment hook's tasks, while ISSUED_ON is still set
        await services.create_missing_receivables()
    finally:
        receivables.ISSUED_ON.reset(token)
    made = await Receivable.count().where(Receivable.created_at >= started)
    payments = 0
    for reference, email, keys, extra, days_ago in PAYMENTS:
        person = await _actor(email)
        if person is None or person.partner_id is None:
            continue
        amount = extra + await _owed_for([order_ids[k] for k in keys if k in order_ids])
        if amount <= 0:
            continue
        partner = (
            await Partner.select(Partner.id, Partner.currency)
            .where(Partner.id == person.partner_id)
            .first()
        )
        if partner is None:
            continue
        _id, created = await services.record_payment(
            admin,
            partner,
            services.PaymentInput(
                amount=amount,
                paid_on=today - dt.timedelta(days=days_ago),
                bank_reference=reference,
                note="演示收款 Demo payment",
            ),
        )
        payments += int(created)
    await _answer_statements()
    programmes = await _rebate_programme(admin)
    return {
        "orders": placed,
        "receivables": made,
        "payments": payments,
        "rebate_programmes": programmes,
    }


async def _rebate_programme(admin: CurrentUser) -> int:
    """This quarter's volume rebate, its bands set so that partner A stands half-way to the
    next one (2 % reached, 3 % at twice what A bought); once per quarter."""
    today = clock.today()
    period = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    if await RebateProgramme.exists().where(RebateProgramme.period == period):
        return 0
    alice = await _actor("alice@partner-a.demo")
    base = 0
    if alice is not None and alice.partner_id is not None:
        start, end = rebate_rules.period_bounds(period)
        bases = await queries.rebate_bases(
            clock.day_start(start),
            clock.day_start(end),
            paid_only=False,
            category_id=None,
            partner_ids=[alice.partner_id],
        )
        base = bases.get(alice.partner_id, 0)
    step = 1_000_000  # 10,000 yuan
    upper = max(-(-base * 2 // step) * step, 2 * step)  # twice A's base, rounded up
    lower = max(upper // 4 // step * step, step)
    programme_id = await rebates.create_programme(
        admin,
        rebates.ProgrammeInput(
            name="季度满额返利 Quarterly volume rebate",
            period=period,
            bands=f"{lower // 100}:2, {upper // 100}:3",
        ),
    )
    await rebates.recompute_programme(await rebates.get_programme(programme_id))
    return 1


async def _answer_statements() -> None:
    """A confirms the month before last; B disputes last month's statement (a billing case)."""
    periods = statements.recent_periods(2)
    alice = await _actor("alice@partner-a.demo")
    carol = await _actor("carol@partner-b.demo")
    if alice is not None and alice.partner_id is not None:
        if not (await statements.statement(alice.partner_id, periods[1]))["answer"]:
            await statements.confirm(alice, periods[1])
    if carol is not None and carol.partner_id is not None:
        s = await statements.statement(carol.partner_id, periods[0])
        if not s["answer"]:
            await statements.dispute(
                carol,
                periods[0],
                "我方未收到此批货的发票，请核对。 We have no invoice for this shipment.",
                [int(line["id"]) for line in s["lines"] if line["kind"] == "receivable"][:1],
            )


async def _owed_for(order_ids: list[int]) -> int:
    if not order_ids:
        return 0
    rows: list[dict[str, Any]] = await Receivable.select(Receivable.amount).where(
        Receivable.order_id.is_in(order_ids)
    )
    return sum(int(r["amount"]) for r in rows)
