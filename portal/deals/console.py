"""The vendor console: every partner's pipeline in scope (totals by stage and partner, win
rate, the list), and one deal with the conflicting registrations side by side and the review
(approve with a protection period, decline with a reason, ask for information, extend)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.deals import ordering, periods, services
from portal.deals.constants import BOARD_COLUMNS
from portal.deals.pages import _read, _step, load, stage_options, status_options
from portal.deals.schemas import ApproveForm, DealFilters, ExtendForm, NoteForm, ReasonForm
from portal.lib.clock import today
from portal.lib.forms import FormError, id_filter
from portal.lib.i18n import gettext as _
from portal.lib.money import AmountError, parse_amount
from portal.partners.access import partners_in_scope
from portal.web import Page, current_user, page, page_number, redirect

STAFF = {"access": Access.VENDOR}
PER_PAGE = 50


async def partner_options(user: CurrentUser) -> list[tuple[int, str]]:
    return [(int(r["id"]), r["name"]) for r in await partners_in_scope(user)]


class DealConsole(Controller):
    """Vendor staff's view of the deal registrations of the partners in their scope."""

    path = "/console/deals"
    opt = STAFF

    @get("/", name="console:deals")
    async def index(self, request: Request) -> Template:
        user = current_user(request)
        q = request.query_params
        partner = str(q.get("partner_id", ""))
        filters = DealFilters(
            status=str(q.get("status", ""))[:20],
            stage=str(q.get("stage", ""))[:20],
            q=str(q.get("q", "")).strip()[:100],
            partner_id=id_filter(partner),
            page=page_number(q.get("page")),
            per_page=PER_PAGE,
        )
        rows, total = await services.list_deals(user, filters)
        params = {
            "status": filters.status,
            "stage": filters.stage,
            "q": filters.q,
            "partner_id": str(filters.partner_id or ""),
        }
        return page(
            request,
            "deals/console_list.html",
            deals=rows,
            figures=await services.pipeline_figures(user, filters),
            column_keys=[str(c) for c in BOARD_COLUMNS],
            params=params,
            values=params,
            pager=Page(filters.page, PER_PAGE, total),
            status_options=status_options(),
            stage_options=stage_options(),
            partners=await partner_options(user),
            today=today(),
        )

    @get("/{deal_id:int}", name="console:deal")
    async def show(self, request: Request, deal_id: FromPath[int]) -> Template:
        detail = await load(current_user(request), deal_id)
        return page(
            request,
            "deals/console_show.html",
            **detail,
            values={"days": await periods.protection_days_for(int(detail["deal"]["partner"]))},
            stage_options=stage_options(),
        )

    @post("/{deal_id:int}/approve", name="console:deal_approve")
    async def approve(self, request: Request, deal_id: FromPath[int]) -> Redirect:
        async def step(user: CurrentUser, data: Any) -> str:
            form = _read(ApproveForm, data)
            until = await services.approve_deal(user, deal_id, form.days, form.note)
            return _("Approved: protected until %(day)s.", day=until.isoformat())

        return await _step(request, deal_id, step, "console:deal")

    @post("/{deal_id:int}/decline", name="console:deal_decline")
    async def decline(self, request: Request, deal_id: FromPath[int]) -> Redirect:
        async def step(user: CurrentUser, data: Any) -> str:
            form = _read(ReasonForm, data)
            await services.decline_deal(user, deal_id, form.reason)
            return _("The deal was declined; the partner is told why.")

        return await _step(request, deal_id, step, "console:deal")

    @post("/{deal_id:int}/ask", name="console:deal_ask")
    async def ask(self, request: Request, deal_id: FromPath[int]) -> Redirect:
        async def step(user: CurrentUser, data: Any) -> str:
            form = _read(NoteForm, data)
            await services.request_info(user, deal_id, form.reason)
            return _("The partner was asked for more information.")

        return await _step(request, deal_id, step, "console:deal")

    @post("/protection", name="console:deal_protection", opt={"access": Access.VENDOR_ADMIN})
    async def protection(self, request: Request) -> Redirect:
        """The protection period per tier (the form sits on the performance settings page,
        where the tiers are configured)."""
        user = current_user(request)
        data = await request.form()
        tiers = [int(t["id"]) for t in await periods.protection_days_by_tier()]
        try:
            await periods.set_protection_days(user, periods.parse_days(data, tiers))
        except FormError as exc:
            message = next(iter(exc.errors.values()), _("Please correct the fields marked below."))
            return redirect(request, "console_performance:settings", flash=("error", message))
        return redirect(
            request,
            "console_performance:settings",
            flash=("success", _("Protection periods saved.")),
        )

    @post("/{deal_id:int}/prices", name="console:deal_prices")
    async def prices(self, request: Request, deal_id: FromPath[int]) -> Redirect:
        async def step(user: CurrentUser, data: Any) -> str:
            detail = await load(user, deal_id)
            prices = price_fields(data, [int(line["id"]) for line in detail["lines"]])
            changed = await ordering.set_deal_prices(user, deal_id, prices)
            if not changed:
                return _("The deal prices are unchanged.")
            return _(
                "Deal prices saved: orders placed against %(number)s get them.",
                number=detail["deal"]["number"],
            )

        return await _step(request, deal_id, step, "console:deal")

    @post("/{deal_id:int}/extend", name="console:deal_extend")
    async def extend(self, request: Request, deal_id: FromPath[int]) -> Redirect:
        async def step(user: CurrentUser, data: Any) -> str:
            form = _read(ExtendForm, data)
            until = await services.grant_extension(user, deal_id, form.days)
            return _("Protection extended until %(day)s.", day=until.isoformat())

        return await _step(request, deal_id, step, "console:deal")


def price_fields(data: Any, line_ids: list[int]) -> dict[int, int | None]:
    """The deal-price form (price_<line id>, blank clears) as line id -> minor units."""
    prices: dict[int, int | None] = {}
    for line_id in line_ids:
        text = str(data.get(f"price_{line_id}", "") or "").strip()
        if not text:
            prices[line_id] = None
            continue
        try:
            prices[line_id] = parse_amount(text)
        except AmountError as exc:
            raise FormError({f"price_{line_id}": _(str(exc))}) from None
    return prices


PAGES = [DealConsole]
