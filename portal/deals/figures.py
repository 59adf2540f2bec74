"""The deal figures of the scorecards (portal/performance/sources.py) and the deals behind them.

For the days [start, end) of a period:
- registered: deals first submitted to the vendor in those days (the submission from draft;
  a draft is the partner's own notebook and never counts);
- approved: deals approved in those days;
- won / lost: deals closed as won / lost in those days (win rate = won / (won + lost));
- pipeline: the deals protected on the last of those days (approved on or before it, its
  protection running, not yet won or lost that day), at their estimated amount as it stands
  now, grouped by their current stage.

Each figure and its rows use the same condition, so the count on a scorecard is the number of
deals behind its link. Rows go through `access.deal_scope`: a reader sees only deals it may.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from piccolo.query.functions.aggregate import Count, Sum

from portal.auth.schemas import CurrentUser
from portal.deals.access import deal_scope
from portal.deals.constants import DealStatus, EventKind, Stage
from portal.deals.tables import Deal, DealEvent
from portal.lib.clock import day_start

WHAT = ("registered", "approved", "won", "closed", "pipeline")
# A deal protected at some moment may since have run out, been won or lost.
ONCE_PROTECTED = (DealStatus.APPROVED, DealStatus.EXPIRED, DealStatus.WON, DealStatus.LOST)


def _partners(column: Any, partner_ids: Sequence[int] | None) -> list[Any]:
    return [] if partner_ids is None else [column.is_in(list(partner_ids) or [0])]


def _registered(start: dt.date, end: dt.date) -> Any:
    return (
        (DealEvent.kind == EventKind.SUBMITTED)
        & (DealEvent.from_status == DealStatus.DRAFT)
        & (DealEvent.at >= day_start(start))
        & (DealEvent.at < day_start(end))
    )


def _condition(what: str, start: dt.date, end: dt.date) -> Any:
    """The condition on Deal of one figure (registered: see _registered, on DealEvent)."""
    lo, hi = day_start(start), day_start(end)
    if what == "approved":
        return Deal.protection_from.is_not_null() & (Deal.decided_at >= lo) & (Deal.decided_at < hi)
    if what in ("won", "closed"):
        statuses = [DealStatus.WON] if what == "won" else [DealStatus.WON, DealStatus.LOST]
        return Deal.status.is_in(statuses) & (Deal.closed_at >= lo) & (Deal.closed_at < hi)
    if what == "pipeline":
        last = end - dt.timedelta(days=1)
        return (
            Deal.status.is_in(list(ONCE_PROTECTED))
            & (Deal.protection_from <= last)
            & (Deal.protection_until >= last)
            & (Deal.closed_at.is_null() | (Deal.closed_at >= hi))
        )
    raise ValueError(what)


async def deal_figures(
    partner_ids: Sequence[int] | None, start: dt.date, end: dt.date
) -> dict[int, dict[str, int]]:
    """Per partner: registered, approved, won, lost (counts) and pipeline_amount (minor units,
    the protected deals on the last day) for [start, end); four grouped statements."""
    out: dict[int, dict[str, int]] = {}

    def slot(pid: Any) -> dict[str, int]:
        return out.setdefault(
            int(pid), {"registered": 0, "approved": 0, "won": 0, "lost": 0, "pipeline_amount": 0}
        )

    registered = await (
        DealEvent.select(DealEvent.deal.partner.as_alias("partner"), Count(DealEvent.id, alias="n"))
        .where(_registered(start, end), *_partners(DealEvent.deal.partner, partner_ids))
        .group_by(DealEvent.deal.partner)
    )
    for r in registered:
        slot(r["partner"])["registered"] = int(r["n"])
    approved = await (
        Deal.select(Deal.partner, Count(Deal.id, alias="n"))
        .where(_condition("approved", start, end), *_partners(Deal.partner, partner_ids))
        .group_by(Deal.partner)
    )
    for r in approved:
        slot(r["partner"])["approved"] = int(r["n"])
    closed = await (
        Deal.select(Deal.partner, Deal.status, Count(Deal.id, alias="n"))
        .where(_condition("closed", start, end), *_partners(Deal.partner, partner_ids))
        .group_by(Deal.partner, Deal.status)
    )
    for r in closed:
        slot(r["partner"])[str(r["status"])] = int(r["n"])
    pipeline = await (
        Deal.select(Deal.partner, Sum(Deal.estimated_amount, alias="amount"))
        .where(_condition("pipeline", start, end), *_partners(Deal.partner, partner_ids))
        .group_by(Deal.partner)
    )
    for r in pipeline:
        slot(r["partner"])["pipeline_amount"] = int(r["amount"] or 0)
    return out


ROW_COLUMNS = (
    Deal.id,
    Deal.number,
    Deal.name,
    Deal.customer_name,
    Deal.status,
    Deal.stage,
    Deal.estimated_amount,
    Deal.submitted_at,
    Deal.decided_at,
    Deal.closed_at,
    Deal.protection_until,
)


async def deal_rows(
    user: CurrentUser, partner_id: int, start: dt.date, end: dt.date, what: str
) -> list[dict[str, Any]]:
    """The deals behind one figure of the partner (`what` in WHAT; "closed": won and lost, the
    win rate's rows) that `user` may see, oldest first, each with `at` (the moment that put it
    in the figure; for the pipeline its approval)."""
    where = [deal_scope(user), Deal.partner == partner_id]
    if what == "registered":
        events = await DealEvent.select(DealEvent.deal, DealEvent.at).where(
            _registered(start, end), DealEvent.deal.partner == partner_id
        )
        moments = {int(e["deal"]): e["at"] for e in events}
        where.append(Deal.id.is_in(list(moments) or [0]))
    else:
        moments = {}
        where.append(_condition(what, start, end))
    rows = await Deal.select(*ROW_COLUMNS).where(*where).order_by(Deal.id)
    for r in rows:
        r["at"] = {
            "registered": moments.get(int(r["id"])),
            "approved": r["decided_at"],
            "won": r["closed_at"],
            "closed": r["closed_at"],
            "pipeline": r["decided_at"],
        }[what]
    return sorted(rows, key=lambda r: (str(r["at"] or ""), int(r["id"])))


@dataclass(frozen=True)
class Tally:
    """How many deals, and their estimated amount (minor units)."""

    n: int
    amount: int


@dataclass(frozen=True)
class PipelineSummary:
    """A partner's pipeline for [start, end): the protected deals on the last day per stage
    (every stage, in order), and the deals won and lost in the days."""

    stages: list[tuple[Stage, Tally]]
    won: Tally
    lost: Tally

    @property
    def open(self) -> Tally:
        return Tally(sum(t.n for _s, t in self.stages), sum(t.amount for _s, t in self.stages))

    @property
    def win_rate(self) -> float | None:
        closed = self.won.n + self.lost.n
        return self.won.n / closed if closed else None


async def pipeline_summary(partner_id: int, start: dt.date, end: dt.date) -> PipelineSummary:
    """The partner's pipeline for the report, with the scorecard's conditions (two statements)."""
    by_stage = await (
        Deal.select(Deal.stage, Count(Deal.id, alias="n"), Sum(Deal.estimated_amount, alias="a"))
        .where(_condition("pipeline", start, end), Deal.partner == partner_id)
        .group_by(Deal.stage)
    )
    closed = await (
        Deal.select(Deal.status, Count(Deal.id, alias="n"), Sum(Deal.estimated_amount, alias="a"))
        .where(_condition("closed", start, end), Deal.partner == partner_id)
        .group_by(Deal.status)
    )
    stages = {str(r["stage"]): Tally(int(r["n"]), int(r["a"] or 0)) for r in by_stage}
    outcomes = {str(r["status"]): Tally(int(r["n"]), int(r["a"] or 0)) for r in closed}
    none = Tally(0, 0)
    return PipelineSummary(
        stages=[(s, stages.get(s.value, none)) for s in Stage],
        won=outcomes.get(DealStatus.WON, none),
        lost=outcomes.get(DealStatus.LOST, none),
    )
