"""Partner pages for customers (users with the sales permission): the list with filters, segment
tabs, bulk tags and export; the customer form; the 360° page with quick contact entry; "log a
contact"; follow-ups; settings; and the import (upload, mapping, preview, confirm)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.customers import exports, imports, services
from portal.customers.access import get_customer_for_user
from portal.customers.constants import (
    CHANNEL_LABELS,
    DIRECTION_LABELS,
    KIND_LABELS,
    OUTCOME_LABELS,
    SEGMENT_ACTIONS,
    SEGMENT_LABELS,
    SEGMENT_TONES,
    SIZE_LABELS,
    SOURCE_LABELS,
)
from portal.customers.schemas import (
    BulkTagForm,
    ContactForm,
    CustomerFilters,
    CustomerForm,
    DigestForm,
    ImportOptionsForm,
    InteractionForm,
    QuickLogForm,
    VisibilityForm,
)
from portal.lib.clock import now
from portal.lib.forms import FormError, read_form
from portal.lib.i18n import gettext as _
from portal.lib.i18n import to_local
from portal.lib.spreadsheets import XLSX_TYPE
from portal.settings import get_settings
from portal.tenancy import NotFound
from portal.web import Page, current_user, not_found, page, page_number, redirect, safe_next

SALES = {"access": Access.PARTNER_SALES}
PER_PAGE = 50


def options(labels: dict[Any, str]) -> list[tuple[str, str]]:
    return [(k.value, _(v)) for k, v in labels.items()]


def segment_options() -> list[tuple[str, str]]:
    return options(SEGMENT_LABELS)


def parse_local(value: str) -> dt.datetime | None:
    """A datetime-local field ("YYYY-MM-DDTHH:MM", portal time zone) as an aware datetime."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise FormError({"occurred_at": _("Enter a valid date and time.")}) from None
    return parsed.replace(tzinfo=get_settings().tz) if parsed.tzinfo is None else parsed


async def _customer(user: CurrentUser, customer_id: int) -> dict[str, Any]:
    """The customer for a partner page; vendor staff never get the partner's pages (404)."""
    if not user.is_partner:
        raise not_found()
    try:
        return await get_customer_for_user(user, customer_id)
    except NotFound:
        raise not_found() from None


def _filters(request: Request) -> tuple[CustomerFilters, dict[str, str]]:
    q = request.query_params
    params = {
        k: str(q.get(k, "")).strip()[:100]
        for k in ("q", "segment", "tag", "owner", "source", "followup", "sort")
    }
    filters = CustomerFilters(
        q=params["q"],
        segment=params["segment"],
        tag=params["tag"],
        owner=params["owner"],
        source=params["source"],
        followup=params["followup"],
        sort=params["sort"] or "recent",
        page=page_number(q.get("page")),
        per_page=PER_PAGE,
    )
    return filters, params


def interaction_data(form: InteractionForm, source: str = "portal") -> services.InteractionData:
    return services.InteractionData(
        channel=form.channel.value,
        direction=form.direction.value,
        occurred_at=parse_local(form.occurred_at),
        summary=form.summary,
        outcome=form.outcome.value,
        followup_on=form.followup_on,
        assignee_id=form.assignee_id,
        source=source,
    )


def interaction_defaults(user: CurrentUser) -> dict[str, Any]:
    return {
        "channel": "phone",
        "direction": "outbound",
        "occurred_at": to_local(now()).strftime("%Y-%m-%dT%H:%M"),
        "assignee_id": user.id,
    }


def form_choices() -> dict[str, Any]:
    return {
        "kind_options": options(KIND_LABELS),
        "size_options": options(SIZE_LABELS),
        "source_options": options(SOURCE_LABELS),
        "channel_options": options(CHANNEL_LABELS),
        "direction_options": options(DIRECTION_LABELS),
        "outcome_options": options(OUTCOME_LABELS),
    }


def _customer_data(form: CustomerForm) -> tuple[services.CustomerData, services.ContactData]:
    contact = services.ContactData(
        name=form.contact_name,
        title=form.contact_title,
        phone=form.contact_phone,
        email=form.contact_email,
        wechat=form.contact_wechat,
    )
    data = services.CustomerData(
        name=form.name,
        kind=form.kind.value,
        industry=form.industry,
        size=form.size.value,
        region=form.region,
        city=form.city,
        source=form.source.value,
        owner_id=form.owner_id,
        tags=services.parse_tags(form.tags),
        notes=form.notes,
        contacts=[contact],
    )
    return data, contact


class CustomerPages(Controller):
    """The customer list, form, 360° page, contacts and the contact log."""

    path = "/customers"
    opt = SALES

    @get("/", name="customers:list")
    async def index(self, request: Request) -> Template:
        user = current_user(request)
        filters, params = _filters(request)
        counts = await services.segment_counts(user)
        rows, total = await services.list_customers(
            user, filters, total=services.known_total(filters, counts)
        )
        assert user.partner_id is not None
        return page(
            request,
            "customers/list.html",
            customers=rows,
            params=params,
            values=params,
            pager=Page(filters.page, PER_PAGE, total),
            capped=total > services.COUNT_CAP,
            segment_counts=counts,
            segment_options=segment_options(),
            source_options=options(SOURCE_LABELS),
            users=await services.partner_users(user.partner_id),
            tags=await services.list_tags(user),
            segment_labels={k.value: _(v) for k, v in SEGMENT_LABELS.items()},
            segment_tones={k.value: v for k, v in SEGMENT_TONES.items()},
            segment_actions={k.value: _(v) for k, v in SEGMENT_ACTIONS.items()},
            today=to_local(now()).date(),
            here=str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
        )

    @get("/export.xlsx", name="customers:export")
    async def export(self, request: Request) -> Response[bytes]:
        user = current_user(request)
        filters, _params = _filters(request)
        data = await exports.export_customers(user, filters)
        return Response(
            content=data,
            media_type=XLSX_TYPE,
            headers={
                "Content-Disposition": f'attachment; filename="customers-{to_local(now()):%Y%m%d}.xlsx"',
                "X-Content-Type-Options": "nosniff",
            },
        )

    @post("/bulk-tag", name="customers:bulk_tag")
    async def bulk_tag(self, request: Request) -> Redirect:
        user = current_user(request)
        data = await request.form()
        back = safe_next(str(data.get("next", "")), request.app.route_reverse("customers:list"))
        form, errors, _values = read_form(BulkTagForm, data)
        if form is None:
            return redirect(request, back, flash=("error", next(iter(errors.values()))))
        try:
            changed = await services.bulk_tag(user, form.ids, form.tag, remove=form.remove)
        except FormError as exc:
            return redirect(request, back, flash=("error", next(iter(exc.errors.values()))))
        message = (
            _("Tag “%(tag)s” removed from %(n)s customers.", tag=form.tag, n=changed)
            if form.remove
            else _("Tag “%(tag)s” added to %(n)s customers.", tag=form.tag, n=changed)
        )
        return redirect(request, back, flash=("success", message))

    async def _form_page(
        self,
        request: Request,
        customer: dict[str, Any] | None,
        values: dict[str, Any],
        errors: dict[str, str] | None = None,
        duplicates: list[dict[str, Any]] | None = None,
        status_code: int = 200,
    ) -> Template:
        user = current_user(request)
        assert user.partner_id is not None
        return page(
            request,
            "customers/form.html",
            status_code=status_code,
            customer=customer,
            values=values,
            errors=errors or {},
            duplicates=duplicates or [],
            users=await services.partner_users(user.partner_id),
            **form_choices(),
        )

    @get("/new", name="customers:new")
    async def new(self, request: Request) -> Template:
        user = current_user(request)
        return await self._form_page(request, None, {"kind": "company", "owner_id": user.id})

    @post("/new", name="customers:create")
    async def create(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        form, errors, values = read_form(CustomerForm, await request.form())
        if form is None:
            return await self._form_page(request, None, values, errors, status_code=400)
        data, _contact = _customer_data(form)
        try:
            customer_id = await services.create_customer(
                user, data, allow_duplicate=form.allow_duplicate
            )
        except services.DuplicateFound as dup:
            return await self._form_page(
                request, None, values, dup.errors, dup.duplicates, status_code=409
            )
        except FormError as exc:
            return await self._form_page(request, None, values, exc.errors, status_code=400)
        return redirect(
            request,
            "customers:show",
            flash=("success", _("Customer %(name)s has been created.", name=form.name)),
            customer_id=customer_id,
        )

    @get(
        "/{customer_id:int}",
        name="customers:show",
        opt={"access": (Access.PARTNER_SALES, Access.VENDOR)},
    )
    async def show(self, request: Request, customer_id: FromPath[int]) -> Template:
        user = current_user(request)
        customer = await _customer(user, customer_id)
        assert user.partner_id is not None
        view = await services.customer_view(
            user, customer, page_number(request.query_params.get("page"))
        )
        return page(
            request,
            "customers/show.html",
            customer=customer,
            users=await services.partner_users(user.partner_id),
            values=interaction_defaults(user),
            **view,
            **form_choices(),
        )

    @post("/{customer_id:int}/interactions", name="customers:log")
    async def log(self, request: Request, customer_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        customer = await _customer(user, customer_id)
        form, errors, values = read_form(InteractionForm, await request.form())
        try:
            if form is None:
                raise FormError(errors)
            await services.log_interaction(user, customer, interaction_data(form))
        except FormError as exc:
            assert user.partner_id is not None
            view = await services.customer_view(user, customer)
            return page(
                request,
                "customers/show.html",
                status_code=400,
                customer=customer,
                users=await services.partner_users(user.partner_id),
                values=values,
                errors=exc.errors,
                **view,
                **form_choices(),
            )
        return redirect(
            request,
            "customers:show",
            flash=("success", _("The contact has been logged.")),
            customer_id=customer_id,
        )

    @get("/{customer_id:int}/edit", name="customers:edit")
    async def edit(self, request: Request, customer_id: FromPath[int]) -> Template:
        user = current_user(request)
        customer = await _customer(user, customer_id)
        contacts = await services.list_contacts(customer_id)
        first = contacts[0] if contacts else {}
        values = {
            **customer,
            "owner_id": customer["owner"],
            "tags": ", ".join(services.tags_list(customer["tags"])),
            "contact_name": first.get("name", ""),
            "contact_title": first.get("title", ""),
            "contact_phone": first.get("phone", ""),
            "contact_email": first.get("email", ""),
            "contact_wechat": first.get("wechat", ""),
        }
        return await self._form_page(request, customer, values)

    @post("/{customer_id:int}/edit", name="customers:update")
    async def update(self, request: Request, customer_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        customer = await _customer(user, customer_id)
        form, errors, values = read_form(CustomerForm, await request.form())
        if form is None:
            return await self._form_page(request, customer, values, errors, status_code=400)
        data, contact = _customer_data(form)
        changes = {
            "name": data.name,
            "kind": data.kind,
            "industry": data.industry,
            "size": data.size,
            "region": data.region,
            "city": data.city,
            "source": data.source,
            "owner_id": data.owner_id,
            "tags": data.tags,
            "notes": data.notes,
        }
        try:
            await services.update_customer(
                user,
                customer,
                changes,
                primary_contact=contact,
                allow_duplicate=form.allow_duplicate,
            )
        except services.DuplicateFound as dup:
            return await self._form_page(
                request, customer, values, dup.errors, dup.duplicates, status_code=409
            )
        except FormError as exc:
            return await self._form_page(request, customer, values, exc.errors, status_code=400)
        return redirect(
            request,
            "customers:show",
            flash=("success", _("The customer has been saved.")),
            customer_id=customer_id,
        )

    @post("/{customer_id:int}/contacts", name="customers:add_contact")
    async def add_contact(self, request: Request, customer_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        customer = await _customer(user, customer_id)
        form, errors, _values = read_form(ContactForm, await request.form())
        try:
            if form is None:
                raise FormError(errors)
            await services.add_contact(
                user,
                customer,
                services.ContactData(form.name, form.title, form.phone, form.email, form.wechat),
            )
        except FormError as exc:
            first = next(iter(exc.errors.items()))
            return redirect(
                request,
                "customers:show",
                flash=("error", f"{_('Contact person')}: {first[1]}"),
                customer_id=customer_id,
            )
        return redirect(
            request,
            "customers:show",
            flash=("success", _("The contact person has been added.")),
            customer_id=customer_id,
        )

    @post("/{customer_id:int}/contacts/{contact_id:int}/delete", name="customers:remove_contact")
    async def remove_contact(
        self, request: Request, customer_id: FromPath[int], contact_id: FromPath[int]
    ) -> Redirect:
        user = current_user(request)
        customer = await _customer(user, customer_id)
        try:
            await services.remove_contact(user, customer, contact_id)
        except NotFound:
            raise not_found() from None
        return redirect(
            request,
            "customers:show",
            flash=("info", _("The contact person has been removed.")),
            customer_id=customer_id,
        )


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
        try:
            await services.complete_followup(user, interaction_id)
        except NotFound:
            raise not_found() from None
        return redirect(request, back, flash=("success", _("The follow-up is marked as done.")))


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


class CustomerImportPages(Controller):
    """Upload a file, check the column mapping and the preview, confirm (all rows or none)."""

    path = "/customers/import"
    opt = SALES

    @get("/", name="customers:import")
    async def form(self, request: Request) -> Template:
        return page(request, "customers/import.html", fields=_field_labels())

    @post(
        "/", name="customers:import_upload", request_max_body_size=imports.MAX_BYTES + 1024 * 1024
    )
    async def upload(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        assert user.partner_id is not None
        data = await request.form()
        upload = data.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return page(
                request,
                "customers/import.html",
                status_code=400,
                fields=_field_labels(),
                errors={"file": _("Choose a file to upload.")},
            )
        content = await upload.read(imports.MAX_BYTES + 1)
        try:
            import_id = await imports.stage_import(
                user.partner_id, user.id, upload.filename, content
            )
        except imports.FileRefused as exc:
            return page(
                request,
                "customers/import.html",
                status_code=400,
                fields=_field_labels(),
                errors={"file": str(exc)},
            )
        return redirect(request, "customers:import_show", import_id=import_id)

    async def _import(self, user: CurrentUser, import_id: int) -> dict[str, Any]:
        try:
            return await imports.get_import_for_user(user, import_id)
        except NotFound:
            raise not_found() from None

    async def _show(
        self,
        request: Request,
        imp: dict[str, Any],
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        user = current_user(request)
        assert user.partner_id is not None
        checked = (
            await imports.check(user.partner_id, imp)
            if imp["status"] == "pending"
            else imports.Checked()
        )
        return page(
            request,
            "customers/import_preview.html",
            status_code=status_code,
            imp=imp,
            checked=checked,
            preview=imports.preview_rows(imp),
            fields=_field_labels(),
            errors=errors or {},
            values={"on_duplicate": imp["on_duplicate"]},
        )

    @get("/{import_id:int}", name="customers:import_show")
    async def show(self, request: Request, import_id: FromPath[int]) -> Template:
        imp = await self._import(current_user(request), import_id)
        return await self._show(request, imp)

    @post("/{import_id:int}", name="customers:import_mapping")
    async def mapping(self, request: Request, import_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        imp = await self._import(user, import_id)
        data = await request.form()
        form, errors, _values = read_form(ImportOptionsForm, data)
        mapping = {
            key[4:]: str(value)
            for key, value in data.items()
            if key.startswith("col_") and key[4:].isdigit() and value
        }
        try:
            if form is None:
                raise FormError(errors)
            await imports.set_mapping(imp["id"], mapping, form.on_duplicate.value)
        except FormError as exc:
            imp["mapping"] = mapping
            return await self._show(request, imp, exc.errors, 400)
        return redirect(request, "customers:import_show", import_id=import_id)

    @post("/{import_id:int}/confirm", name="customers:import_confirm")
    async def confirm(self, request: Request, import_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        imp = await self._import(user, import_id)
        try:
            written = await imports.confirm_import(user, imp)
        except FormError as exc:
            return await self._show(request, imp, exc.errors, 400)
        return redirect(
            request,
            "customers:list",
            flash=(
                "success",
                _(
                    "Import finished: %(created)s new customers, %(merged)s merged, %(skipped)s skipped.",
                    created=written.created,
                    merged=written.merged,
                    skipped=written.skipped,
                ),
            ),
        )

    @post("/{import_id:int}/discard", name="customers:import_discard")
    async def discard(self, request: Request, import_id: FromPath[int]) -> Redirect:
        imp = await self._import(current_user(request), import_id)
        await imports.discard_import(imp)
        return redirect(request, "customers:import", flash=("info", _("The import was discarded.")))


def _field_labels() -> list[tuple[str, str]]:
    return [(k, _(v)) for k, v in imports.FIELDS.items()]


PAGES = [CustomerPages, ContactLogPages, CustomerSettingsPages, CustomerImportPages]
