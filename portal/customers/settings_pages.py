"""Customer settings pages: member visibility (partner admins only) and the user's digest."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from portal.auth.constants import Access
from portal.customers import services
from portal.customers.page_helpers import SALES
from portal.customers.schemas import DigestForm, VisibilityForm
from portal.lib.forms import read_form
from portal.lib.i18n import gettext as _
from portal.web import current_user, page, redirect


class CustomerSettingsPages(Controller):
    """The partner admin's visibility choice and each user's digest opt-out."""

    path = "/customers/settings"
    opt = SALES

    @get("/", name="customers:settings")
    async def show(self, request: Request) -> Template:
        user = current_user(request)
        assert user.partner_id is not None
        return page(
            request,
            "customers/settings.html",
            values={
                "members_see_all": await services.visibility(user.partner_id),
                "daily_digest": await services.wants_digest(user.id),
            },
        )

    @post("/visibility", name="customers:visibility", opt={"access": Access.PARTNER_ADMIN})
    async def visibility(self, request: Request) -> Redirect:
        user = current_user(request)
        form, _errors, _values = read_form(VisibilityForm, await request.form())
        await services.set_visibility(user, bool(form and form.members_see_all))
        return redirect(
            request, "customers:settings", flash=("success", _("The setting has been saved."))
        )

    @post("/digest", name="customers:digest")
    async def digest(self, request: Request) -> Redirect:
        user = current_user(request)
        form, _errors, _values = read_form(DigestForm, await request.form())
        await services.set_digest(user, bool(form and form.daily_digest))
        return redirect(
            request, "customers:settings", flash=("success", _("The setting has been saved."))
        )
