"""The finance part of the JSON API (/api/v1): receivables for partners and vendor staff; for
vendor staff, invoice numbers and payments (idempotent by bank reference). Another partner's
receivable, or a partner outside a channel manager's scope, answers 404; bad input 422; a bank
reference already recorded for a different payment 409."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery, JSONBody

from portal.auth.constants import Access
from portal.finance import access, services
from portal.finance.reads import decorate
from portal.finance.schemas import (
    AccountOut,
    AllocationOut,
    InvoiceIn,
    PaymentIn,
    PaymentOut,
    ReceivableListOut,
    ReceivableOut,
)
from portal.lib import clock
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.inputs import PageNo, PerPage
from portal.tenancy import NotFound
from portal.web import current_user

READERS = {"access": (Access.PARTNER_PURCHASING, Access.VENDOR)}
VENDOR = {"access": Access.VENDOR}


def refusal(exc: FormError) -> HTTPException:
    if isinstance(exc, services.PaymentConflict):
        return HTTPException(status_code=409, detail=exc.message)
    message = exc.errors.get("") or "; ".join(exc.errors.values())
    fields = {k: v for k, v in exc.errors.items() if k}
    return HTTPException(
        status_code=422, detail=message, extra={"fields": fields} if fields else {}
    )


def receivable_out(r: dict[str, Any]) -> ReceivableOut:
    return ReceivableOut(
        id=r["id"],
        partner_code=r.get("partner_code", ""),
        order_id=r["order_id"],
        order_number=r["order_number"],
        shipment_id=r["shipment_id"],
        amount=int(r["amount"]),
        paid_amount=int(r["paid_amount"]),
        open_amount=int(r["open_amount"]),
        currency=r["currency"],
        issued_on=r["issued_on"],
        due_on=r["due_on"],
        paid_on=r["paid_on"],
        payment_terms=r["payment_terms"],
        state=r["state"],
        days_overdue=r["days_overdue"],
        invoice_number=r["invoice_number"],
        invoiced_on=r["invoiced_on"],
    )


class ReceivableApi(Controller):
    path = "/receivables"
    opt = READERS

    @get("/", name="api:receivables")
    async def index(
        self,
        request: Request,
        status: FromQuery[str] = "",
        partner_code: FromQuery[str] = "",
        page: PageNo = 1,
        per_page: PerPage = 50,
    ) -> ReceivableListOut:
        """Receivables the caller may see, oldest due date first. state: "" (unpaid, the
        default), open, overdue, paid or all; vendor staff may filter by partner_code."""
        user = current_user(request)
        state = status
        if state not in ("", "open", "overdue", "paid", "all"):
            raise HTTPException(
                status_code=422, detail=_("status must be open, overdue, paid or all.")
            )
        partner_id = None
        if partner_code and user.is_vendor:
            partner_id = int((await access.get_partner_by_code_for_user(user, partner_code))["id"])
        page, per_page = max(page, 1), min(max(per_page, 1), 200)
        rows, total = await services.list_receivables(
            user,
            services.ReceivableFilters(
                state=state, partner_id=partner_id, page=page, per_page=per_page
            ),
        )
        account = None
        if user.partner_id is not None:
            s = await services.account_summary(user.partner_id)
            account = AccountOut(**{f: getattr(s, f) for f in AccountOut.__struct_fields__})
        return ReceivableListOut(
            items=[receivable_out(r) for r in rows],
            total=total,
            page=page,
            per_page=per_page,
            account=account,
        )

    @post(
        "/{receivable_id:int}/invoice", name="api:receivable_invoice", opt=VENDOR, status_code=200
    )
    async def invoice(
        self, request: Request, receivable_id: FromPath[int], data: JSONBody[InvoiceIn]
    ) -> ReceivableOut:
        """Record the invoice number (发票号) issued for a receivable."""
        user = current_user(request)
        try:
            receivable = await access.get_receivable_for_user(user, receivable_id)
            await services.record_invoice_number(user, receivable, data.invoice_number)
            receivable = await access.get_receivable_for_user(user, receivable_id)
        except FormError as exc:
            raise refusal(exc) from None
        return receivable_out(decorate(receivable, clock.today()))


async def payment_out(user: Any, payment_id: int, created: bool) -> PaymentOut:
    p = await access.get_payment_for_user(user, payment_id)
    allocations = await services.allocations_of(payment_id)
    return PaymentOut(
        id=p["id"],
        partner_code=p["partner_code"],
        amount=int(p["amount"]),
        currency=p["currency"],
        paid_on=p["paid_on"],
        method=p["method"],
        bank_reference=p["bank_reference"],
        allocated_amount=int(p["allocated_amount"]),
        unallocated_amount=int(p["amount"]) - int(p["allocated_amount"]),
        allocations=[
            AllocationOut(
                receivable_id=a["receivable"],
                order_number=a["order_number"],
                amount=int(a["amount"]),
            )
            for a in allocations
        ],
        created=created,
    )


class PaymentApi(Controller):
    path = "/payments"
    opt = VENDOR

    @post("/", name="api:payments_create")
    async def create(self, request: Request, data: JSONBody[PaymentIn]) -> Response[PaymentOut]:
        """Record a payment (amount in minor units) and allocate it to the partner's oldest
        open receivables; the rest is balance on account. The same bank_reference again
        answers the payment first recorded with it (200, "created": false)."""
        user = current_user(request)
        try:
            partner = await access.get_partner_by_code_for_user(user, data.partner_code)
        except NotFound:
            raise HTTPException(status_code=404, detail=_("No partner with this code.")) from None
        payment = services.PaymentInput(
            amount=data.amount,
            paid_on=data.paid_on,
            bank_reference=data.bank_reference,
            method=data.method,
            note=data.note,
        )
        try:
            payment_id, created = await services.record_payment(user, partner, payment)
        except FormError as exc:
            raise refusal(exc) from None
        out = await payment_out(user, payment_id, created)
        return Response(out, status_code=201 if created else 200)


API = [ReceivableApi, PaymentApi]
