"""Customers: the reads pages and the API need (list, 360° view, follow-ups, choices, home card)
and the verbs (create, update, contacts, log a contact, finish a follow-up, bulk tag, partner and
user settings). The only code that writes this domain's tables, with imports.py (file imports) and
segmentation.py (RFM segments). Figures for the scorecards live in figures.py, re-exported here.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Count

from portal.auth.constants import PARTNER_ROLES
from portal.auth.schemas import CurrentUser
from portal.auth.tables import User
from portal.core import audit
from portal.customers.access import customer_scope, get_customer_for_user
from portal.customers.constants import (
    CHANNEL_LABELS,
    MAX_CONTACTS,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    OUTCOME_LABELS,
    SEGMENT_ACTIONS,
    SEGMENT_LABELS,
    SEGMENT_TONES,
    Channel,
    Outcome,
    Segment,
)
from portal.customers.figures import CustomerActivity, activity_figures
from portal.customers.schemas import CustomerFilters
from portal.customers.tables import (
    Customer,
    CustomerContact,
    CustomerSettings,
    CustomerUserSettings,
    Interaction,
)
from portal.db import write_transaction
from portal.home import Card
from portal.lib.clock import now
from portal.lib.forms import EMAIL_RE, FormError
from portal.lib.i18n import gettext as _
from portal.lib.i18n import to_local
from portal.tenancy import NotFound

__all__ = [
    "CustomerActivity",
    "activity_figures",
    "customer_choices",
    "get_customer_name_for_user",
]

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
TIMELINE_LIMIT = 100  # contacts per timeline page (orders and cases: the first page)
COUNT_CAP = 1000  # text-filtered lists count this many matches at most


class DuplicateFound(FormError):
    """Customers with the same phone, e-mail or name exist at this partner."""

    def __init__(self, duplicates: list[dict[str, Any]]) -> None:
        super().__init__({"": _("A customer with the same phone, e-mail or name already exists.")})
        self.duplicates = duplicates


@dataclass
class ContactData:
    name: str
    title: str = ""
    phone: str = ""
    email: str = ""
    wechat: str = ""


@dataclass
class CustomerData:
    """Validated-by-type input for a customer; the services check the rest."""

    name: str
    kind: str = "company"
    industry: str = ""
    size: str = ""
    region: str = ""
    city: str = ""
    source: str = "other"
    owner_id: int | None = None
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    contacts: list[ContactData] = field(default_factory=list)


@dataclass
class InteractionData:
    channel: str
    summary: str
    direction: str = "outbound"
    occurred_at: dt.datetime | None = None
    outcome: str = ""
    followup_on: dt.date | None = None
    assignee_id: int | None = None
    source: str = "portal"


# normalisation


def name_key(name: str) -> str:
    """Lower case without spaces and punctuation: "ACME Ltd." and "acme ltd" are one name."""
    return re.sub(r"[\s\.,;:'\"()（）·\-_/]+", "", name).lower()[:200]


def phone_key(phone: str) -> str:
    """Digits only, without China's +86 prefix on mobile numbers."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits[:40]


def parse_tags(value: str | list[str]) -> list[str]:
    """Tags from "a, b；c" or a list: trimmed, without commas, unique, at most MAX_TAGS."""
    items = value if isinstance(value, list) else re.split(r"[,，;；\n]+", value)
    out: list[str] = []
    for item in items:
        tag = item.replace(",", " ").strip()[:MAX_TAG_LENGTH]
        if tag and tag.lower() not in {t.lower() for t in out}:
            out.append(tag)
    return out[:MAX_TAGS]


def tags_text(tags: list[str]) -> str:
    return "," + ",".join(tags) + "," if tags else ""


def tags_list(text: str) -> list[str]:
    return [t for t in (text or "").split(",") if t]


def segment_label(segment: str) -> str:
    try:
        return _(SEGMENT_LABELS[Segment(segment)])
    except ValueError:
        return segment


def channel_label(channel: str) -> str:
    try:
        return _(CHANNEL_LABELS[Channel(channel)])
    except ValueError:
        return channel


def outcome_label(outcome: str) -> str:
    try:
        return _(OUTCOME_LABELS[Outcome(outcome)])
    except ValueError:
        return outcome


def segment_facts(segment: str) -> dict[str, str]:
    """Label, badge tone and suggested action of a segment."""
    try:
        seg = Segment(segment)
    except ValueError:
        return {"label": segment, "tone": "muted", "action": ""}
    return {
        "label": _(SEGMENT_LABELS[seg]),
        "tone": SEGMENT_TONES[seg],
        "action": _(SEGMENT_ACTIONS[seg]),
    }


def _partner_id(actor: CurrentUser) -> int:
    if not actor.is_partner or actor.partner_id is None:
        raise FormError({"": _("Only partner users work with customers.")})
    return actor.partner_id


# reads


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


async def _check_partner_user(partner_id: int, user_id: int | None, field_name: str) -> None:
    if user_id is None:
        return
    exists = await User.exists().where(
        (User.id == user_id) & (User.partner == partner_id) & (User.is_active == True)  # noqa: E712
    )
    if not exists:
        raise FormError({field_name: _("Choose a colleague of your company.")})


PHONE_LIKE = re.compile(r"^[\d\s\-+()（）.]+$")


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
    elif filters.owner.isdigit():
        where.append(Customer.owner == int(filters.owner))
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


async def get_customer_name_for_user(user: CurrentUser, customer_id: int) -> str:
    """The customer's name if `user` may see it; raises NotFound outside the wall."""
    row = await (
        Customer.select(Customer.name)
        .where(Customer.id == customer_id, *customer_scope(user))
        .first()
    )
    if row is None:
        raise NotFound
    return str(row["name"])


async def list_contacts(customer_id: int) -> list[dict[str, Any]]:
    return await (
        CustomerContact.select()
        .where(CustomerContact.customer == customer_id)
        .order_by(CustomerContact.position)
        .order_by(CustomerContact.id)
    )


async def list_interactions(
    customer_id: int, page: int = 1, per_page: int = 50
) -> tuple[list[dict[str, Any]], int]:
    """A customer's contacts, newest first, with the assignee's name."""
    per_page = min(max(per_page, 1), 200)
    rows = await (
        Interaction.select(
            *Interaction.all_columns(), Interaction.assignee.name.as_alias("assignee_name")
        )
        .where(Interaction.customer == customer_id)
        .order_by(Interaction.occurred_at, ascending=False)
        .order_by(Interaction.id, ascending=False)
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    )
    total = await Interaction.count().where(Interaction.customer == customer_id)
    return rows, total


async def _orders_of(customer: dict[str, Any]) -> list[dict[str, Any]]:
    from portal.orders.tables import Order

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
    """Support cases for the customer, once the support domain exists (else none)."""
    import importlib.util

    if importlib.util.find_spec("portal.support.services") is None:
        return []
    from portal.support import services as support  # type: ignore[import-not-found,attr-defined,unused-ignore]

    lister = getattr(support, "list_cases_for_customer", None)
    if lister is None:
        return []
    try:
        return list(await lister(user, customer_id))
    except Exception:  # another domain's failure must not take the 360° page down
        import logging

        logging.getLogger("portal.customers").exception("cases for customer %s", customer_id)
        return []


def _case_status(status: str) -> str:
    try:
        from portal.support.constants import STATUS_LABELS, CaseStatus  # type: ignore[import-not-found,attr-defined,unused-ignore]

        return _(STATUS_LABELS[CaseStatus(status)])
    except (ImportError, KeyError, ValueError):
        return status


async def customer_view(
    user: CurrentUser, customer: dict[str, Any], page: int = 1
) -> dict[str, Any]:
    """Everything the 360° page shows: key facts, contacts, open follow-ups and one timeline of
    contacts, orders and support cases (newest first)."""
    from portal.orders.services import status_label, status_tone

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
                "status_label": _case_status(str(c.get("status", ""))),
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
        "followups": followups,
        "tags": tags_list(customer["tags"]),
        "segment": segment_facts(customer["segment"]),
        "today": to_local(now()).date(),
    }


async def visibility(partner_id: int) -> bool:
    """True when members see every customer of the partner (the default)."""
    row = await (
        CustomerSettings.select(CustomerSettings.members_see_all)
        .where(CustomerSettings.partner == partner_id)
        .first()
    )
    return True if row is None else bool(row["members_see_all"])


async def wants_digest(user_id: int) -> bool:
    row = await (
        CustomerUserSettings.select(CustomerUserSettings.daily_digest)
        .where(CustomerUserSettings.user == user_id)
        .first()
    )
    return True if row is None else bool(row["daily_digest"])


async def find_duplicates(
    partner_id: int,
    name: str,
    phones: list[str],
    emails: list[str],
    exclude_id: int | None = None,
) -> list[dict[str, Any]]:
    """Customers of the partner with the same name, a contact phone or e-mail: (id, name, reason)."""
    found: dict[int, dict[str, Any]] = {}
    key = name_key(name)
    not_self = [Customer.id != exclude_id] if exclude_id else []
    if key:
        for row in await (
            Customer.select(Customer.id, Customer.name)
            .where((Customer.partner == partner_id) & (Customer.name_key == key), *not_self)
            .limit(5)
        ):
            found[row["id"]] = {**row, "reason": _("same name")}
    phone_keys = [k for k in (phone_key(p) for p in phones) if len(k) >= 5]
    email_keys = [e.strip().lower() for e in emails if e.strip()]
    if phone_keys or email_keys:
        cond: Any = None
        if phone_keys:
            cond = CustomerContact.phone_key.is_in(phone_keys)
        if email_keys:
            by_mail = CustomerContact.email.is_in(email_keys)
            cond = by_mail if cond is None else (cond | by_mail)
        not_self_contact = [CustomerContact.customer != exclude_id] if exclude_id else []
        rows = await (
            CustomerContact.select(
                CustomerContact.customer,
                CustomerContact.customer.name.as_alias("name"),
                CustomerContact.phone_key,
                CustomerContact.email,
            )
            .where((CustomerContact.partner == partner_id) & cond, *not_self_contact)
            .limit(10)
        )
        for row in rows:
            reason = _("same phone") if row["phone_key"] in phone_keys else _("same e-mail")
            found.setdefault(
                row["customer"], {"id": row["customer"], "name": row["name"], "reason": reason}
            )
    return list(found.values())


# verbs


def _check_contact(contact: ContactData, prefix: str = "contact_") -> dict[str, str]:
    errors: dict[str, str] = {}
    if contact.email and not EMAIL_RE.match(contact.email.strip()):
        errors[f"{prefix}email"] = _("Enter a valid e-mail address.")
    if contact.phone and len(phone_key(contact.phone)) < 5:
        errors[f"{prefix}phone"] = _("Enter a phone number with at least 5 digits.")
    return errors


def _contact_row(
    customer_id: int, partner_id: int, c: ContactData, position: int
) -> CustomerContact:
    return CustomerContact(
        customer=customer_id,
        partner=partner_id,
        name=c.name.strip()[:100],
        title=c.title.strip()[:100],
        phone=c.phone.strip()[:40],
        phone_key=phone_key(c.phone),
        email=c.email.strip().lower()[:200],
        wechat=c.wechat.strip()[:60],
        position=position,
        created_at=now(),
    )


def _customer_values(data: CustomerData) -> dict[str, Any]:
    return {
        "kind": data.kind,
        "name": data.name.strip()[:200],
        "name_key": name_key(data.name),
        "industry": data.industry.strip(),
        "size": data.size,
        "region": data.region.strip(),
        "city": data.city.strip(),
        "source": data.source,
        "owner": data.owner_id,
        "tags": tags_text(parse_tags(data.tags)),
        "notes": data.notes.strip(),
    }


async def create_customer(
    actor: CurrentUser,
    data: CustomerData,
    *,
    allow_duplicate: bool = False,
    via: str = "portal",
) -> int:
    """Create a customer of the actor's partner with its contacts; the owner defaults to the
    actor. Raises FormError for bad input and DuplicateFound (unless allowed)."""
    partner_id = _partner_id(actor)
    if not data.name.strip():
        raise FormError({"name": _("This field is required.")})
    contacts = [c for c in data.contacts if c.name.strip() or c.phone.strip() or c.email.strip()]
    errors: dict[str, str] = {}
    for n, contact in enumerate(contacts[:MAX_CONTACTS]):
        errors.update(_check_contact(contact, "contact_" if n == 0 else f"contacts.{n}."))
    if errors:
        raise FormError(errors)
    if data.owner_id is None:
        data.owner_id = actor.id
    await _check_partner_user(partner_id, data.owner_id, "owner_id")
    if not allow_duplicate:
        duplicates = await find_duplicates(
            partner_id, data.name, [c.phone for c in contacts], [c.email for c in contacts]
        )
        if duplicates:
            raise DuplicateFound(duplicates)
    values = _customer_values(data)
    moment = now()
    first = contacts[0] if contacts else None
    async with write_transaction():
        inserted = await Customer.insert(
            Customer(
                partner=partner_id,
                **values,
                contact_name=(first.name.strip() if first else "")[:100],
                contact_phone=(first.phone.strip() if first else "")[:40],
                contact_email=(first.email.strip().lower() if first else "")[:200],
                segment=Segment.NEW,
                segment_on=to_local(moment).date(),
                created_by_id=actor.id,
                created_at=moment,
                updated_at=moment,
            )
        ).returning(Customer.id)
        customer_id = int(inserted[0]["id"])
        if contacts:
            await CustomerContact.insert(
                *[
                    _contact_row(customer_id, partner_id, c, n)
                    for n, c in enumerate(contacts[:MAX_CONTACTS])
                ]
            )
        await audit.record(
            "customer.created",
            actor=actor,
            partner_id=partner_id,
            target_type="customer",
            target_id=customer_id,
            after={"name": values["name"], "via": via},
        )
    forget_cached()
    return customer_id


async def update_customer(
    actor: CurrentUser,
    customer: dict[str, Any],
    changes: dict[str, Any],
    *,
    primary_contact: ContactData | None = None,
    allow_duplicate: bool = True,
) -> None:
    """Change a customer's fields (only those given); with `primary_contact`, also its first
    contact person. Audited with the values before and after."""
    partner_id = int(customer["partner"])
    allowed = {
        "name",
        "kind",
        "industry",
        "size",
        "region",
        "city",
        "source",
        "owner_id",
        "tags",
        "notes",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise FormError({"": _("Unknown field: %(name)s", name=", ".join(sorted(unknown)))})
    if "name" in changes and not str(changes["name"]).strip():
        raise FormError({"name": _("This field is required.")})
    if primary_contact is not None:
        errors = _check_contact(primary_contact)
        if errors:
            raise FormError(errors)
    if "owner_id" in changes:
        await _check_partner_user(partner_id, changes["owner_id"], "owner_id")
    if not allow_duplicate:
        duplicates = await find_duplicates(
            partner_id,
            str(changes.get("name", "")),
            [primary_contact.phone] if primary_contact else [],
            [primary_contact.email] if primary_contact else [],
            exclude_id=customer["id"],
        )
        if duplicates:
            raise DuplicateFound(duplicates)
    values: dict[Any, Any] = {}
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key, value in changes.items():
        column = "owner" if key == "owner_id" else key
        if key == "tags":
            value = tags_text(parse_tags(value))
        elif isinstance(value, str):
            value = value.strip()
        if customer.get(column) != value:
            values[getattr(Customer, column)] = value
            before[column] = customer.get(column)
            after[column] = value
            if key == "name":
                values[Customer.name_key] = name_key(value)
    async with write_transaction():
        if primary_contact is not None:
            await _save_primary_contact(customer, primary_contact)
            values[Customer.contact_name] = primary_contact.name.strip()[:100]
            values[Customer.contact_phone] = primary_contact.phone.strip()[:40]
            values[Customer.contact_email] = primary_contact.email.strip().lower()[:200]
        if not values:
            return
        values[Customer.updated_at] = now()
        await Customer.update(values).where(Customer.id == customer["id"])
        if Customer.tags in values:
            forget_cached()
        if after:
            await audit.record(
                "customer.updated",
                actor=actor,
                partner_id=partner_id,
                target_type="customer",
                target_id=customer["id"],
                before=before,
                after=after,
            )


async def _save_primary_contact(customer: dict[str, Any], contact: ContactData) -> None:
    first = await (
        CustomerContact.select(CustomerContact.id)
        .where(CustomerContact.customer == customer["id"])
        .order_by(CustomerContact.position)
        .order_by(CustomerContact.id)
        .first()
    )
    if not (contact.name.strip() or contact.phone.strip() or contact.email.strip()):
        return
    row = _contact_row(customer["id"], customer["partner"], contact, 0)
    if first is None:
        await CustomerContact.insert(row)
        return
    await CustomerContact.update(
        {
            CustomerContact.name: row.name,
            CustomerContact.title: row.title,
            CustomerContact.phone: row.phone,
            CustomerContact.phone_key: row.phone_key,
            CustomerContact.email: row.email,
            CustomerContact.wechat: row.wechat,
        }
    ).where(CustomerContact.id == first["id"])


async def add_contact(actor: CurrentUser, customer: dict[str, Any], contact: ContactData) -> int:
    """Add a contact person to a customer (at most MAX_CONTACTS)."""
    errors = _check_contact(contact, "")
    if errors:
        raise FormError(errors)
    count = await CustomerContact.count().where(CustomerContact.customer == customer["id"])
    if count >= MAX_CONTACTS:
        raise FormError({"": _("A customer has at most %(n)s contact people.", n=MAX_CONTACTS)})
    async with write_transaction():
        inserted = await CustomerContact.insert(
            _contact_row(customer["id"], customer["partner"], contact, count)
        ).returning(CustomerContact.id)
        if count == 0:
            await Customer.update(
                {
                    Customer.contact_name: contact.name.strip()[:100],
                    Customer.contact_phone: contact.phone.strip()[:40],
                    Customer.contact_email: contact.email.strip().lower()[:200],
                }
            ).where(Customer.id == customer["id"])
        await audit.record(
            "customer.contact_added",
            actor=actor,
            partner_id=customer["partner"],
            target_type="customer",
            target_id=customer["id"],
            after={"name": contact.name},
        )
    return int(inserted[0]["id"])


async def remove_contact(actor: CurrentUser, customer: dict[str, Any], contact_id: int) -> None:
    """Remove a contact person; the next one becomes the primary contact."""
    row = await (
        CustomerContact.select(CustomerContact.name)
        .where((CustomerContact.id == contact_id) & (CustomerContact.customer == customer["id"]))
        .first()
    )
    if row is None:
        raise NotFound
    async with write_transaction():
        await CustomerContact.delete().where(CustomerContact.id == contact_id)
        nxt = await (
            CustomerContact.select()
            .where(CustomerContact.customer == customer["id"])
            .order_by(CustomerContact.position)
            .order_by(CustomerContact.id)
            .first()
        )
        await Customer.update(
            {
                Customer.contact_name: nxt["name"] if nxt else "",
                Customer.contact_phone: nxt["phone"] if nxt else "",
                Customer.contact_email: nxt["email"] if nxt else "",
            }
        ).where(Customer.id == customer["id"])
        await audit.record(
            "customer.contact_removed",
            actor=actor,
            partner_id=customer["partner"],
            target_type="customer",
            target_id=customer["id"],
            before={"name": row["name"]},
        )


async def _refresh_followup(customer_id: int) -> None:
    row = await (
        Interaction.select(Interaction.followup_on)
        .where(
            (Interaction.customer == customer_id)
            & Interaction.followup_on.is_not_null()
            & Interaction.followup_done_at.is_null()
        )
        .order_by(Interaction.followup_on)
        .first()
    )
    await Customer.update({Customer.next_followup_on: row["followup_on"] if row else None}).where(
        Customer.id == customer_id
    )


async def log_interaction(
    actor: CurrentUser, customer: dict[str, Any], data: InteractionData
) -> int:
    """Record a contact with the customer. It completes the customer's open follow-ups (this
    contact is the follow-up) and may set the next one, assigned to the actor by default."""
    partner_id = int(customer["partner"])
    moment = now()
    occurred = data.occurred_at or moment
    if occurred.tzinfo is None:
        raise FormError({"occurred_at": _("Enter a valid date and time.")})
    errors: dict[str, str] = {}
    if occurred > moment + dt.timedelta(minutes=10):
        errors["occurred_at"] = _("A contact cannot lie in the future.")
    if occurred < moment - dt.timedelta(days=3660):
        errors["occurred_at"] = _("Enter a date within the last ten years.")
    if not data.summary.strip():
        errors["summary"] = _("This field is required.")
    if data.followup_on is not None and data.followup_on < to_local(occurred).date():
        errors["followup_on"] = _("The follow-up date cannot be before the contact.")
    if errors:
        raise FormError(errors)
    assignee = data.assignee_id
    if data.followup_on is not None and assignee is None:
        assignee = actor.id
    await _check_partner_user(partner_id, assignee, "assignee_id")
    async with write_transaction():
        inserted = await Interaction.insert(
            Interaction(
                customer=customer["id"],
                partner=partner_id,
                user=actor.id,
                user_name=actor.name or actor.email,
                channel=data.channel,
                direction=data.direction,
                occurred_at=occurred,
                summary=data.summary.strip(),
                outcome=data.outcome,
                followup_on=data.followup_on,
                assignee=assignee if data.followup_on else None,
                source=data.source,
                created_at=moment,
            )
        ).returning(Interaction.id)
        interaction_id = int(inserted[0]["id"])
        # This contact is the follow-up the earlier contacts asked for: it closes them, done
        # when it happened (a contact logged late still counts on time if it was on time).
        await Interaction.update(
            {Interaction.followup_done_at: occurred, Interaction.followup_done_by_id: actor.id}
        ).where(
            (Interaction.customer == customer["id"])
            & (Interaction.id != interaction_id)
            & (Interaction.occurred_at <= occurred)
            & Interaction.followup_on.is_not_null()
            & Interaction.followup_done_at.is_null()
        )
        last = customer.get("last_contact_at")
        await Customer.update(
            {
                Customer.interaction_count: Customer.interaction_count + 1,
                Customer.last_contact_at: occurred if last is None or occurred > last else last,
                Customer.updated_at: moment,
            }
        ).where(Customer.id == customer["id"])
        await _refresh_followup(customer["id"])
        await audit.record(
            "customer.contact_logged",
            actor=actor,
            partner_id=partner_id,
            target_type="customer",
            target_id=customer["id"],
            after={"interaction": interaction_id, "channel": data.channel},
        )
    from portal.customers.segmentation import recompute_segments

    await recompute_segments(customer_ids=[int(customer["id"])])
    return interaction_id


async def complete_followup(actor: CurrentUser, interaction_id: int) -> None:
    """Mark a follow-up done without logging a contact; NotFound outside the wall."""
    row = await (
        Interaction.select(Interaction.customer, Interaction.followup_done_at)
        .where((Interaction.id == interaction_id) & Interaction.followup_on.is_not_null())
        .first()
    )
    if row is None:
        raise NotFound
    customer = await get_customer_for_user(actor, row["customer"])
    if row["followup_done_at"] is not None:
        return
    async with write_transaction():
        await Interaction.update(
            {Interaction.followup_done_at: now(), Interaction.followup_done_by_id: actor.id}
        ).where((Interaction.id == interaction_id) & Interaction.followup_done_at.is_null())
        await _refresh_followup(customer["id"])
        await audit.record(
            "customer.followup_done",
            actor=actor,
            partner_id=customer["partner"],
            target_type="customer",
            target_id=customer["id"],
            after={"interaction": interaction_id},
        )


async def bulk_tag(
    actor: CurrentUser, customer_ids: list[int], tag: str, remove: bool = False
) -> int:
    """Add (or remove) one tag on the given customers the actor may see; returns how many changed."""
    clean = parse_tags(tag)
    if not clean:
        raise FormError({"tag": _("This field is required.")})
    if not customer_ids:
        raise FormError({"ids": _("Select at least one customer.")})
    tag = clean[0]
    rows = await Customer.select(Customer.id, Customer.tags).where(
        Customer.id.is_in(customer_ids[:1000]), *customer_scope(actor)
    )
    changed = 0
    async with write_transaction():
        for row in rows:
            current = tags_list(row["tags"])
            has = tag.lower() in {t.lower() for t in current}
            if remove and has:
                new = [t for t in current if t.lower() != tag.lower()]
            elif not remove and not has and len(current) < MAX_TAGS:
                new = [*current, tag]
            else:
                continue
            await Customer.update(
                {Customer.tags: tags_text(new), Customer.updated_at: now()}
            ).where(Customer.id == row["id"])
            changed += 1
        if changed:
            await audit.record(
                "customer.bulk_untagged" if remove else "customer.bulk_tagged",
                actor=actor,
                partner_id=actor.partner_id,
                target_type="customer",
                after={"tag": tag, "customers": changed},
            )
    forget_cached()
    return changed


async def set_visibility(actor: CurrentUser, members_see_all: bool) -> None:
    """The partner admin's choice: members see every customer, or only those they own."""
    if not actor.is_partner_admin or actor.partner_id is None:
        raise FormError({"": _("Only the company's administrators can change this.")})
    before = await visibility(actor.partner_id)
    async with write_transaction():
        updated = await (
            CustomerSettings.update(
                {
                    CustomerSettings.members_see_all: members_see_all,
                    CustomerSettings.updated_by_id: actor.id,
                    CustomerSettings.updated_at: now(),
                }
            )
            .where(CustomerSettings.partner == actor.partner_id)
            .returning(CustomerSettings.id)
        )
        if not updated:
            await CustomerSettings.insert(
                CustomerSettings(
                    partner=actor.partner_id,
                    members_see_all=members_see_all,
                    updated_by_id=actor.id,
                    updated_at=now(),
                )
            )
        if before != members_see_all:
            await audit.record(
                "customer.visibility_changed",
                actor=actor,
                partner_id=actor.partner_id,
                target_type="partner",
                target_id=actor.partner_id,
                before={"members_see_all": before},
                after={"members_see_all": members_see_all},
            )


async def set_digest(actor: CurrentUser, daily_digest: bool) -> None:
    """A user's choice to receive (or not) the daily follow-up digest."""
    async with write_transaction():
        updated = await (
            CustomerUserSettings.update(
                {
                    CustomerUserSettings.daily_digest: daily_digest,
                    CustomerUserSettings.updated_at: now(),
                }
            )
            .where(CustomerUserSettings.user == actor.id)
            .returning(CustomerUserSettings.id)
        )
        if not updated:
            await CustomerUserSettings.insert(
                CustomerUserSettings(user=actor.id, daily_digest=daily_digest, updated_at=now())
            )
        await audit.record(
            "customer.digest_" + ("on" if daily_digest else "off"),
            actor=actor,
            partner_id=actor.partner_id,
            target_type="user",
            target_id=actor.id,
        )


# follow-ups


async def followups_for_user(user_id: int, today: dt.date, days: int = 7) -> list[dict[str, Any]]:
    """Open follow-ups assigned to a user, due up to `days` after today (overdue included)."""
    rows = await (
        Interaction.select(
            Interaction.id,
            Interaction.customer,
            Interaction.customer.name.as_alias("customer_name"),
            Interaction.followup_on,
            Interaction.summary,
            Interaction.channel,
            Interaction.occurred_at,
        )
        .where(
            (Interaction.assignee == user_id)
            & Interaction.followup_done_at.is_null()
            & Interaction.followup_on.is_not_null()
            & (Interaction.followup_on <= today + dt.timedelta(days=days))
        )
        .order_by(Interaction.followup_on)
        .limit(500)
    )
    for row in rows:
        row["overdue"] = row["followup_on"] < today
        row["due_today"] = row["followup_on"] == today
        row["channel_label"] = channel_label(row["channel"])
    return rows


def bucket(rows: list[dict[str, Any]], today: dt.date) -> dict[str, list[dict[str, Any]]]:
    return {
        "overdue": [r for r in rows if r["followup_on"] < today],
        "today": [r for r in rows if r["followup_on"] == today],
        "week": [r for r in rows if today < r["followup_on"] <= today + dt.timedelta(days=7)],
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
