"""Leaderboard and scorecards: figures of every active partner for a period, the composite
score, ranks overall and within the tier, and the tier advice. Reads rollups and a fixed small
number of aggregate queries, never one query per partner."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from portal.auth.constants import PartnerStatus
from portal.lib import clock
from portal.lib.i18n import current_locale, format_money, format_number, format_percent
from portal.lib.i18n import gettext as _
from portal.partners.tables import Partner, Tier
from portal.performance import metrics, rollups, sources
from portal.performance.metrics import Figures, Metric, TierAdvice, TierStep
from portal.performance.periods import MONTHS_IN, Period, Window, window
from portal.performance.tables import PerformanceTarget, ScoreWeight, TierThreshold


@dataclass
class ScoreRow:
    """One partner's line on the leaderboard (and the heart of its scorecard)."""

    partner_id: int
    code: str
    name: str
    name_en: str
    kind: str
    province: str
    locale: str
    tier_code: str
    tier_name_zh: str
    tier_name_en: str
    tier_rank: int
    channel_manager_id: int | None
    figures: Figures
    previous: Figures
    target: int | None
    score: int = 0
    rank: int = 0
    tier_position: int = 0  # rank within the tier
    tier_size: int = 0
    advice: TierAdvice | None = None

    @property
    def tier_name(self) -> str:
        return self.tier_name_zh if current_locale.get().startswith("zh") else self.tier_name_en

    def value(self, key: str) -> Any:
        if key == "score":
            return self.score
        return self.figures.get(key)


@dataclass
class Board:
    """The figures of every active partner for one period."""

    period: Period
    today: dt.date
    metrics: list[Metric]
    weights: dict[str, int]
    rows: list[ScoreRow] = field(default_factory=list)
    # the days counted (a running period: to date) and the same days of the previous period
    window: Window | None = None
    previous_window: Window | None = None

    @property
    def running(self) -> bool:
        return self.period.is_running(self.today)

    @property
    def total(self) -> int:
        return len(self.rows)

    def row(self, partner_id: int) -> ScoreRow | None:
        return next((r for r in self.rows if r.partner_id == partner_id), None)


async def get_weights() -> dict[str, int]:
    """The vendor's weights per metric key (defaults for metrics never set)."""
    stored = {r["metric"]: int(r["weight"]) for r in await ScoreWeight.select()}
    return {m.key: stored.get(m.key, m.default_weight) for m in metrics.METRICS}


async def targets_for(period: Period, partner_ids: Sequence[int] | None = None) -> dict[int, int]:
    query = PerformanceTarget.select(
        PerformanceTarget.partner, PerformanceTarget.revenue_target_amount
    ).where(PerformanceTarget.period == period.code)
    if partner_ids is not None:
        query = query.where(PerformanceTarget.partner.is_in(list(partner_ids) or [0]))
    return {int(r["partner"]): int(r["revenue_target_amount"]) for r in await query}


async def tier_thresholds() -> list[dict[str, Any]]:
    """Every tier (top first) with its quarterly threshold: the vendor's value for the
    scorecards when set, else the tier's default."""
    tiers = await Tier.select().order_by(Tier.rank)
    overrides = {
        int(r["tier"]): int(r["quarterly_amount"])
        for r in await TierThreshold.select(TierThreshold.tier, TierThreshold.quarterly_amount)
    }
    for t in tiers:
        t["quarterly_amount"] = overrides.get(int(t["id"]), int(t["quarterly_threshold_amount"]))
    return tiers


async def ladder(period: Period) -> list[TierStep]:
    """The tier ladder with thresholds scaled to the period (quarterly thresholds on Tier)."""
    rows = await tier_thresholds()
    zh = current_locale.get().startswith("zh")
    months = MONTHS_IN[period.kind]
    return [
        TierStep(
            code=r["code"],
            name=r["name_zh"] if zh else r["name_en"],
            rank=int(r["rank"]),
            threshold=metrics.period_threshold(int(r["quarterly_amount"]), months),
        )
        for r in rows
    ]


async def build_board(period: Period, today: dt.date | None = None) -> Board:
    """Every active partner's figures, score, ranks and advice for `period`."""
    today = today or clock.today()
    partners = await (
        Partner.select(
            Partner.id,
            Partner.code,
            Partner.name,
            Partner.name_en,
            Partner.kind,
            Partner.province,
            Partner.locale,
            Partner.channel_manager_id,
            Partner.tier.code.as_alias("tier_code"),
            Partner.tier.name_zh.as_alias("tier_name_zh"),
            Partner.tier.name_en.as_alias("tier_name_en"),
            Partner.tier.rank.as_alias("tier_rank"),
        )
        .where(Partner.status == PartnerStatus.ACTIVE)
        .order_by(Partner.name)
    )
    # A running period counts to date and is compared with the same days of the periods
    # before (1–2 December against 1–2 November), never with whole months.
    now_window = window(period, today)
    previous_window = window(period, today, period.previous)
    before_window = window(period, today, period.shift(-2))
    year_window = window(period, today, period.last_year)
    # independent reads, run side by side (each takes its own pooled connection)
    current, previous, before_previous, last_year, targets, previous_targets = await asyncio.gather(
        rollups.rollup_totals(None, period.start, period.end),
        rollups.window_totals(None, previous_window.start, previous_window.end),
        rollups.window_totals(None, before_window.start, before_window.end),
        rollups.window_totals(None, year_window.start, year_window.end),
        targets_for(period),
        targets_for(period.previous),
    )
    (extra, answered), weights, steps = await asyncio.gather(
        sources.extra_figures(None, now_window.start, now_window.end), get_weights(), ladder(period)
    )
    present = {"orders", *answered}
    available = metrics.metrics_for(present)

    board = Board(
        period=period,
        today=today,
        metrics=available,
        weights=weights,
        window=now_window,
        previous_window=previous_window,
    )
    for p in partners:
        pid = int(p["id"])
        revenue, count = current.get(pid, (0, 0))
        prev_revenue, prev_count = previous.get(pid, (0, 0))
        figures = metrics.order_figures(
            revenue, count, prev_revenue, last_year.get(pid, (0, 0))[0], targets.get(pid)
        )
        prev_figures = metrics.order_figures(
            prev_revenue,
            prev_count,
            before_previous.get(pid, (0, 0))[0],
            0,
            previous_targets.get(pid),
        )
        for metric in available:
            if metric.source != "orders":
                # nothing counted is 0 (no deals protected: ¥0); a rate or average is unknown
                default = 0 if metric.unit in ("count", "money") else None
                figures[metric.key] = extra.get(pid, {}).get(metric.key, default)
        board.rows.append(
            ScoreRow(
                partner_id=pid,
                code=p["code"],
                name=p["name"],
                name_en=p["name_en"] or "",
                kind=p["kind"],
                province=p["province"],
                locale=p["locale"] or "zh_CN",
                tier_code=p["tier_code"],
                tier_name_zh=p["tier_name_zh"],
                tier_name_en=p["tier_name_en"],
                tier_rank=int(p["tier_rank"]),
                channel_manager_id=p["channel_manager_id"],
                figures=figures,
                previous=prev_figures,
                target=targets.get(pid),
                advice=metrics.tier_advice(steps, p["tier_code"], revenue, prev_revenue),
            )
        )
    scores = metrics.composite_scores(
        {r.partner_id: r.figures for r in board.rows}, weights, available
    )
    overall = metrics.ranks(scores)
    by_tier: dict[str, dict[int, int]] = {}
    for r in board.rows:
        by_tier.setdefault(r.tier_code, {})[r.partner_id] = scores[r.partner_id]
    tier_ranks = {code: metrics.ranks(s) for code, s in by_tier.items()}
    for r in board.rows:
        r.score = scores[r.partner_id]
        r.rank = overall[r.partner_id]
        r.tier_position = tier_ranks[r.tier_code][r.partner_id]
        r.tier_size = len(by_tier[r.tier_code])
    board.rows.sort(key=lambda r: (r.rank, r.name))
    return board


def sort_rows(rows: list[ScoreRow], key: str, descending: bool = True) -> list[ScoreRow]:
    """Rows ordered by a metric (missing values last either way), then by rank."""
    if key in ("name", "code", "tier"):
        attr = {"name": "name", "code": "code", "tier": "tier_rank"}[key]
        return sorted(rows, key=lambda r: getattr(r, attr), reverse=descending)
    present = [r for r in rows if r.value(key) is not None]
    missing = [r for r in rows if r.value(key) is None]
    present.sort(key=lambda r: (r.value(key), -r.rank), reverse=descending)
    return present + missing


async def trend(
    partner_id: int, period: Period, count: int = 12
) -> list[tuple[Period, int, int, int | None]]:
    """[(period, revenue, orders, target)] for the `count` periods ending with `period`."""
    periods = period.trend(count)
    series = (await rollups.monthly_series([partner_id], periods[0].start, periods[-1].end)).get(
        partner_id, {}
    )
    target_rows = await PerformanceTarget.select(
        PerformanceTarget.period, PerformanceTarget.revenue_target_amount
    ).where(
        (PerformanceTarget.partner == partner_id)
        & PerformanceTarget.period.is_in([p.code for p in periods])
    )
    target_by = {r["period"]: int(r["revenue_target_amount"]) for r in target_rows}
    out = []
    for p in periods:
        revenue = sum(series.get(m, (0, 0))[0] for m in p.months)
        orders = sum(series.get(m, (0, 0))[1] for m in p.months)
        out.append((p, revenue, orders, target_by.get(p.code)))
    return out


def format_value(metric: Metric, value: Any, currency: str = "CNY") -> str:
    """A metric value in the reader's words ('—' when absent)."""

    if value is None:
        return "—"
    if metric.unit == "money":
        return format_money(int(value), currency)
    if metric.unit == "ratio":
        return format_percent(value, 1 if abs(value) < 0.1 else 0)
    if metric.unit == "csat":
        return format_number(value, 2)
    if metric.unit == "score":
        return format_number(int(value))
    return format_number(value)


def change_text(metric: Metric, value: Any, previous: Any) -> tuple[str, str]:
    """(text, tone) of the change against the previous period: +12 %, -3.5 pts, '' if unknown."""

    if value is None or previous is None:
        return "", ""
    if metric.unit in ("ratio",):
        diff = (value - previous) * 100
        text = _signed(format_number(round(diff, 1), 1)) + " " + _pts()
    elif metric.unit in ("score", "csat"):
        diff = value - previous
        text = _signed(format_number(round(diff, 2), 2 if metric.unit == "csat" else 0))
    else:
        g = metrics.growth(int(value), int(previous))
        if g is None:
            return "", ""
        diff = g
        text = _signed(format_percent(g, 1 if abs(g) < 0.1 else 0))
    if diff == 0:
        return text, "muted"
    good = (diff > 0) == metric.higher_is_better
    return text, "up" if good else "down"


def _signed(text: str) -> str:
    return text if text.startswith(("-", "−")) else "+" + text


def _pts() -> str:
    return _("pts")
