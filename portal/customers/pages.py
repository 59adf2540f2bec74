"""Partner pages for customers (users with the sales permission): the list with filters, segment
tabs, bulk tags and export; the customer form; the 360° page with quick contact entry. "Log a
contact" and follow-ups (followup_pages.py), settings (settings_pages.py) and the import
(import_pages.py) are routed from PAGES here; page_helpers.py holds what they share."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from portal.auth.constants import Access
from portal.customers import exports, services
from portal.customers.constants import SEGMENT_ACTIONS, SEGMENT_LABELS, SEGMENT_TONES, SOURCE_LABELS
from portal.customers.followup_pages import ContactLogPages
from portal.customers.import_pages import CustomerImportPages
from portal.customers.page_helpers import (
    PER_PAGE,
    SALES,
    _customer,
    _customer_data,
    _filters,
    form_choices,
    interaction_data,
    interaction_defaults,
    options,
    segment_options,
)
from portal.customers.schemas import BulkTagForm, ContactForm, CustomerForm, InteractionForm
from portal.customers.settings_pages import CustomerSettingsPages
from portal.lib.clock import now
from portal.lib.forms import FormError, read_form
from portal.lib.i18n import gettext as _
from portal.lib.i18n import to_local
from portal.lib.spreadsheets import XLSX_TYPE
from portal.web import Page, current_user, page, page_number, redirect, safe_next


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
        await services.remove_contact(user, customer, contact_id)
        return redirect(
            request,
            "customers:show",
            flash=("info", _("The contact person has been removed.")),
            customer_id=customer_id,
        )


PAGES = [CustomerPages, ContactLogPages, CustomerSettingsPages, CustomerImportPages]
