"""Partner pages and API. The vendor's partner console lives here; applications, the partner's own
pages, vendor staff and the JSON API live in the modules imported below; all are registered here."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from portal.auth import invitations as auth_invitations
from portal.auth import services as auth_services
from portal.lib import clock, hooks
from portal.lib.forms import FormError, id_filter, read_form, struct_values
from portal.lib.i18n import gettext as _
from portal.lib.spreadsheets import XLSX_TYPE
from portal.partners import access, services
from portal.partners.pages_common import (
    FILTER_KEYS,
    PER_PAGE,
    VENDOR,
    VENDOR_ADMIN,
    _options,
    _partner_or_404,
    _partner_values,
    _read_partner_form,
)
from portal.partners.schemas import (
    InviteForm,
    NewPartner,
    NotesForm,
    PartnerChanges,
    PartnerContactForm,
    PartnerFilters,
    ReasonForm,
    TierChangeForm,
)
from portal.web import (
    Page,
    confirmed,
    current_user,
    not_found,
    page,
    page_number,
    redirect,
)


def _params(request: Request) -> dict[str, str]:
    return {key: str(request.query_params.get(key) or "").strip() for key in FILTER_KEYS}


def _filters(request: Request) -> PartnerFilters:
    params = _params(request)
    return PartnerFilters(
        q=params["q"],
        tier=params["tier"],
        kind=params["kind"],
        province=params["province"],
        status=params["status"],
        manager=id_filter(params["manager"]),
        sort=params["sort"] or "name",
        page=page_number(request.query_params.get("page")),
        per_page=PER_PAGE,
    )


class PartnerConsole(Controller):
    """The vendor console's partner pages.

    Vendor admins create partners and change everything; channel managers see their assigned
    partners and edit only their address and contact (services.editable_fields). Partners
    outside the user's scope answer 404.
    """

    path = "/console/partners"
    opt = VENDOR

    @get("/", name="partners:list")
    async def index(self, request: Request) -> Template:
        user = current_user(request)
        params = _params(request)
        filters = _filters(request)
        rows, total = await services.list_partners(user, filters)
        return page(
            request,
            "partners/list.html",
            partners=rows,
            pager=Page(filters.page, PER_PAGE, total),
            params=params,
            values=params,
            counts=await services.count_partners_by_status(user),
            filtered=any(v for k, v in params.items() if k != "sort"),
            **await _options(),
        )

    @get("/export.xlsx", name="partners:export")
    async def export(self, request: Request) -> Response[bytes]:
        """The filtered list as a spreadsheet (everything in the user's scope, not one page)."""
        user = current_user(request)
        data, _count = await services.partners_xlsx(user, _filters(request))
        stamp = clock.local_now().strftime("%Y%m%d-%H%M")
        return Response(
            data,
            media_type=XLSX_TYPE,
            headers={"Content-Disposition": f'attachment; filename="partners-{stamp}.xlsx"'},
        )

    @get("/new", name="partners:new", opt=VENDOR_ADMIN)
    async def new(self, request: Request) -> Template:
        tiers = await services.list_tiers()
        today = clock.today()
        values = {
            "kind": "dealer",
            "locale": "zh_CN",
            "credit_limit": "0",
            "joined_on": today.isoformat(),
            "tier_id": tiers[-1]["id"] if tiers else "",
        }
        return page(
            request,
            "partners/form.html",
            partner=None,
            full=True,
            values=values,
            **await _options(),
        )

    @post("/new", name="partners:create", opt=VENDOR_ADMIN)
    async def create(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        data, errors, values = _read_partner_form(await request.form())
        if data is not None:
            try:
                partner_id = await services.create_partner(user, NewPartner(**data))
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "partners:show",
                    flash=("success", _("The partner has been created.")),
                    partner_id=partner_id,
                )
        return page(
            request,
            "partners/form.html",
            status_code=400,
            partner=None,
            full=True,
            errors=errors,
            values=values,
            **await _options(),
        )

    @get("/{partner_id:int}", name="partners:show")
    async def show(self, request: Request, partner_id: FromPath[int]) -> Template:
        """The vendor's 360° view of a partner: its details and tier here, every other domain's
        section through hooks.partner_overview (portal.partner360); 404 outside the scope."""
        return await self._show(request, partner_id)

    async def _show(
        self,
        request: Request,
        partner_id: int,
        status_code: int = 200,
        failed: str = "",
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
    ) -> Template:
        user = current_user(request)
        partner = await _partner_or_404(user, partner_id)
        users = await auth_services.list_users(partner_id)
        return page(
            request,
            "partners/show.html",
            status_code=status_code,
            partner=partner,
            overview=await hooks.partner_overview(user, partner),
            manager=await services.channel_manager_contact(partner["channel_manager_id"]),
            history=await services.tier_history(partner_id),
            users=users,
            invitations=await auth_invitations.list_open_invitations(partner_id),
            can_edit=bool(services.editable_fields(user)),
            failed=failed,
            errors=errors or {},
            values=values
            or {"role": "partner_member" if users else "partner_admin", "tier_id": partner["tier"]},
            **await _options(),
        )

    @get("/{partner_id:int}/edit", name="partners:edit")
    async def edit(self, request: Request, partner_id: FromPath[int]) -> Template:
        user = current_user(request)
        partner = await _partner_or_404(user, partner_id)
        return page(
            request,
            "partners/form.html",
            partner=partner,
            full=user.is_vendor_admin,
            values=_partner_values(partner),
            **await _options(),
        )

    @post("/{partner_id:int}/edit", name="partners:update")
    async def update(self, request: Request, partner_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        partner = await _partner_or_404(user, partner_id)
        raw = await request.form()
        if user.is_vendor_admin:
            data, errors, values = _read_partner_form(raw)
        else:
            form, errors, values = read_form(PartnerContactForm, raw)
            data = struct_values(form) if form else None
        if data is not None:
            try:
                await services.update_partner(user, partner, PartnerChanges(**data))
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "partners:show",
                    flash=("success", _("The partner has been saved.")),
                    partner_id=partner_id,
                )
        return page(
            request,
            "partners/form.html",
            status_code=400,
            partner=partner,
            full=user.is_vendor_admin,
            errors=errors,
            values=values,
            **await _options(),
        )

    @post("/{partner_id:int}/tier", name="partners:tier", opt=VENDOR_ADMIN)
    async def change_tier(self, request: Request, partner_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        partner = await _partner_or_404(user, partner_id)
        form, errors, values = read_form(TierChangeForm, await request.form())
        if form is not None:
            try:
                await services.change_tier(user, partner, form.tier_id, form.tier_reason)
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "partners:show",
                    flash=("success", _("The tier has been changed.")),
                    partner_id=partner_id,
                )
        return await self._show(request, partner_id, 400, "tier", errors, values)

    @post("/{partner_id:int}/suspend", name="partners:suspend", opt=VENDOR_ADMIN)
    async def suspend(self, request: Request, partner_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        partner = await _partner_or_404(user, partner_id)
        form, errors, values = read_form(ReasonForm, await request.form())
        if form is not None:
            try:
                await services.suspend_partner(user, partner, form.reason)
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "partners:show",
                    partner_id=partner_id,
                    flash=(
                        "success",
                        _("The partner is suspended; its users have been signed out."),
                    ),
                )
        return await self._show(request, partner_id, 400, "status", errors, values)

    @post("/{partner_id:int}/reactivate", name="partners:reactivate", opt=VENDOR_ADMIN)
    async def reactivate(self, request: Request, partner_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        partner = await _partner_or_404(user, partner_id)
        form, errors, values = read_form(ReasonForm, await request.form())
        if form is not None:
            await services.reactivate_partner(user, partner, form.reason)
            return redirect(
                request,
                "partners:show",
                partner_id=partner_id,
                flash=("success", _("The partner is active again.")),
            )
        return await self._show(request, partner_id, 400, "status", errors, values)

    @post("/{partner_id:int}/notes", name="partners:notes")
    async def save_notes(self, request: Request, partner_id: FromPath[int]) -> Template | Redirect:
        """The channel team's internal notes (vendor admins and the partner's channel manager)."""
        user = current_user(request)
        partner = await _partner_or_404(user, partner_id)
        form, errors, values = read_form(NotesForm, await request.form())
        if form is not None:
            try:
                changed = await services.save_notes(user, partner, form.notes)
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    f"{request.app.route_reverse('partners:show', partner_id=partner_id)}#notes",
                    flash=("success", _("The notes have been saved."))
                    if changed
                    else ("info", _("Nothing has changed.")),
                )
        return await self._show(request, partner_id, 400, "notes", errors, values)

    @post("/{partner_id:int}/invitations", name="partners:invite")
    async def invite(self, request: Request, partner_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        partner = await _partner_or_404(user, partner_id)
        form, errors, values = read_form(InviteForm, await request.form())
        if form is not None:
            try:
                await services.invite_partner_user(
                    user,
                    partner,
                    email=form.email,
                    name=form.name,
                    role=form.role,
                    can_sales=form.can_sales,
                    can_purchasing=form.can_purchasing,
                )
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "partners:show",
                    partner_id=partner_id,
                    flash=(
                        "success",
                        _("The invitation has been sent to %(email)s.", email=form.email),
                    ),
                )
        return await self._show(request, partner_id, 400, "invite", errors, values)

    @post(
        "/{partner_id:int}/invitations/{invitation_id:int}/revoke",
        name="partners:revoke_invitation",
    )
    async def revoke_invitation(
        self, request: Request, partner_id: FromPath[int], invitation_id: FromPath[int]
    ) -> Template | Redirect:
        """Revokes once confirmed; the partner page's button shows the confirmation first."""
        user = current_user(request)
        invitation = await access.get_invitation_for_user(user, invitation_id)
        if invitation["partner"] != partner_id:
            raise not_found()
        if not confirmed(await request.form()):
            return revoke_confirmation(
                request,
                invitation,
                request.app.route_reverse(
                    "partners:revoke_invitation",
                    partner_id=partner_id,
                    invitation_id=invitation_id,
                ),
                request.app.route_reverse("partners:show", partner_id=partner_id),
            )
        await auth_invitations.revoke_invitation(user, invitation_id)
        return redirect(
            request,
            "partners:show",
            partner_id=partner_id,
            flash=("success", _("The invitation has been revoked.")),
        )


from portal.partners.api import PartnerApi  # noqa: E402
from portal.partners.controllers_addresses import AddressApi, AddressPages  # noqa: E402
from portal.partners.controllers_applications import ApplicationConsole, ApplyPages  # noqa: E402
from portal.partners.controllers_my_company import (  # noqa: E402
    MyCompanyPages,
    StaffConsole,
    revoke_confirmation,
)

PAGES = [PartnerConsole, ApplyPages, ApplicationConsole, MyCompanyPages, StaffConsole, AddressPages]
API = [PartnerApi, AddressApi]
