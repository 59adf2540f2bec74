"""Figures from other domains (customers, communications, support), where those exist.

Each source is a row of data: the module and function agreed between the domains, and how its
result maps onto metric keys. A source whose module or function is not there is absent, so its
metrics are absent (never faked); adding a source is one entry here and metrics in metrics.py.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from portal.performance.metrics import Figures, ratio

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


@dataclass(frozen=True)
class Source:
    name: str
    module: str
    function: str
    mapping: Callable[[Any], Figures]


SOURCES: tuple[Source, ...] = (
    Source("customers", "portal.customers.services", "activity_figures", _customers),
    Source("campaigns", "portal.communications.services", "campaign_figures", _campaigns),
    Source("feedback", "portal.communications.services", "feedback_figures", _feedback),
    Source("cases", "portal.support.services", "case_figures", _cases),
)


_resolved: dict[str, Callable[..., Any]] = {}


def _function(source: Source) -> Callable[..., Any] | None:
    """The source's figure function; found once per process (a domain that lands later is
    picked up on the next start, or as soon as its module is importable if not yet found)."""
    key = f"{source.module}:{source.function}"
    if key in _resolved:
        return _resolved[key]
    try:
        if importlib.util.find_spec(source.module) is None:
            return None
        module = importlib.import_module(source.module)
    except Exception:  # a half-built package must not break the scorecards
        log.warning("performance source %s cannot be imported", source.module, exc_info=True)
        return None
    fn = getattr(module, source.function, None)
    if not callable(fn):
        return None
    _resolved[key] = fn
    return fn


def available_sources() -> set[str]:
    """'orders' plus every other source whose figure function exists."""
    return {"orders"} | {s.name for s in SOURCES if _function(s) is not None}


async def extra_figures(
    partner_ids: Sequence[int] | None, start: dt.date, end: dt.date
) -> tuple[dict[int, Figures], set[str]]:
    """({partner id: figures}, sources that answered) from the other domains for [start, end)."""
    out: dict[int, Figures] = {}
    answered: set[str] = set()
    for source in SOURCES:
        fn = _function(source)
        if fn is None:
            continue
        try:
            result = await fn(partner_ids, start, end)
        except Exception:  # one domain's bug must not take the scorecards down with it
            log.exception("performance source %s.%s failed", source.module, source.function)
            continue
        answered.add(source.name)
        for pid, figures in (result or {}).items():
            out.setdefault(int(pid), {}).update(source.mapping(figures))
    return out, answered
