"""Figures from the other domains (customers, communications, support, leads, deals,
finance).

Performance sits above every domain, so each source is the domain's figure function itself and
how its result maps onto metric keys; adding a source is one entry here and metrics in
metrics.py. A source that fails is left out of that scorecard (its metrics absent, never faked).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from portal.communications.campaigns.reads import campaign_figures
from portal.communications.feedback.results import feedback_figures
from portal.customers.figures import activity_figures
from portal.deals.figures import deal_figures
from portal.deals.lead_rules import lead_figures
from portal.finance.figures import finance_figures
from portal.performance.metrics import Figures, ratio
from portal.support.figures import case_figures

log = logging.getLogger("portal.performance")


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def _customers(f: Any) -> Figures:
    active_users = _get(f, "active_users") or 0
    interactions = _get(f, "interactions") or 0
    return {
        "customers_active": _get(f, "customers_active"),
        "customers_new": _get(f, "customers_new"),
        "interactions": interactions,
        "interactions_per_user": round(interactions / active_users, 1) if active_users else None,
        "followup_on_time": ratio(_get(f, "followups_done_on_time"), _get(f, "followups_due")),
    }


def _campaigns(f: Any) -> Figures:
    return {
        "campaign_open_rate": ratio(_get(f, "campaigns_opened"), _get(f, "campaigns_received")),
        "files_downloaded": _get(f, "files_downloaded"),
    }


def _feedback(f: Any) -> Figures:
    return {
        "feedback_response_rate": ratio(_get(f, "requests_answered"), _get(f, "requests_received")),
        "nps": _get(f, "nps"),
    }


def _cases(f: Any) -> Figures:
    met, breached = _get(f, "sla_met") or 0, _get(f, "sla_breached") or 0
    csat = _get(f, "csat_avg_x100")
    return {
        "cases_opened": _get(f, "cases_opened"),
        "sla_met_rate": ratio(met, met + breached),
        "case_csat": None if csat is None else csat / 100,
    }


def _leads(f: Any) -> Figures:
    minutes = _get(f, "median_minutes")
    return {
        "lead_acceptance_rate": _get(f, "acceptance_rate"),
        "lead_accept_hours": None if minutes is None else round(minutes / 60, 1),
    }


def _deals(f: Any) -> Figures:
    won, lost = _get(f, "won") or 0, _get(f, "lost") or 0
    return {
        "deals_registered": _get(f, "registered"),
        "deals_approved": _get(f, "approved"),
        "deals_won": won,
        "deal_win_rate": ratio(won, won + lost),
        "pipeline_value": _get(f, "pipeline_amount"),
    }


def _finance(f: Any) -> Figures:
    return {
        "days_sales_outstanding": _get(f, "days_outstanding"),
        "overdue_amount": _get(f, "overdue_amount"),
        "rebate_earned": _get(f, "rebate_amount"),
    }


@dataclass(frozen=True)
class Source:
    name: str
    function: Callable[[Sequence[int] | None, dt.date, dt.date], Awaitable[dict[int, Any]]]
    mapping: Callable[[Any], Figures]


SOURCES: tuple[Source, ...] = (
    Source("customers", activity_figures, _customers),
    Source("campaigns", campaign_figures, _campaigns),
    Source("feedback", feedback_figures, _feedback),
    Source("cases", case_figures, _cases),
    Source("leads", lead_figures, _leads),
    Source("deals", deal_figures, _deals),
    Source("finance", finance_figures, _finance),
)


def available_sources() -> set[str]:
    """'orders' plus every other domain's source."""
    return {"orders"} | {s.name for s in SOURCES}


async def extra_figures(
    partner_ids: Sequence[int] | None, start: dt.date, end: dt.date
) -> tuple[dict[int, Figures], set[str]]:
    """({partner id: figures}, sources that answered) from the other domains for [start, end)."""
    out: dict[int, Figures] = {}
    answered: set[str] = set()
    for source in SOURCES:
        try:
            result = await source.function(partner_ids, start, end)
        except Exception:  # one domain's bug must not take the scorecards down with it
            log.exception("performance source %s failed", source.name)
            continue
        answered.add(source.name)
        for pid, figures in (result or {}).items():
            out.setdefault(int(pid), {}).update(source.mapping(figures))
    return out, answered
