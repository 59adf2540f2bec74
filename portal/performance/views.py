"""The scorecard as pages and the PDF show it: one function, so console, partner page and
report print the same numbers, charts and sentences (call it inside the reader's locale)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import time
from typing import Any

from markupsafe import Markup

from portal.auth.schemas import CurrentUser
from portal.lib import charts, clock
from portal.lib.i18n import _babel_locale, current_locale, format_money
from portal.lib.i18n import gettext as _
from portal.performance import drilldown, metrics, rollups, scorecards, sources
from portal.performance.constants import TREND_PERIODS
from portal.performance.periods import Period, PeriodError, PeriodKind, Window, last_closed, window
from portal.performance.scorecards import Board, ScoreRow
from portal.performance.tables import VendorNote
from portal.tenancy import NotFound
from portal.web import Page, page_number

BOARD_CACHE_SECONDS = 60.0  # a monthly batch renders hundreds of reports from one board
_boards: dict[tuple[str, str], tuple[float, Board]] = {}
_locks: dict[tuple[str, str], asyncio.Lock] = {}


async def board_for(period: Period, *, cached: bool = False) -> Board:
    """The leaderboard of a period; `cached` reuses one built in the last minute (batches)."""
    key = (period.code, current_locale.get())
    if not cached:
        board = await scorecards.build_board(period)
        _boards[key] = (time.monotonic(), board)
        return board
    # many report jobs start at once: one builds the board, the others wait for it
    lock = _locks.setdefault(key, asyncio.Lock())
    async with lock:
        hit = _boards.get(key)
        if hit and time.monotonic() - hit[0] < BOARD_CACHE_SECONDS:
            return hit[1]
        board = await scorecards.build_board(period)
        _boards[key] = (time.monotonic(), board)
        return board


def forget_boards() -> None:
    _boards.clear()
    _locks.clear()


def axis_money(value: int) -> str:
    from babel.numbers import format_compact_decimal

    return format_compact_decimal(value / 100, locale=_babel_locale(), fraction_digits=1)


def plural_noun(kind: PeriodKind) -> str:
    return {
        PeriodKind.MONTH: _("months"),
        PeriodKind.QUARTER: _("quarters"),
        PeriodKind.YEAR: _("years"),
    }[kind]


def revenue_chart(trend: list[tuple[Period, int, int, int | None]]) -> Markup:
    """The 12-period revenue chart (same SVG on the page and in the PDF)."""
    points = [
        charts.Point(
            label=p.short_label(),
            value=revenue,
            target=target,
            title=f"{p.label()}: {format_money(revenue)}",
        )
        for p, revenue, _orders, target in trend
    ]
    return charts.bar_chart(
        points,
        title=_("Revenue, last %(n)s periods", n=len(points)),
        axis_format=axis_money,
        target_label=_("Target"),
    )


def advice_lines(row: ScoreRow, period: Period, today: dt.date | None = None) -> list[str]:
    """The tier advice: what is still needed in a running period, what was needed in a closed
    one (past tense, naming the period)."""
    if row.advice is None:
        return []
    advice = row.advice
    running = period.is_running(today or clock.today())
    if running:
        # a running period is not "below the threshold" yet: only the gap to the next tier
        advice = dataclasses.replace(advice, below_own=False, below_own_twice=False)
    gap = format_money(advice.gap) if advice.gap else ""
    return metrics.advice_sentences(
        advice,
        gap,
        period.noun(),
        plural_noun(period.kind),
        closed_label="" if running else period.label(),
    )


async def scorecard(partner_id: int, period: Period, *, cached: bool = False) -> dict[str, Any]:
    """Everything a scorecard shows for one partner and period; {} when the partner is not
    active (no row on the leaderboard)."""
    board = await board_for(period, cached=cached)
    row = board.row(partner_id)
    if row is None:
        return {}
    compared = board.previous_window or window(period, board.today, period.previous)
    current = board.window or window(period, board.today)
    previous_extra, _answered = await sources.extra_figures(
        [partner_id], compared.start, compared.end
    )
    previous = {**row.previous, **previous_extra.get(partner_id, {})}
    kpis = []
    for metric in board.metrics:
        value = row.figures.get(metric.key)
        before = previous.get(metric.key)
        change, tone = scorecards.change_text(metric, value, before)
        kpis.append(
            {
                "key": metric.key,
                "label": _(metric.label),
                "source": metric.source,
                "value": value,
                "display": scorecards.format_value(metric, value),
                "previous": scorecards.format_value(metric, before),
                "change": change,
                "tone": tone,
                "weight": board.weights.get(metric.key, 0),
            }
        )
    trend = await scorecards.trend(partner_id, period, TREND_PERIODS)
    note = await (
        VendorNote.select()
        .where((VendorNote.partner == partner_id) & (VendorNote.period == period.code))
        .first()
    )
    revenue = int(row.figures.get("revenue") or 0)
    attainment = row.figures.get("attainment")
    advice = row.advice
    return {
        "period": period,
        "row": row,
        "board_total": board.total,
        "band": metrics.rank_band(row.rank, board.total),
        "kpis": kpis,
        "kpi": {k["key"]: k for k in kpis},
        "sources": {m.source for m in board.metrics},
        "trend": [{"period": p, "revenue": r, "orders": o, "target": t} for p, r, o, t in trend],
        "chart": revenue_chart(trend),
        "revenue": revenue,
        "target": row.target,
        "target_bar": charts.progress_bar(
            attainment if isinstance(attainment, float) else None,
            label=_("Target attainment"),
        ),
        "tier_bar": charts.progress_bar(
            advice.progress if advice else None, label=_("Progress to the next tier")
        ),
        "advice": advice_lines(row, period, board.today),
        "note": note,
        "elapsed": period.elapsed_share(board.today),
        # a running period: figures to date, compared with the same days of the previous one
        "running": board.running,
        "window": current,
        "previous_window": compared,
        "running_note": running_note(current, compared) if board.running else "",
        # the revenue comes from the rollup, refreshed when an order changes state and hourly
        "as_of": await rollups.computed_at(partner_id, period.start, period.end),
        "today": board.today,
    }


def period_choices(kind: PeriodKind, today: dt.date, count: int = 24) -> list[Period]:
    """Periods for the picker, newest first: the running one, then the closed ones."""
    latest = Period.containing(today, kind)
    return [latest.shift(-i) for i in range(count)]


def running_code(kind: PeriodKind, today: dt.date) -> str:
    """The code of the running period of this kind (the picker marks it "to date")."""
    return Period.containing(today, kind).code


def board_note(board: Board) -> str:
    """The running-period sentence over a leaderboard ('' for a closed period)."""
    if not board.running or board.window is None or board.previous_window is None:
        return ""
    return running_note(board.window, board.previous_window)


def running_note(card_window: Window, compared: Window) -> str:
    """The sentence over a running period's figures: which days count, compared with which."""
    return _(
        "This period is still running: figures for %(days)s, compared with the same days of the "
        "previous period (%(previous)s).",
        days=card_window.label(),
        previous=compared.label(),
    )


def parse_period(text: str | None, kind: str | None, today: dt.date) -> Period:
    """The period asked for in a query string, or the last closed month (quarter, year):
    a page never opens on a period that has only just begun."""

    if text:
        try:
            parsed = Period.parse(text)
        except PeriodError:
            parsed = None
        # the picker changed the period type: the old code no longer applies
        if parsed is not None and (not kind or kind == parsed.kind.value):
            return parsed
    try:
        k = PeriodKind(kind or "month")
    except ValueError:
        k = PeriodKind.MONTH
    return last_closed(k, today)


FIGURE_ROWS_PER_PAGE = 100


async def figure_page(
    user: CurrentUser, partner_id: int, key: str, period: Period, request: Any
) -> dict[str, Any]:
    """The drill-down page's context: the figure as the scorecard shows it and the rows it
    counts. Raises NotFound for a metric without a drill-down or an inactive partner."""
    if key not in drilldown.DRILLS:
        raise NotFound
    card = await scorecard(partner_id, period)
    if not card or key not in card["kpi"]:
        raise NotFound
    rows = await drilldown.rows_for(user, partner_id, key, card["window"]) or []
    number = page_number(request.query_params.get("page"))
    pager = Page(number, FIGURE_ROWS_PER_PAGE, len(rows))
    drill = drilldown.DRILLS[key]
    return {
        "period": period,
        "card": card,
        "kpi": card["kpi"][key],
        "key": key,
        "noun": _(drill.noun),
        "counted_label": _(drill.counted) if drill.counted else "",
        "rows": rows[pager.offset : pager.offset + FIGURE_ROWS_PER_PAGE],
        "pager": pager,
        "params": {"period": period.code, "kind": period.kind.value},
    }
