"""Deal reads (list, detail, pipeline figures, home cards) and the verbs, re-exported.

The verbs live in registration.py (save, submit) and review.py (the vendor's review and the
partner's later steps); the protection job in protection.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_skeleton
from piccolo.query.functions.aggregate import Count, Sum

from portal.auth.constants import Permission
from portal.auth.schemas import CurrentUser
from portal.deals.access import DEAL_COLUMNS, deal_scope, get_deal_for_user
from portal.deals.attachments import list_attachments
from portal.deals.conflicts import conflict_message, conflicting_deals
from portal.deals.constants import OPEN, REMINDER_DAYS, STATUS_LABELS, STATUS_TONES, DealStatus
from portal.deals.queries import pipeline_by_product_line
from portal.deals.registration import NotAllowed, parse_lines, save_deal, submit_deal
from portal.deals.review import (
    approve_deal,
    decline_deal,
    grant_extension,
    lose_deal,
    request_extension,
    request_info,
    set_stage,
    win_deal,
)
from portal.deals.schemas import DealFilters
from portal.deals.tables import Deal, DealEvent, DealLine, DealOrder
from portal.lib.cards import Card
from portal.lib.clock import today
from portal.lib.i18n import current_locale
from portal.lib.i18n import gettext as _
from portal.orders.constants import STATUS_LABELS as ORDER_STATUS_LABELS
from portal.orders.constants import OrderStatus
from portal.orders.deal_prices import orders_against_deal
from portal.partners.constants import province_name
from portal.tenancy import vendor_partner_ids

__all__ = [
    "NotAllowed",
    "approve_deal",
    "board",
    "conflict_message",
    "deal_detail",
    "decline_deal",
    "get_deal_for_user",
    "grant_extension",
    "home_cards",
    "lines_of",
    "list_deals",
    "lose_deal",
    "parse_lines",
    "pipeline_figures",
    "request_extension",
    "request_info",
    "save_deal",
    "set_stage",
    "submit_deal",
    "win_deal",
]


def month_name(key: str) -> str:
    """'2027-03' -> 'March 2027' / '2027年3月'; '' -> 'No close date'."""
    if not key:
        return _("No close date")
    first = dt.date(int(key[:4]), int(key[5:7]), 1)
    return str(format_skeleton("yMMMM", first, locale=current_locale.get()))


def order_status_label(status: str) -> str:
    label = ORDER_STATUS_LABELS.get(OrderStatus(status)) if status in set(OrderStatus) else None
    return _(label) if label else status


def search_pattern(q: str) -> str:
    """The LIKE pattern of the pipeline's search box ("" when empty): project, customer, number."""
    term = q.strip()[:100].replace("%", "").replace("_", "")
    return f"%{term}%" if term else ""


def _where(user: CurrentUser, filters: DealFilters) -> list[Any]:
    where: list[Any] = [deal_scope(user)]
    if filters.status == "open":
        where.append(Deal.status.is_in(list(OPEN)))
    elif filters.status in set(DealStatus):
        where.append(Deal.status == filters.status)
    if filters.stage:
        where.append(Deal.stage == filters.stage)
    if filters.partner_id is not None:
        where.append(Deal.partner == filters.partner_id)
    if filters.expiring:
        where.append(
            (Deal.status == DealStatus.APPROVED)
            & (Deal.protection_until <= today() + dt.timedelta(days=REMINDER_DAYS[0]))
        )
    pattern = search_pattern(filters.q)
    if pattern:
        where.append(
            Deal.name.ilike(pattern)
            | Deal.customer_name.ilike(pattern)
            | Deal.number.ilike(pattern)
        )
    return where


async def list_deals(user: CurrentUser, filters: DealFilters) -> tuple[list[dict[str, Any]], int]:
    """One page of the deals `user` may see, newest first, and how many match."""
    where = _where(user, filters)
    total = await Deal.count().where(*where)
    rows = await (
        Deal.select(*DEAL_COLUMNS)
        .where(*where)
        .order_by(Deal.id, ascending=False)
        .limit(filters.per_page)
        .offset((max(filters.page, 1) - 1) * filters.per_page)
    )
    return rows, int(total)


async def deal_detail(user: CurrentUser, deal_id: int) -> dict[str, Any]:
    """The deal, its lines, timeline, orders and files; for vendor staff also the conflicting
    deals of other partners. NotFound outside the wall."""
    deal = await get_deal_for_user(user, deal_id)
    lines = await (
        DealLine.select(
            *DealLine.all_columns(),
            DealLine.product.name_zh,
            DealLine.product.name_en,
            DealLine.product.list_price_amount,
        )
        .where(DealLine.deal == deal_id)
        .order_by(DealLine.id)
    )
    events = await DealEvent.select().where(DealEvent.deal == deal_id).order_by(DealEvent.id)
    orders = await deal_orders(deal_id)
    conflicts: list[dict[str, Any]] = []
    if user.is_vendor and deal["status"] not in (DealStatus.WON, DealStatus.LOST):
        conflicts = await conflicting_deals(deal, [int(line["product"]) for line in lines])
    return {
        "deal": deal,
        "lines": lines,
        "events": events,
        "orders": orders,
        "files": await list_attachments(deal_id),
        "conflicts": conflicts,
        "conflict_text": conflict_message() if deal["conflict"] else "",
    }


async def deal_orders(deal_id: int) -> list[dict[str, Any]]:
    """The orders of a deal: those placed against it (with its prices) and those linked when it
    was won, oldest first; each with number, status, total and whether it won the deal."""
    linked = await DealOrder.select(
        DealOrder.order,
        DealOrder.order.number,
        DealOrder.order.status,
        DealOrder.order.total_amount,
        DealOrder.order.currency,
    ).where(DealOrder.deal == deal_id)
    out: dict[int, dict[str, Any]] = {
        int(r["order"]): {**r, "won": True, "placed": False} for r in linked
    }
    for r in await orders_against_deal(deal_id):
        row = out.setdefault(
            int(r["id"]),
            {
                "order": r["id"],
                "order.number": r["number"],
                "order.status": r["status"],
                "order.total_amount": r["total_amount"],
                "order.currency": r["currency"],
                "won": False,
            },
        )
        row["placed"] = True
    for row in out.values():
        row["status_label"] = order_status_label(str(row["order.status"]))
    return [out[k] for k in sorted(out)]


async def pipeline_figures(user: CurrentUser, filters: DealFilters) -> dict[str, Any]:
    """Totals (count, estimated amount) by status and stage, by partner, and the win rate
    (won / (won + lost)) of the deals `user` may see; the open pipeline also by region (the
    partner's province), expected close month and product line (registered value at list
    prices). Grouped statements only, whatever the number of deals."""
    where = _where(user, DealFilters(partner_id=filters.partner_id, q=filters.q))
    # One row per partner, status and stage (a few hundred at most), folded here into the totals
    # by stage, by partner and (the open pipeline) by region: one pass over the deals, which the
    # deal_pipeline index answers on its own.
    grouped = await (
        Deal.select(
            Deal.partner,
            Deal.partner.name.as_alias("partner_name"),
            Deal.partner.province.as_alias("province"),
            Deal.status,
            Deal.stage,
            Count(Deal.id, alias="n"),
            Sum(Deal.estimated_amount, alias="amount"),
        )
        .where(*where)
        .group_by(Deal.partner, Deal.partner.name, Deal.partner.province, Deal.status, Deal.stage)
    )
    live = [DealStatus.SUBMITTED, DealStatus.INFO_REQUESTED, DealStatus.APPROVED]
    if not user.is_vendor:
        live.insert(0, DealStatus.DRAFT)
    stages: dict[str, dict[str, int]] = {}
    partners: dict[int, dict[str, Any]] = {}
    regions: dict[Any, dict[str, int]] = {}
    for r in grouped:
        n, amount = int(r["n"]), int(r["amount"] or 0)
        key = r["stage"] if r["status"] in OPEN else r["status"]
        slot = stages.setdefault(key, {"n": 0, "amount": 0})
        slot["n"] += n
        slot["amount"] += amount
        p = partners.setdefault(
            int(r["partner"]),
            {"name": r["partner_name"], "open": 0, "amount": 0, "won": 0, "lost": 0},
        )
        if r["status"] in OPEN:
            p["open"] += n
            p["amount"] += amount
        elif r["status"] in (DealStatus.WON, DealStatus.LOST):
            p[str(r["status"])] += n
        if r["status"] in live:
            region = regions.setdefault(r["province"], {"n": 0, "amount": 0})
            region["n"] += n
            region["amount"] += amount
    for p in partners.values():
        decided = p["won"] + p["lost"]
        p["win_rate"] = (p["won"] / decided) if decided else None
    won = stages.get(DealStatus.WON, {}).get("n", 0)
    lost = stages.get(DealStatus.LOST, {}).get("n", 0)
    open_where = [*where, Deal.status.is_in(live)]
    # One row per expected close date (a few hundred at most), folded into months here.
    by_day = await (
        Deal.select(
            Deal.expected_close_on,
            Count(Deal.id, alias="n"),
            Sum(Deal.estimated_amount, alias="amount"),
        )
        .where(*open_where)
        .group_by(Deal.expected_close_on)
    )
    months: dict[str, dict[str, Any]] = {}
    for r in by_day:
        day = r["expected_close_on"]
        key = f"{day:%Y-%m}" if isinstance(day, dt.date) else (str(day)[:7] if day else "")
        slot = months.setdefault(key, {"month": key, "n": 0, "amount": 0})
        slot["n"] += int(r["n"])
        slot["amount"] += int(r["amount"] or 0)
    locale = current_locale.get()
    lines = await pipeline_by_product_line(
        [str(s) for s in live],
        await vendor_partner_ids(user) if user.is_vendor else [user.partner_id or 0],
        filters.partner_id,
        search_pattern(filters.q),
    )
    return {
        "stages": stages,
        "partners": sorted(partners.values(), key=lambda p: -p["amount"]),
        "regions": sorted(
            (
                {"name": province_name(str(province or ""), locale), **totals}
                for province, totals in regions.items()
            ),
            key=lambda r: -r["amount"],
        ),
        "months": [
            {**months[k], "name": month_name(k)} for k in sorted(months, key=lambda k: k or "9999")
        ],
        "product_lines": [
            {
                "name": (
                    r["name_zh"] if locale.startswith("zh") else (r["name_en"] or r["name_zh"])
                )
                if r["category_id"] is not None
                else _("No product line"),
                "n": int(r["n"]),
                "amount": int(r["amount"] or 0),
            }
            for r in lines
        ],
        "win_rate": (won / (won + lost)) if won + lost else None,
        "pending": sum(int(r["n"]) for r in grouped if r["status"] == DealStatus.SUBMITTED),
    }


async def board(user: CurrentUser, filters: DealFilters) -> dict[str, list[dict[str, Any]]]:
    """The deals by board column: open ones by stage, then won and lost (at most 100 each)."""
    rows, _total = await list_deals(
        user, DealFilters(q=filters.q, stage=filters.stage, page=1, per_page=500)
    )
    columns: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["status"] in (DealStatus.WON, DealStatus.LOST):
            key = row["status"]
        elif row["status"] in OPEN:
            key = row["stage"]
        else:
            continue
        columns.setdefault(key, [])
        if len(columns[key]) < 100:
            columns[key].append(row)
    return columns


async def home_cards(user: CurrentUser) -> list[Card]:
    """Partner sales users: protected deals ending within 14 days, deals waiting for them.
    Vendor staff: registrations waiting for a review."""
    if user.has(Permission.SALES):
        soon = today() + dt.timedelta(days=REMINDER_DAYS[0])
        expiring = await Deal.count().where(
            deal_scope(user),
            (Deal.status == DealStatus.APPROVED) & (Deal.protection_until <= soon),
        )
        asked = await Deal.count().where(deal_scope(user), Deal.status == DealStatus.INFO_REQUESTED)
        return [
            Card(
                title=_("Deal registrations"),
                items=[
                    (_("Protection ends within 14 days"), str(expiring), "/deals?expiring=1"),
                    (_("Information requested"), str(asked), "/deals?status=info_requested"),
                ],
                link="/deals/new",
                link_label=_("Register a deal"),
                tone="attention" if expiring or asked else "ok",
            )
        ]
    if user.is_vendor:
        pending = await Deal.count().where(deal_scope(user), Deal.status == DealStatus.SUBMITTED)
        return [
            Card(
                title=_("Deal registrations"),
                items=[(_("Waiting for review"), str(pending), "/console/deals?status=submitted")],
                link="/console/deals",
                link_label=_("Pipeline"),
                tone="attention" if pending else "ok",
            )
        ]
    return []


async def deals_for_customer(user: CurrentUser, customer_id: int) -> list[dict[str, Any]]:
    """The customer's deals `user` may see (at most 20, newest first) with status_label: the
    customer 360° page, through portal.lib.hooks.customer_deals."""
    rows = await (
        Deal.select(
            Deal.id,
            Deal.number,
            Deal.name,
            Deal.status,
            Deal.stage,
            Deal.estimated_amount,
            Deal.currency,
            Deal.protection_until,
            Deal.expected_close_on,
        )
        .where(deal_scope(user) & (Deal.customer == customer_id))
        .order_by(Deal.id, ascending=False)
        .limit(20)
    )
    for row in rows:
        row["status_label"] = _(STATUS_LABELS[DealStatus(row["status"])])
        row["status_tone"] = STATUS_TONES[DealStatus(row["status"])]
    return rows


async def lines_of(deal_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The lines of several deals (one query), by deal id."""
    out: dict[int, list[dict[str, Any]]] = {}
    if not deal_ids:
        return out
    rows = await DealLine.select().where(DealLine.deal.is_in(deal_ids)).order_by(DealLine.id)
    for row in rows:
        out.setdefault(int(row["deal"]), []).append(row)
    return out
