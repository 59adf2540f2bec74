"""Partner pages: my account (what I owe, overdue, available credit and what frees it, my
receivables, payments and ledger) and the invoicing details (开票信息) the partner admin edits."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from portal.auth.constants import Access
from portal.finance import rebates, services, statements
from portal.finance.constants import STATE_LABELS, TERMS_LABELS, ReceivableState
from portal.finance.profile import INVOICING_FIELDS
from portal.lib.forms import FormError, read_form
from portal.lib.i18n import gettext as _
from portal.web import Page, current_user, page, page_number, redirect

PURCHASERS = {"access": Access.PARTNER_PURCHASING}
PER_PAGE = 50
STATES = ("", "open", "overdue", "paid", "all")


def state_options() -> list[tuple[str, str]]:
    return [
        ("", _("Unpaid")),
        *((s.value, _(STATE_LABELS[s])) for s in ReceivableState),
        ("all", _("All")),
    ]


class MoneyPages(Controller):
    """My company's account with the vendor."""

    path = "/money"
    opt = PURCHASERS

    @get("/", name="finance:money")
    async def index(self, request: Request, status: FromQuery[str] = "") -> Template:
        user = current_user(request)
        assert user.partner_id is not None  # the access declaration admits partner users only
        state = status if status in STATES else ""
        number = page_number(request.query_params.get("page"))
        summary = await services.account_summary(user.partner_id)
        rows, total = await services.list_receivables(
            user,
            services.ReceivableFilters(state=state, page=number, per_page=PER_PAGE),
        )
        unpaid, _n = await services.list_receivables(
            user, services.ReceivableFilters(state="", per_page=5)
        )
        return page(
            request,
            "finance/money.html",
            summary=summary,
            terms_label=_(
                {str(k): v for k, v in TERMS_LABELS.items()}.get(
                    summary.payment_terms, summary.payment_terms
                )
            ),
            receivables=rows,
            frees=unpaid,
            payments=await services.list_payments(user, user.partner_id, 20),
            ledger=await services.list_ledger(user, user.partner_id, 20),
            state=state,
            state_options=state_options(),
            pager=Page(number, PER_PAGE, total),
            params={"status": state},
            periods=statements.recent_periods(6),
            rebates=await rebates.partner_rebates(user.partner_id),
        )

    async def _invoicing(
        self,
        request: Request,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        user = current_user(request)
        assert user.partner_id is not None
        profile = await services.get_profile(user.partner_id)
        return page(
            request,
            "finance/invoicing.html",
            status_code=status_code,
            profile=profile,
            values=values
            if values is not None
            else {f: profile.get(f, "") for f in INVOICING_FIELDS},
            errors=errors or {},
            can_edit=user.is_partner_admin,
        )

    @get("/invoicing", name="finance:invoicing")
    async def invoicing(self, request: Request) -> Template:
        return await self._invoicing(request)

    @post("/invoicing", name="finance:invoicing_save", opt={"access": Access.PARTNER_ADMIN})
    async def save_invoicing(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        form, errors, values = read_form(services.InvoicingForm, await request.form())
        if form is None:
            return await self._invoicing(request, values, errors, 400)
        try:
            changed = await services.update_invoicing(user, form)
        except FormError as exc:
            return await self._invoicing(request, values, exc.errors, 400)
        message = _("Invoicing details saved.") if changed else _("Nothing changed.")
        return redirect(request, "finance:invoicing", flash=("success", message))


PAGES = [MoneyPages]
