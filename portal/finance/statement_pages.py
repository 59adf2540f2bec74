"""Statement pages: the partner's month (lines, confirm, dispute, PDF) and the vendor's overview
of confirmed / disputed / silent partners per month; PDF and XLSX downloads (statement_files.py)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.finance import statement_files, statements
from portal.finance.access import get_partner_for_user
from portal.lib import spreadsheets
from portal.lib.forms import FormError, id_list
from portal.lib.i18n import current_locale
from portal.lib.i18n import gettext as _
from portal.lib.storage import download_headers
from portal.partners.access import partners_in_scope
from portal.web import current_user, page, redirect

PURCHASERS = {"access": Access.PARTNER_PURCHASING}


async def statement_for(user: CurrentUser, partner_id: int, period: str) -> dict[str, Any]:
    """The statement with its partner, through the access door; NotFound otherwise."""
    partner = await get_partner_for_user(user, partner_id)
    return {**await statements.statement(int(partner["id"]), period), "partner": partner}


async def statement_pdf(detail: dict[str, Any], locale: str) -> bytes:
    return await statement_files.render_pdf(detail, locale)


def pdf_response(data: bytes, filename: str) -> Response[bytes]:
    return Response(
        content=data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


class StatementPages(Controller):
    path = "/money/statements"
    opt = PURCHASERS

    async def _load(self, request: Request, period: str) -> dict[str, Any]:
        user = current_user(request)
        assert user.partner_id is not None
        return await statement_for(user, user.partner_id, period)

    async def _show(
        self,
        request: Request,
        period: str,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "finance/statement.html",
            status_code=status_code,
            errors=errors or {},
            values=values or {},
            **await self._load(request, period),
        )

    @get("/{period:str}", name="finance:statement")
    async def show(self, request: Request, period: FromPath[str]) -> Template:
        return await self._show(request, period)

    @get("/{period:str}/pdf", name="finance:statement_pdf")
    async def download(self, request: Request, period: FromPath[str]) -> Response[bytes]:
        detail = await self._load(request, period)
        data = await statement_pdf(detail, current_locale.get())
        return pdf_response(data, statement_files.filename(detail["partner"], period, "pdf"))

    @get("/{period:str}/xlsx", name="finance:statement_xlsx")
    async def download_xlsx(self, request: Request, period: FromPath[str]) -> Response[bytes]:
        detail = await self._load(request, period)
        data = statement_files.render_xlsx(detail, current_locale.get())
        name = statement_files.filename(detail["partner"], period, "xlsx")
        return Response(
            content=data,
            media_type=spreadsheets.XLSX_TYPE,
            headers=download_headers(name, spreadsheets.XLSX_TYPE),
        )

    @post("/{period:str}/confirm", name="finance:statement_confirm")
    async def confirm(self, request: Request, period: FromPath[str]) -> Template | Redirect:
        await self._load(request, period)
        try:
            await statements.confirm(current_user(request), period)
        except FormError as exc:
            return await self._show(request, period, exc.errors, status_code=409)
        return redirect(
            request,
            "finance:statement",
            flash=("success", _("Statement %(period)s confirmed.", period=period)),
            period=period,
        )

    @post("/{period:str}/dispute", name="finance:statement_dispute")
    async def dispute(self, request: Request, period: FromPath[str]) -> Template | Redirect:
        await self._load(request, period)
        data = await request.form()
        comment = str(data.get("comment") or "")
        entry_ids = id_list(data.getall("entry", []))
        try:
            await statements.dispute(current_user(request), period, comment, entry_ids)
        except statements.StatementConflict as exc:
            return await self._show(request, period, exc.errors, status_code=409)
        except FormError as exc:
            return await self._show(request, period, exc.errors, {"comment": comment}, 400)
        return redirect(
            request,
            "finance:statement",
            flash=("success", _("Your dispute was sent; a support case follows it up.")),
            period=period,
        )


class StatementConsole(Controller):
    path = "/console/finance/statements"
    opt = {"access": Access.VENDOR}

    @get("/", name="finance:console_statements")
    async def index(self, request: Request, period: FromQuery[str] = "") -> Template:
        user = current_user(request)
        periods = statements.recent_periods()
        period = period if period in periods else periods[0]
        answers = await statements.answers_by_partner(user, period)
        partners = await partners_in_scope(user)
        rows = [{**p, "answer": answers.get(int(p["id"]))} for p in partners]
        return page(
            request,
            "finance/console_statements.html",
            period=period,
            periods=periods,
            rows=rows,
            counts={
                "confirmed": sum(
                    1 for r in rows if r["answer"] and r["answer"]["status"] == "confirmed"
                ),
                "disputed": sum(
                    1 for r in rows if r["answer"] and r["answer"]["status"] == "disputed"
                ),
                "silent": sum(1 for r in rows if not r["answer"]),
            },
        )

    @get("/{partner_id:int}/{period:str}", name="finance:console_statement")
    async def show(
        self, request: Request, partner_id: FromPath[int], period: FromPath[str]
    ) -> Template:
        detail = await statement_for(current_user(request), partner_id, period)
        return page(request, "finance/statement.html", console=True, **detail)


PAGES = [StatementPages, StatementConsole]
