"""The raw SQL of the customers domain: activity figures per partner (set-based, one
statement each). Parameters are Piccolo's `{}` placeholders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from portal.customers.tables import Customer
from portal.db import date_of


def _partner_filter(column: str, partner_ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    if partner_ids is None:
        return "", []
    ids = [int(p) for p in partner_ids]
    return f" AND {column} IN ({', '.join('{}' for _ in ids)})", ids


async def customer_counts(
    partner_ids: Sequence[int] | None, since: dt.datetime, until: dt.datetime
) -> list[dict[str, Any]]:
    """Per partner: customers created before `until` (total) and since `since` (new)."""
    cond, ids = _partner_filter("partner", partner_ids)
    return await Customer.raw(
        "SELECT partner, COUNT(*) AS total,"  # noqa: S608
        " SUM(CASE WHEN created_at >= {} THEN 1 ELSE 0 END) AS new"
        " FROM customer WHERE created_at < {}" + cond + " GROUP BY partner",
        since,
        until,
        *ids,
    )


async def interactions_by_channel(
    partner_ids: Sequence[int] | None, since: dt.datetime, until: dt.datetime
) -> list[dict[str, Any]]:
    """Per partner and channel: contacts logged in [since, until)."""
    cond, ids = _partner_filter("partner", partner_ids)
    return await Customer.raw(
        "SELECT partner, channel, COUNT(*) AS n FROM customer_interaction"  # noqa: S608
        " WHERE occurred_at >= {} AND occurred_at < {}" + cond + " GROUP BY partner, channel",
        since,
        until,
        *ids,
    )


async def active_users(
    partner_ids: Sequence[int] | None, since: dt.datetime, until: dt.datetime
) -> list[dict[str, Any]]:
    """Per partner: users who logged a contact in [since, until)."""
    cond, ids = _partner_filter("partner", partner_ids)
    return await Customer.raw(
        'SELECT partner, COUNT(DISTINCT "user") AS users FROM customer_interaction'  # noqa: S608
        " WHERE occurred_at >= {} AND occurred_at < {}" + cond + " GROUP BY partner",
        since,
        until,
        *ids,
    )


async def followups_due(
    partner_ids: Sequence[int] | None, start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    """Per partner: follow-ups due on days [start, end) and those done by their day."""
    cond, ids = _partner_filter("partner", partner_ids)
    done_day = date_of("followup_done_at")
    return await Customer.raw(
        "SELECT partner, COUNT(*) AS due,"  # noqa: S608
        f" SUM(CASE WHEN followup_done_at IS NOT NULL AND {done_day} <= followup_on"
        " THEN 1 ELSE 0 END) AS on_time"
        " FROM customer_interaction WHERE followup_on >= {} AND followup_on < {}"
        + cond
        + " GROUP BY partner",
        start,
        end,
        *ids,
    )


async def active_customers(
    partner_ids: Sequence[int] | None, since: dt.datetime, until: dt.datetime
) -> list[dict[str, Any]]:
    """Per partner: customers with a contact or an order in [since, until)."""
    cond, ids = _partner_filter("partner", partner_ids)
    order_cond, _ids = _partner_filter("o.partner", partner_ids)
    return await Customer.raw(
        "SELECT partner, COUNT(*) AS n FROM ("  # noqa: S608
        " SELECT partner, customer AS c FROM customer_interaction"
        " WHERE occurred_at >= {} AND occurred_at < {}" + cond + " UNION"
        " SELECT o.partner AS partner, o.end_customer_id AS c FROM partner_order o"
        " WHERE o.end_customer_id IS NOT NULL AND o.submitted_at >= {} AND o.submitted_at < {}"
        + order_cond
        + ") active GROUP BY partner",
        since,
        until,
        *ids,
        since,
        until,
        *ids,
    )
