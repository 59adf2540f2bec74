"""Partner pages (console, applications, my company, colleagues, vendor staff) and the partners
JSON API. Handlers are thin: parse the form, reach rows through `access`, call `services`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.exceptions import HTTPException, PermissionDeniedException
from litestar.params import FromPath, Parameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_201_CREATED

from portal.auth import services as auth_services
from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.core import audit
from portal.lib.forms import FormError, read_form, struct_values
from portal.lib.i18n import LANGUAGE_NAMES, current_locale
from portal.lib.i18n import gettext as _
from portal.lib.money import AmountError, minor_to_text, parse_amount
from portal.partners import access, services
from portal.partners.constants import PROVINCES, ApplicationStatus, province_name
from portal.partners.schemas import (
    ApplicationForm,
    ApproveForm,
    InviteForm,
    MemberForm,
    PartnerContactForm,
    PartnerCreateIn,
    PartnerFilters,
    PartnerForm,
    PartnerListOut,
    PartnerOut,
    PartnerPatchIn,
    ReasonForm,
    StaffForm,
    TierChangeForm,
)
from portal.settings import get_settings
from portal.tenancy import NotFound
from portal.web import (
    Page,
    client_ip,
    current_user,
    not_found,
    page,
    page_number,
    redirect,
)

PUBLIC = {"access": Access.PUBLIC}
USER = {"access": Access.USER}
VENDOR = {"access": Access.VENDOR}
VENDOR_ADMIN = {"access": Access.VENDOR_ADMIN}
PARTNER = {"access": Access.PARTNER}
PARTNER_ADMIN = {"access": Access.PARTNER_ADMIN}

PER_PAGE = 25
FILTER_KEYS = ("q", "tier", "kind", "province", "status", "manager", "sort")


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


async def _partner_or_404(user: CurrentUser, partner_id: int) -> dict[str, Any]:
    try:
        return await access.get_partner_for_user(user, partner_id)
    except NotFound:
        raise not_found() from None


async def _options() -> dict[str, Any]:
    """Choices for partner selects, labelled in the current language."""
    locale = current_locale.get()
    tiers = await services.list_tiers()
    managers = await services.list_channel_managers()
    return {
        "tier_options": [(t["id"], services.tier_label(t)) for t in tiers],
        "tier_code_options": [(t["code"], services.tier_label(t)) for t in tiers],
        "manager_options": [(m["id"], m["name"]) for m in managers],
        "province_options": [(code, province_name(code, locale)) for code in PROVINCES],
        "province_names": {code: province_name(code, locale) for code in PROVINCES},
        "locale_options": list(LANGUAGE_NAMES.items()),
    }


def _read_partner_form(
    raw: Mapping[str, Any],
) -> tuple[dict[str, Any] | None, dict[str, str], dict[str, Any]]:
    """The full partner form as service data (credit limit typed in yuan, stored in fen)."""
    form, errors, values = read_form(PartnerForm, raw)
    try:
        credit = parse_amount(str(values.get("credit_limit") or "0"))
    except AmountError as exc:
        errors["credit_limit"] = _(str(exc))
    if form is None or errors:
        return None, errors, values
    data = struct_values(form)
    del data["credit_limit"]
    data["credit_limit_amount"] = credit
    data["kind"] = form.kind.value
    if data["joined_on"] is None:
        del data["joined_on"]  # new partners join today; an edit keeps the date
    return data, {}, values


def _partner_values(partner: dict[str, Any]) -> dict[str, Any]:
    """A partner row as the edit form shows it."""
    return {
        **partner,
        "tier_id": partner["tier"],
        "credit_limit": minor_to_text(partner["credit_limit_amount"]),
        "joined_on": partner["joined_on"].isoformat() if partner["joined_on"] else "",
        "tier_reason": "",
    }


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
        query = request.query_params
        params = {key: str(query.get(key) or "").strip() for key in FILTER_KEYS}
        filters = PartnerFilters(
            q=params["q"],
            tier=params["tier"],
            kind=params["kind"],
            province=params["province"],
            status=params["status"],
            manager=_int(params["manager"]),
            sort=params["sort"] or "name",
            page=page_number(query.get("page")),
            per_page=PER_PAGE,
        )
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

    @get("/new", name="partners:new", opt=VENDOR_ADMIN)
    async def new(self, request: Request) -> Template:
        tiers = await services.list_tiers()
        today = dt.datetime.now(get_settings().tz).date()
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
                partner_id = await services.create_partner(user, data)
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
            manager=await services.channel_manager_contact(partner["channel_manager_id"]),
            history=await services.tier_history(partner_id),
            users=users,
            invitations=await auth_services.list_open_invitations(partner_id),
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
                await services.update_partner(user, partner, data)
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
    ) -> Redirect:
        user = current_user(request)
        try:
            invitation = await access.get_invitation_for_user(user, invitation_id)
        except NotFound:
            raise not_found() from None
        if invitation["partner"] != partner_id:
            raise not_found()
        await auth_services.revoke_invitation(user, invitation_id)
        return redirect(
            request,
            "partners:show",
            partner_id=partner_id,
            flash=("success", _("The invitation has been revoked.")),
        )


class ApplyPages(Controller):
    """The public "Become a partner" form."""

    opt = PUBLIC

    @get("/apply", name="apply")
    async def form(self, request: Request) -> Template:
        return page(request, "partners/apply.html", values={"kind": "dealer"}, **await _options())

    @post("/apply", name="apply:submit")
    async def submit(self, request: Request) -> Template | Redirect:
        form, errors, values = read_form(ApplicationForm, await request.form())
        if form is not None:
            data = {**struct_values(form), "kind": form.kind.value}
            try:
                await services.submit_application(data, client_ip(request), current_locale.get())
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "apply:thanks",
                    flash=("success", _("Thank you! Your application has been received.")),
                )
        return page(
            request,
            "partners/apply.html",
            status_code=400,
            errors=errors,
            values=values,
            **await _options(),
        )

    @get("/apply/thanks", name="apply:thanks")
    async def thanks(self, request: Request) -> Template:
        return page(request, "partners/apply_thanks.html")


class ApplicationConsole(Controller):
    """Vendor staff review applications; vendor admins approve (a partner is created and its
    contact invited as partner admin) or decline with a reason."""

    path = "/console/applications"
    opt = VENDOR

    @get("/", name="applications:list")
    async def index(self, request: Request, status: str = "pending") -> Template:
        number = page_number(request.query_params.get("page"))
        chosen = status if status in set(ApplicationStatus) else ""
        rows, total = await services.list_applications(chosen, number, PER_PAGE)
        return page(
            request,
            "partners/applications.html",
            applications=rows,
            status=chosen or "all",
            counts=await services.count_applications(),
            pager=Page(number, PER_PAGE, total),
            params={"status": chosen or "all"},
            province_names=(await _options())["province_names"],
        )

    @get("/{application_id:int}", name="applications:show")
    async def show(self, request: Request, application_id: FromPath[int]) -> Template:
        return await self._show(request, application_id)

    async def _show(
        self,
        request: Request,
        application_id: int,
        status_code: int = 200,
        failed: str = "",
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
    ) -> Template:
        try:
            application = await services.get_application(application_id)
        except NotFound:
            raise not_found() from None
        reviewer = (
            await auth_services.get_user(application["reviewed_by_id"])
            if application["reviewed_by_id"]
            else None
        )
        options = await _options()
        default_tier = options["tier_options"][-1][0] if options["tier_options"] else ""
        return page(
            request,
            "partners/application.html",
            status_code=status_code,
            application=application,
            reviewer=reviewer,
            failed=failed,
            errors=errors or {},
            values=values or {"tier_id": default_tier},
            **options,
        )

    @post("/{application_id:int}/approve", name="applications:approve", opt=VENDOR_ADMIN)
    async def approve(self, request: Request, application_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        form, errors, values = read_form(ApproveForm, await request.form())
        if form is not None:
            try:
                partner_id = await services.approve_application(
                    user, application_id, form.tier_id, form.channel_manager_id
                )
            except NotFound:
                raise not_found() from None
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "partners:show",
                    partner_id=partner_id,
                    flash=("success", _("The partner has been created and its contact invited.")),
                )
        return await self._show(request, application_id, 400, "approve", errors, values)

    @post("/{application_id:int}/decline", name="applications:decline", opt=VENDOR_ADMIN)
    async def decline(self, request: Request, application_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        form, errors, values = read_form(ReasonForm, await request.form())
        if form is not None:
            try:
                await services.decline_application(user, application_id, form.reason)
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "applications:show",
                    application_id=application_id,
                    flash=("success", _("The application has been declined.")),
                )
        return await self._show(request, application_id, 400, "decline", errors, values)


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
            invitations=await auth_services.list_open_invitations(partner_id),
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
        try:
            return await access.get_colleague_for_user(current_user(request), user_id)
        except NotFound:
            raise not_found() from None

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

    @post(
        "/invitations/{invitation_id:int}/revoke",
        name="my_company:revoke_invitation",
        opt=PARTNER_ADMIN,
    )
    async def revoke_invitation(self, request: Request, invitation_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        try:
            await access.get_invitation_for_user(user, invitation_id)
        except NotFound:
            raise not_found() from None
        await auth_services.revoke_invitation(user, invitation_id)
        return redirect(
            request, "my_company:users", flash=("success", _("The invitation has been revoked."))
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
            invitations=await auth_services.list_open_invitations(None, vendor=True),
            errors=errors or {},
            values=values or {"role": "channel_manager"},
        )

    @post("/invite", name="staff:invite")
    async def invite(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        form, errors, values = read_form(InviteForm, await request.form())
        if form is not None:
            try:
                await auth_services.invite(
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
        try:
            member = await access.get_staff_member_for_user(user, user_id)
        except NotFound:
            raise not_found() from None
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

    @post("/invitations/{invitation_id:int}/revoke", name="staff:revoke_invitation")
    async def revoke_invitation(self, request: Request, invitation_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        try:
            await access.get_staff_invitation_for_user(user, invitation_id)
        except NotFound:
            raise not_found() from None
        await auth_services.revoke_invitation(user, invitation_id)
        return redirect(
            request, "staff:list", flash=("success", _("The invitation has been revoked."))
        )


# JSON API --------------------------------------------------------------------------------

API_FIELD_NAMES = {"tier_id": "tier"}  # service field -> API field in error answers


def _unprocessable(exc: FormError) -> HTTPException:
    """A service's FormError as a 422 JSON answer naming each field."""
    errors = {API_FIELD_NAMES.get(k, k): v for k, v in exc.errors.items()}
    summary = "; ".join(f"{k}: {v}" if k else v for k, v in errors.items())
    return HTTPException(
        status_code=422,
        detail=_("Invalid input: %(details)s", details=summary),
        extra={"errors": errors},
    )


def _out(row: dict[str, Any]) -> PartnerOut:
    return PartnerOut(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        name_en=row["name_en"],
        kind=row["kind"],
        tier=row["tier.code"],
        province=row["province"],
        city=row["city"],
        address=row["address"],
        contact_name=row["contact_name"],
        contact_phone=row["contact_phone"],
        contact_email=row["contact_email"],
        credit_limit_amount=row["credit_limit_amount"],
        currency=row["currency"],
        channel_manager_id=row["channel_manager_id"],
        status=row["status"],
        joined_on=row["joined_on"],
        locale=row["locale"],
    )


async def _tier_id(code: str) -> int:
    tier = await services.tier_by_code(code)
    if tier is None:
        raise FormError({"tier_id": _("Unknown tier code.")})
    return int(tier["id"])


async def _deny_in_handler(
    request: Request, user: CurrentUser, detail: str = ""
) -> PermissionDeniedException:
    """A 403 decided inside the handler (after the tenant check), audited like the guard's."""
    await audit.record(
        "permission.denied",
        actor=user,
        partner_id=user.partner_id,
        target_type="route",
        target_id=(request.route_handler.name or "")[:40],
        detail=f"{request.method} {request.url.path} {detail}".strip(),
    )
    return PermissionDeniedException(detail or _("You do not have permission to do this."))


class PartnerApi(Controller):
    """GET/POST /api/v1/partners and GET/PATCH /api/v1/partners/{id}; money in minor units."""

    path = "/partners"
    tags = ["partners"]

    @get("/", name="api:partners:list", opt=VENDOR)
    async def index(
        self,
        request: Request,
        q: str = "",
        tier: str = "",
        kind: str = "",
        province: str = "",
        status: str = "",
        manager: int | None = None,
        sort: str = "name",
        page: Annotated[int, Parameter(ge=1, le=100_000)] = 1,
        per_page: Annotated[int, Parameter(ge=1, le=200)] = 25,
    ) -> PartnerListOut:
        """Partners in the caller's scope (channel managers: their assigned partners)."""
        filters = PartnerFilters(
            q=q,
            tier=tier,
            kind=kind,
            province=province,
            status=status,
            manager=manager,
            sort=sort,
            page=page,
            per_page=per_page,
        )
        rows, total = await services.list_partners(current_user(request), filters)
        return PartnerListOut(
            items=[_out(r) for r in rows], total=total, page=page, per_page=per_page
        )

    @post("/", name="api:partners:create", opt=VENDOR_ADMIN, status_code=HTTP_201_CREATED)
    async def create(self, request: Request, data: PartnerCreateIn) -> PartnerOut:
        """Create an active partner (vendor admins). `tier` is a tier code such as "gold"."""
        user = current_user(request)
        values = msgspec.structs.asdict(data)
        values["kind"] = data.kind.value
        if values["joined_on"] is None:
            del values["joined_on"]
        try:
            values["tier_id"] = await _tier_id(values.pop("tier"))
            partner_id = await services.create_partner(user, values)
        except FormError as exc:
            # report every bad field at once, not only the tier
            if "tier_id" in exc.errors:
                try:
                    await services.validate_partner_data(values)
                except FormError as more:
                    exc = FormError({**exc.errors, **more.errors})
            raise _unprocessable(exc) from None
        return _out(await access.get_partner_for_user(user, partner_id))

    @get("/{partner_id:int}", name="api:partners:show", opt=USER)
    async def show(self, request: Request, partner_id: FromPath[int]) -> PartnerOut:
        """One partner: vendor staff in scope, or the partner's own users; 404 otherwise."""
        return _out(await _partner_or_404(current_user(request), partner_id))

    @patch("/{partner_id:int}", name="api:partners:update", opt=USER)
    async def update(
        self, request: Request, partner_id: FromPath[int], data: PartnerPatchIn
    ) -> PartnerOut:
        """Change the fields present (vendor staff; channel managers only address and contact).
        A tier change needs `tier_reason`; `status` is "active" or "suspended"."""
        user = current_user(request)
        # The tenant check comes first, so another partner's id is a 404, never a 403.
        partner = await _partner_or_404(user, partner_id)
        changes = {
            name: getattr(data, name)
            for name in data.__struct_fields__
            if getattr(data, name) is not msgspec.UNSET
        }
        if "tier" in changes:
            changes["tier_id"] = changes.pop("tier")
        refused = sorted(set(changes) - services.editable_fields(user))
        if refused:
            names = ", ".join(API_FIELD_NAMES.get(k, k) for k in refused)
            raise await _deny_in_handler(
                request, user, _("You may not change: %(fields)s", fields=names)
            )
        if "kind" in changes:
            changes["kind"] = changes["kind"].value
        try:
            if "tier_id" in changes:
                changes["tier_id"] = await _tier_id(changes["tier_id"])
            await services.update_partner(user, partner, changes)
        except FormError as exc:
            raise _unprocessable(exc) from None
        return _out(await access.get_partner_for_user(user, partner_id))


PAGES = [PartnerConsole, ApplyPages, ApplicationConsole, MyCompanyPages, StaffConsole]
API = [PartnerApi]
