"""24 months of historic demo orders for every demo partner (`portal demo-data`), so that the
performance leaderboard, trends and monthly reports show meaningful figures from the first start.

Each partner gets a monthly revenue path with its own level (by tier), growth and noise, and a
shared seasonality (Spring Festival dip in February, year-end peak). Orders are delivered (past
business: they hold no stock reservation and no open credit), priced at the tier discount, and
numbered like real orders (SO-<year>-<id>). Rows are bulk-inserted; idempotent per partner and
month through fixed idempotency keys (demo-hist-<partner>-<yyyymm>-<n>).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from portal.auth.tables import User
from portal.db import write_transaction
from portal.lib import clock
from portal.orders import queries
from portal.orders.constants import ORDER_NUMBER_PREFIX, OrderStatus, PriceRule
from portal.orders.tables import Order, OrderLine, Product
from portal.partners.tables import Partner
from portal.settings import get_settings

MONTHS = 24
# Monthly revenue level per tier (yuan) and the seasonality of the market (Jan..Dec).
LEVEL = {"platinum": 1_150_000, "gold": 430_000, "silver": 150_000, "registered": 45_000}
SEASON = (0.95, 0.62, 1.0, 1.02, 1.05, 1.1, 0.96, 0.94, 1.08, 0.9, 1.15, 1.3)
# Yearly growth per demo partner, in partner order: some climb, some slide.
GROWTH = (0.32, 0.12, -0.10, 0.24, 0.05, -0.18, 0.15, 0.0)
DISCOUNT_BP = {"platinum": 2500, "gold": 1800, "silver": 1200, "registered": 500}


def _add_months(day: dt.date, months: int) -> dt.date:
    n = day.year * 12 + (day.month - 1) + months
    return dt.date(n // 12, n % 12 + 1, 1)


def monthly_plan(index: int, tier: str, month: dt.date, start: dt.date) -> int:
    """Planned revenue (yuan) of the index-th demo partner in a month; pure and deterministic."""
    years = ((month.year - start.year) * 12 + month.month - start.month) / 12
    growth = (1 + GROWTH[index % len(GROWTH)]) ** years
    noise = random.Random(f"{index}-{month.isoformat()}").uniform(0.88, 1.12)
    return int(LEVEL.get(tier, 45_000) * SEASON[month.month - 1] * growth * noise)


async def _demo_partners() -> list[dict[str, Any]]:
    return await (
        Partner.select(Partner.id, Partner.code, Partner.tier.code.as_alias("tier_code"))
        .where(Partner.contact_email.like("%.demo"))
        .order_by(Partner.id)
    )


async def load_order_history_demo(today: dt.date | None = None) -> int:
    """Give every demo partner 24 months of delivered orders (plus this month so far);
    returns the orders created (0 when they exist already)."""
    zone = get_settings().tz
    today = today or clock.today(zone)
    partners = await _demo_partners()
    products = await (
        Product.select(
            Product.id,
            Product.sku,
            Product.name_zh,
            Product.name_en,
            Product.unit,
            Product.list_price_amount,
        )
        .where(Product.is_active == True)  # noqa: E712
        .order_by(Product.sku)
    )
    if not partners or not products:
        return 0
    # partners without users of their own: the vendor admin placed their orders on their behalf
    vendor = await User.select(User.id).where(User.email == "admin@vendor.demo").first()
    submitters = {
        int(r["partner"]): int(r["id"])
        for r in await User.select(User.id, User.partner)
        .where(User.partner.is_in([p["id"] for p in partners]))
        .order_by(User.id, ascending=False)
    }
    done = {
        r["idempotency_key"].rsplit("-", 1)[0]
        for r in await Order.select(Order.idempotency_key).where(
            Order.idempotency_key.like("demo-hist-%")
        )
    }
    first = _add_months(today.replace(day=1), -MONTHS)
    orders: list[dict[str, Any]] = []
    lines: dict[str, list[dict[str, Any]]] = {}
    now = clock.now()
    for index, partner in enumerate(partners):
        pid = int(partner["id"])
        submitter = submitters.get(pid) or (vendor["id"] if vendor else None)
        if submitter is None:
            continue
        tier = partner["tier_code"]
        discount = DISCOUNT_BP.get(tier, 0)
        for step in range(MONTHS + 1):
            month = _add_months(first, step)
            key_base = f"demo-hist-{pid}-{month:%Y%m}"
            if key_base in done:
                continue
            rng = random.Random(key_base)
            plan = monthly_plan(index, tier, month, first)
            days = (_add_months(month, 1) - month).days
            if month == today.replace(day=1):  # this month: only the days gone by
                plan = plan * max(today.day - 1, 0) // days
                days = max(today.day - 1, 0)
            if days <= 0 or plan <= 0:
                continue
            remaining = plan * 100
            n = 0
            while remaining > 5_000_00:
                n += 1
                size = min(remaining, rng.randint(18_000, 70_000) * 100)
                day = month + dt.timedelta(days=rng.randrange(days))
                decided = dt.datetime.combine(day, dt.time(rng.randint(9, 18)), zone)
                decided = decided.astimezone(dt.UTC)
                placeholder = f"hist-{(decided - dt.timedelta(hours=5)).astimezone(zone):%Y}-{uuid.uuid4().hex[:20]}"
                order_lines, total = _lines(rng, products, size, discount, tier)
                delivered = min(decided + dt.timedelta(days=rng.randint(2, 6)), now)
                orders.append(
                    {
                        "number": placeholder,
                        "partner": pid,
                        "submitted_by": submitter,
                        "status": OrderStatus.DELIVERED,
                        "currency": "CNY",
                        "total_amount": total,
                        "line_count": len(order_lines),
                        "tier_code": tier,
                        "idempotency_key": f"{key_base}-{n}",
                        "submitted_at": decided - dt.timedelta(hours=5),
                        "decided_at": decided,
                        "shipped_at": min(decided + dt.timedelta(days=1), delivered),
                        "delivered_at": delivered,
                        "updated_at": delivered,
                    }
                )
                lines[placeholder] = order_lines
                remaining -= total
    if not orders:
        return 0
    async with write_transaction():
        for start in range(0, len(orders), 400):
            chunk = orders[start : start + 400]
            rows = await Order.insert(*[Order(**o) for o in chunk]).returning(
                Order.id, Order.number
            )
            ids = {r["number"]: int(r["id"]) for r in rows}
            batch = [
                OrderLine(order=ids[number], **line)
                for number in (o["number"] for o in chunk)
                for line in lines[number]
            ]
            for s in range(0, len(batch), 500):
                await OrderLine.insert(*batch[s : s + 500])
        # Real numbers from the ids, in one statement per year (SO-2025-000123), as placement does
        for year in sorted({o["number"].split("-")[1] for o in orders}):
            await queries.number_orders_from_ids(f"{ORDER_NUMBER_PREFIX}-{year}-", f"hist-{year}-%")
    return len(orders)


def _lines(
    rng: random.Random, products: list[dict[str, Any]], size: int, discount: int, tier: str
) -> tuple[list[dict[str, Any]], int]:
    """1-4 lines at the tier discount adding up to about `size` fen."""
    count = rng.randint(1, min(4, len(products)))
    chosen = rng.sample(products, count)
    out = []
    total = 0
    for line_no, product in enumerate(chosen, start=1):
        unit = max(product["list_price_amount"] * (10_000 - discount) // 10_000, 1)
        quantity = max(1, (size // count) // unit)
        amount = unit * quantity
        total += amount
        out.append(
            {
                "line_no": line_no,
                "product": product["id"],
                "sku": product["sku"],
                "name_zh": product["name_zh"],
                "name_en": product["name_en"],
                "unit": product["unit"],
                "quantity": quantity,
                "shipped_quantity": quantity,
                "list_price_amount": product["list_price_amount"],
                "unit_price_amount": unit,
                "line_amount": amount,
                "price_rule": PriceRule.TIER_DISCOUNT if discount else PriceRule.LIST,
                "tier_code": tier,
                "price_discount_bp": discount,
            }
        )
    return out, total
