"""The public response form of a campaign: the page an end customer reaches from the material a
partner passes on (a link, a QR code), whose answer becomes a lead for the partners. No sign-in;
a campaign that is not published, or whose period has ended, answers 404."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal.auth.constants import Access
from portal.communications.campaigns import responses
from portal.lib.forms import FormError, read_form
from portal.lib.i18n import current_locale
from portal.partners.constants import PROVINCES, province_name
from portal.web import page, redirect

PUBLIC = {"access": Access.PUBLIC}


def province_options() -> list[tuple[str, str]]:
    locale = current_locale.get()
    return [(code, province_name(code, locale)) for code in PROVINCES]


class CampaignResponsePages(Controller):
    """An end customer answers a campaign."""

    path = "/campaigns/{campaign_id:int}/respond"
    opt = PUBLIC

    async def _form(
        self,
        request: Request,
        campaign_id: int,
        values: dict[str, object] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "communications/campaign_respond.html",
            status_code=status_code,
            campaign=await responses.open_campaign(campaign_id),
            values=values or {},
            errors=errors or {},
            province_options=province_options(),
        )

    @get("/", name="campaigns:respond")
    async def form(self, request: Request, campaign_id: FromPath[int]) -> Template:
        return await self._form(request, campaign_id)

    @post("/", name="campaigns:respond_submit")
    async def submit(self, request: Request, campaign_id: FromPath[int]) -> Template | Redirect:
        form, errors, values = read_form(responses.ResponseForm, await request.form())
        if form is not None:
            try:
                await responses.respond(campaign_id, form)
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(request, "campaigns:responded", campaign_id=campaign_id)
        return await self._form(request, campaign_id, values, errors, 400)

    @get("/thanks", name="campaigns:responded")
    async def thanks(self, request: Request, campaign_id: FromPath[int]) -> Template:
        return page(
            request,
            "communications/campaign_respond.html",
            campaign=await responses.open_campaign(campaign_id),
            sent=True,
        )


PAGES = [CampaignResponsePages]
