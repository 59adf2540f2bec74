"""A partner's answer to an offered lead, the time-out of unanswered offers, the conversion to a
deal, and the notices of new offers.

Accept: the lead becomes one of the partner's customers (customers service, source "vendor
lead") with the inquiry logged as an inbound contact and a first follow-up due the next working
day. Decline (with a reason) and time-out close the partner's offer and route the lead to the
next eligible partner at once; with none left it is declined or expired. Each answer is a
conditional UPDATE on the lead still being offered to this partner (two colleagues at once: one
wins, the other is told).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.auth.constants import Permission, Role
from portal.auth.schemas import CurrentUser
from portal.auth.tables import User
from portal.core import email
from portal.core.audit import record
from portal.core.notifications import notify
from portal.customers.constants import Source
from portal.customers.contacts import ContactData
from portal.customers.followups import InteractionData, log_interaction_for
from portal.customers.listing import forget_cached
from portal.customers.records import CustomerData, create_customer
from portal.db import write_transaction
from portal.deals.access import get_lead_for_user, lead_number
from portal.deals.lead_constants import MAX_REASON, LeadStatus, Outcome
from portal.deals.lead_routing import RoutingResult, route_leads, working_calendar
from portal.deals.lead_tables import Lead, LeadOffer
from portal.deals.registration import NotAllowed
from portal.lib import jobs
from portal.lib.clock import now, today
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.i18n import use_locale
from portal.partners.constants import province_name
from portal.settings import get_settings

__all__ = [
    "NotAllowed",
    "accept_lead",
    "decline_lead",
    "expire_offers",
    "mark_converted",
    "notify_offers",
]


def _seller(actor: CurrentUser) -> int:
    if not (actor.is_partner and actor.has(Permission.SALES)) or actor.partner_id is None:
        raise FormError({"": _("You do not have permission to do this.")})
    return actor.partner_id


def next_working_day(day: dt.date) -> dt.date:
    calendar = working_calendar()
    nxt = day + dt.timedelta(days=1)
    while not calendar.is_working_day(nxt):
        nxt += dt.timedelta(days=1)
    return nxt


async def _close_offer(
    lead_id: int, partner_id: int, outcome: Outcome, actor: CurrentUser | None, reason: str = ""
) -> None:
    await LeadOffer.update(
        {
            LeadOffer.ended_at: now(),
            LeadOffer.outcome: outcome,
            LeadOffer.reason: reason,
            LeadOffer.actor_id: actor.id if actor else None,
            LeadOffer.actor_name: (actor.name or actor.email) if actor else "",
        }
    ).where(
        (LeadOffer.lead == lead_id)
        & (LeadOffer.partner == partner_id)
        & (LeadOffer.outcome == Outcome.OPEN)
    )


async def accept_lead(actor: CurrentUser, lead_id: int) -> int:
    """The partner takes the lead; returns the id of the customer it became. One transaction:
    the lead, its offer, the customer, the logged inquiry and the link all commit together, or
    none does (a failure half-way leaves the lead offered and no customer)."""
    partner_id = _seller(actor)
    lead = await get_lead_for_user(actor, lead_id)
    moment = now()
    summary = _("Lead %(number)s from the vendor.", number=lead["number"])
    if lead["note"]:
        summary = f"{summary} {lead['note']}"
    # create_customer and log_interaction open write_transaction() themselves: inside this one
    # Piccolo joins them to it (no savepoint, no second connection), so their writes commit or
    # roll back with the lead's.
    async with write_transaction():
        won = await (
            Lead.update(
                {
                    Lead.status: LeadStatus.ACCEPTED,
                    Lead.accepted_at: moment,
                    Lead.accepted_by_id: actor.id,
                    Lead.updated_at: moment,
                }
            )
            .where(
                (Lead.id == lead_id)
                & (Lead.partner == partner_id)
                & (Lead.status == LeadStatus.OFFERED)
            )
            .returning(Lead.id)
        )
        if not won:
            raise NotAllowed(_("This lead is no longer waiting for your answer."))
        await _close_offer(lead_id, partner_id, Outcome.ACCEPTED, actor)
        customer_id = await create_customer(
            actor,
            CustomerData(
                name=lead["company"],
                region=province_name(lead["province"], "zh_CN"),
                city=lead["city"],
                source=Source.VENDOR_LEAD,
                notes=lead["note"],
                contacts=[
                    ContactData(name=lead["contact_name"], phone=lead["phone"], email=lead["email"])
                ],
            ),
            allow_duplicate=True,
            via="lead",
        )
        await log_interaction_for(
            actor,
            customer_id,
            InteractionData(
                channel="other",
                direction="inbound",
                summary=summary[:2000],
                occurred_at=moment,
                followup_on=next_working_day(today()),
                source="lead",
            ),
        )
        await Lead.update({Lead.customer_id: customer_id}).where(Lead.id == lead_id)
        await record(
            "lead.accepted",
            actor=actor,
            partner_id=partner_id,
            target_type="lead",
            target_id=lead_id,
            after={"number": lead["number"], "company": lead["company"], "customer": customer_id},
        )
    # create_customer dropped the cached tag lists and counts before this commit; a page read
    # in between may have cached them again without the new customer
    forget_cached()
    return customer_id


async def decline_lead(actor: CurrentUser, lead_id: int, reason: str) -> RoutingResult:
    """The partner passes the lead on, with a reason the vendor sees; it is routed at once to
    the next eligible partner (or declined when there is none)."""
    partner_id = _seller(actor)
    lead = await get_lead_for_user(actor, lead_id)
    reason = reason.strip()
    if not reason:
        raise FormError({"reason": _("Say why you pass this lead on.")})
    if len(reason) > MAX_REASON:
        raise FormError({"reason": _("At most %(n)s characters.", n=MAX_REASON)})
    moment = now()
    async with write_transaction():
        back = await (
            Lead.update(
                {
                    Lead.status: LeadStatus.NEW,
                    Lead.partner: None,
                    Lead.offered_at: None,
                    Lead.due_at: None,
                    Lead.updated_at: moment,
                }
            )
            .where(
                (Lead.id == lead_id)
                & (Lead.partner == partner_id)
                & (Lead.status == LeadStatus.OFFERED)
            )
            .returning(Lead.id)
        )
        if not back:
            raise NotAllowed(_("This lead is no longer waiting for your answer."))
        await _close_offer(lead_id, partner_id, Outcome.DECLINED, actor, reason)
        await record(
            "lead.declined",
            actor=actor,
            partner_id=partner_id,
            target_type="lead",
            target_id=lead_id,
            after={"number": lead["number"], "reason": reason},
        )
    return await route_leads([lead_id], final_status=LeadStatus.DECLINED)


async def expire_offers(limit: int = 5_000) -> RoutingResult:
    """Offers past their due time: closed as timed out, their leads routed to the next eligible
    partner (or expired when none is left). Set-based and idempotent: an offer times out once."""
    moment = now()
    due = await (
        Lead.select(Lead.id, Lead.partner)
        .where((Lead.status == LeadStatus.OFFERED) & (Lead.due_at <= moment))
        .order_by(Lead.id)
        .limit(limit)
    )
    if not due:
        return RoutingResult()
    back: list[dict[str, Any]] = []
    async with write_transaction():
        for start in range(0, len(due), 500):
            ids = [int(r["id"]) for r in due[start : start + 500]]
            back.extend(
                await Lead.update(
                    {
                        Lead.status: LeadStatus.NEW,
                        Lead.partner: None,
                        Lead.offered_at: None,
                        Lead.due_at: None,
                        Lead.updated_at: moment,
                    }
                )
                .where(Lead.id.is_in(ids))
                .where((Lead.status == LeadStatus.OFFERED) & (Lead.due_at <= moment))
                .returning(Lead.id)
            )
        ids = [int(r["id"]) for r in back]
        for start in range(0, len(ids), 500):
            await LeadOffer.update(
                {
                    LeadOffer.ended_at: moment,
                    LeadOffer.outcome: Outcome.TIMED_OUT,
                    LeadOffer.actor_name: "",
                }
            ).where(
                LeadOffer.lead.is_in(ids[start : start + 500]) & (LeadOffer.outcome == Outcome.OPEN)
            )
        if ids:
            await record(
                "lead.timed_out",
                target_type="lead",
                target_id=ids[0] if len(ids) == 1 else None,
                after={"count": len(ids)},
            )
    return await route_leads(ids, final_status=LeadStatus.EXPIRED)


async def mark_converted(actor: CurrentUser, lead_id: int, deal_id: int) -> None:
    """The partner registered deal `deal_id` for its accepted lead."""
    partner_id = _seller(actor)
    lead = await get_lead_for_user(actor, lead_id)
    async with write_transaction():
        done = await (
            Lead.update(
                {Lead.status: LeadStatus.CONVERTED, Lead.deal_id: deal_id, Lead.updated_at: now()}
            )
            .where(
                (Lead.id == lead_id)
                & (Lead.partner == partner_id)
                & (Lead.status == LeadStatus.ACCEPTED)
            )
            .returning(Lead.id)
        )
        if not done:
            raise NotAllowed(_("Only an accepted lead can become a deal."))
        await record(
            "lead.converted",
            actor=actor,
            partner_id=partner_id,
            target_type="lead",
            target_id=lead_id,
            after={"number": lead["number"], "deal": deal_id},
        )


# ---- notices ---------------------------------------------------------------------------------


async def _recipients(partner_id: int) -> list[dict[str, Any]]:
    """The partner's active users who work with leads (admins and sales members)."""
    return await User.select(User.id, User.email, User.name, User.locale).where(
        (User.partner == partner_id)
        & (User.is_active == True)  # noqa: E712
        & ((User.role == Role.PARTNER_ADMIN) | (User.can_sales == True))  # noqa: E712
    )


def _titles(count: int, first: str) -> tuple[str, str]:
    with use_locale("en"):
        en = (
            _("New lead waiting for you: %(company)s", company=first)
            if count == 1
            else _("%(n)s new leads waiting for you", n=count)
        )
    with use_locale("zh_CN"):
        zh = (
            _("New lead waiting for you: %(company)s", company=first)
            if count == 1
            else _("%(n)s new leads waiting for you", n=count)
        )
    return en, zh


async def notify_offers() -> list[int]:
    """Bell and e-mail (in each user's language) for offers not told yet, one notice per
    partner however many leads it got; each offer claimed once. The e-mail ids queued."""
    rows = await (
        LeadOffer.select(
            LeadOffer.id,
            LeadOffer.partner,
            LeadOffer.due_at,
            LeadOffer.lead.company.as_alias("company"),
            LeadOffer.lead.id.as_alias("lead_id"),
            LeadOffer.lead.created_at.as_alias("created_at"),
            LeadOffer.partner.locale.as_alias("partner_locale"),
        )
        .where(LeadOffer.notified_at.is_null() & (LeadOffer.outcome == Outcome.OPEN))
        .order_by(LeadOffer.id)
        .limit(5_000)
    )
    by_partner: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        by_partner.setdefault(int(r["partner"]), []).append(r)
    base = get_settings().base_url
    email_ids: list[int] = []
    for partner_id, offers in by_partner.items():
        ids = [int(o["id"]) for o in offers]
        async with write_transaction():
            claimed: list[int] = []
            for start in range(0, len(ids), 500):
                claimed.extend(
                    int(r["id"])
                    for r in await LeadOffer.update({LeadOffer.notified_at: now()})
                    .where(LeadOffer.id.is_in(ids[start : start + 500]))
                    .where(LeadOffer.notified_at.is_null())
                    .returning(LeadOffer.id)
                )
            if not claimed:
                continue
            mine = [o for o in offers if int(o["id"]) in set(claimed)]
            first = mine[0]
            title_en, title_zh = _titles(len(mine), first["company"])
            single = len(mine) == 1
            link = f"/leads/{first['lead_id']}" if single else "/leads"
            users = await _recipients(partner_id)
            await notify(
                [u["id"] for u in users],
                kind="lead",
                title_en=title_en,
                title_zh=title_zh,
                link=link,
                ref=f"lead-offers:{claimed[0]}",
            )
            for user in users:
                locale = user["locale"] or first["partner_locale"] or get_settings().default_locale
                context = {
                    "name": user["name"],
                    "count": len(mine),
                    "companies": [o["company"] for o in mine[:10]],
                    "number": lead_number(
                        {"id": first["lead_id"], "created_at": first["created_at"]}
                    ),
                    "due_at": first["due_at"],
                    "link": f"{base}{link}",
                }
                email_ids.append(
                    await email.queue_email(user["email"], "lead_offered", context, locale)
                )
    for email_id in email_ids:
        await jobs.enqueue("deliver_email", email_id, job_id=f"email:{email_id}")
    return email_ids
