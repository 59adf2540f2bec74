"""Partner pages: my company's cases (list, open a case with knowledge-base suggestions, the
conversation with files, close and reopen), attachments, and the knowledge base."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.customers import services as customers
from portal.lib import storage
from portal.lib.forms import FormError, id_filter, read_form
from portal.lib.i18n import gettext as _
from portal.orders.access import recent_orders_for_user
from portal.support import access, kb, services
from portal.support.access import get_article_for_user
from portal.support.constants import (
    ATTACHMENT_MAX_BYTES,
    CATEGORY_LABELS,
    PRIORITY_LABELS,
    STATUS_LABELS,
    CaseCategory,
    CasePriority,
    CaseStatus,
)
from portal.support.schemas import CaseFilters, CaseForm, ReplyForm
from portal.tenancy import NotFound
from portal.web import Page, current_user, not_found, page, page_number, redirect

PARTNERS = {"access": Access.PARTNER}
READERS = {"access": (Access.PARTNER, Access.VENDOR)}
PER_PAGE = 30
UPLOAD_BODY = (ATTACHMENT_MAX_BYTES + 1024 * 1024) * 5


def category_options() -> list[tuple[str, str]]:
    return [(c.value, _(CATEGORY_LABELS[c])) for c in CaseCategory]


def priority_options() -> list[tuple[str, str]]:
    return [(p.value, _(PRIORITY_LABELS[p])) for p in CasePriority]


def status_options() -> list[tuple[str, str]]:
    return [(s.value, _(STATUS_LABELS[s])) for s in CaseStatus]


async def read_uploads(data: Any) -> list[services.Upload]:
    """The files of a multipart form (field "files"), read into memory for the checks."""
    out = []
    for item in data.getall("files", []):
        if isinstance(item, UploadFile) and item.filename:
            out.append(services.Upload(item.filename, await item.read()))
    return out


async def load_case(user: CurrentUser, case_id: int) -> dict[str, Any]:
    return await services.case_detail(user, case_id)


async def order_choices(user: CurrentUser) -> list[tuple[int, str]]:
    """The partner's recent orders, to link a case (purchasing users and admins only)."""
    if not (user.can_purchasing or user.is_partner_admin):
        return []

    rows = await recent_orders_for_user(user, 50)
    return [(int(r["id"]), r["number"]) for r in rows]


async def customer_choices(user: CurrentUser) -> list[tuple[int, str]]:
    """The partner's end customers that the user may link a case to."""
    if not user.is_partner:
        return []
    try:
        return list(await customers.customer_choices(user, "", 200))
    except Exception:  # the customers domain refuses (e.g. no sales permission): no link offered
        return []


class CasePages(Controller):
    """The partner's cases."""

    path = "/cases"
    opt = PARTNERS

    @get("/", name="cases:list")
    async def index(
        self,
        request: Request,
        status: FromQuery[str] = "",
        q: FromQuery[str] = "",
    ) -> Template:
        user = current_user(request)
        number = page_number(request.query_params.get("page"))
        filters = CaseFilters(status=status, q=q.strip()[:100], page=number, per_page=PER_PAGE)
        rows, total = await services.list_cases(user, filters)
        counts = await services.count_by_status(user)
        params = {"status": status, "q": filters.q}
        return page(
            request,
            "support/list.html",
            cases=rows,
            counts=counts,
            params=params,
            values=params,
            pager=Page(number, PER_PAGE, total),
            status_options=status_options(),
        )

    async def _form(
        self,
        request: Request,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        user = current_user(request)
        return page(
            request,
            "support/new.html",
            status_code=status_code,
            values=values or {"priority": "normal"},
            errors=errors or {},
            category_options=category_options(),
            priority_options=priority_options(),
            orders=await order_choices(user),
            customers=await customer_choices(user),
        )

    @get("/new", name="cases:new")
    async def new(self, request: Request, order_id: FromQuery[str] = "") -> Template:
        values: dict[str, Any] = {"priority": "normal"}
        if (order := id_filter(order_id)) is not None:
            values["order_id"] = str(order)
            values["category"] = CaseCategory.ORDER.value
        return await self._form(request, values)

    @post("/new", name="cases:create", request_max_body_size=UPLOAD_BODY)
    async def create(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        data = await request.form()
        form, errors, values = read_form(CaseForm, data)
        if form is None:
            return await self._form(request, values, errors, 400)
        try:
            case_id = await services.open_case(user, form, files=await read_uploads(data))
        except FormError as exc:
            return await self._form(request, values, exc.errors, 400)
        return redirect(
            request,
            "cases:show",
            flash=("success", _("Your case has been opened. We will answer soon.")),
            case_id=case_id,
        )

    @get("/{case_id:int}", name="cases:show")
    async def show(self, request: Request, case_id: FromPath[int]) -> Template:
        user = current_user(request)
        detail = await load_case(user, case_id)
        return page(
            request,
            "support/show.html",
            **detail,
            can_reopen=services.can_reopen(detail["case"]),
            reopen_until=services.reopen_deadline(detail["case"]),
        )

    @post("/{case_id:int}/reply", name="cases:reply", request_max_body_size=UPLOAD_BODY)
    async def reply(self, request: Request, case_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        data = await request.form()
        form, errors, values = read_form(ReplyForm, data)
        if form is not None:
            try:
                await services.reply(user, case_id, form.body, files=await read_uploads(data))
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "cases:show",
                    flash=("success", _("Your reply was sent.")),
                    case_id=case_id,
                )
        detail = await load_case(user, case_id)
        return page(
            request,
            "support/show.html",
            status_code=400,
            errors=errors,
            values=values,
            **detail,
            can_reopen=services.can_reopen(detail["case"]),
            reopen_until=services.reopen_deadline(detail["case"]),
        )

    @post("/{case_id:int}/close", name="cases:close")
    async def close(self, request: Request, case_id: FromPath[int]) -> Redirect:
        return await _status(
            request, case_id, CaseStatus.CLOSED, _("Thank you: the case is closed.")
        )

    @post("/{case_id:int}/reopen", name="cases:reopen")
    async def reopen(self, request: Request, case_id: FromPath[int]) -> Redirect:
        return await _status(request, case_id, CaseStatus.OPEN, _("The case is open again."))


async def _status(request: Request, case_id: int, to: CaseStatus, done: str) -> Redirect:
    user = current_user(request)
    data = await request.form()
    reason = str(data.get("reason", "")).strip()[:2000]
    try:
        await services.change_status(user, case_id, to, reason)
    except FormError as exc:
        return redirect(
            request, "cases:show", flash=("error", next(iter(exc.errors.values()))), case_id=case_id
        )
    return redirect(request, "cases:show", flash=("success", done), case_id=case_id)


class CaseFiles(Controller):
    """Downloading a case attachment (through the case's tenant door)."""

    path = "/case-files"
    opt = READERS

    @get("/{file_id:int}", name="cases:file")
    async def download(self, request: Request, file_id: FromPath[int]) -> Response[bytes]:
        user = current_user(request)
        try:
            row = await access.get_attachment_for_user(user, file_id)
            data = await storage.read_file(row["key"])
        except (NotFound, FileNotFoundError):
            raise not_found() from None
        return Response(
            data,
            media_type=row["content_type"],
            headers=storage.download_headers(row["filename"], row["content_type"]),
        )


class KnowledgeBase(Controller):
    """Searching and reading articles; the JSON suggestions for the new-case form."""

    path = "/kb"
    opt = READERS

    @get("/", name="kb:list")
    async def index(
        self, request: Request, q: FromQuery[str] = "", category: FromQuery[str] = ""
    ) -> Template:
        category_id = id_filter(category)
        articles = await kb.search(q.strip()[:200], category_id=category_id, limit=50)
        return page(
            request,
            "support/kb_list.html",
            articles=articles,
            categories=await kb.list_categories(),
            values={"q": q, "category": category},
        )

    @get("/suggest", name="kb:suggest")
    async def suggest(self, request: Request, q: FromQuery[str] = "") -> dict[str, Any]:
        """Up to five published articles for what the partner is typing (JSON)."""
        articles = await kb.search(q.strip()[:200], limit=5) if len(q.strip()) >= 2 else []
        return {
            "items": [
                {
                    "id": a["id"],
                    "title": a["title"],
                    "snippet": a.get("snippet", ""),
                    "url": request.app.route_reverse("kb:show", article_id=a["id"]),
                }
                for a in articles
            ]
        }

    @get("/{article_id:int}", name="kb:show")
    async def show(self, request: Request, article_id: FromPath[int]) -> Template:
        user = current_user(request)
        article = await get_article_for_user(user, article_id)
        await kb.count_view(article_id)
        return page(request, "support/kb_show.html", article=kb.localized_article(article))


PAGES = [CasePages, CaseFiles, KnowledgeBase]
