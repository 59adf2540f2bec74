"""The files of a deal: the partner attaches them on the deal page and removes them until the
vendor has decided; the partner's sellers and the vendor staff who see the deal download them.
Another partner's file answers 404, like its deal."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from portal.auth.constants import Access
from portal.deals import attachments
from portal.deals.access import get_deal_attachment_for_user
from portal.deals.constants import ATTACHMENT_MAX_BYTES
from portal.deals.pages import file_form, load, stage_options
from portal.lib import storage
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.tenancy import NotFound
from portal.web import current_user, not_found, page, redirect

SELLERS = {"access": Access.PARTNER_SALES}
READERS = {"access": (Access.PARTNER_SALES, Access.VENDOR)}
MAX_PER_UPLOAD = 5
UPLOAD_BODY = (ATTACHMENT_MAX_BYTES + 1024 * 1024) * MAX_PER_UPLOAD


async def read_uploads(data: Any) -> list[attachments.Upload]:
    """The files of the multipart form (field "files"), read into memory for the checks;
    FormError when more than MAX_PER_UPLOAD were chosen at once."""
    chosen = [i for i in data.getall("files", []) if isinstance(i, UploadFile) and i.filename]
    if len(chosen) > MAX_PER_UPLOAD:
        raise FormError({"files": _("At most %(n)s files at a time.", n=MAX_PER_UPLOAD)})
    return [attachments.Upload(item.filename, await item.read()) for item in chosen]


class DealUploads(Controller):
    """Attaching files to one of the partner's deals."""

    path = "/deals"
    opt = SELLERS

    @post("/{deal_id:int}/files", name="deals:attach", request_max_body_size=UPLOAD_BODY)
    async def attach(self, request: Request, deal_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        data = await request.form()
        try:
            ids = await attachments.attach_files(user, deal_id, await read_uploads(data))
        except FormError as exc:
            detail = await load(user, deal_id)
            errors = {"files": exc.errors.get("files") or next(iter(exc.errors.values()), "")}
            return page(
                request,
                "deals/show.html",
                status_code=400,
                errors=errors,
                **detail,
                **file_form(True),
                stage_options=stage_options(),
            )
        done = _("The file was attached.") if len(ids) == 1 else _("The files were attached.")
        return redirect(request, "deals:show", flash=("success", done), deal_id=deal_id)


class DealFiles(Controller):
    """Downloading a deal's file (through the deal's tenant door) and removing one."""

    path = "/deals/files"
    opt = READERS

    @get("/{file_id:int}", name="deals:file")
    async def download(self, request: Request, file_id: FromPath[int]) -> Response[bytes]:
        user = current_user(request)
        try:
            row = await get_deal_attachment_for_user(user, file_id)
            data = await storage.read_file(row["key"])
        except (NotFound, FileNotFoundError):
            raise not_found() from None
        return Response(
            data,
            media_type=row["content_type"],
            headers=storage.download_headers(row["filename"], row["content_type"]),
        )

    @post("/{file_id:int}/remove", name="deals:file_remove", opt=SELLERS)
    async def remove(self, request: Request, file_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        row = await get_deal_attachment_for_user(user, file_id)
        try:
            deal_id = await attachments.remove_attachment(user, file_id)
        except FormError as exc:
            message = next(iter(exc.errors.values()), "")
            return redirect(request, "deals:show", flash=("error", message), deal_id=row["deal"])
        return redirect(
            request, "deals:show", flash=("success", _("The file was removed.")), deal_id=deal_id
        )


PAGES = [DealUploads, DealFiles]
