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


# The rows behind the activity figures (the performance drill-down): the same conditions as the
# aggregates above, for one partner, so a figure and its list always agree.


async def new_customer_rows(
    partner_id: int, since: dt.datetime, until: dt.datetime
) -> list[dict[str, Any]]:
    """The partner's customers created in [since, until) (customer_counts' "new")."""
    return await Customer.raw(
        "SELECT id AS customer, name, created_at AS at FROM customer"
        " WHERE partner = {} AND created_at >= {} AND created_at < {} ORDER BY created_at, id",
        partner_id,
        since,
        until,
    )


async def active_customer_rows(
    partner_id: int, since: dt.datetime, until: dt.datetime
) -> list[dict[str, Any]]:
    """The partner's customers with a contact or an order in [since, until) (active_customers)."""
    return await Customer.raw(
        "SELECT c.id AS customer, c.name AS name, c.last_contact_at AS at FROM customer c"
        " WHERE c.id IN (SELECT customer FROM customer_interaction"
        " WHERE partner = {} AND occurred_at >= {} AND occurred_at < {} UNION"
        " SELECT o.end_customer_id FROM partner_order o WHERE o.partner = {}"
        " AND o.end_customer_id IS NOT NULL AND o.submitted_at >= {} AND o.submitted_at < {})"
        " ORDER BY c.name, c.id",
        partner_id,
        since,
        until,
        partner_id,
        since,
        until,
    )


async def interaction_rows(
    partner_id: int, since: dt.datetime, until: dt.datetime
) -> list[dict[str, Any]]:
    """The partner's contacts logged in [since, until) (interactions_by_channel)."""
    return await Customer.raw(
        "SELECT i.id, i.customer, c.name AS name, i.channel, i.occurred_at AS at, i.user_name"
        " FROM customer_interaction i LEFT JOIN customer c ON c.id = i.customer"
        " WHERE i.partner = {} AND i.occurred_at >= {} AND i.occurred_at < {}"
        " ORDER BY i.occurred_at, i.id",
        partner_id,
        since,
        until,
    )


async def followup_rows(partner_id: int, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The partner's follow-ups due on days [start, end), each with whether it was done by its
    day (followups_due)."""
    done_day = date_of("i.followup_done_at")
    return await Customer.raw(
        "SELECT i.id, i.customer, c.name AS name, i.channel, i.followup_on AS at, i.user_name,"  # noqa: S608
        f" CASE WHEN i.followup_done_at IS NOT NULL AND {done_day} <= i.followup_on"
        " THEN 1 ELSE 0 END AS on_time"
        " FROM customer_interaction i LEFT JOIN customer c ON c.id = i.customer"
        " WHERE i.partner = {} AND i.followup_on >= {} AND i.followup_on < {}"
        " ORDER BY i.followup_on, i.id",
        partner_id,
        start,
        end,
    )


async def insert_rows(table: str, rows: list[dict[str, Any]], returning: bool = False) -> list[int]:
    """One multi-row INSERT (same keys in every row), below the ORM: Piccolo builds an object
    per row (~1 ms each), which made a 20,000-row import spend most of its time there. Returns
    the new ids in row order when asked (both databases return VALUES rows in order)."""
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    one = "(" + ", ".join("{}" for _ in columns) + ")"
    sql = f'INSERT INTO "{table}" ({names}) VALUES ' + ", ".join(one for _ in rows)  # noqa: S608
    args = [row[c] for row in rows for c in columns]
    if returning:
        result = await Customer.raw(sql + " RETURNING id", *args)
        return [int(r["id"]) for r in result]
    await Customer.raw(sql, *args)
    return []
