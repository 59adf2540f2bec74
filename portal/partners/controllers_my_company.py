"""The partner's own pages (my company, colleagues) and the vendor's staff page."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal.auth import invitations as auth_invitations
from portal.auth import services as auth_services
from portal.lib.forms import FormError, read_form
from portal.lib.i18n import gettext as _
from portal.partners import access, services
from portal.partners.pages_common import (
    PARTNER,
    PARTNER_ADMIN,
    VENDOR_ADMIN,
    _options,
    _partner_or_404,
)
from portal.partners.schemas import (
    InviteForm,
    MemberForm,
    StaffForm,
)
from portal.web import (
    Confirm,
    confirm_page,
    confirmed,
    current_user,
    page,
    redirect,
)


class MyCompanyPages(Controller):
    """The partner's own organisation, and its colleagues (managed by partner admins).

    The partner always comes from the signed-in user; a colleague or invitation of another
    partner answers 404.
    """

    path = "/my-company"
    opt = PARTNER

    @get("/", name="my_company:show")
    async def show(self, request: Request) -> Template:
        user = current_user(request)
        partner = await _partner_or_404(user, user.partner_id or 0)
        return page(
            request,
            "partners/my_company.html",
            partner=partner,
            manager=await services.channel_manager_contact(partner["channel_manager_id"]),
            users=await auth_services.list_users(partner["id"]),
            province_names=(await _options())["province_names"],
        )

    @get("/users", name="my_company:users", opt=PARTNER_ADMIN)
    async def users(self, request: Request) -> Template:
        return await self._users(request)

    async def _users(
        self,
        request: Request,
        status_code: int = 200,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
    ) -> Template:
        user = current_user(request)
        partner_id = user.partner_id or 0
        return page(
            request,
            "partners/colleagues.html",
            status_code=status_code,
            colleagues=await auth_services.list_users(partner_id),
            invitations=await auth_invitations.list_open_invitations(partner_id),
            errors=errors or {},
            values=values or {"role": "partner_member"},
        )

    @post("/users/invite", name="my_company:invite", opt=PARTNER_ADMIN)
    async def invite(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        form, errors, values = read_form(InviteForm, await request.form())
        if form is not None:
            partner = await _partner_or_404(user, user.partner_id or 0)
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
                    "my_company:users",
                    flash=(
                        "success",
                        _("The invitation has been sent to %(email)s.", email=form.email),
                    ),
                )
        return await self._users(request, 400, errors, values)

    async def _colleague(self, request: Request, user_id: int) -> dict[str, Any]:
        return await access.get_colleague_for_user(current_user(request), user_id)

    @get("/users/{user_id:int}", name="my_company:user", opt=PARTNER_ADMIN)
    async def colleague(self, request: Request, user_id: FromPath[int]) -> Template:
        colleague = await self._colleague(request, user_id)
        return page(request, "partners/colleague.html", colleague=colleague, values=colleague)

    @post("/users/{user_id:int}", name="my_company:user_update", opt=PARTNER_ADMIN)
    async def update_colleague(
        self, request: Request, user_id: FromPath[int]
    ) -> Template | Redirect:
        user = current_user(request)
        colleague = await self._colleague(request, user_id)
        form, errors, values = read_form(MemberForm, await request.form())
        if form is not None:
            try:
                await services.update_colleague(
                    user,
                    colleague,
                    role=form.role,
                    can_sales=form.can_sales,
                    can_purchasing=form.can_purchasing,
                    is_active=form.is_active,
                )
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "my_company:users",
                    flash=("success", _("%(name)s has been updated.", name=colleague["name"])),
                )
        return page(
            request,
            "partners/colleague.html",
            status_code=400,
            colleague=colleague,
            errors=errors,
            values=values,
        )

    @get(
        "/invitations/{invitation_id:int}/revoke",
        name="my_company:confirm_revoke_invitation",
        opt=PARTNER_ADMIN,
    )
    async def confirm_revoke_invitation(
        self, request: Request, invitation_id: FromPath[int]
    ) -> Template:
        invitation = await access.get_invitation_for_user(current_user(request), invitation_id)
        return revoke_confirmation(
            request,
            invitation,
            request.app.route_reverse("my_company:revoke_invitation", invitation_id=invitation_id),
            request.app.route_reverse("my_company:users"),
        )

    @post(
        "/invitations/{invitation_id:int}/revoke",
        name="my_company:revoke_invitation",
        opt=PARTNER_ADMIN,
    )
    async def revoke_invitation(
        self, request: Request, invitation_id: FromPath[int]
    ) -> Template | Redirect:
        user = current_user(request)
        invitation = await access.get_invitation_for_user(user, invitation_id)
        if not confirmed(await request.form()):
            return revoke_confirmation(
                request,
                invitation,
                request.app.route_reverse(
                    "my_company:revoke_invitation", invitation_id=invitation_id
                ),
                request.app.route_reverse("my_company:users"),
            )
        await auth_invitations.revoke_invitation(user, invitation_id)
        return redirect(
            request, "my_company:users", flash=("success", _("The invitation has been revoked."))
        )


def revoke_confirmation(
    request: Request, invitation: dict[str, Any], action: str, cancel: str
) -> Template:
    """'Revoke the invitation of x@y?': the confirmation step of every revoke button."""
    return confirm_page(
        request,
        Confirm(
            heading=_("Revoke the invitation of %(email)s?", email=invitation["email"]),
            lines=[
                _(
                    "The link in the invitation e-mail stops working at once. Nobody is e-mailed;"
                    " you can invite the person again later."
                )
            ],
            action=action,
            button=_("Revoke the invitation"),
            cancel=cancel,
            danger=True,
        ),
    )


class StaffConsole(Controller):
    """Vendor staff: vendor admins invite admins and channel managers, change roles, disable."""

    path = "/console/staff"
    opt = VENDOR_ADMIN

    @get("/", name="staff:list")
    async def index(self, request: Request) -> Template:
        return await self._page(request)

    async def _page(
        self,
        request: Request,
        status_code: int = 200,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
    ) -> Template:
        return page(
            request,
            "console/staff.html",
            status_code=status_code,
            staff=await auth_services.list_users(None, vendor=True),
            invitations=await auth_invitations.list_open_invitations(None, vendor=True),
            errors=errors or {},
            values=values or {"role": "channel_manager"},
        )

    @post("/invite", name="staff:invite")
    async def invite(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        form, errors, values = read_form(InviteForm, await request.form())
        if form is not None:
            try:
                await auth_invitations.invite(
                    actor=user, email=form.email, name=form.name, role=form.role, partner_id=None
                )
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "staff:list",
                    flash=(
                        "success",
                        _("The invitation has been sent to %(email)s.", email=form.email),
                    ),
                )
        return await self._page(request, 400, errors, values)

    @post("/{user_id:int}", name="staff:update")
    async def update(self, request: Request, user_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        member = await access.get_staff_member_for_user(user, user_id)
        form, errors, _values = read_form(StaffForm, await request.form())
        if form is not None:
            try:
                await auth_services.update_member(
                    user,
                    member["id"],
                    role=form.role,
                    can_sales=False,
                    can_purchasing=False,
                    is_active=form.is_active,
                )
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "staff:list",
                    flash=("success", _("%(name)s has been updated.", name=member["name"])),
                )
        return await self._page(request, 400, errors)

    @get("/invitations/{invitation_id:int}/revoke", name="staff:confirm_revoke_invitation")
    async def confirm_revoke_invitation(
        self, request: Request, invitation_id: FromPath[int]
    ) -> Template:
        invitation = await access.get_staff_invitation_for_user(
            current_user(request), invitation_id
        )
        return revoke_confirmation(
            request,
            invitation,
            request.app.route_reverse("staff:revoke_invitation", invitation_id=invitation_id),
            request.app.route_reverse("staff:list"),
        )

    @post("/invitations/{invitation_id:int}/revoke", name="staff:revoke_invitation")
    async def revoke_invitation(
        self, request: Request, invitation_id: FromPath[int]
    ) -> Template | Redirect:
        user = current_user(request)
        invitation = await access.get_staff_invitation_for_user(user, invitation_id)
        if not confirmed(await request.form()):
            return revoke_confirmation(
                request,
                invitation,
                request.app.route_reverse("staff:revoke_invitation", invitation_id=invitation_id),
                request.app.route_reverse("staff:list"),
            )
        await auth_invitations.revoke_invitation(user, invitation_id)
        return redirect(
            request, "staff:list", flash=("success", _("The invitation has been revoked."))
        )


# JSON API --------------------------------------------------------------------------------
