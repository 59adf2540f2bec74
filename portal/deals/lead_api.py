"""The leads part of the JSON API (/api/v1/leads), a contract: paths and field names stay.

Vendor staff (a vendor API token: the website form, a call centre) post leads, which are routed
at once, and read the leads in their scope with each one's history. Partner users with the sales
permission read the leads offered to or accepted by their partner and accept or decline them.
Another partner's lead answers 404; bad input 422 with {"error", "fields"}; an answer to a lead
no longer waiting for it 409."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.deals import lead_answers, leads
from portal.deals.access import get_lead_for_user
from portal.deals.api import refusal
from portal.deals.lead_routing import route_leads
from portal.deals.lead_schemas import (
    DeclinedOut,
    LeadDeclineIn,
    LeadIn,
    LeadListOut,
    LeadOut,
    OfferOut,
)
from portal.lib.forms import FormError
from portal.lib.inputs import PageNo, PerPage
from portal.web import current_user

READERS = {"access": (Access.PARTNER_SALES, Access.VENDOR)}
SELLERS = {"access": Access.PARTNER_SALES}
STAFF = {"access": Access.VENDOR}


def lead_out(lead: dict[str, Any], offers: list[dict[str, Any]] | None = None) -> LeadOut:
    return LeadOut(
        id=int(lead["id"]),
        number=lead["number"],
        status=lead["status"],
        company=lead["company"],
        contact_name=lead["contact_name"],
        phone=lead["phone"],
        email=lead["email"],
        province=lead["province"],
        city=lead["city"],
        product_interest=lead.get("category_code"),
        source=lead["source"],
        note=lead["note"],
        partner_code=lead.get("partner_code"),
        offered_at=lead["offered_at"],
        due_at=lead["due_at"],
        accepted_at=lead["accepted_at"],
        customer_id=lead["customer_id"],
        deal_id=lead["deal_id"],
        created_at=lead["created_at"],
        history=(
            [
                OfferOut(
                    partner_code=o["partner_code"],
                    partner_name=o["partner_name"],
                    offered_at=o["offered_at"],
                    due_at=o["due_at"],
                    ended_at=o["ended_at"],
                    outcome=o["outcome"],
                    reason=o["reason"],
                )
                for o in offers
            ]
            if offers is not None
            else None
        ),
    )


async def full_lead(user: CurrentUser, lead_id: int) -> LeadOut:
    detail = await leads.lead_detail(user, lead_id)
    return lead_out(detail["lead"], detail["offers"])


class LeadApi(Controller):
    path = "/leads"
    opt = READERS

    @get("/", name="api:leads")
    async def index(
        self,
        request: Request,
        status: FromQuery[str] = "",
        q: FromQuery[str] = "",
        page: PageNo = 1,
        per_page: PerPage = 50,
    ) -> LeadListOut:
        """The leads the caller may see, newest first; status "open" (new or offered) or one
        status. A partner gets those offered to or accepted by it."""
        user = current_user(request)
        page = max(page, 1)
        per_page = min(max(per_page, 1), 200)
        filters = leads.LeadFilters(status=status[:20], q=q[:100], page=page, per_page=per_page)
        rows, total = await leads.list_leads(user, filters)
        return LeadListOut(
            items=[lead_out(r) for r in rows], total=total, page=page, per_page=per_page
        )

    @post("/", name="api:leads_create", status_code=201, opt=STAFF)
    async def create(self, request: Request, data: JSONBody[LeadIn]) -> LeadOut:
        """A new lead (company, contact_name, phone or email, province; optional city,
        product_interest = a product category code, source, note), routed at once: the answer
        says to which partner it is offered (`status` offered) or that it waits (`new`)."""
        user = current_user(request)
        try:
            lead_id = await leads.create_lead(
                user,
                leads.LeadData(
                    company=data.company,
                    contact_name=data.contact_name,
                    phone=data.phone,
                    province=data.province,
                    email=data.email,
                    city=data.city,
                    product_interest=data.product_interest,
                    source=data.source,
                    note=data.note,
                ),
            )
        except FormError as exc:
            raise refusal(exc) from None
        await route_leads([lead_id], actor=user)
        return await full_lead(user, lead_id)

    @get("/{lead_id:int}", name="api:lead")
    async def show(self, request: Request, lead_id: FromPath[int]) -> LeadOut:
        """One lead; vendor staff get its history (every partner that had it, when, outcome)."""
        return await full_lead(current_user(request), lead_id)

    @post("/{lead_id:int}/accept", name="api:lead_accept", status_code=200, opt=SELLERS)
    async def accept(self, request: Request, lead_id: FromPath[int]) -> LeadOut:
        """Take the lead: it becomes one of the partner's customers (`customer_id`) with a first
        follow-up due the next working day."""
        user = current_user(request)
        try:
            await lead_answers.accept_lead(user, lead_id)
        except FormError as exc:
            raise refusal(exc) from None
        return await full_lead(user, lead_id)

    @post("/{lead_id:int}/decline", name="api:lead_decline", status_code=200, opt=SELLERS)
    async def decline(
        self, request: Request, lead_id: FromPath[int], data: JSONBody[LeadDeclineIn]
    ) -> DeclinedOut:
        """Pass the lead on with a reason; it goes to the next eligible partner and is no
        longer visible to the caller."""
        user = current_user(request)
        try:
            lead = await get_lead_for_user(user, lead_id)
            await lead_answers.decline_lead(user, lead_id, data.reason)
        except FormError as exc:
            raise refusal(exc) from None
        return DeclinedOut(id=lead_id, number=lead["number"], outcome="declined")


API = [LeadApi]
