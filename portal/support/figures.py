"""Case figures per partner and period: set-based SQL, a fixed number of queries.

`case_figures` is the interface the performance scorecards consume. The console adds a backlog
trend (open cases at the end of each day or week) drawn as a server-made SVG.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from portal.lib import clock
from portal.settings import get_settings
from portal.support import queries


@dataclass
class CaseFigures:
    """One partner's cases in [start, end). sla_breached counts cases resolved late plus cases
    still unresolved whose resolution deadline fell in the period; compliance = met / (met +
    breached)."""

    cases_opened: int = 0
    cases_resolved: int = 0
    sla_met: int = 0
    sla_breached: int = 0
    first_response_minutes_avg: int | None = None
    resolution_minutes_avg: int | None = None
    csat_avg_x100: int | None = None
    first_contact_resolved: int = 0
    first_responses: int = 0
    csat_answers: int = 0

    @property
    def sla_compliance(self) -> float | None:
        judged = self.sla_met + self.sla_breached
        return self.sla_met / judged if judged else None

    @property
    def first_contact_rate(self) -> float | None:
        return self.first_contact_resolved / self.cases_resolved if self.cases_resolved else None


def bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local calendar days (TIME_ZONE) as UTC instants."""
    tz = get_settings().tz
    return (
        clock.day_start(start, tz),
        clock.day_start(end, tz),
    )


def _avg(total: Any, count: Any) -> int | None:
    return round(int(total) / int(count)) if count else None


async def case_figures(
    partner_ids: Sequence[int] | None, start: dt.date, end: dt.date
) -> dict[int, CaseFigures]:
    """Figures per partner id; partners without cases in the period are absent (= zeros)."""
    if partner_ids is not None and not partner_ids:
        return {}
    since, until = bounds(start, end)
    rows = await queries.case_figure_rows(partner_ids, since, until)
    out: dict[int, CaseFigures] = {}
    for row in rows:
        resolved = int(row["resolved"] or 0)
        out[int(row["partner"])] = CaseFigures(
            cases_opened=int(row["opened"] or 0),
            cases_resolved=resolved,
            sla_met=int(row["met"] or 0),
            sla_breached=int(row["breached"] or 0),
            first_response_minutes_avg=_avg(row["fr_total"] or 0, row["fr_count"] or 0),
            resolution_minutes_avg=_avg(row["res_total"] or 0, resolved),
            csat_avg_x100=_avg(int(row["csat_total"] or 0) * 100, row["csat_count"] or 0),
            first_contact_resolved=int(row["fcr"] or 0),
            first_responses=int(row["fr_count"] or 0),
            csat_answers=int(row["csat_count"] or 0),
        )
    return out


def total(figures: dict[int, CaseFigures]) -> CaseFigures:
    """All partners together (averages weighted by their counts)."""
    out = CaseFigures()
    fr_sum = res_sum = csat_sum = 0
    for f in figures.values():
        out.cases_opened += f.cases_opened
        out.cases_resolved += f.cases_resolved
        out.sla_met += f.sla_met
        out.sla_breached += f.sla_breached
        out.first_contact_resolved += f.first_contact_resolved
        out.first_responses += f.first_responses
        out.csat_answers += f.csat_answers
        fr_sum += (f.first_response_minutes_avg or 0) * f.first_responses
        res_sum += (f.resolution_minutes_avg or 0) * f.cases_resolved
        csat_sum += (f.csat_avg_x100 or 0) * f.csat_answers
    out.first_response_minutes_avg = _avg(fr_sum, out.first_responses)
    out.resolution_minutes_avg = _avg(res_sum, out.cases_resolved)
    out.csat_avg_x100 = _avg(csat_sum, out.csat_answers)
    return out


async def backlog_trend(
    partner_ids: Sequence[int] | None, points: Sequence[dt.datetime]
) -> list[int]:
    """Open cases (opened, not yet resolved) at each instant, in one query."""
    if not points:
        return []
    row = await queries.backlog_row(partner_ids, points)
    return [int(row.get(f"p{i}") or 0) for i in range(len(points))]


CASE_ROWS = ("opened", "sla", "csat")


async def case_rows(partner_id: int, start: dt.date, end: dt.date, what: str) -> list[Any]:
    """The cases one figure of a partner counts in [start, end): "opened", "sla" (resolved or
    overdue in the period: `met` marks those within the SLA) or "csat" (answered, with the
    score). Same conditions as case_figures."""
    since, until = bounds(start, end)
    rows = await queries.case_rows(partner_id, since, until)
    if what == "opened":
        return [r for r in rows if int(r["opened"] or 0)]
    if what == "sla":
        return [r for r in rows if int(r["met"] or 0) or int(r["breached"] or 0)]
    if what == "csat":
        return [r for r in rows if r["csat"] is not None]
    raise ValueError(what)
