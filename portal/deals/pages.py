"""Partner pages: my company's deals (list with filters, board by stage, XLSX), the
registration form (new, edit) with errors beside the fields, the deal with its timeline, and
the partner's steps (submit, stage, extension request, won, lost)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.customers.services import customer_choices
from portal.deals import services
from portal.deals.constants import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    BOARD_COLUMNS,
    STAGE_LABELS,
    STATUS_LABELS,
    DealStatus,
    Stage,
)
from portal.deals.schemas import (
    DealData,
    DealFilters,
    DealForm,
    NoteForm,
    ReasonForm,
    StageForm,
    WinForm,
)
from portal.lib import spreadsheets
from portal.lib.clock import today
from portal.lib.forms import FormError, id_filter, read_form
from portal.lib.i18n import gettext as _
from portal.lib.inputs import parse_id
from portal.lib.money import AmountError, minor_to_text, parse_amount
from portal.lib.storage import accept_attribute, allowed_label, download_headers
from portal.web import Page, current_user, page, page_number, redirect

SELLERS = {"access": Access.PARTNER_SALES}
PER_PAGE = 30


def stage_options() -> list[tuple[str, str]]:
    return [(s.value, _(STAGE_LABELS[s])) for s in Stage]


def status_options() -> list[tuple[str, str]]:
    return [(s.value, _(STATUS_LABELS[s])) for s in DealStatus]


def file_form(can_attach: bool) -> dict[str, Any]:
    """What the deal page's files card needs besides the files: whether the upload form and the
    remove buttons show (the partner's own page), and the accepted kinds and size."""
    return {
        "can_attach": can_attach,
        "file_accept": accept_attribute(ATTACHMENT_TYPES),
        "file_kinds": allowed_label(ATTACHMENT_TYPES),
        "file_mb": ATTACHMENT_MAX_BYTES // (1024 * 1024),
    }


def form_data(form: DealForm) -> DealData:
    """The form as the services take it; FormError for the lines and the amount."""
    errors: dict[str, str] = {}
    lines, line_error = services.parse_lines(form.lines)
    if line_error:
        errors["lines"] = line_error
    amount = 0
    if form.estimated_amount.strip():
        try:
            amount = parse_amount(form.estimated_amount)
        except AmountError as exc:
            errors["estimated_amount"] = _(str(exc))
    if errors:
        raise FormError(errors)
    return DealData(
        name=form.name,
        customer_id=form.customer_id,
        customer_name=form.customer_name if form.customer_id is None else "",
        credit_code=form.credit_code,
        customer_phone=form.customer_phone,
        customer_email=form.customer_email,
        lines=lines,
        estimated_amount=amount,
        expected_close_on=form.expected_close_on,
        competitors=form.competitors,
        stage=form.stage,
        note=form.note,
    )


def deal_values(detail: dict[str, Any]) -> dict[str, Any]:
    """A stored deal as the form's values."""
    deal = detail["deal"]
    return {
        "name": deal["name"],
        "customer_id": deal["customer"],
        "credit_code": deal["credit_code"],
        "customer_phone": deal["customer_phone"],
        "customer_email": deal["customer_email"],
        "lines": "\n".join(f"{line['sku']} {line['quantity']}" for line in detail["lines"]),
        "estimated_amount": minor_to_text(deal["estimated_amount"]),
        "expected_close_on": deal["expected_close_on"],
        "competitors": deal["competitors"],
        "stage": deal["stage"],
        "note": deal["note"],
    }


async def load(user: CurrentUser, deal_id: int) -> dict[str, Any]:
    return await services.deal_detail(user, deal_id)


def filters_from(request: Request, per_page: int = PER_PAGE) -> DealFilters:
    q = request.query_params
    return DealFilters(
        status=str(q.get("status", ""))[:20],
        stage=str(q.get("stage", ""))[:20],
        q=str(q.get("q", "")).strip()[:100],
        expiring=q.get("expiring") == "1",
        page=page_number(q.get("page")),
        per_page=per_page,
    )


class DealPages(Controller):
    """The partner's deal registrations."""

    path = "/deals"
    opt = SELLERS

    @get("/", name="deals:list")
    async def index(self, request: Request) -> Template:
        user = current_user(request)
        filters = filters_from(request)
        rows, total = await services.list_deals(user, filters)
        params = {"status": filters.status, "stage": filters.stage, "q": filters.q}
        if filters.expiring:
            params["expiring"] = "1"
        return page(
            request,
            "deals/list.html",
            deals=rows,
            params=params,
            values=params,
            pager=Page(filters.page, PER_PAGE, total),
            status_options=status_options(),
            stage_options=stage_options(),
            today=today(),
        )

    @get("/board", name="deals:board")
    async def board(self, request: Request, q: FromQuery[str] = "") -> Template:
        user = current_user(request)
        columns = await services.board(user, DealFilters(q=q.strip()[:100]))
        return page(
            request,
            "deals/board.html",
            columns=columns,
            column_keys=[str(c) for c in BOARD_COLUMNS],
            values={"q": q},
            today=today(),
        )

    @get("/export.xlsx", name="deals:export")
    async def export(self, request: Request) -> Response[bytes]:
        user = current_user(request)
        rows, _total = await services.list_deals(user, filters_from(request, per_page=10_000))
        header = [
            _("Number"),
            _("Project"),
            _("End customer"),
            _("Status"),
            _("Stage"),
            _("Estimated value"),
            _("Expected close"),
            _("Protected until"),
            _("Owner"),
        ]
        body = [
            [
                r["number"],
                r["name"],
                r["customer_name"],
                _(STATUS_LABELS[DealStatus(r["status"])]),
                _(STAGE_LABELS[Stage(r["stage"])]),
                spreadsheets.yuan(r["estimated_amount"]),
                r["expected_close_on"],
                r["protection_until"],
                r["owner_name"] or "",
            ]
            for r in rows
        ]
        data = spreadsheets.workbook([(_("Deals"), header, body)])
        name = f"deals-{today():%Y%m%d}.xlsx"
        return Response(
            data,
            media_type=spreadsheets.XLSX_TYPE,
            headers=download_headers(name, spreadsheets.XLSX_TYPE),
        )

    async def _form(
        self,
        request: Request,
        values: dict[str, Any],
        errors: dict[str, str] | None = None,
        status_code: int = 200,
        deal: dict[str, Any] | None = None,
    ) -> Template:
        user = current_user(request)
        return page(
            request,
            "deals/form.html",
            status_code=status_code,
            values=values,
            errors=errors or {},
            deal=deal,
            customers=await customer_choices(user, "", 200),
            stage_options=stage_options(),
        )

    @get("/new", name="deals:new")
    async def new(self, request: Request, customer_id: FromQuery[str] = "") -> Template:
        values: dict[str, Any] = {"stage": Stage.QUALIFIED.value}
        if (customer := id_filter(customer_id)) is not None:
            values["customer_id"] = str(customer)
        return await self._form(request, values)

    async def _save(self, request: Request, deal_id: int | None) -> Template | Redirect:
        user = current_user(request)
        data = await request.form()
        form, errors, values = read_form(DealForm, data)
        deal = (await load(user, deal_id))["deal"] if deal_id is not None else None
        if form is None:
            return await self._form(request, values, errors, 400, deal)
        try:
            saved = await services.save_deal(user, form_data(form), deal_id)
            submitted = data.get("then") == "submit"
            conflict = await services.submit_deal(user, saved) if submitted else False
        except FormError as exc:
            return await self._form(request, values, exc.errors, 400, deal)
        if conflict:
            flash = ("warning", services.conflict_message())
        elif submitted:
            flash = ("success", _("The deal was submitted for review."))
        else:
            flash = ("success", _("The deal was saved as a draft."))
        return redirect(request, "deals:show", flash=flash, deal_id=saved)

    @post("/new", name="deals:create")
    async def create(self, request: Request) -> Template | Redirect:
        return await self._save(request, None)

    @get("/{deal_id:int}", name="deals:show")
    async def show(self, request: Request, deal_id: FromPath[int]) -> Template:
        detail = await load(current_user(request), deal_id)
        return page(
            request,
            "deals/show.html",
            **detail,
            **file_form(True),
            stage_options=stage_options(),
        )

    @get("/{deal_id:int}/edit", name="deals:edit")
    async def edit(self, request: Request, deal_id: FromPath[int]) -> Template:
        detail = await load(current_user(request), deal_id)
        return await self._form(request, deal_values(detail), deal=detail["deal"])

    @post("/{deal_id:int}/edit", name="deals:update")
    async def update(self, request: Request, deal_id: FromPath[int]) -> Template | Redirect:
        return await self._save(request, deal_id)

    @post("/{deal_id:int}/submit", name="deals:submit")
    async def submit(self, request: Request, deal_id: FromPath[int]) -> Redirect:
        async def step(user: CurrentUser, data: Any) -> str:
            if await services.submit_deal(user, deal_id):
                return services.conflict_message()
            return _("The deal was submitted for review.")

        return await _step(request, deal_id, step)

    @post("/{deal_id:int}/stage", name="deals:stage")
    async def stage(self, request: Request, deal_id: FromPath[int]) -> Redirect:
        async def step(user: CurrentUser, data: Any) -> str:
            form = _read(StageForm, data)
            await services.set_stage(user, deal_id, form.stage)
            return _("The stage was changed.")

        return await _step(request, deal_id, step)

    @post("/{deal_id:int}/extension", name="deals:extension")
    async def extension(self, request: Request, deal_id: FromPath[int]) -> Redirect:
        async def step(user: CurrentUser, data: Any) -> str:
            form = _read(ReasonForm, data)
            await services.request_extension(user, deal_id, form.reason)
            return _("Your extension request was sent.")

        return await _step(request, deal_id, step)

    @post("/{deal_id:int}/win", name="deals:win")
    async def win(self, request: Request, deal_id: FromPath[int]) -> Redirect:
        async def step(user: CurrentUser, data: Any) -> str:
            form = _read(WinForm, data)
            await services.win_deal(user, deal_id, order_ids(form.order_ids))
            return _("Congratulations: the deal is won.")

        return await _step(request, deal_id, step)

    @post("/{deal_id:int}/lose", name="deals:lose")
    async def lose(self, request: Request, deal_id: FromPath[int]) -> Redirect:
        async def step(user: CurrentUser, data: Any) -> str:
            form = _read(NoteForm, data)
            await services.lose_deal(user, deal_id, form.reason)
            return _("The deal was marked lost.")

        return await _step(request, deal_id, step)


def order_ids(text: str) -> list[int]:
    """ "12, 15 #18" -> [12, 15, 18]; FormError on anything else."""
    out = []
    for part in text.replace("，", ",").replace("#", " ").replace(",", " ").split():
        number = parse_id(part)
        if number is None:
            raise FormError({"order_ids": _("Enter order ids such as 12, 15.")})
        out.append(number)
    return out


def _read(cls: Any, data: Any) -> Any:
    form, errors, _values = read_form(cls, data)
    if form is None:
        raise FormError(errors)
    return form


async def _step(request: Request, deal_id: int, step: Any, route: str = "deals:show") -> Redirect:
    """Run one step of a deal from a small form; its outcome as a flash on the deal page."""
    user = current_user(request)
    data = await request.form()
    try:
        done = await step(user, data)
    except FormError as exc:
        message = next(iter(exc.errors.values()), _("Please correct the fields marked below."))
        return redirect(request, route, flash=("error", message), deal_id=deal_id)
    return redirect(request, route, flash=("success", done), deal_id=deal_id)


PAGES = [DealPages]
