"""Monthly PDF reports: what one partner's report holds, its rendering, where the rendered file is
kept, and when the month's report is due (REPORT_SCHEDULE). Sending it, exactly once, is
deliveries.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from portal.deals.constants import STAGE_LABELS, STATUS_LABELS, DealStatus
from portal.deals.figures import pipeline_summary
from portal.lib import charts, pdf, storage
from portal.lib.clock import now
from portal.lib.i18n import format_money, normalise, use_locale
from portal.lib.i18n import gettext as _
from portal.partners.tables import Partner
from portal.performance import views
from portal.performance.constants import DELIVERY_LABELS, DeliveryStatus
from portal.performance.periods import Period, last_complete_month
from portal.settings import get_settings

TEMPLATE = "pdf/performance_report.html"


def report_filename(partner: dict[str, Any], period: Period) -> str:
    return f"performance-{period.code}-{partner['code']}.pdf"


async def pipeline_section(partner_id: int, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The report's pipeline: the deals protected on the last day by stage, those won and lost
    in the days, the win rate, and the values as one chart (the scorecard's own conditions)."""
    summary = await pipeline_summary(partner_id, start, end)
    rows: list[dict[str, Any]] = [
        {"label": _(STAGE_LABELS[stage]), "n": t.n, "amount": t.amount, "outcome": False}
        for stage, t in summary.stages
    ]
    for status, t in ((DealStatus.WON, summary.won), (DealStatus.LOST, summary.lost)):
        rows.append(
            {"label": _(STATUS_LABELS[status]), "n": t.n, "amount": t.amount, "outcome": True}
        )
    points = [
        charts.Point(r["label"], r["amount"], title=f"{r['label']}: {format_money(r['amount'])}")
        for r in rows
    ]
    chart = charts.bar_chart(
        points,
        title=_("Deal values by stage"),
        axis_format=views.axis_money,
        height=200,
        highlight_last=False,
    )
    return {
        "rows": rows,
        "open_count": summary.open.n,
        "open_amount": summary.open.amount,
        "won": summary.won,
        "lost": summary.lost,
        "win_rate": summary.win_rate,
        "chart": chart,
        "as_of": end - dt.timedelta(days=1),
    }


async def report_context(
    partner_id: int, period: Period, *, cached: bool = False
) -> dict[str, Any]:
    """The PDF's context in the current locale (empty when the partner is not active)."""
    card = await views.scorecard(partner_id, period, cached=cached)
    if not card:
        return {}
    partner = await Partner.select().where(Partner.id == partner_id).first()
    days = card["window"]
    pipeline = await pipeline_section(partner_id, days.start, days.end)
    return {**card, "partner": partner, "generated_at": now(), "pipeline": pipeline}


async def render_report(
    partner_id: int, period: Period, locale: str | None = None, *, cached: bool = False
) -> bytes:
    """The PDF bytes of one partner's report in its language (or `locale`)."""
    partner = await Partner.select(Partner.locale).where(Partner.id == partner_id).first()
    if partner is None:
        raise LookupError(partner_id)
    lang = normalise(locale or partner["locale"]) or get_settings().default_locale
    with use_locale(lang):
        context = await report_context(partner_id, period, cached=cached)
    if not context:
        raise LookupError(partner_id)
    return await pdf.render_pdf(TEMPLATE, context, lang)


async def report_html(partner_id: int, period: Period, locale: str) -> str:
    """The report as HTML (tests, and the vendor's quick look)."""
    with use_locale(locale):
        context = await report_context(partner_id, period)
    return pdf.render_html(TEMPLATE, context, locale) if context else ""


async def store_pdf(partner: dict[str, Any], period: Period, data: bytes) -> str:
    """Keep a rendered report in the shared storage (STORAGE_DIR or the S3 bucket), so every
    app server hands out the very PDF that was e-mailed; returns its storage key."""
    stored = await storage.store_upload(
        data,
        report_filename(partner, period),
        prefix="reports",
        allowed={"pdf"},
        max_bytes=max(len(data), 1),
    )
    return stored.key


def _legacy_path(key: str) -> Path | None:
    """Reports stored before they moved to the shared storage: PORTAL_DATA_DIR/reports/<key>."""
    if not key.endswith(".pdf") or ".." in key or key.startswith("/"):
        return None
    return get_settings().data_dir / "reports" / key


async def stored_pdf(key: str) -> bytes | None:
    """The stored report under `key`, or None when there is none (it is then rendered again)."""
    if not key:
        return None
    try:
        return await storage.read_file(key)
    except FileNotFoundError:
        legacy = _legacy_path(key)
        try:
            return legacy.read_bytes() if legacy else None
        except FileNotFoundError:
            return None


def scheduled_at(period: Period) -> dt.datetime:
    """When the report of `period` is due: REPORT_SCHEDULE in the month after it, as UTC."""
    day, hour, minute, zone = get_settings().report_schedule
    following = period.end
    local = dt.datetime(following.year, following.month, day, hour, minute, tzinfo=ZoneInfo(zone))
    return local.astimezone(dt.UTC)


def report_month(moment: dt.datetime | None = None) -> Period:
    """The month whose report is due at `moment` (last month in the report time zone)."""
    moment = moment or now()
    zone = ZoneInfo(get_settings().report_schedule[3])
    return last_complete_month(moment.astimezone(zone).date())


def status_label(status: str) -> str:
    try:
        return _(DELIVERY_LABELS[DeliveryStatus(status)])
    except ValueError:
        return status
