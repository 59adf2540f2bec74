"""Vendor console for performance, second part: score weights and tier thresholds, recomputing
the rollups, and the monthly report delivery log with "send again" (console.py has the board)."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from portal.auth.constants import Access
from portal.deals import periods
from portal.lib import clock, jobs
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.money import AmountError, minor_to_text, parse_amount
from portal.lib.stuck import delivery_stuck_reason
from portal.performance import deliveries, metrics, reports, services, views
from portal.performance.access import get_delivery_for_user
from portal.performance.console import (
    PER_PAGE,
    metric_rows,
    parse_month,
    recent_months,
)
from portal.performance.constants import DELIVERY_LABELS, DELIVERY_TONES, DeliveryStatus
from portal.performance.scorecards import tier_thresholds
from portal.web import Page, current_user, page, page_number, redirect


class PerformanceSettings(Controller):
    """Weights, recompute and the report delivery log (same paths as the board's console)."""

    path = "/console/performance"
    opt = {"access": Access.VENDOR}

    @get("/settings", name="console_performance:settings", opt={"access": Access.VENDOR_ADMIN})
    async def settings_page(self, request: Request) -> Template:
        weights = await services.get_weights()
        tiers = await tier_thresholds()
        protection = await periods.protection_days_by_tier()
        return page(
            request,
            "console/performance/settings.html",
            metrics=metric_rows(),
            values={
                **{k: str(v) for k, v in weights.items()},
                **{f"tier_{t['id']}": minor_to_text(t["quarterly_amount"]) for t in tiers},
                **{f"protect_{t['id']}": str(t["days"]) for t in protection},
            },
            tiers=tiers,
            protection=protection,
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
                metrics=metric_rows(),
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
                metrics=metric_rows(),
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

    @get("/deliveries", name="console_performance:deliveries")
    async def deliveries(
        self, request: Request, period: FromQuery[str] = "", status: FromQuery[str] = ""
    ) -> Template:
        user = current_user(request)
        month = parse_month(period) or reports.report_month()
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
            months=recent_months(),
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
        month = parse_month(str(data.get("period", "")))
        if month is None or month.end > clock.today():
            return redirect(
                request,
                "console_performance:deliveries",
                flash=("error", _("Reports can be sent for completed months only.")),
            )
        created = await deliveries.prepare_month(user, month)
        return redirect(
            request,
            f"/console/performance/deliveries?period={month.code}",
            flash=("success", _("%(n)s reports queued for sending.", n=created)),
        )

    @post("/deliveries/{delivery_id:int}/resend", name="console_performance:resend")
    async def resend(self, request: Request, delivery_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        row = await get_delivery_for_user(user, delivery_id)
        updated = await deliveries.resend(user, int(row["id"]))
        await jobs.enqueue(
            "send_performance_report",
            int(row["id"]),
            job_id=deliveries.job_id(
                str(row["period"]), int(row["partner"]), int(updated["resend_count"])
            ),
        )
        return redirect(
            request,
            f"/console/performance/deliveries?period={row['period']}",
            flash=("success", _("The report will be sent again.")),
        )
