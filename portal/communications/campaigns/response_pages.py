"""The public response form of a campaign: the page an end customer reaches from the material a
partner passes on (a link, a QR code), whose answer becomes a lead for the partners. No sign-in;
a campaign that is not published, or whose period has ended, and a link without the campaign's
key answer 404. Responses from one address are limited (RESPONSES_PER_HOUR), in the sign-in
throttle's store, so a script cannot flood the partners with leads."""

from __future__ import annotations

import datetime as dt

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal.auth import throttle
from portal.auth.constants import Access
from portal.communications.campaigns import responses
from portal.lib.forms import FormError, read_form
from portal.lib.i18n import current_locale
from portal.lib.i18n import gettext as _
from portal.partners.constants import PROVINCES, province_name
from portal.web import client_ip, page, redirect

PUBLIC = {"access": Access.PUBLIC}
RESPONSES_PER_HOUR = 20  # from one client address, all campaigns together


def province_options() -> list[tuple[str, str]]:
    locale = current_locale.get()
    return [(code, province_name(code, locale)) for code in PROVINCES]


class CampaignResponsePages(Controller):
    """An end customer answers a campaign."""

    path = "/campaigns/{campaign_id:int}/respond/{key:str}"
    opt = PUBLIC

    async def _form(
        self,
        request: Request,
        campaign_id: int,
        key: str,
        values: dict[str, object] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "communications/campaign_respond.html",
            status_code=status_code,
            campaign=await responses.open_campaign(campaign_id, key),
            key=key,
            values=values or {},
            errors=errors or {},
            province_options=province_options(),
        )

    @get("/", name="campaigns:respond")
    async def form(
        self, request: Request, campaign_id: FromPath[int], key: FromPath[str]
    ) -> Template:
        return await self._form(request, campaign_id, key)

    @post("/", name="campaigns:respond_submit")
    async def submit(
        self, request: Request, campaign_id: FromPath[int], key: FromPath[str]
    ) -> Template | Redirect:
        await responses.open_campaign(campaign_id, key)  # a wrong link counts nothing
        form, errors, values = read_form(responses.ResponseForm, await request.form())
        if form is not None:
            try:
                responses.check_response(form)  # a refused response counts nothing
            except FormError as exc:
                return await self._form(request, campaign_id, key, values, exc.errors, 400)
            try:
                await throttle.take(
                    [(f"campaign-response:{client_ip(request)}", RESPONSES_PER_HOUR)],
                    dt.timedelta(hours=1),
                )
            except throttle.Throttled as exc:
                message = _(
                    "Too many responses from your network. Try again in %(minutes)s minutes.",
                    minutes=exc.minutes,
                )
                return await self._form(request, campaign_id, key, values, {"": message}, 429)
            try:
                await responses.respond(campaign_id, key, form)
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(request, "campaigns:responded", campaign_id=campaign_id, key=key)
        return await self._form(request, campaign_id, key, values, errors, 400)

    @get("/thanks", name="campaigns:responded")
    async def thanks(
        self, request: Request, campaign_id: FromPath[int], key: FromPath[str]
    ) -> Template:
        return page(
            request,
            "communications/campaign_respond.html",
            campaign=await responses.open_campaign(campaign_id, key),
            sent=True,
        )


PAGES = [CampaignResponsePages]
