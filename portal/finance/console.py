"""Vendor console: ageing per partner (0–30, 31–60, 61–90, 90+ days), one partner's account
(receivables, payments, ledger) with the forms to record a payment, an invoice number and the
payment terms. Channel managers reach their assigned partners only (others answer 404)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal.auth.constants import Access
from portal.finance import access, bank_import, holds, services
from portal.finance.constants import METHOD_LABELS, TERMS_LABELS, PaymentMethod, PaymentTerms
from portal.finance.schemas import InvoiceNumberForm, PaymentForm, TermsForm
from portal.lib import clock
from portal.lib.forms import FormError, id_list, read_form
from portal.lib.i18n import format_money
from portal.lib.i18n import gettext as _
from portal.lib.money import AmountError, parse_amount
from portal.web import current_user, page, redirect

VENDOR = {"access": Access.VENDOR}


def terms_options() -> list[tuple[str, str]]:
    return [(t.value, _(TERMS_LABELS[t])) for t in PaymentTerms]


def method_options() -> list[tuple[str, str]]:
    return [(m.value, _(METHOD_LABELS[m])) for m in PaymentMethod]


async def _partner(request: Request, partner_id: int) -> dict[str, Any]:
    return await access.get_partner_for_user(current_user(request), partner_id)


class FinanceConsole(Controller):
    path = "/console/finance"
    opt = VENDOR

    async def _index(
        self,
        request: Request,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        figures = await services.ageing(current_user(request))
        days = await holds.block_days()
        return page(
            request,
            "finance/console_ageing.html",
            status_code=status_code,
            block_days=days,
            values=values or {"overdue_block_days": "" if days is None else str(days)},
            errors=errors or {},
            **figures,
        )

    @get("/", name="finance:console")
    async def index(self, request: Request) -> Template:
        return await self._index(request)

    @get("/import", name="finance:console_import")
    async def import_form(self, request: Request) -> Template:
        return page(request, "finance/console_import.html", result=None, values={})

    @post("/import", name="finance:console_import_submit")
    async def import_submit(self, request: Request) -> Template:
        data = await request.form()
        upload = data.get("file")
        values = {"dry_run": data.get("dry_run") in ("on", "1", "true")}
        errors: dict[str, str] = {}
        result = None
        filename = ""
        if not isinstance(upload, UploadFile) or not upload.filename:
            errors["file"] = _("Choose a file to upload.")
        else:
            filename = upload.filename
            content = await upload.read(bank_import.MAX_BYTES + 1)
            try:
                result = await bank_import.import_payments(
                    current_user(request), filename, content, dry_run=values["dry_run"]
                )
            except bank_import.FileRefused as exc:
                errors["file"] = exc.message
        failed = bool(errors) or bool(result and result.error_count)
        return page(
            request,
            "finance/console_import.html",
            status_code=400 if failed else 200,
            result=result,
            values=values,
            errors=errors,
            filename=filename,
        )

    @post("/settings", name="finance:console_settings", opt={"access": Access.VENDOR_ADMIN})
    async def save_settings(self, request: Request) -> Template | Redirect:
        data = await request.form()
        raw = str(data.get("overdue_block_days", "") or "")
        try:
            changed = await holds.set_block_days(current_user(request), holds.parse_block_days(raw))
        except FormError as exc:
            return await self._index(request, {"overdue_block_days": raw}, exc.errors, 400)
        message = _("Overdue block saved.") if changed else _("Nothing changed.")
        return redirect(request, "finance:console", flash=("success", message))

    async def _partner_page(
        self,
        request: Request,
        partner: dict[str, Any],
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        user = current_user(request)
        partner_id = int(partner["id"])
        receivables, total = await services.list_receivables(
            user, services.ReceivableFilters(state="all", partner_id=partner_id, per_page=100)
        )
        receivables.sort(key=lambda r: (r["state"] == "paid", r["due_on"], r["id"]))
        return page(
            request,
            "finance/console_partner.html",
            status_code=status_code,
            partner=partner,
            summary=await services.account_summary(partner_id),
            profile=await services.get_profile(partner_id),
            receivables=receivables,
            receivable_total=total,
            payments=await services.list_payments(user, partner_id, 50),
            ledger=await services.list_ledger(user, partner_id, 50),
            values=values or {"paid_on": clock.today().isoformat(), "method": "bank_transfer"},
            errors=errors or {},
            terms_options=terms_options(),
            method_options=method_options(),
        )

    @get("/partners/{partner_id:int}", name="finance:console_partner")
    async def partner(self, request: Request, partner_id: FromPath[int]) -> Template:
        return await self._partner_page(request, await _partner(request, partner_id))

    @post("/partners/{partner_id:int}/payments", name="finance:console_payment")
    async def record_payment(
        self, request: Request, partner_id: FromPath[int]
    ) -> Template | Redirect:
        user = current_user(request)
        partner = await _partner(request, partner_id)
        submitted = await request.form()
        chosen = [str(v) for v in submitted.getall("receivable_ids", [])]
        form, errors, values = read_form(PaymentForm, submitted)
        values["receivable_ids"] = chosen
        amount = 0
        if form is not None:
            try:
                amount = parse_amount(form.amount)
            except AmountError as exc:
                errors["amount"] = _(str(exc))
            if form.paid_on is None:
                errors["paid_on"] = _("Enter the date the money arrived.")
        if form is None or errors:
            return await self._partner_page(request, partner, values, errors, 400)
        assert form.paid_on is not None
        data = services.PaymentInput(
            amount=amount,
            paid_on=form.paid_on,
            bank_reference=form.bank_reference,
            method=form.method,
            note=form.note,
            receivable_ids=tuple(id_list(chosen)),
        )
        try:
            _payment_id, created = await services.record_payment(user, partner, data)
        except FormError as exc:
            return await self._partner_page(request, partner, values, exc.errors, 400)
        message = (
            _("Payment of %(amount)s recorded.", amount=format_money(amount, partner["currency"]))
            if created
            else _("This bank reference was already recorded: nothing was added.")
        )
        return redirect(
            request, "finance:console_partner", flash=("success", message), partner_id=partner_id
        )

    @post("/partners/{partner_id:int}/terms", name="finance:console_terms")
    async def set_terms(self, request: Request, partner_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        partner = await _partner(request, partner_id)
        form, errors, values = read_form(TermsForm, await request.form())
        if form is not None:
            try:
                await services.set_payment_terms(user, partner, form.payment_terms)
            except FormError as exc:
                errors = exc.errors
        if form is None or errors:
            return await self._partner_page(request, partner, values, errors, 400)
        return redirect(
            request,
            "finance:console_partner",
            flash=("success", _("Payment terms saved; new receivables use them.")),
            partner_id=partner_id,
        )

    @post("/receivables/{receivable_id:int}/invoice", name="finance:console_invoice")
    async def record_invoice(
        self, request: Request, receivable_id: FromPath[int]
    ) -> Template | Redirect:
        user = current_user(request)
        receivable = await access.get_receivable_for_user(user, receivable_id)
        partner = await _partner(request, int(receivable["partner"]))
        form, errors, values = read_form(InvoiceNumberForm, await request.form())
        if form is not None:
            try:
                await services.record_invoice_number(user, receivable, form.invoice_number)
            except FormError as exc:
                errors = {f"invoice_{receivable_id}": m for m in exc.errors.values()}
        if form is None or errors:
            return await self._partner_page(request, partner, values, errors, 400)
        return redirect(
            request,
            "finance:console_partner",
            flash=(
                "success",
                _("Invoice number recorded for %(order)s.", order=receivable["order_number"]),
            ),
            partner_id=partner["id"],
        )


PAGES = [FinanceConsole]
