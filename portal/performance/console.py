"""Vendor console for performance: the leaderboard (filters, sorting, period picker, XLSX),
each partner's scorecard (trend, target, note, report preview), score weights, target import,
and the monthly report delivery log with "send again". Channel managers see their own partners."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.lib import clock, jobs
from portal.lib.forms import FormError, read_form
from portal.lib.i18n import current_locale
from portal.lib.i18n import gettext as _
from portal.lib.money import AmountError, minor_to_text, parse_amount
from portal.lib.stuck import delivery_stuck_reason
from portal.orders.imports import MAX_BYTES, FileRefused
from portal.partners.constants import PROVINCES, PartnerKind, province_name
from portal.partners.services import list_channel_managers, list_tiers, tier_label
from portal.performance import exports, metrics, reports, services, views
from portal.performance.access import get_delivery_for_user, get_partner_for_user
from portal.performance.constants import DELIVERY_LABELS, DELIVERY_TONES, DeliveryStatus
from portal.performance.periods import Period, PeriodError, PeriodKind
from portal.performance.rollups import REVENUE_STATUSES
from portal.performance.schemas import NoteForm, TargetForm
from portal.performance.scorecards import ScoreRow, sort_rows, tier_thresholds
from portal.performance.sources import available_sources
from portal.performance.tables import PerformanceTarget
from portal.tenancy import NotFound
from portal.web import Page, current_user, not_found, page, page_number, redirect

PER_PAGE = 50
SORTS = ("rank", "name", "tier", *(m.key for m in metrics.METRICS))


async def _partner(user: CurrentUser, partner_id: int) -> dict[str, Any]:
    try:
        return await get_partner_for_user(user, partner_id)
    except NotFound:
        raise not_found() from None


def orders_link(partner_id: int, period: Period) -> str:
    """The console orders list behind a revenue figure: approved-and-later orders of the
    partner approved within the period."""
    last_day = period.end - dt.timedelta(days=1)
    statuses = ",".join(s.value for s in REVENUE_STATUSES)
    return (
        f"/console/orders/?status={statuses}&partner_id={partner_id}"
        f"&approved_from={period.start.isoformat()}&approved_until={last_day.isoformat()}"
    )


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
            kinds=[(k.value, label) for k, label in _kind_labels().items()],
            rows=shown,
            columns=columns,
            formatted={
                r.partner_id: {
                    m.key: views.scorecards.format_value(m, r.figures.get(m.key)) for m in columns
                }
                for r in shown
            },
            total=data["board"].total,
            elapsed=chosen.elapsed_share(clock.today()),
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
        partner = await _partner(user, partner_id)
        chosen = _period(period, kind)
        card = await views.scorecard(partner_id, chosen)
        target = await (
            PerformanceTarget.select(PerformanceTarget.revenue_target_amount)
            .where(
                (PerformanceTarget.partner == partner_id)
                & (PerformanceTarget.period == chosen.code)
            )
            .first()
        )
        note = card.get("note") if card else None
        return page(
            request,
            "console/performance/partner.html",
            partner=partner,
            period=chosen,
            periods=views.period_choices(chosen.kind, clock.today()),
            kinds=[(k.value, label) for k, label in _kind_labels().items()],
            card=card,
            orders_link=orders_link(partner_id, chosen),
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

    @post("/partners/{partner_id:int}/target", name="console_performance:target")
    async def set_target(self, request: Request, partner_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        await _partner(user, partner_id)
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
        await _partner(user, partner_id)
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
        partner = await _partner(user, partner_id)
        chosen = _month(period) or reports.report_month()
        try:
            data = await reports.render_report(partner_id, chosen)
        except LookupError:
            raise not_found() from None
        return _pdf_response(data, reports.report_filename(partner, chosen), inline=True)

    @get("/settings", name="console_performance:settings", opt={"access": Access.VENDOR_ADMIN})
    async def settings_page(self, request: Request) -> Template:
        weights = await services.get_weights()
        tiers = await tier_thresholds()
        return page(
            request,
            "console/performance/settings.html",
            metrics=_metric_rows(),
            values={
                **{k: str(v) for k, v in weights.items()},
                **{f"tier_{t['id']}": minor_to_text(t["quarterly_amount"]) for t in tiers},
            },
            tiers=tiers,
        )

    @post(
        "/settings", name="console_performance:save_settings", opt={"access": Access.VENDOR_ADMIN}
    )
    async def save_settings(self, request: Request) -> Redirect | Template:
        user = current_user(request)
        data = await request.form()
        weights: dict[str, int] = {}
        errors: dict[str, str] = {}
        for metric in metrics.METRICS:
            raw = str(data.get(metric.key, "") or "0").strip()
            try:
                weights[metric.key] = int(raw)
            except ValueError:
                errors[metric.key] = _("Enter a whole number from 0 to 100.")
        try:
            if errors:
                raise FormError(errors)
            await services.set_weights(user, weights)
        except FormError as exc:
            return page(
                request,
                "console/performance/settings.html",
                status_code=400,
                metrics=_metric_rows(),
                values={m.key: str(data.get(m.key, "")) for m in metrics.METRICS},
                errors=exc.errors,
                tiers=await tier_thresholds(),
            )
        return redirect(
            request, "console_performance:settings", flash=("success", _("Weights saved."))
        )

    @post(
        "/thresholds",
        name="console_performance:thresholds",
        opt={"access": Access.VENDOR_ADMIN},
    )
    async def save_thresholds(self, request: Request) -> Redirect | Template:
        user = current_user(request)
        data = await request.form()
        tiers = await tier_thresholds()
        amounts: dict[int, int] = {}
        errors: dict[str, str] = {}
        for t in tiers:
            key = f"tier_{t['id']}"
            try:
                amounts[int(t["id"])] = parse_amount(str(data.get(key, "")))
            except AmountError as exc:
                errors[key] = _(str(exc))
        if errors:
            weights = await services.get_weights()
            return page(
                request,
                "console/performance/settings.html",
                status_code=400,
                metrics=_metric_rows(),
                values={
                    **{k: str(v) for k, v in weights.items()},
                    **{f"tier_{t['id']}": str(data.get(f"tier_{t['id']}", "")) for t in tiers},
                },
                errors=errors,
                tiers=tiers,
            )
        await services.set_thresholds(user, amounts)
        views.forget_boards()
        return redirect(
            request, "console_performance:settings", flash=("success", _("Thresholds saved."))
        )

    @post("/recompute", name="console_performance:recompute", opt={"access": Access.VENDOR_ADMIN})
    async def recompute(self, request: Request) -> Redirect:
        user = current_user(request)
        rows = await services.recompute(user)
        views.forget_boards()
        return redirect(
            request,
            "console_performance:settings",
            flash=("success", _("Figures recomputed (%(n)s monthly rows).", n=rows)),
        )

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

    @get("/deliveries", name="console_performance:deliveries")
    async def deliveries(
        self, request: Request, period: FromQuery[str] = "", status: FromQuery[str] = ""
    ) -> Template:
        user = current_user(request)
        month = _month(period) or reports.report_month()
        status = status if status in set(DeliveryStatus) else ""
        number = page_number(request.query_params.get("page"))
        rows, total = await services.list_deliveries(user, month.code, status, number, PER_PAGE)
        rows = [{**r, "stuck": delivery_stuck_reason(r)} for r in rows]
        counts = await services.delivery_counts(user, month.code)
        params = {"period": month.code, "status": status}
        return page(
            request,
            "console/performance/deliveries.html",
            rows=rows,
            counts=counts,
            period=month,
            months=_recent_months(),
            params=params,
            values=params,
            pager=Page(number, PER_PAGE, total),
            labels={s.value: _(label) for s, label in DELIVERY_LABELS.items()},
            tones={s.value: tone for s, tone in DELIVERY_TONES.items()},
            scheduled_at=reports.scheduled_at(month),
            today=clock.today(),
        )

    @post(
        "/deliveries/prepare",
        name="console_performance:prepare",
        opt={"access": Access.VENDOR_ADMIN},
    )
    async def prepare(self, request: Request) -> Redirect:
        """Create the month's missing delivery rows now and queue every unsent one (audited)."""
        user = current_user(request)
        data = await request.form()
        month = _month(str(data.get("period", "")))
        if month is None or month.end > clock.today():
            return redirect(
                request,
                "console_performance:deliveries",
                flash=("error", _("Reports can be sent for completed months only.")),
            )
        created = await reports.prepare_month(user, month)
        return redirect(
            request,
            f"/console/performance/deliveries?period={month.code}",
            flash=("success", _("%(n)s reports queued for sending.", n=created)),
        )

    @post("/deliveries/{delivery_id:int}/resend", name="console_performance:resend")
    async def resend(self, request: Request, delivery_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        try:
            row = await get_delivery_for_user(user, delivery_id)
        except NotFound:
            raise not_found() from None
        updated = await reports.resend(user, int(row["id"]))
        await jobs.enqueue(
            "send_performance_report",
            int(row["id"]),
            job_id=reports.job_id(
                str(row["period"]), int(row["partner"]), int(updated["resend_count"])
            ),
        )
        return redirect(
            request,
            f"/console/performance/deliveries?period={row['period']}",
            flash=("success", _("The report will be sent again.")),
        )


def _metric_rows() -> list[dict[str, Any]]:
    present = available_sources()
    return [
        {"key": m.key, "label": _(m.label), "available": m.source in present, "source": m.source}
        for m in metrics.METRICS
    ]


def _kind_labels() -> dict[PeriodKind, str]:
    return {
        PeriodKind.MONTH: _("Month"),
        PeriodKind.QUARTER: _("Quarter"),
        PeriodKind.YEAR: _("Year"),
    }


def _month(text: str) -> Period | None:
    try:
        period = Period.parse(text)
    except PeriodError:
        return None
    return period if period.kind == PeriodKind.MONTH else None


def _recent_months() -> list[Period]:
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
