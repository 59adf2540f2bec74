"""Partner pages of leads: the leads waiting for you (and those you took), one lead with accept
and decline, and the deal registration form prefilled from an accepted lead (one step: saving it
registers the deal and marks the lead converted)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal.auth.schemas import CurrentUser
from portal.customers.services import customer_choices
from portal.deals import lead_answers, leads, services
from portal.deals.constants import Stage
from portal.deals.lead_constants import LeadStatus
from portal.deals.lead_schemas import DeclineForm
from portal.deals.pages import SELLERS, form_data, stage_options
from portal.deals.schemas import DealForm
from portal.lib.forms import FormError, read_form
from portal.lib.i18n import current_locale
from portal.lib.i18n import gettext as _
from portal.partners.constants import PROVINCES, province_name
from portal.tenancy import NotFound
from portal.web import Page, current_user, page, page_number, redirect

PER_PAGE = 30
TABS = ("offered", "accepted", "converted")


def province_names() -> dict[str, str]:
    """Province code -> name in the reader's language."""
    locale = current_locale.get()
    return {code: province_name(code, locale) for code in PROVINCES}


def first_error(exc: FormError) -> str:
    return next(iter(exc.errors.values()), _("Please correct the fields marked below."))


class LeadPages(Controller):
    """The leads the vendor offers to the partner."""

    path = "/leads"
    opt = SELLERS

    @get("/", name="leads:list")
    async def index(self, request: Request) -> Template:
        user = current_user(request)
        status = str(request.query_params.get("status", "offered"))
        status = status if status in TABS else "offered"
        filters = leads.LeadFilters(
            status=status, page=page_number(request.query_params.get("page")), per_page=PER_PAGE
        )
        rows, total = await leads.list_leads(user, filters)
        ready: list[dict[str, Any]] = []
        if status != "accepted":
            ready, _n = await leads.list_leads(
                user, leads.LeadFilters(status="accepted", per_page=5)
            )
        return page(
            request,
            "deals/leads_list.html",
            leads=rows,
            ready=ready,
            status=status,
            counts=await leads.status_counts(user),
            params={"status": status},
            pager=Page(filters.page, PER_PAGE, total),
            province_names=province_names(),
        )

    @get("/{lead_id:int}", name="leads:show")
    async def show(self, request: Request, lead_id: FromPath[int]) -> Template:
        detail = await leads.lead_detail(current_user(request), lead_id)
        return page(
            request,
            "deals/leads_show.html",
            **detail,
            values={},
            errors={},
            province_names=province_names(),
        )

    @post("/{lead_id:int}/accept", name="leads:accept")
    async def accept(self, request: Request, lead_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        try:
            await lead_answers.accept_lead(user, lead_id)
        except FormError as exc:
            return redirect(
                request, "leads:show", flash=("error", first_error(exc)), lead_id=lead_id
            )
        done = _("The lead is now one of your customers, with a follow-up due tomorrow.")
        return redirect(request, "leads:show", flash=("success", done), lead_id=lead_id)

    @post("/{lead_id:int}/decline", name="leads:decline")
    async def decline(self, request: Request, lead_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        form, errors, values = read_form(DeclineForm, await request.form())
        try:
            if form is None:
                raise FormError(errors)
            await lead_answers.decline_lead(user, lead_id, form.reason)
        except lead_answers.NotAllowed as exc:
            return redirect(request, "leads:show", flash=("error", exc.message), lead_id=lead_id)
        except FormError as exc:
            detail = await leads.lead_detail(user, lead_id)
            return page(
                request,
                "deals/leads_show.html",
                status_code=400,
                **detail,
                values=values,
                errors=exc.errors,
                province_names=province_names(),
            )
        done = _("The lead was passed on; the vendor sees your reason.")
        return redirect(request, "leads:list", flash=("success", done))

    async def _deal_form(
        self,
        request: Request,
        lead: dict[str, Any],
        values: dict[str, Any],
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        user = current_user(request)
        return page(
            request,
            "deals/form.html",
            status_code=status_code,
            values=values,
            errors=errors or {},
            deal=None,
            lead=lead,
            customers=await customer_choices(user, "", 200),
            stage_options=stage_options(),
        )

    async def _accepted(self, user: CurrentUser, lead_id: int) -> dict[str, Any]:
        lead = (await leads.lead_detail(user, lead_id))["lead"]
        if lead["status"] != LeadStatus.ACCEPTED:
            raise NotFound
        return lead

    @get("/{lead_id:int}/deal", name="leads:deal")
    async def deal(self, request: Request, lead_id: FromPath[int]) -> Template:
        lead = await self._accepted(current_user(request), lead_id)
        values = {
            "name": lead["company"],
            "customer_id": lead["customer_id"],
            "customer_phone": lead["phone"],
            "customer_email": lead["email"],
            "stage": Stage.QUALIFIED.value,
            "note": lead["note"],
        }
        return await self._deal_form(request, lead, values)

    @post("/{lead_id:int}/deal", name="leads:deal_create")
    async def deal_create(self, request: Request, lead_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        lead = await self._accepted(user, lead_id)
        data = await request.form()
        form, errors, values = read_form(DealForm, data)
        if form is None:
            return await self._deal_form(request, lead, values, errors, 400)
        try:
            deal_id = await services.save_deal(user, form_data(form))
            await lead_answers.mark_converted(user, lead_id, deal_id)
            submitted = data.get("then") == "submit"
            conflict = await services.submit_deal(user, deal_id) if submitted else False
        except FormError as exc:
            return await self._deal_form(request, lead, values, exc.errors, 400)
        if conflict:
            flash = ("warning", services.conflict_message())
        elif submitted:
            flash = ("success", _("The deal was submitted for review."))
        else:
            flash = ("success", _("The deal was saved as a draft."))
        return redirect(request, "deals:show", flash=flash, deal_id=deal_id)


PAGES = [LeadPages]
