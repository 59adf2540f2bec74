"""Becoming a partner: the public application form and its review in the console."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from portal.auth import services as auth_services
from portal.lib.forms import FormError, read_form
from portal.lib.i18n import current_locale
from portal.lib.i18n import gettext as _
from portal.partners import applications
from portal.partners.constants import ApplicationStatus
from portal.partners.pages_common import (
    PER_PAGE,
    PUBLIC,
    VENDOR,
    VENDOR_ADMIN,
    _options,
)
from portal.partners.schemas import (
    ApplicationForm,
    ApproveForm,
    ReasonForm,
)
from portal.web import (
    Confirm,
    Page,
    client_ip,
    confirm_page,
    confirmed,
    current_user,
    page,
    page_number,
    redirect,
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
            try:
                await applications.submit_application(
                    form, client_ip(request), current_locale.get()
                )
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
    async def index(self, request: Request, status: FromQuery[str] = "pending") -> Template:
        number = page_number(request.query_params.get("page"))
        chosen = status if status in set(ApplicationStatus) else ""
        rows, total = await applications.list_applications(chosen, number, PER_PAGE)
        return page(
            request,
            "partners/applications.html",
            applications=rows,
            status=chosen or "all",
            counts=await applications.count_applications(),
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
        application = await applications.get_application(application_id)
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
                partner_id = await applications.approve_application(
                    user, application_id, form.tier_id, form.channel_manager_id
                )
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

    async def _decline_step(
        self,
        request: Request,
        application_id: int,
        values: dict[str, Any],
        errors: dict[str, str] | None = None,
    ) -> Template:
        """The decline page is its confirmation step: who will be e-mailed, and the reason."""
        application = await applications.get_application(application_id)
        if application["status"] != ApplicationStatus.PENDING:
            errors = {"": _("This application has already been reviewed.")}
        return confirm_page(
            request,
            Confirm(
                heading=_(
                    "Decline the application of %(company)s?", company=application["company_name"]
                ),
                lines=[
                    _(
                        "%(name)s (%(email)s) will be e-mailed that the application is declined,"
                        " with the reason below. This cannot be undone.",
                        name=application["contact_name"],
                        email=application["contact_email"],
                    )
                ],
                action=request.app.route_reverse(
                    "applications:decline", application_id=application_id
                ),
                button=_("Decline and e-mail"),
                cancel=request.app.route_reverse(
                    "applications:show", application_id=application_id
                ),
                danger=True,
                reason={
                    "label": _("Reason"),
                    "data": values,
                    "required": True,
                    "help": _("Kept with the application and sent to the applicant."),
                },
            ),
            errors=errors,
            status_code=400 if errors else 200,
        )

    @get("/{application_id:int}/decline", name="applications:confirm_decline", opt=VENDOR_ADMIN)
    async def confirm_decline(self, request: Request, application_id: FromPath[int]) -> Template:
        return await self._decline_step(request, application_id, {})

    @post("/{application_id:int}/decline", name="applications:decline", opt=VENDOR_ADMIN)
    async def decline(self, request: Request, application_id: FromPath[int]) -> Template | Redirect:
        """Declines once confirmed; a POST that did not come from the decline page shows it."""
        user = current_user(request)
        data = await request.form()
        form, errors, values = read_form(ReasonForm, data)
        if form is None or not confirmed(data):
            return await self._decline_step(request, application_id, values, errors or None)
        try:
            await applications.decline_application(user, application_id, form.reason)
        except FormError as exc:
            return await self._decline_step(request, application_id, values, exc.errors)
        return redirect(
            request,
            "applications:show",
            application_id=application_id,
            flash=("success", _("The application has been declined and the applicant e-mailed.")),
        )
