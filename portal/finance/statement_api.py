"""Statements in the JSON API (/api/v1/statements): partner purchasers read their months, the
JSON or (Accept: application/pdf) the PDF, and confirm or dispute them; vendor staff read a
partner's months naming partner_code. A month that has no statement (the current one, a bad
period) or a partner outside the caller's scope answers 404; an answered month 409."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery, JSONBody
from msgspec import Meta

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.finance import statements
from portal.finance.access import get_partner_by_code_for_user
from portal.finance.statement_pages import pdf_response, statement_for, statement_pdf
from portal.lib.forms import FormError
from portal.lib.i18n import current_locale
from portal.lib.i18n import gettext as _
from portal.lib.inputs import Id
from portal.web import current_user


class StatementLineOut(msgspec.Struct, kw_only=True):
    id: int
    posted_on: dt.date
    kind: str
    amount: int  # + the partner owes more, - less
    balance_after: int
    order_id: int | None
    order_number: str | None
    invoice_number: str | None
    bank_reference: str | None


class StatementOut(msgspec.Struct, kw_only=True):
    period: str
    partner_code: str
    opening_amount: int
    debit_amount: int
    credit_amount: int
    closing_amount: int
    status: str  # "", confirmed, disputed
    case_id: int | None = None
    lines: list[StatementLineOut] | None = None


class StatementListOut(msgspec.Struct, kw_only=True):
    items: list[StatementOut]


class DisputeIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    comment: Annotated[str, Meta(min_length=1, max_length=2000)]
    entry_ids: list[Id] = []


def statement_out(s: dict[str, Any], code: str, with_lines: bool) -> StatementOut:
    return StatementOut(
        period=s["period"],
        partner_code=code,
        opening_amount=s["opening_amount"],
        debit_amount=s["debit_amount"],
        credit_amount=s["credit_amount"],
        closing_amount=s["closing_amount"],
        status=s["status"],
        case_id=(s["answer"] or {}).get("case_id"),
        lines=[
            StatementLineOut(
                id=x["id"],
                posted_on=x["posted_on"],
                kind=x["kind"],
                amount=int(x["amount"]),
                balance_after=x["balance_after"],
                order_id=x.get("order_id"),
                order_number=x.get("order_number"),
                invoice_number=x.get("invoice_number"),
                bank_reference=x.get("bank_reference"),
            )
            for x in s["lines"]
        ]
        if with_lines
        else None,
    )


async def _partner_id(user: CurrentUser, partner_code: str) -> int:
    if user.partner_id is not None:
        return user.partner_id
    if not partner_code:
        raise HTTPException(status_code=422, detail=_("Name the partner: ?partner_code=P00001."))
    return int((await get_partner_by_code_for_user(user, partner_code))["id"])


class StatementApi(Controller):
    path = "/statements"
    opt = {"access": (Access.PARTNER_PURCHASING, Access.VENDOR)}

    @get("/", name="api:statements")
    async def index(self, request: Request, partner_code: FromQuery[str] = "") -> StatementListOut:
        """The last twelve complete months: figures and answer (no lines)."""
        user = current_user(request)
        partner_id = await _partner_id(user, partner_code)
        detail = await statement_for(user, partner_id, statements.recent_periods()[0])
        code = detail["partner"]["code"]
        return StatementListOut(
            items=[
                statement_out({**s, "lines": []}, code, False)
                for s in await statements.list_statements(partner_id)
            ]
        )

    @get("/{period:str}", name="api:statement")
    async def show(
        self, request: Request, period: FromPath[str], partner_code: FromQuery[str] = ""
    ) -> Any:
        """One month with its lines; the PDF with Accept: application/pdf."""
        user = current_user(request)
        partner_id = await _partner_id(user, partner_code)
        detail = await statement_for(user, partner_id, period)
        if "application/pdf" in request.headers.get("accept", ""):
            data = await statement_pdf(detail, current_locale.get())
            return pdf_response(data, f"statement-{period}-{detail['partner']['code']}.pdf")
        return statement_out(detail, detail["partner"]["code"], True)

    @post(
        "/{period:str}/confirm",
        name="api:statement_confirm",
        opt={"access": Access.PARTNER_PURCHASING},
        status_code=200,
    )
    async def confirm(self, request: Request, period: FromPath[str]) -> StatementOut:
        """The partner confirms the month's statement (409 once answered)."""
        user = current_user(request)
        assert user.partner_id is not None
        try:
            await statements.confirm(user, period)
            detail = await statement_for(user, user.partner_id, period)
        except statements.StatementConflict as exc:
            raise HTTPException(status_code=409, detail=exc.message) from None
        except FormError as exc:
            raise HTTPException(status_code=422, detail="; ".join(exc.errors.values())) from None
        return statement_out(detail, detail["partner"]["code"], False)

    @post(
        "/{period:str}/dispute",
        name="api:statement_dispute",
        opt={"access": Access.PARTNER_PURCHASING},
    )
    async def dispute(
        self, request: Request, period: FromPath[str], data: JSONBody[DisputeIn]
    ) -> Response[StatementOut]:
        """The partner disputes lines (entry_ids of the statement's lines) with a comment; a
        billing support case is opened (case_id in the answer)."""
        user = current_user(request)
        assert user.partner_id is not None
        try:
            await statements.dispute(user, period, data.comment, data.entry_ids)
            detail = await statement_for(user, user.partner_id, period)
        except statements.StatementConflict as exc:
            raise HTTPException(status_code=409, detail=exc.message) from None
        except FormError as exc:
            raise HTTPException(status_code=422, detail="; ".join(exc.errors.values())) from None
        return Response(statement_out(detail, detail["partner"]["code"], False), status_code=201)


API = [StatementApi]
