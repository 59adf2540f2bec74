"""Vendor console for performance: the leaderboard (filters, sorting, period picker, XLSX),
each partner's scorecard (trend, target, note, report preview) and the target import; score
weights, recomputing and the report delivery log are in console_settings.py. Channel managers see
their own partners."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.lib import clock
from portal.lib.forms import FormError, read_form
from portal.lib.i18n import current_locale
from portal.lib.i18n import gettext as _
from portal.lib.money import AmountError, minor_to_text, parse_amount
from portal.orders.imports import MAX_BYTES, FileRefused
from portal.partners.constants import PROVINCES, PartnerKind, province_name
from portal.partners.services import list_channel_managers, list_tiers, tier_label
from portal.performance import drilldown, exports, metrics, reports, services, views
from portal.performance.access import get_partner_for_user
from portal.performance.periods import Period, PeriodError, PeriodKind, window
from portal.performance.schemas import NoteForm, TargetForm
from portal.performance.scorecards import ScoreRow, sort_rows
from portal.performance.sources import available_sources
from portal.web import Page, current_user, not_found, page, page_number, redirect

PER_PAGE = 50
SORTS = ("rank", "name", "tier", *(m.key for m in metrics.METRICS))


async def partner_and_period(
    user: CurrentUser, partner_id: int, period: str, kind: str
) -> tuple[dict[str, Any], Period]:
    """The preamble of a scorecard or drill-down page: the partner, through the tenant door
    (NotFound outside the user's scope), and the period the query chose (default: the running
    one)."""
    partner = await get_partner_for_user(user, partner_id)
    return partner, views.parse_period(period, kind, clock.today())


def period_picker(chosen: Period) -> dict[str, Any]:
    """The period picker of a scorecard page (the partner's own and the console's)."""
    today = clock.today()
    return {
        "period": chosen,
        "periods": views.period_choices(chosen.kind, today),
        "running_code": views.running_code(chosen.kind, today),
        "kinds": [(k.value, label) for k, label in kind_labels().items()],
    }


def orders_link(partner_id: int, period: Period, today: dt.date | None = None) -> str:
    """The console orders list behind a revenue figure: approved-and-later orders of the
    partner approved within the days the figure covers (a running period: to date)."""
    return drilldown.console_orders_link(partner_id, window(period, today or clock.today()))


def filter_rows(user: CurrentUser, rows: list[ScoreRow], params: dict[str, str]) -> list[ScoreRow]:
    """The rows this user may see (channel managers: their partners) matching the filters."""
    out = rows
    if user.is_channel_manager:
        out = [r for r in out if r.channel_manager_id == user.id]
    if params.get("tier"):
        out = [r for r in out if r.tier_code == params["tier"]]
    if params.get("region"):
        out = [r for r in out if r.province == params["region"]]
    if params.get("partner_kind"):
        out = [r for r in out if r.kind == params["partner_kind"]]
    if params.get("manager"):
        try:
            manager = int(params["manager"])
            out = [r for r in out if r.channel_manager_id == manager]
        except ValueError:
            pass
    return out


def _period(period: str, kind: str) -> Period:
    return views.parse_period(period, kind, clock.today())


async def board_page(request: Request, user: CurrentUser, params: dict[str, str]) -> dict[str, Any]:
    period = _period(params.get("period", ""), params.get("kind", ""))
    board = await views.board_for(period)
    rows = filter_rows(user, board.rows, params)
    sort = params.get("sort") or "rank"
    if sort not in SORTS:
        sort = "rank"
    descending = (
        params.get("dir", "desc" if sort not in ("rank", "name", "tier") else "asc") == "desc"
    )
    if sort == "rank":
        rows = sorted(rows, key=lambda r: (r.rank, r.name), reverse=descending)
    elif sort == "tier":
        rows = sorted(rows, key=lambda r: (r.tier_rank, r.rank), reverse=descending)
    else:
        rows = sort_rows(rows, sort, descending)
    return {"period": period, "board": board, "rows": rows, "sort": sort, "descending": descending}


class PerformanceConsole(Controller):
    """Leaderboard, scorecards, weights, targets and report deliveries for vendor staff."""

    path = "/console/performance"
    opt = {"access": Access.VENDOR}

    @get("/", name="console_performance:board")
    async def index(
        self,
        request: Request,
        period: FromQuery[str] = "",
        kind: FromQuery[str] = "",
        tier: FromQuery[str] = "",
        region: FromQuery[str] = "",
        partner_kind: FromQuery[str] = "",
        manager: FromQuery[str] = "",
        sort: FromQuery[str] = "",
        dir: FromQuery[str] = "",
    ) -> Template:
        user = current_user(request)
        params = {
            "period": period,
            "kind": kind,
            "tier": tier,
            "region": region,
            "partner_kind": partner_kind,
            "manager": manager,
            "sort": sort,
            "dir": dir,
        }
        data = await board_page(request, user, params)
        chosen: Period = data["period"]
        params["period"] = chosen.code
        params["kind"] = chosen.kind.value
        number = page_number(request.query_params.get("page"))
        pager = Page(number, PER_PAGE, len(data["rows"]))
        shown = data["rows"][pager.offset : pager.offset + PER_PAGE]
        columns = [m for m in data["board"].metrics if m.in_leaderboard]
        return page(
            request,
            "console/performance/board.html",
            period=chosen,
            periods=views.period_choices(chosen.kind, clock.today()),
            running_code=views.running_code(chosen.kind, clock.today()),
            kinds=[(k.value, label) for k, label in kind_labels().items()],
            rows=shown,
            columns=columns,
            formatted={
                r.partner_id: {
                    m.key: views.scorecards.format_value(m, r.figures.get(m.key)) for m in columns
                }
                for r in shown
            },
            total=data["board"].total,
            running_note=views.board_note(data["board"]),
            params=params,
            values=params,
            pager=pager,
            sort=data["sort"],
            descending=data["descending"],
            tiers=[(t["code"], tier_label(t, "")) for t in await list_tiers()],
            regions=[(code, province_name(code, request_locale())) for code in PROVINCES],
            partner_kinds=[(k.value, _(k.value.title())) for k in PartnerKind],
            managers=[(str(m["id"]), m["name"]) for m in await list_channel_managers()]
            if user.is_vendor_admin
            else [],
            orders_links={r.partner_id: orders_link(r.partner_id, chosen) for r in shown},
        )

    @get("/export.xlsx", name="console_performance:export")
    async def export(self, request: Request) -> Response[bytes]:
        """The leaderboard with the current filters as an .xlsx file (every row, every metric)."""
        user = current_user(request)
        params = {
            k: request.query_params.get(k, "")
            for k in ("period", "kind", "tier", "region", "partner_kind", "manager", "sort", "dir")
        }
        data = await board_page(request, user, params)
        content = exports.board_xlsx(data["board"], data["rows"])
        return Response(
            content=content,
            media_type=exports.XLSX_TYPE,
            headers={
                "Content-Disposition": (
                    f'attachment; filename="performance-{data["period"].code}.xlsx"'
                ),
                "X-Content-Type-Options": "nosniff",
            },
        )

    @get("/partners/{partner_id:int}", name="console_performance:partner")
    async def partner(
        self,
        request: Request,
        partner_id: FromPath[int],
        period: FromQuery[str] = "",
        kind: FromQuery[str] = "",
    ) -> Template:
        user = current_user(request)
        partner, chosen = await partner_and_period(user, partner_id, period, kind)
        card = await views.scorecard(partner_id, chosen)
        target = await services.get_target(partner_id, chosen.code)
        note = card.get("note") if card else None
        return page(
            request,
            "console/performance/partner.html",
            partner=partner,
            **period_picker(chosen),
            card=card,
            orders_link=orders_link(partner_id, chosen),
            links=drilldown.links(user, partner_id, chosen, window(chosen, clock.today())),
            trend_links={
                t["period"].code: orders_link(partner_id, t["period"])
                for t in (card.get("trend") or [])
            },
            values={
                "period": chosen.code,
                "target": minor_to_text(target["revenue_target_amount"]) if target else "",
                "body": note["body"] if note else "",
            },
            report_period=reports.report_month() if chosen.kind != PeriodKind.MONTH else chosen,
        )

    @get("/partners/{partner_id:int}/figures/{metric:str}", name="console_performance:figure")
    async def figure(
        self,
        request: Request,
        partner_id: FromPath[int],
        metric: FromPath[str],
        period: FromQuery[str] = "",
        kind: FromQuery[str] = "",
    ) -> Template:
        """The rows behind one figure of a partner's scorecard (a partner in the user's scope)."""
        user = current_user(request)
        partner, chosen = await partner_and_period(user, partner_id, period, kind)
        context = await views.figure_page(user, partner_id, metric, chosen, request)
        return page(
            request,
            "performance/figure.html",
            partner=partner,
            back=f"/console/performance/partners/{partner_id}?period={chosen.code}",
            **context,
        )

    @post("/partners/{partner_id:int}/target", name="console_performance:target")
    async def set_target(self, request: Request, partner_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        await get_partner_for_user(user, partner_id)
        form, _errors, _values = read_form(TargetForm, await request.form())
        try:
            if form is None:
                raise PeriodError("")
            chosen = Period.parse(form.period)
            amount = parse_amount(form.target or "0")
        except (PeriodError, AmountError) as exc:
            message = _(str(exc)) if isinstance(exc, AmountError) else _("Choose a period.")
            return redirect(
                request,
                "console_performance:partner",
                flash=("error", message),
                partner_id=partner_id,
            )
        await services.set_target(user, partner_id, chosen, amount)
        return redirect(
            request,
            f"/console/performance/partners/{partner_id}?period={chosen.code}",
            flash=("success", _("Target saved.")),
        )

    @post("/partners/{partner_id:int}/note", name="console_performance:note")
    async def save_note(self, request: Request, partner_id: FromPath[int]) -> Redirect | Template:
        user = current_user(request)
        await get_partner_for_user(user, partner_id)
        form, _errors, _values = read_form(NoteForm, await request.form())
        try:
            chosen = Period.parse(form.period if form else "")
            await services.save_note(user, partner_id, chosen, form.body if form else "")
        except PeriodError:
            message = _("Choose a period.")
        except FormError as exc:
            message = "; ".join(exc.errors.values())
        else:
            return redirect(
                request,
                f"/console/performance/partners/{partner_id}?period={chosen.code}",
                flash=("success", _("Note saved.")),
            )
        return redirect(
            request, "console_performance:partner", flash=("error", message), partner_id=partner_id
        )

    @get("/partners/{partner_id:int}/report.pdf", name="console_performance:preview")
    async def preview(
        self, request: Request, partner_id: FromPath[int], period: FromQuery[str] = ""
    ) -> Response[bytes]:
        """The partner's monthly report as it would be sent (rendered now, in its language)."""
        user = current_user(request)
        partner = await get_partner_for_user(user, partner_id)
        chosen = parse_month(period) or reports.report_month()
        try:
            data = await reports.render_report(partner_id, chosen)
        except LookupError:
            raise not_found() from None
        return _pdf_response(data, reports.report_filename(partner, chosen), inline=True)

    @get("/targets/import", name="console_performance:import", opt={"access": Access.VENDOR_ADMIN})
    async def import_form(self, request: Request) -> Template:
        return page(request, "console/performance/import.html", result=None)

    @post(
        "/targets/import",
        name="console_performance:import_post",
        opt={"access": Access.VENDOR_ADMIN},
    )
    async def import_targets(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        data = await request.form()
        upload = data.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return page(
                request,
                "console/performance/import.html",
                status_code=400,
                result=None,
                errors={"file": _("Choose a file to upload.")},
            )
        content = await upload.read(MAX_BYTES + 1)
        try:
            result = await services.import_targets(user, upload.filename, content)
        except FileRefused as exc:
            return page(
                request,
                "console/performance/import.html",
                status_code=400,
                result=None,
                errors={"file": str(exc)},
            )
        if not result.written:
            return page(request, "console/performance/import.html", status_code=400, result=result)
        return redirect(
            request,
            "console_performance:board",
            flash=("success", _("%(n)s targets imported.", n=result.updated)),
        )


def metric_rows() -> list[dict[str, Any]]:
    present = available_sources()
    return [
        {"key": m.key, "label": _(m.label), "available": m.source in present, "source": m.source}
        for m in metrics.METRICS
    ]


def kind_labels() -> dict[PeriodKind, str]:
    return {
        PeriodKind.MONTH: _("Month"),
        PeriodKind.QUARTER: _("Quarter"),
        PeriodKind.YEAR: _("Year"),
    }


def parse_month(text: str) -> Period | None:
    try:
        period = Period.parse(text)
    except PeriodError:
        return None
    return period if period.kind == PeriodKind.MONTH else None


def recent_months() -> list[Period]:
    latest = reports.report_month()
    return [latest.shift(-i) for i in range(0, 13)]


def request_locale() -> str:
    return current_locale.get()


def _pdf_response(data: bytes, filename: str, inline: bool = False) -> Response[bytes]:
    disposition = "inline" if inline else "attachment"
    return Response(
        content=data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'{disposition}; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


PAGES = [PerformanceConsole]
