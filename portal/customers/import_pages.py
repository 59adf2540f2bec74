"""The customer import pages: upload, mapping, preview, confirm; nothing written before confirm."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal.auth.schemas import CurrentUser
from portal.customers import access, imports
from portal.customers.page_helpers import SALES
from portal.customers.schemas import ImportOptionsForm
from portal.lib.forms import FormError, read_form
from portal.lib.i18n import gettext as _
from portal.lib.inputs import parse_int
from portal.web import current_user, page, redirect


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
        return await access.get_import_for_user(user, import_id)

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
        last = len(imp["headers"]) - 1  # col_<position> of a column the file has; others ignored
        mapping = {
            str(position): str(value)
            for key, value in data.items()
            if key.startswith("col_")
            and value
            and (position := parse_int(key[4:], high=last)) is not None
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
