"""The partner's delivery address book: pages for its admins (my company → delivery addresses)
and the API list the orders API picks from (delivery_address_id)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal.lib.forms import FormError, read_form
from portal.lib.i18n import gettext as _
from portal.partners import access, addresses
from portal.partners.pages_common import PARTNER, PARTNER_ADMIN
from portal.partners.schemas import AddressForm, AddressOut
from portal.web import current_user, page, redirect


class AddressPages(Controller):
    """Partner admins keep the address book; another partner's address answers 404."""

    path = "/my-company/addresses"
    opt = PARTNER_ADMIN

    async def _list(
        self,
        request: Request,
        status_code: int = 200,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
    ) -> Template:
        user = current_user(request)
        return page(
            request,
            "partners/addresses.html",
            status_code=status_code,
            addresses=await addresses.list_addresses(user.partner_id or 0),
            errors=errors or {},
            values=values or {},
        )

    @get("/", name="my_company:addresses")
    async def index(self, request: Request) -> Template:
        return await self._list(request)

    @post("/", name="my_company:address_add")
    async def add(self, request: Request) -> Template | Redirect:
        form, errors, values = read_form(AddressForm, await request.form())
        if form is not None:
            try:
                await addresses.add_address(current_user(request), form)
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "my_company:addresses",
                    flash=("success", _("The address %(label)s was added.", label=form.label)),
                )
        return await self._list(request, 400, errors, values)

    @get("/{address_id:int}", name="my_company:address")
    async def show(self, request: Request, address_id: FromPath[int]) -> Template:
        address = await access.get_address_for_user(current_user(request), address_id)
        return page(request, "partners/address.html", address=address, values=address)

    @post("/{address_id:int}", name="my_company:address_update")
    async def update(self, request: Request, address_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        address = await access.get_address_for_user(user, address_id)
        form, errors, values = read_form(AddressForm, await request.form())
        if form is not None:
            try:
                await addresses.update_address(user, address, form)
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "my_company:addresses",
                    flash=("success", _("The address %(label)s was saved.", label=form.label)),
                )
        return page(
            request,
            "partners/address.html",
            status_code=400,
            address=address,
            errors=errors,
            values=values,
        )

    @post("/{address_id:int}/remove", name="my_company:address_remove")
    async def remove(self, request: Request, address_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        address = await access.get_address_for_user(user, address_id)
        await addresses.remove_address(user, address)
        return redirect(
            request,
            "my_company:addresses",
            flash=("success", _("The address %(label)s was removed.", label=address["label"])),
        )


class AddressApi(Controller):
    """GET /api/v1/delivery-addresses: the caller's company's address book."""

    path = "/delivery-addresses"
    tags = ["partners"]

    @get("/", name="api:delivery_addresses", opt=PARTNER)
    async def index(self, request: Request) -> list[AddressOut]:
        """The addresses an order may be sent to (delivery_address_id on POST /api/v1/orders),
        the default first."""
        user = current_user(request)
        return [
            AddressOut(
                id=r["id"],
                label=r["label"],
                recipient=r["recipient"],
                phone=r["phone"],
                address=r["address"],
                is_default=r["is_default"],
            )
            for r in await addresses.list_addresses(user.partner_id or 0)
        ]
