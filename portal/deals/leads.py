"""Leads coming in (console form, file import, API) and the reads of the lead pages.

Only vendor staff create leads. Every new lead is routed at once (lead_routing.route_leads), so
a lead typed into the console or posted by the website is offered to a partner within the
request; the routing job catches up what is left (capacity full, no rule yet).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from piccolo.query.functions.aggregate import Count

from portal.auth.constants import Permission
from portal.auth.schemas import CurrentUser
from portal.core.audit import record
from portal.db import write_transaction
from portal.deals.access import (
    LEAD_COLUMNS,
    get_lead_for_user,
    id_from_number,
    lead_scope,
    numbered,
)
from portal.deals.lead_constants import LeadSource, LeadStatus
from portal.deals.lead_routing import route_leads
from portal.deals.lead_tables import Lead, LeadOffer
from portal.lib.cards import Card
from portal.lib.clock import now
from portal.lib.forms import EMAIL_RE, FormError
from portal.lib.i18n import format_datetime
from portal.lib.i18n import gettext as _
from portal.orders.tables import Category
from portal.partners.constants import PROVINCES
from portal.tenancy import NotFound


@dataclass
class LeadData:
    """A lead as the services take it, from the form, the API or a file row."""

    company: str
    contact_name: str
    phone: str = ""
    province: str = ""
    email: str = ""
    city: str = ""
    product_interest: str = ""  # a product category code ("" = none said)
    source: str = LeadSource.CONSOLE
    note: str = ""


@dataclass
class LeadFilters:
    status: str = ""
    partner_id: int | None = None
    province: str = ""
    q: str = ""
    page: int = 1
    per_page: int = 50


def _staff(actor: CurrentUser) -> None:
    if not actor.is_vendor:
        raise FormError({"": _("You do not have permission to do this.")})


async def category_ids() -> dict[str, int]:
    """Product category code -> id (the product interest of a lead)."""
    return {str(c["code"]): int(c["id"]) for c in await Category.select(Category.id, Category.code)}


def check_lead(data: LeadData, categories: dict[str, int]) -> dict[str, str]:
    """Every problem of one lead at once, by field (empty: the lead is fine)."""
    errors: dict[str, str] = {}
    for name in ("company", "contact_name"):
        if not str(getattr(data, name)).strip():
            errors[name] = _("This field is required.")
    if len(data.company.strip()) > 200:
        errors["company"] = _("At most %(n)s characters.", n=200)
    if len(data.contact_name.strip()) > 120:
        errors["contact_name"] = _("At most %(n)s characters.", n=120)
    if not data.phone.strip() and not data.email.strip():
        errors["phone"] = _("Give a phone number or an e-mail address.")
    if len(data.phone.strip()) > 40:
        errors["phone"] = _("At most %(n)s characters.", n=40)
    if data.email.strip() and not EMAIL_RE.match(data.email.strip()):
        errors["email"] = _("Enter an e-mail address.")
    if data.province.strip().upper() not in PROVINCES:
        errors["province"] = _("Choose a province.")
    if len(data.city.strip()) > 80:
        errors["city"] = _("At most %(n)s characters.", n=80)
    if data.product_interest.strip() and data.product_interest.strip() not in categories:
        errors["product_interest"] = _("No such product line: %(code)s", code=data.product_interest)
    if data.source not in set(LeadSource):
        errors["source"] = _("Choose a source.")
    if len(data.note) > 4000:
        errors["note"] = _("At most %(n)s characters.", n=4000)
    return errors


def lead_row(
    data: LeadData, categories: dict[str, int], actor: CurrentUser | None, moment: Any
) -> Lead:
    interest = data.product_interest.strip()
    return Lead(
        company=data.company.strip(),
        contact_name=data.contact_name.strip(),
        phone=data.phone.strip(),
        email=data.email.strip().lower(),
        province=data.province.strip().upper(),
        city=data.city.strip(),
        category=categories.get(interest) if interest else None,
        source=data.source,
        note=data.note.strip(),
        status=LeadStatus.NEW,
        created_by_id=actor.id if actor else None,
        created_at=moment,
        updated_at=moment,
    )


async def insert_leads(
    actor: CurrentUser | None, rows: list[LeadData], categories: dict[str, int], via: str
) -> list[int]:
    """Write checked leads (one transaction, numbered from their ids, one audit entry); ids."""
    moment = now()
    ids: list[int] = []
    async with write_transaction():
        for start in range(0, len(rows), 500):
            chunk = [lead_row(d, categories, actor, moment) for d in rows[start : start + 500]]
            inserted = await Lead.insert(*chunk).returning(Lead.id)
            ids.extend(int(r["id"]) for r in inserted)
        await record(
            "lead.created",
            actor=actor,
            target_type="lead",
            target_id=ids[0] if len(ids) == 1 else None,
            after={"count": len(ids), "via": via, "company": rows[0].company if rows else ""},
        )
    return ids


async def create_lead(actor: CurrentUser, data: LeadData) -> int:
    """A new lead from vendor staff (console form or API); FormError with every bad field.
    It is routed at once (the caller runs lead_routing.route_leads)."""
    _staff(actor)
    categories = await category_ids()
    errors = check_lead(data, categories)
    if errors:
        raise FormError(errors)
    return (await insert_leads(actor, [data], categories, via=str(data.source)))[0]


def campaign_origin(campaign_id: int, data: LeadData) -> str:
    """The key of one response to one campaign: the same company, contact and ways to reach
    (spaces, case and phone punctuation aside) sent again is the same response."""
    parts = [
        " ".join(data.company.split()).casefold(),
        " ".join(data.contact_name.split()).casefold(),
        "".join(ch for ch in data.phone if ch.isdigit()),
        data.email.strip().lower(),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
    return f"campaign:{campaign_id}:{digest}"


async def lead_from_campaign(campaign_id: int, fields: dict[str, Any]) -> int | None:
    """An end customer's response to a campaign as a lead (source "campaign"), routed at once
    (the hooks.campaign_lead provider); None when the response is not a usable lead. The same
    response sent again (a second click, a reload) answers the lead it already made, unrouted
    again."""
    categories = await category_ids()
    note = str(fields.get("note", "")).strip()
    data = LeadData(
        company=str(fields.get("company", "")),
        contact_name=str(fields.get("contact_name", "")),
        phone=str(fields.get("phone", "")),
        province=str(fields.get("province", "")),
        email=str(fields.get("email", "")),
        city=str(fields.get("city", "")),
        product_interest=str(fields.get("product_interest", "")),
        source=LeadSource.CAMPAIGN,
        note=f"{note} (#{campaign_id})".strip(),
    )
    if check_lead(data, categories):
        return None
    origin = campaign_origin(campaign_id, data)
    async with write_transaction():
        row = lead_row(data, categories, None, now())
        row.origin_key = origin
        # ON CONFLICT on the unique origin key: two submissions at once make one row
        inserted = await Lead.insert(row).on_conflict(action="DO NOTHING").returning(Lead.id)
        if inserted:
            await record(
                "lead.created",
                target_type="lead",
                target_id=int(inserted[0]["id"]),
                after={"count": 1, "via": f"campaign:{campaign_id}", "company": data.company},
            )
    if not inserted:
        same = await Lead.select(Lead.id).where(Lead.origin_key == origin).first()
        return int(same["id"]) if same else None
    lead_id = int(inserted[0]["id"])
    await route_leads([lead_id])
    return lead_id


def _where(user: CurrentUser, filters: LeadFilters) -> list[Any]:
    where: list[Any] = [lead_scope(user)]
    if filters.status == "open":
        where.append(Lead.status.is_in([LeadStatus.NEW, LeadStatus.OFFERED]))
    elif filters.status in set(LeadStatus):
        where.append(Lead.status == filters.status)
    if filters.partner_id is not None:
        where.append(Lead.partner == filters.partner_id)
    if filters.province:
        where.append(Lead.province == filters.province)
    term = filters.q.strip()[:100]
    if term:
        pattern = "%" + term.replace("%", "").replace("_", "") + "%"
        match = Lead.company.ilike(pattern) | Lead.contact_name.ilike(pattern)
        lead_id = id_from_number(term)
        if lead_id is not None:
            match = match | (Lead.id == lead_id)
        where.append(match)
    return where


async def list_leads(user: CurrentUser, filters: LeadFilters) -> tuple[list[dict[str, Any]], int]:
    """One page of the leads `user` may see, newest first, and how many match."""
    where = _where(user, filters)
    total = await Lead.count().where(*where)
    rows = await (
        Lead.select(*LEAD_COLUMNS)
        .where(*where)
        .order_by(Lead.id, ascending=False)
        .limit(filters.per_page)
        .offset((max(filters.page, 1) - 1) * filters.per_page)
    )
    return numbered(rows), int(total)


async def status_counts(user: CurrentUser) -> dict[str, int]:
    """How many leads `user` may see, per status."""
    rows = await (
        Lead.select(Lead.status, Count(Lead.id, alias="n"))
        .where(lead_scope(user))
        .group_by(Lead.status)
    )
    return {str(r["status"]): int(r["n"]) for r in rows}


async def lead_detail(user: CurrentUser, lead_id: int) -> dict[str, Any]:
    """The lead and, for vendor staff, its history (every offer: partner, from, to, outcome,
    reason); a partner sees only its own offer. NotFound outside the wall."""
    lead = await get_lead_for_user(user, lead_id)
    query = LeadOffer.select(
        *LeadOffer.all_columns(),
        LeadOffer.partner.name.as_alias("partner_name"),
        LeadOffer.partner.code.as_alias("partner_code"),
    )
    where: Any = LeadOffer.lead == lead_id
    if not user.is_vendor:
        where = where & (LeadOffer.partner == user.partner_id)
    offers = await query.where(where).order_by(LeadOffer.id)
    return {"lead": lead, "offers": offers}


async def waiting_count(user: CurrentUser) -> int:
    """Leads offered to the user's partner and not answered yet."""
    if not user.is_partner:
        return 0
    return int(await Lead.count().where(lead_scope(user), Lead.status == LeadStatus.OFFERED))


async def get_offered_lead(user: CurrentUser, lead_id: int) -> dict[str, Any]:
    """The lead if it is offered to the user's partner now; NotFound otherwise."""
    lead = await get_lead_for_user(user, lead_id)
    if lead["status"] != LeadStatus.OFFERED:
        raise NotFound
    return lead


async def home_cards(user: CurrentUser) -> list[Card]:
    """Partner sales users: the leads waiting for their answer (the earliest due first).
    Vendor staff: leads no rule could place and leads every partner passed on."""
    if user.is_partner and user.has(Permission.SALES):
        waiting = await (
            Lead.select(Lead.id, Lead.company, Lead.due_at)
            .where(lead_scope(user), Lead.status == LeadStatus.OFFERED)
            .order_by(Lead.due_at)
            .limit(3)
        )
        total = await waiting_count(user)
        items = [(_("Waiting for your answer"), str(total), "/leads")]
        items += [
            (
                str(r["company"]),
                format_datetime(r["due_at"]) if r["due_at"] else "",
                f"/leads/{r['id']}",
            )
            for r in waiting
        ]
        return [
            Card(
                title=_("Leads waiting for you"),
                items=items,
                link="/leads",
                link_label=_("All leads"),
                tone="attention" if total else "ok",
            )
        ]
    if user.is_vendor:
        counts = await status_counts(user)
        new, stuck = (
            counts.get(LeadStatus.NEW, 0),
            counts.get(LeadStatus.DECLINED, 0) + counts.get(LeadStatus.EXPIRED, 0),
        )
        return [
            Card(
                title=_("Leads"),
                items=[
                    (_("Waiting for routing"), str(new), "/console/leads?status=new"),
                    (
                        _("Offered"),
                        str(counts.get(LeadStatus.OFFERED, 0)),
                        "/console/leads?status=offered",
                    ),
                    (_("Passed on by every partner"), str(stuck), "/console/leads?status=declined"),
                ],
                link="/console/leads",
                link_label=_("Leads"),
                tone="attention" if new or stuck else "ok",
            )
        ]
    return []
