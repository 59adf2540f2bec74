"""The vendor's 360° view of one partner: what every domain knows of it, on its console page.

The page itself (`partners:show`, /console/partners/{id}) belongs to the partners domain, which
is a low layer and may not read orders, support or performance. This module sits at the console
layer and fills `portal.lib.hooks.partner_overview` (wired in `portal.worker.wire()`), so the
partner page gets every section from one call. Each section is read through its own domain's
services and the reader's scope (a channel manager's figures are those of their own partners:
the page has already answered 404 for any other). A fixed number of queries whatever the number
of orders, cases or customers: lists are limited, figures are aggregates.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import msgspec

from portal.auth.schemas import CurrentUser
from portal.communications.campaigns.reads import campaign_figures
from portal.communications.feedback.results import feedback_figures
from portal.communications.figures import CampaignFigures, FeedbackFigures
from portal.core import audit
from portal.customers.figures import CustomerActivity, activity_figures
from portal.finance.reads import account_summary
from portal.lib import charts, clock
from portal.lib.i18n import format_money
from portal.lib.i18n import gettext as _
from portal.orders import services as order_services
from portal.orders.constants import OPEN_STATUSES
from portal.orders.schemas import OrderFilters
from portal.performance import rollups, views
from portal.performance.periods import Period, last_complete_month
from portal.support import services as support_services
from portal.support.schemas import CaseFilters

RECENT = 5  # orders and cases listed on the page; the section links to the full list
ACTIVITY_DAYS = 30  # customer and contact activity
ENGAGEMENT_DAYS = 90  # campaigns and surveys
TREND_MONTHS = 12


async def _score(partner_id: int, period: Period) -> dict[str, Any]:
    """Score and rank on the last closed month's leaderboard and the month before (boards
    built at most once a minute per process: the leaderboard's own cache)."""
    board, before = await asyncio.gather(
        views.board_for(period, cached=True), views.board_for(period.previous, cached=True)
    )
    row, previous = board.row(partner_id), before.row(partner_id)
    if row is None:  # suspended, or joined since the cached board was built
        return {"period": period, "score": None, "rank": None, "total": board.total,
                "change": None, "revenue": None}  # fmt: skip
    return {
        "period": period,
        "score": row.score,
        "rank": row.rank,
        "total": board.total,
        "change": row.score - previous.score if previous is not None else None,
        "revenue": int(row.figures.get("revenue") or 0),
    }


async def _trend(partner_id: int, period: Period) -> dict[str, Any]:
    """Revenue of the last TREND_MONTHS closed months, as a sparkline."""
    months = period.trend(TREND_MONTHS)
    series = (await rollups.monthly_series([partner_id], months[0].start, months[-1].end)).get(
        partner_id, {}
    )
    values = [sum(series.get(m, (0, 0))[0] for m in p.months) for p in months]
    title = _(
        "Revenue per month, %(first)s to %(last)s: %(values)s",
        first=months[0].label(),
        last=months[-1].label(),
        values=", ".join(format_money(v) for v in values),
    )
    return {
        "chart": charts.sparkline(values, title=title),
        "first": months[0],
        "last": months[-1],
        "values": values,
    }


async def _orders(user: CurrentUser, partner_id: int) -> dict[str, Any]:
    open_filters = OrderFilters(
        partner_id=partner_id, status=",".join(sorted(OPEN_STATUSES)), per_page=1
    )
    (_open_rows, open_count), (recent, total) = await asyncio.gather(
        order_services.list_orders(user, open_filters),
        order_services.list_orders(user, OrderFilters(partner_id=partner_id, per_page=RECENT)),
    )
    return {
        "open_count": open_count,
        "open_status": open_filters.status,
        "recent": recent,
        "total": total,
    }


async def _cases(user: CurrentUser, partner_id: int) -> dict[str, Any]:
    (rows, open_count), (_breached_rows, breached) = await asyncio.gather(
        support_services.list_cases(
            user, CaseFilters(partner_id=partner_id, per_page=RECENT), names={}
        ),
        support_services.list_cases(
            user, CaseFilters(partner_id=partner_id, sla="breached", per_page=1), names={}
        ),
    )
    return {"rows": rows, "open_count": open_count, "breached": breached}


async def _notes_changed(partner_id: int) -> dict[str, Any] | None:
    rows, _total = await audit.list_entries(
        audit.AuditFilters(action="partner.notes_change", partner_id=partner_id, per_page=1),
        with_total=False,
    )
    return rows[0] if rows else None


async def partner_overview(user: CurrentUser, partner: dict[str, Any]) -> dict[str, Any]:
    """Every section of the 360° page for a partner `user` may see (the caller checked it)."""
    partner_id = int(partner["id"])
    today = clock.today()
    period = last_complete_month(today)
    activity_start = today - dt.timedelta(days=ACTIVITY_DAYS - 1)
    engagement_start = today - dt.timedelta(days=ENGAGEMENT_DAYS - 1)
    end = today + dt.timedelta(days=1)
    # independent reads side by side (each takes its own pooled connection)
    (
        (score, trend, orders, credit, cases),
        (activity, campaigns, feedback, notes),
    ) = await asyncio.gather(
        asyncio.gather(
            _score(partner_id, period),
            _trend(partner_id, period),
            _orders(user, partner_id),
            account_summary(partner_id),
            _cases(user, partner_id),
        ),
        asyncio.gather(
            activity_figures([partner_id], activity_start, end),
            campaign_figures([partner_id], engagement_start, end),
            feedback_figures([partner_id], engagement_start, end),
            _notes_changed(partner_id),
        ),
    )
    limit, exposure = credit.credit_limit_amount, credit.exposure_amount
    share = exposure / limit if limit > 0 else None
    return {
        "score": score,
        "trend": trend,
        "orders": orders,
        "credit": {
            **msgspec.structs.asdict(credit),
            "share": share,
            "bar": charts.progress_bar(share, label=_("Credit used")),
            "over": limit > 0 and exposure > limit,
        },
        "cases": cases,
        "activity": activity.get(partner_id, CustomerActivity()),
        "activity_days": ACTIVITY_DAYS,
        "activity_since": activity_start,
        "campaigns": campaigns.get(partner_id, CampaignFigures()),
        "feedback": feedback.get(partner_id, FeedbackFigures()),
        "engagement_days": ENGAGEMENT_DAYS,
        "notes_changed": notes,
    }
