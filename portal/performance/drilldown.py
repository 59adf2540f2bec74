"""Drill-downs: every scorecard figure opens the rows it counts (issue 12, point 11).

A figure links to its domain's list filtered to the partner and the days the figure covers
when that list exists for the reader (the console orders list; a buyer's own orders list), and
otherwise to the performance drill-down page, whose rows come from the domain that computed
the figure, with the same conditions, so the count on the scorecard is the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.communications.figure_rows import campaign_rows, feedback_rows
from portal.customers.access import visible_customer_ids
from portal.customers.constants import CHANNEL_LABELS
from portal.customers.figures import activity_rows
from portal.deals.access import lead_number
from portal.deals.constants import STAGE_LABELS, STATUS_LABELS, DealStatus, Stage
from portal.deals.figures import deal_rows
from portal.deals.lead_rules import offer_rows
from portal.finance.figures import rebate_rows, receivable_rows
from portal.lib.i18n import N_, current_locale, format_date, format_money
from portal.lib.i18n import gettext as _
from portal.orders.schemas import OrderFilters
from portal.orders.services import list_orders
from portal.performance.periods import Period, Window
from portal.performance.rollups import REVENUE_STATUSES
from portal.support.figures import case_rows

ORDER_METRICS = (
    "revenue",
    "growth_previous",
    "growth_last_year",
    "attainment",
    "order_count",
    "average_order",
)


@dataclass(frozen=True)
class FigureRow:
    """One row behind a figure. `counted`: for a rate, whether the row is in its numerator."""

    on: dt.date | dt.datetime | None
    title: str
    link: str = ""
    detail: str = ""
    amount: int | None = None
    counted: bool | None = None
    score: int | None = None  # a rating (CSAT 1-5, NPS 0-10): the figure is their average


@dataclass(frozen=True)
class Drill:
    """How a metric's rows are listed: what one row is, and what a counted row means."""

    rows: Callable[[CurrentUser, int, Window], Awaitable[list[FigureRow]]]
    noun: str  # English msgid: what the rows are
    counted: str = ""  # English msgid: the numerator of a rate ('' for a count)


def _orders_query(partner_id: int, window: Window) -> dict[str, str]:
    return {
        "status": ",".join(s.value for s in REVENUE_STATUSES),
        "partner_id": str(partner_id),
        "approved_from": window.start.isoformat(),
        "approved_until": (window.end - dt.timedelta(days=1)).isoformat(),
    }


def console_orders_link(partner_id: int, window: Window) -> str:
    """The console orders list behind an orders figure: the partner's approved-and-later
    orders approved within the days the figure covers."""
    return "/console/orders/?" + urlencode(_orders_query(partner_id, window), safe=",")


def own_orders_link(partner_id: int, window: Window) -> str:
    """The same orders on the partner's own orders list (buyers only)."""
    query = _orders_query(partner_id, window)
    del query["partner_id"]  # always the reader's own partner there
    return "/orders/?" + urlencode(query, safe=",")


async def order_rows(user: CurrentUser, partner_id: int, window: Window) -> list[FigureRow]:
    """The orders an orders figure counts (through the orders service, in the user's scope)."""
    filters = dict(
        status=",".join(s.value for s in REVENUE_STATUSES),
        partner_id=partner_id,
        approved_from=window.start,
        approved_until=window.end - dt.timedelta(days=1),
        per_page=200,
    )
    out: list[FigureRow] = []
    number = 1
    while True:
        rows, total = await list_orders(user, OrderFilters(page=number, **filters))  # type: ignore[arg-type]
        can_open = user.is_vendor or user.allowed(Access.PARTNER_PURCHASING)
        for r in rows:
            link = ""
            if can_open:
                link = f"/console/orders/{r['id']}" if user.is_vendor else f"/orders/{r['id']}"
            out.append(
                FigureRow(
                    on=r["submitted_at"],
                    title=r["number"],
                    link=link,
                    detail=r.get("end_customer_name") or "",
                    amount=int(r["total_amount"]),
                )
            )
        if number * 200 >= total or not rows:
            return out
        number += 1


def _moment(value: Any) -> dt.date | dt.datetime | None:
    """A raw query's timestamp or date (SQLite answers text)."""
    if isinstance(value, str):
        parsed = dt.datetime.fromisoformat(value)
        return parsed if ("T" in value or " " in value) else parsed.date()
    return value  # type: ignore[no-any-return]


def _customer_rows(what: str) -> Callable[[CurrentUser, int, Window], Awaitable[list[FigureRow]]]:
    async def rows(user: CurrentUser, partner_id: int, window: Window) -> list[FigureRow]:
        found = await activity_rows(partner_id, window.start, window.end, what)
        visible = await visible_customer_ids(
            user, [int(r["customer"]) for r in found if r.get("customer")]
        )
        out = []
        for r in found:
            customer = int(r["customer"]) if r.get("customer") else None
            seen = customer in visible
            channel = {k.value: v for k, v in CHANNEL_LABELS.items()}.get(r.get("channel") or "")
            detail = " · ".join(x for x in (_(channel) if channel else "", r.get("user_name")) if x)
            out.append(
                FigureRow(
                    on=_moment(r.get("at")),
                    # a customer the reader may not see (not shared with the vendor, or owned by
                    # a colleague) is counted but not named
                    title=r["name"] if seen else _("A customer not visible to you"),
                    link=f"/customers/{customer}" if seen and user.is_partner else "",
                    detail=detail,
                    counted=bool(r["on_time"]) if "on_time" in r else None,
                )
            )
        return out

    return rows


def _case_rows(what: str) -> Callable[[CurrentUser, int, Window], Awaitable[list[FigureRow]]]:
    async def rows(user: CurrentUser, partner_id: int, window: Window) -> list[FigureRow]:
        out = []
        for r in await case_rows(partner_id, window.start, window.end, what):
            link = f"/console/cases/{r['id']}" if user.is_vendor else f"/cases/{r['id']}"
            csat = r["csat"]
            out.append(
                FigureRow(
                    on=_moment(r["created_at"]),
                    title=f"{r['number']} · {r['subject']}",
                    link=link,
                    detail=_("Satisfaction %(score)s of 5", score=csat) if csat is not None else "",
                    counted=bool(int(r["met"] or 0)) if what == "sla" else None,
                    score=int(csat) if csat is not None else None,
                )
            )
        return out

    return rows


def _title(row: dict[str, Any]) -> str:
    zh = current_locale.get().startswith("zh")
    return (row["title_zh"] if zh else row["title_en"]) or row["title_zh"] or ""


def _communication_rows(
    what: str,
) -> Callable[[CurrentUser, int, Window], Awaitable[list[FigureRow]]]:
    async def rows(user: CurrentUser, partner_id: int, window: Window) -> list[FigureRow]:
        if what in ("received", "downloads"):
            found = await campaign_rows(partner_id, window.start, window.end, what)
        else:
            found = await feedback_rows(partner_id, window.start, window.end, what)
        out = []
        for r in found:
            if "campaign_id" in r:
                cid = r["campaign_id"]
                link = f"/console/campaigns/{cid}" if user.is_vendor else f"/campaigns/{cid}"
            else:
                rid = r["request_id"]
                link = f"/console/feedback/{rid}/results" if user.is_vendor else f"/feedback/{rid}"
            detail = " · ".join(x for x in (r.get("filename"), r.get("user_name")) if x)
            out.append(
                FigureRow(
                    on=_moment(r["at"]),
                    title=_title(r),
                    link=link,
                    detail=detail,
                    counted=r.get("counted"),
                    score=int(r["score"]) if r.get("score") is not None else None,
                )
            )
        return out

    return rows


def _lead_rows(what: str) -> Callable[[CurrentUser, int, Window], Awaitable[list[FigureRow]]]:
    async def rows(user: CurrentUser, partner_id: int, window: Window) -> list[FigureRow]:
        out = []
        for r in await offer_rows(partner_id, window.start, window.end):
            accepted = r["outcome"] == "accepted"
            if (what == "answered" and not r["outcome"]) or (what == "accepted" and not accepted):
                continue
            if user.is_vendor:
                link = f"/console/leads/{r['id']}"
            else:  # a partner sees the leads it took, not those it passed on
                link = f"/leads/{r['id']}" if accepted else ""
            minutes = r["minutes"]
            out.append(
                FigureRow(
                    on=_moment(r["offered_at"]),
                    title=f"{lead_number(r)} · {r['company']}",
                    link=link,
                    detail=(
                        _("answered after %(hours)s working hours", hours=round(minutes / 60, 1))
                        if minutes is not None
                        else ""
                    ),
                    counted=accepted if what == "answered" else None,
                )
            )
        return out

    return rows


def _deal_label(row: dict[str, Any]) -> str:
    status = str(row["status"])
    if status in (DealStatus.APPROVED, DealStatus.EXPIRED) and row["stage"] in set(Stage):
        label = STAGE_LABELS[Stage(row["stage"])]
    else:
        label = (
            STATUS_LABELS.get(DealStatus(status), status) if status in set(DealStatus) else status
        )
    return _(label)


def _deal_rows(what: str) -> Callable[[CurrentUser, int, Window], Awaitable[list[FigureRow]]]:
    async def rows(user: CurrentUser, partner_id: int, window: Window) -> list[FigureRow]:
        out = []
        for r in await deal_rows(user, partner_id, window.start, window.end, what):
            if user.is_vendor:
                link = f"/console/deals/{r['id']}"
            else:  # the deal pages are the sellers' (a buyer counts them, cannot open them)
                link = f"/deals/{r['id']}" if user.allowed(Access.PARTNER_SALES) else ""
            until = ""
            if what == "pipeline" and r["protection_until"]:
                until = _(
                    "protected until %(day)s", day=format_date(_moment(r["protection_until"]))
                )
            out.append(
                FigureRow(
                    on=_moment(r["at"]),
                    title=f"{r['number']} · {r['name']}",
                    link=link,
                    detail=" · ".join(x for x in (r["customer_name"], _deal_label(r), until) if x),
                    amount=int(r["estimated_amount"] or 0),
                    counted=r["status"] == DealStatus.WON if what == "closed" else None,
                )
            )
        return out

    return rows


def _account_link(user: CurrentUser, partner_id: int) -> str:
    """Where a receivable or a rebate is seen: the partner's account in the console, the money
    page for a partner's buyers (others count them, cannot open them)."""
    if user.is_vendor:
        return f"/console/finance/partners/{partner_id}"
    return "/money" if user.allowed(Access.PARTNER_PURCHASING) else ""


def _receivable_rows(
    what: str,
) -> Callable[[CurrentUser, int, Window], Awaitable[list[FigureRow]]]:
    async def rows(user: CurrentUser, partner_id: int, window: Window) -> list[FigureRow]:
        link = _account_link(user, partner_id)
        out = []
        for r in await receivable_rows(user, partner_id, window.start, window.end, what):
            due = _("due %(day)s", day=format_date(r["due_on"]))
            if what == "overdue":
                detail, amount = due, r["open_amount"]
            else:  # both terms: billed in the days, and owed at their end
                owed = _("owed at the end: %(amount)s", amount=format_money(r["open_amount"]))
                detail, amount = f"{due} · {owed}", int(r["amount"])
            number = r["invoice_number"]
            out.append(
                FigureRow(
                    on=r["issued_on"],
                    title=f"{r['order_number']} · {number}" if number else r["order_number"],
                    link=link,
                    detail=detail,
                    amount=amount,
                    counted=bool(r["issued_in"]) if what == "outstanding" else None,
                )
            )
        return out

    return rows


async def _rebate_rows(user: CurrentUser, partner_id: int, window: Window) -> list[FigureRow]:
    out = []
    for r in await rebate_rows(user, partner_id, window.start, window.end):
        if user.is_vendor:
            link = f"/console/finance/rebates/{r['programme']}"
        else:
            link = _account_link(user, partner_id)
        out.append(
            FigureRow(
                on=_moment(r["at"]),
                title=f"{r['programme_name']} · {r['programme_period']}",
                link=link,
                detail=_(
                    "base %(base)s, earned so far %(earned)s",
                    base=format_money(int(r["base_amount"])),
                    earned=format_money(int(r["earned_amount"])),
                ),
                amount=int(r["earned_delta_amount"]),
            )
        )
    return out


DRILLS: dict[str, Drill] = {
    **{key: Drill(order_rows, N_("Orders approved")) for key in ORDER_METRICS},
    "customers_active": Drill(_customer_rows("active"), N_("Customers with a contact or order")),
    "customers_new": Drill(_customer_rows("new"), N_("New customers")),
    "interactions": Drill(_customer_rows("interactions"), N_("Contacts logged")),
    "interactions_per_user": Drill(_customer_rows("interactions"), N_("Contacts logged")),
    "followup_on_time": Drill(
        _customer_rows("followups"), N_("Follow-ups due"), N_("done on time")
    ),
    "cases_opened": Drill(_case_rows("opened"), N_("Support cases opened")),
    "sla_met_rate": Drill(
        _case_rows("sla"), N_("Cases resolved or overdue"), N_("resolved within SLA")
    ),
    "case_csat": Drill(_case_rows("csat"), N_("Cases rated")),
    "campaign_open_rate": Drill(
        _communication_rows("received"), N_("Campaigns received"), N_("opened")
    ),
    "files_downloaded": Drill(_communication_rows("downloads"), N_("Files downloaded")),
    "feedback_response_rate": Drill(
        _communication_rows("requests"), N_("Feedback requests received"), N_("answered")
    ),
    "nps": Drill(_communication_rows("nps"), N_("Recommendation scores given")),
    "lead_acceptance_rate": Drill(_lead_rows("answered"), N_("Leads answered"), N_("accepted")),
    "lead_accept_hours": Drill(_lead_rows("accepted"), N_("Leads accepted")),
    "deals_registered": Drill(_deal_rows("registered"), N_("Deals registered")),
    "deals_approved": Drill(_deal_rows("approved"), N_("Deals approved")),
    "deals_won": Drill(_deal_rows("won"), N_("Deals won")),
    "deal_win_rate": Drill(_deal_rows("closed"), N_("Deals won or lost"), N_("won")),
    "pipeline_value": Drill(_deal_rows("pipeline"), N_("Deals protected on the last day")),
    "days_sales_outstanding": Drill(
        _receivable_rows("outstanding"),
        N_("Receivables billed in the period or owed at its end"),
        N_("billed in the period"),
    ),
    "overdue_amount": Drill(_receivable_rows("overdue"), N_("Receivables overdue on the last day")),
    "rebate_earned": Drill(_rebate_rows, N_("Rebate accruals")),
}


def figure_link(user: CurrentUser, partner_id: int, key: str, period: Period) -> str:
    """The performance drill-down page of one figure."""
    query = urlencode({"period": period.code, "kind": period.kind.value})
    if user.is_vendor:
        return f"/console/performance/partners/{partner_id}/figures/{key}?{query}"
    return f"/performance/figures/{key}?{query}"


def links(user: CurrentUser, partner_id: int, period: Period, window: Window) -> dict[str, str]:
    """{metric key: where its figure drills down to} for this reader."""
    out: dict[str, str] = {}
    for key in DRILLS:
        if key in ORDER_METRICS and user.is_vendor:
            out[key] = console_orders_link(partner_id, window)
        elif key in ORDER_METRICS and user.allowed(Access.PARTNER_PURCHASING):
            out[key] = own_orders_link(partner_id, window)
        else:
            out[key] = figure_link(user, partner_id, key, period)
    return out


async def rows_for(
    user: CurrentUser, partner_id: int, key: str, window: Window
) -> list[FigureRow] | None:
    """The rows behind one figure; None for a metric without a drill-down."""
    drill = DRILLS.get(key)
    if drill is None:
        return None
    return await drill.rows(user, partner_id, window)


def describe(key: str) -> dict[str, Any]:
    drill = DRILLS[key]
    return {"noun": drill.noun, "counted": drill.counted}
