"""Per-partner customer activity figures for the performance scorecards and the vendor console.

Read-only, a fixed number of aggregate queries (five) whatever the number of partners, no
personal data. Days are the portal's local days (settings.timezone); `end` is exclusive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from portal.customers import queries
from portal.lib import clock
from portal.settings import get_settings


@dataclass
class CustomerActivity:
    """One partner's customer work in a period (zeros when nothing happened)."""

    customers_total: int = 0  # customers at the end of the period
    customers_new: int = 0  # created in the period
    customers_active: int = 0  # with a contact or an order in the period
    interactions: int = 0  # contacts logged (by contact time)
    interactions_by_channel: dict[str, int] = field(default_factory=dict)
    followups_due: int = 0  # follow-ups due in the period
    followups_done_on_time: int = 0  # of those, done on or before the due day
    active_users: int = 0  # partner users who logged at least one contact

    @property
    def on_time_rate(self) -> float | None:
        return self.followups_done_on_time / self.followups_due if self.followups_due else None


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = get_settings().tz
    return (
        clock.day_start(start, tz),
        clock.day_start(end, tz),
    )


async def activity_figures(
    partner_ids: Sequence[int] | None, start: dt.date, end: dt.date
) -> dict[int, CustomerActivity]:
    """Customer activity per partner in [start, end); partners without any may be absent."""
    if partner_ids is not None and not partner_ids:
        return {}
    since, until = _bounds(start, end)
    out: dict[int, CustomerActivity] = {}

    def get(partner: Any) -> CustomerActivity:
        return out.setdefault(int(partner), CustomerActivity())

    for row in await queries.customer_counts(partner_ids, since, until):
        figures = get(row["partner"])
        figures.customers_total = int(row["total"] or 0)
        figures.customers_new = int(row["new"] or 0)
    for row in await queries.interactions_by_channel(partner_ids, since, until):
        figures = get(row["partner"])
        figures.interactions += int(row["n"])
        figures.interactions_by_channel[row["channel"]] = int(row["n"])
    for row in await queries.active_users(partner_ids, since, until):
        get(row["partner"]).active_users = int(row["users"] or 0)
    for row in await queries.followups_due(partner_ids, start, end):
        figures = get(row["partner"])
        figures.followups_due = int(row["due"] or 0)
        figures.followups_done_on_time = int(row["on_time"] or 0)
    for row in await queries.active_customers(partner_ids, since, until):
        get(row["partner"]).customers_active = int(row["n"] or 0)
    return out


ACTIVITY_ROWS = ("new", "active", "interactions", "followups")


async def activity_rows(partner_id: int, start: dt.date, end: dt.date, what: str) -> list[Any]:
    """The rows one activity figure of a partner counts in [start, end): "new" and "active"
    customers, "interactions" (contacts logged) or "followups" due (with `on_time`). Each row
    has `customer` (id) and `name`; the caller shows a name only where the reader may see the
    customer (access.visible_customer_ids)."""
    since, until = _bounds(start, end)
    if what == "new":
        return await queries.new_customer_rows(partner_id, since, until)
    if what == "active":
        return await queries.active_customer_rows(partner_id, since, until)
    if what == "interactions":
        return await queries.interaction_rows(partner_id, since, until)
    if what == "followups":
        return await queries.followup_rows(partner_id, start, end)
    raise ValueError(what)
