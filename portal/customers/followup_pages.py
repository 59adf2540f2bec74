""" "Log a contact" and the follow-up list: partner users with the sales permission only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal.customers import services
from portal.customers.access import get_customer_for_user
from portal.customers.page_helpers import (
    SALES,
    form_choices,
    interaction_data,
    interaction_defaults,
)
from portal.customers.schemas import QuickLogForm
from portal.lib.clock import now
from portal.lib.forms import FormError, read_form
from portal.lib.i18n import gettext as _
from portal.lib.i18n import to_local
from portal.tenancy import NotFound
from portal.web import current_user, page, redirect, safe_next


class ContactLogPages(Controller):
    """ "Log a contact" from anywhere, and the follow-up list."""

    path = "/customers"
    opt = SALES

    async def _log_page(
        self,
        request: Request,
        values: dict[str, Any],
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        user = current_user(request)
        assert user.partner_id is not None
        q = str(request.query_params.get("q", "")).strip()[:100]
        choices = await services.customer_choices(user, q, limit=200)
        return page(
            request,
            "customers/log.html",
            status_code=status_code,
            values=values,
            errors=errors or {},
            q=q,
            customer_options=[(str(i), n) for i, n in choices],
            users=await services.partner_users(user.partner_id),
            **form_choices(),
        )

    @get("/log", name="customers:quick_log")
    async def quick_log(self, request: Request) -> Template:
        user = current_user(request)
        values = interaction_defaults(user)
        values["customer_id"] = request.query_params.get("customer_id", "")
        return await self._log_page(request, values)

    @post("/log", name="customers:quick_log_submit")
    async def quick_log_submit(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        form, errors, values = read_form(QuickLogForm, await request.form())
        if form is None:
            return await self._log_page(request, values, errors, 400)
        try:
            customer = await get_customer_for_user(user, form.customer_id)
        except NotFound:
            return await self._log_page(
                request, values, {"customer_id": _("Choose one of your customers.")}, 400
            )
        try:
            await services.log_interaction(user, customer, interaction_data(form))
        except FormError as exc:
            return await self._log_page(request, values, exc.errors, 400)
        return redirect(
            request,
            "customers:show",
            flash=("success", _("The contact has been logged.")),
            customer_id=form.customer_id,
        )

    @get("/followups", name="customers:followups")
    async def followups(self, request: Request) -> Template:
        user = current_user(request)
        today = to_local(now()).date()
        days = 30 if request.query_params.get("range") == "month" else 7
        rows = await services.followups_for_user(user.id, today, days=days)
        groups = services.bucket(rows, today)
        later = [r for r in rows if r["followup_on"] > today + dt.timedelta(days=7)]
        return page(
            request,
            "customers/followups.html",
            groups=groups,
            later=later,
            today=today,
            month=days == 30,
        )

    @post("/followups/{interaction_id:int}/done", name="customers:followup_done")
    async def followup_done(self, request: Request, interaction_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        data = await request.form()
        back = safe_next(
            str(data.get("next", "")), request.app.route_reverse("customers:followups")
        )
        await services.complete_followup(user, interaction_id)
        return redirect(request, back, flash=("success", _("The follow-up is marked as done.")))
