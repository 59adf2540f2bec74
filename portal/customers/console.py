"""Vendor console: per-partner customer activity (customers, new, contacts per user per week,
follow-up on-time rate, channel mix) for a chosen period. Figures only, no personal data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template

from portal.auth.constants import Access
from portal.customers.constants import CHANNEL_LABELS, Channel
from portal.customers.figures import CustomerActivity, activity_figures
from portal.lib.clock import now
from portal.lib.i18n import N_, to_local
from portal.lib.i18n import gettext as _
from portal.partners.access import partners_in_scope
from portal.web import current_user, page

PERIODS = {
    "30d": N_("Last 30 days"),
    "90d": N_("Last 90 days"),
    "month": N_("This month"),
    "quarter": N_("This quarter"),
    "365d": N_("Last 12 months"),
}
CHANNELS = [c.value for c in Channel]


def period_bounds(
    period: str, today: dt.date, start: str = "", end: str = ""
) -> tuple[dt.date, dt.date, str]:
    """[start, end) of a named period or of a custom from/to (inclusive) pair."""
    if start and end:
        try:
            first = dt.date.fromisoformat(start)
            last = dt.date.fromisoformat(end)
            if first <= last and (last - first).days <= 3660:
                return first, last + dt.timedelta(days=1), "custom"
        except ValueError:
            pass
    tomorrow = today + dt.timedelta(days=1)
    if period == "90d":
        return tomorrow - dt.timedelta(days=90), tomorrow, period
    if period == "365d":
        return tomorrow - dt.timedelta(days=365), tomorrow, period
    if period == "month":
        return today.replace(day=1), tomorrow, period
    if period == "quarter":
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), tomorrow, period
    return tomorrow - dt.timedelta(days=30), tomorrow, "30d"


def row_facts(figures: CustomerActivity, weeks: float) -> dict[str, Any]:
    per_user_week = (
        figures.interactions / figures.active_users / weeks if figures.active_users else None
    )
    total = figures.interactions or 1
    return {
        "figures": figures,
        "per_user_week": per_user_week,
        "on_time": figures.on_time_rate,
        "mix": [
            (
                c,
                figures.interactions_by_channel.get(c, 0),
                figures.interactions_by_channel.get(c, 0) / total,
            )
            for c in CHANNELS
        ],
    }


def mix_bars(mix: list[tuple[str, int, float]], width: int = 160) -> list[dict[str, Any]]:
    """Segments of a stacked bar (x, width) per channel, for a server-made SVG."""
    x = 0.0
    out = []
    for channel, count, share in mix:
        if count:
            w = round(share * width, 1)
            out.append({"channel": channel, "x": round(x, 1), "w": w, "count": count})
            x += w
    return out


class CustomerActivityConsole(Controller):
    """Customer activity per partner (vendor staff; channel managers see their partners)."""

    path = "/console/customers"
    opt = {"access": Access.VENDOR}

    @get("/", name="console_customers:activity")
    async def index(self, request: Request) -> Template:
        user = current_user(request)
        q = request.query_params
        today = to_local(now()).date()
        start, end, period = period_bounds(
            str(q.get("period", "30d")), today, str(q.get("from", "")), str(q.get("to", ""))
        )
        choices = await partners_in_scope(user)
        # one partner's row (the link from its console page); an id outside the scope shows none
        partner_id = str(q.get("partner_id", "")).strip()
        partners = [p for p in choices if str(p["id"]) == partner_id] if partner_id else choices
        figures = await activity_figures([p["id"] for p in partners], start, end)
        weeks = max((end - start).days / 7, 1 / 7)
        rows = []
        totals = CustomerActivity()
        for p in partners:
            f = figures.get(p["id"], CustomerActivity())
            rows.append({**p, **row_facts(f, weeks), "bars": []})
            totals.customers_total += f.customers_total
            totals.customers_new += f.customers_new
            totals.customers_active += f.customers_active
            totals.interactions += f.interactions
            totals.followups_due += f.followups_due
            totals.followups_done_on_time += f.followups_done_on_time
            totals.active_users += f.active_users
            for c, n in f.interactions_by_channel.items():
                totals.interactions_by_channel[c] = totals.interactions_by_channel.get(c, 0) + n
        for row in rows:
            row["bars"] = mix_bars(row["mix"])
        sort = str(q.get("sort", "interactions"))
        keys = {
            "customers": lambda r: r["figures"].customers_total,
            "new": lambda r: r["figures"].customers_new,
            "interactions": lambda r: r["figures"].interactions,
            "on_time": lambda r: r["on_time"] if r["on_time"] is not None else -1,
        }
        rows.sort(key=keys.get(sort, keys["interactions"]), reverse=True)
        overall = row_facts(totals, weeks)
        return page(
            request,
            "console/customers/activity.html",
            rows=rows,
            totals=overall,
            total_bars=mix_bars(overall["mix"], width=600),
            channel_labels={c.value: _(label) for c, label in CHANNEL_LABELS.items()},
            periods=[(k, _(v)) for k, v in PERIODS.items()],
            period=period,
            start=start,
            last_day=end - dt.timedelta(days=1),
            partner_choices=choices,
            params={
                "period": period,
                "sort": sort,
                "from": str(q.get("from", "")),
                "to": str(q.get("to", "")),
                "partner_id": partner_id,
            },
            values={
                "from": str(q.get("from", "")) or start.isoformat(),
                "to": str(q.get("to", "")) or (end - dt.timedelta(days=1)).isoformat(),
                "partner_id": partner_id,
            },
        )


PAGES = [CustomerActivityConsole]
