"""Customer lists inside the tenant wall: filters, search, sorting, counts, per-process caches."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Count

from portal.auth.constants import PARTNER_ROLES
from portal.auth.schemas import CurrentUser
from portal.auth.tables import User
from portal.customers.access import customer_scope
from portal.customers.constants import Segment
from portal.customers.schemas import CustomerFilters
from portal.customers.tables import Customer
from portal.customers.values import name_key, phone_key, tags_list
from portal.lib.clock import now
from portal.lib.forms import id_filter
from portal.lib.i18n import to_local

SORTS = {
    "recent": (Customer.id, False),
    "name": (Customer.name_key, True),
    "last_contact": (Customer.last_contact_at, False),
    "revenue": (Customer.revenue_amount, False),
    "followup": (Customer.next_followup_on, True),
}

LIST_COLUMNS = (
    Customer.id,
    Customer.name,
    Customer.kind,
    Customer.city,
    Customer.region,
    Customer.industry,
    Customer.tags,
    Customer.segment,
    Customer.contact_name,
    Customer.contact_phone,
    Customer.last_contact_at,
    Customer.next_followup_on,
    Customer.revenue_amount,
    Customer.owner,
    Customer.owner.name.as_alias("owner_name"),
)

COUNT_CAP = 1000  # text-filtered lists count this many matches at most


async def partner_users(partner_id: int) -> list[dict[str, Any]]:
    """Active users of a partner, for owner and assignee choices."""
    return await (
        User.select(User.id, User.name, User.email)
        .where(
            (User.partner == partner_id)
            & (User.is_active == True)  # noqa: E712
            & User.role.is_in(list(PARTNER_ROLES))
        )
        .order_by(User.name)
    )


PHONE_LIKE = re.compile(r"^[0-9\s\-+()（）.]+$")


def _search(user: CurrentUser, term: str) -> Any:
    """Name, contact person, phone or e-mail. A phone number (only digits and separators) is
    looked up by prefix through the (partner, phone_key) index; 4 to 6 digits (the end of a
    number) by substring. The contact subqueries run once (IN), not once per customer."""
    partner_id = user.partner_id or 0
    digits = phone_key(term)
    if PHONE_LIKE.match(term) and len(digits) >= 4:
        if len(digits) >= 7:
            return WhereRaw(
                '"customer"."id" IN (SELECT cc.customer FROM customer_contact cc'
                " WHERE cc.partner = {} AND cc.phone_key >= {} AND cc.phone_key < {})",
                partner_id,
                digits,
                digits + ":",  # ":" sorts right after "9": every key starting with the digits
            )
        return WhereRaw(
            '"customer"."id" IN (SELECT cc.customer FROM customer_contact cc'
            " WHERE cc.partner = {} AND cc.phone_key LIKE {})",
            partner_id,
            f"%{digits}%",
        )
    if "@" in term:
        return WhereRaw(
            '"customer"."id" IN (SELECT cc.customer FROM customer_contact cc'
            " WHERE cc.partner = {} AND cc.email = {})",
            partner_id,
            term.lower(),
        )
    key = name_key(term)
    condition: Any = Customer.name_key.like(f"%{key}%") if key else Customer.name.ilike(f"%{term}%")
    return condition | Customer.contact_name.ilike(f"%{term}%")


def _filters_where(user: CurrentUser, filters: CustomerFilters) -> list[Any]:
    where = customer_scope(user)
    term = filters.q.strip()[:100]
    if term:
        where.append(_search(user, term))
    if filters.segment in {s.value for s in Segment}:
        where.append(Customer.segment == filters.segment)
    if filters.tag.strip():
        where.append(Customer.tags.ilike(f"%,{filters.tag.strip().replace(',', '')},%"))
    if filters.owner == "me":
        where.append(Customer.owner == user.id)
    elif filters.owner == "none":
        where.append(Customer.owner.is_null())
    elif (owner := id_filter(filters.owner)) is not None:
        where.append(Customer.owner == owner)
    if filters.source:
        where.append(Customer.source == filters.source)
    today = to_local(now()).date()
    if filters.followup == "overdue":
        where.append(Customer.next_followup_on < today)
    elif filters.followup == "today":
        where.append(Customer.next_followup_on == today)
    elif filters.followup == "week":
        where.append(
            (Customer.next_followup_on >= today)
            & (Customer.next_followup_on <= today + dt.timedelta(days=7))
        )
    return where


async def list_customers(
    user: CurrentUser,
    filters: CustomerFilters,
    with_total: bool = True,
    total: int | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """A page of the customers `user` may see, filtered and sorted, with the total count
    (counted unless `total` is given or `with_total` is false)."""
    where = _filters_where(user, filters)
    per_page = min(max(filters.per_page, 1), 200)
    column, ascending = SORTS.get(filters.sort, SORTS["recent"])
    query = Customer.select(*LIST_COLUMNS).where(*where)
    if column is not Customer.id:
        query = query.order_by(column, ascending=ascending)
    rows = await (
        query.order_by(Customer.id, ascending=False)
        .limit(per_page)
        .offset((max(filters.page, 1) - 1) * per_page)
    )
    if total is None and not with_total:
        total = len(rows)
    elif total is None and (filters.q.strip() or filters.tag.strip()):
        # Text filters scan every row of the partner: count at most COUNT_CAP + 1 of them
        # ("more than 1,000") instead of all, so a broad search costs a page, not a scan.
        capped = await Customer.select(Customer.id).where(*where).limit(COUNT_CAP + 1)
        total = len(capped)
    elif total is None:
        total = await Customer.count().where(*where)
    for row in rows:
        row["tag_list"] = tags_list(row["tags"])
    return rows, total


_tags_cache: dict[tuple[int | None, int | None], tuple[float, list[str]]] = {}
TAGS_CACHE_SECONDS = 60  # the tag filter's choices; a new tag shows within a minute


def forget_cached() -> None:
    """Drop the cached tag lists and segment counts (after a change in this process)."""
    _tags_cache.clear()
    _counts_cache.clear()


async def list_tags(user: CurrentUser, limit: int = 100) -> list[str]:
    """The tags in use among the customers `user` may see (read from the 2,000 most recent
    customers, at most once a minute per partner and member in each process)."""
    key = (user.partner_id, None if user.is_partner_admin else user.id)
    cached = _tags_cache.get(key)
    if cached and time.monotonic() - cached[0] < TAGS_CACHE_SECONDS:
        return cached[1]
    rows = await (
        Customer.select(Customer.tags)
        .where(*customer_scope(user), Customer.tags != "")
        .order_by(Customer.id, ascending=False)
        .limit(2000)
    )
    seen: dict[str, None] = {}
    for row in rows:
        for tag in tags_list(row["tags"]):
            seen.setdefault(tag, None)
    tags = sorted(seen)[:limit]
    _tags_cache[key] = (time.monotonic(), tags)
    return tags


_counts_cache: dict[tuple[int | None, int | None], tuple[float, dict[str, int]]] = {}
COUNTS_CACHE_SECONDS = 20  # segment tabs (and the unfiltered total) lag changes by at most this


async def segment_counts(user: CurrentUser) -> dict[str, int]:
    """Customers per segment within the user's scope (the list's segment tabs). Cached for a few
    seconds per partner and member in each process: the aggregate reads every customer row of
    the partner, and the numbers change rarely (changes in this process clear the cache)."""
    key = (user.partner_id, None if user.is_partner_admin else user.id)
    cached = _counts_cache.get(key)
    if cached and time.monotonic() - cached[0] < COUNTS_CACHE_SECONDS:
        return cached[1]
    rows = await (
        Customer.select(Customer.segment, Count(Customer.id, alias="n"))
        .where(*customer_scope(user))
        .group_by(Customer.segment)
    )
    counts = {r["segment"]: r["n"] for r in rows}
    _counts_cache[key] = (time.monotonic(), counts)
    return counts


def known_total(filters: CustomerFilters, counts: dict[str, int]) -> int | None:
    """The list's total without a COUNT query when the segment counts already say it."""
    narrowed = (filters.q, filters.tag, filters.owner, filters.source, filters.followup)
    if any(v.strip() for v in narrowed):
        return None
    if filters.segment:
        return counts.get(filters.segment, 0)
    return sum(counts.values())
