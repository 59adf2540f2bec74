"""Customers' shared reads and verbs: the 360° view, choices, names, home card, shared customer.

Other domains and the pages import from here. The reads and verbs live in sub-topic modules and
are re-exported: listing.py (lists, counts), records.py (create, update, bulk tag), contacts.py,
followups.py (logged contacts, follow-ups), preferences.py (settings), values.py (keys, labels).
With imports.py (file imports) and segmentation.py (RFM segments) these are the only code that
writes this domain's tables. Figures for the scorecards live in figures.py, re-exported here.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.customers.access import customer_scope, get_customer_for_user
from portal.customers.contacts import ContactData, add_contact, list_contacts, remove_contact
from portal.customers.figures import CustomerActivity, activity_figures
from portal.customers.followups import (
    InteractionData,
    bucket,
    complete_followup,
    followups_for_user,
    list_interactions,
    log_interaction,
)
from portal.customers.listing import (
    COUNT_CAP,
    COUNTS_CACHE_SECONDS,
    LIST_COLUMNS,
    PHONE_LIKE,
    SORTS,
    TAGS_CACHE_SECONDS,
    forget_cached,
    known_total,
    list_customers,
    list_tags,
    partner_users,
    segment_counts,
)
from portal.customers.preferences import set_digest, set_visibility, visibility, wants_digest
from portal.customers.records import (
    CustomerData,
    DuplicateFound,
    bulk_tag,
    create_customer,
    find_duplicates,
    update_customer,
)
from portal.customers.tables import Customer
from portal.customers.values import (
    channel_label,
    name_key,
    outcome_label,
    parse_tags,
    phone_key,
    segment_facts,
    segment_label,
    tags_list,
    tags_text,
)
from portal.lib import hooks
from portal.lib.cards import Card
from portal.lib.clock import now
from portal.lib.i18n import gettext as _
from portal.lib.i18n import to_local
from portal.orders.services import status_label, status_tone
from portal.orders.tables import Order

log = logging.getLogger("portal.customers")

__all__ = [
    "COUNTS_CACHE_SECONDS",
    "COUNT_CAP",
    "LIST_COLUMNS",
    "PHONE_LIKE",
    "SORTS",
    "TAGS_CACHE_SECONDS",
    "ContactData",
    "CustomerActivity",
    "CustomerData",
    "DuplicateFound",
    "InteractionData",
    "activity_figures",
    "add_contact",
    "bucket",
    "bulk_tag",
    "channel_label",
    "complete_followup",
    "create_customer",
    "customer_choices",
    "customer_view",
    "find_duplicates",
    "followups_for_user",
    "forget_cached",
    "home_cards",
    "known_total",
    "list_contacts",
    "list_customers",
    "list_interactions",
    "list_tags",
    "log_interaction",
    "name_key",
    "outcome_label",
    "parse_tags",
    "partner_users",
    "phone_key",
    "remove_contact",
    "segment_counts",
    "segment_facts",
    "segment_label",
    "set_digest",
    "set_visibility",
    "shared_customer",
    "tags_list",
    "tags_text",
    "update_customer",
    "visibility",
    "wants_digest",
]

TIMELINE_LIMIT = 100  # contacts per timeline page (orders and cases: the first page)


async def customer_choices(
    user: CurrentUser, q: str = "", limit: int = 20
) -> list[tuple[int, str]]:
    """(id, display name) of the customers `user` may see, best matches or latest contacts first
    (the orders cart's optional end customer)."""
    where = customer_scope(user)
    term = q.strip()[:100]
    if term:
        where.append(
            Customer.name_key.like(f"%{name_key(term)}%") | Customer.name.ilike(f"%{term}%")
        )
    rows = await (
        Customer.select(Customer.id, Customer.name, Customer.city)
        .where(*where)
        .order_by(Customer.last_contact_at, ascending=False)
        .order_by(Customer.id, ascending=False)
        .limit(max(1, min(limit, 500)))
    )
    return [(r["id"], r["name"] + (f" ({r['city']})" if r["city"] else "")) for r in rows]


async def _orders_of(customer: dict[str, Any]) -> list[dict[str, Any]]:
    return await (
        Order.select(
            Order.id,
            Order.number,
            Order.status,
            Order.total_amount,
            Order.currency,
            Order.submitted_at,
            Order.decided_at,
        )
        .where((Order.end_customer_id == customer["id"]) & (Order.partner == customer["partner"]))
        .order_by(Order.submitted_at, ascending=False)
        .limit(TIMELINE_LIMIT)
    )


async def _cases_of(user: CurrentUser, customer_id: int) -> list[dict[str, Any]]:
    """The customer's support cases (the support domain fills the hook)."""
    try:
        return list(await hooks.customer_cases(user, customer_id))
    except Exception:  # another domain's failure must not take the 360° page down
        log.exception("cases for customer %s", customer_id)
        return []


async def _deals_of(user: CurrentUser, customer_id: int) -> list[dict[str, Any]]:
    """The customer's deal registrations (the deals domain fills the hook)."""
    try:
        return list(await hooks.customer_deals(user, customer_id))
    except Exception:  # another domain's failure must not take the 360° page down
        log.exception("deals for customer %s", customer_id)
        return []


async def customer_view(
    user: CurrentUser, customer: dict[str, Any], page: int = 1
) -> dict[str, Any]:
    """Everything the 360° page shows: key facts, contacts, open follow-ups and one timeline of
    contacts, orders and support cases (newest first)."""

    contacts = await list_contacts(customer["id"])
    page = max(page, 1)
    interactions, interaction_total = await list_interactions(
        customer["id"], page=page, per_page=TIMELINE_LIMIT
    )
    # orders and cases join the first page; older pages list older contacts only
    orders = await _orders_of(customer) if page == 1 else []
    cases = await _cases_of(user, customer["id"]) if page == 1 else []
    timeline: list[dict[str, Any]] = []
    for i in interactions:
        timeline.append(
            {
                "kind": "interaction",
                "at": i["occurred_at"],
                "title": channel_label(i["channel"]),
                "channel": i["channel"],
                "direction": i["direction"],
                "text": i["summary"],
                "outcome": outcome_label(i["outcome"]) if i["outcome"] else "",
                "who": i["user_name"],
                "followup_on": i["followup_on"],
                "followup_open": i["followup_on"] is not None and i["followup_done_at"] is None,
                "assignee_name": i["assignee_name"],
                "id": i["id"],
            }
        )
    for o in orders:
        timeline.append(
            {
                "kind": "order",
                "at": o["submitted_at"],
                "title": o["number"],
                "id": o["id"],
                "amount": o["total_amount"],
                "currency": o["currency"],
                "status_label": status_label(o["status"]),
                "status_tone": status_tone(o["status"]),
            }
        )
    for c in cases:
        timeline.append(
            {
                "kind": "case",
                "at": c.get("created_at"),
                "title": c.get("number") or c.get("subject", ""),
                "text": c.get("subject", ""),
                "status_label": c.get("status_label", ""),
                "id": c.get("id"),
                "link": f"/cases/{c.get('id')}",
            }
        )
    timeline.sort(key=lambda e: e["at"] or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
    followups = [e for e in timeline if e.get("followup_open")]
    followups.sort(key=lambda e: e["followup_on"])
    return {
        "contacts": contacts,
        "timeline": timeline,
        "interaction_total": interaction_total,
        "timeline_page": page,
        "timeline_more": interaction_total > page * TIMELINE_LIMIT,
        "orders": orders,
        "cases": cases,
        "deals": await _deals_of(user, customer["id"]),
        "followups": followups,
        "tags": tags_list(customer["tags"]),
        "segment": segment_facts(customer["segment"]),
        "today": to_local(now()).date(),
    }


async def home_cards(user: CurrentUser) -> list[Card]:
    """Sales users: their follow-ups due today, overdue and this week."""
    if not (user.is_partner and (user.can_sales or user.is_partner_admin)):
        return []
    today = to_local(now()).date()
    groups = bucket(await followups_for_user(user.id, today), today)
    overdue, due, week = (len(groups[k]) for k in ("overdue", "today", "week"))
    return [
        Card(
            title=_("Follow-ups"),
            items=[
                (_("Overdue"), str(overdue), "/customers/followups"),
                (_("Due today"), str(due), "/customers/followups"),
                (_("This week"), str(week), "/customers/followups"),
            ],
            link="/customers/log",
            link_label=_("Log a contact"),
            tone="attention" if overdue or due else "ok",
        )
    ]


async def shared_customer(user: CurrentUser, customer_id: int) -> dict[str, Any]:
    """For vendor staff: a shared customer's name and primary contact (NotFound otherwise)."""
    customer = await get_customer_for_user(user, customer_id)
    return {
        "id": customer["id"],
        "name": customer["name"],
        "partner_name": customer["partner_name"],
        "contact_name": customer["contact_name"],
        "contact_phone": customer["contact_phone"],
        "contact_email": customer["contact_email"],
    }
