"""KPI maths, pure functions: one definition used by the console, the partner page, the XLSX
export and the PDF report.

A metric is data (`Metric`): its key, label, unit, source and how it is scored. Figures are plain
dicts {metric key: value}; a metric whose source does not exist yet is simply absent (never
faked), and the composite score uses the weights of the metrics that are present.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from portal.lib.i18n import N_
from portal.lib.i18n import gettext as _

Figures = dict[str, int | float | None]


@dataclass(frozen=True)
class Metric:
    """One KPI. unit: money (minor units), count, ratio (0..1), score (-100..100), minutes,
    hours, days (counts and money default to 0 when a domain has no row; the others to none).

    scale = (worst, best) maps a value to 0..1 for the composite score on a fixed scale;
    None ranks the value among all partners instead (revenue: there is no natural maximum).
    """

    key: str
    label: str  # English msgid
    unit: str
    source: str
    default_weight: int = 0
    scale: tuple[float, float] | None = None
    higher_is_better: bool = True
    in_leaderboard: bool = True


METRICS: tuple[Metric, ...] = (
    Metric("revenue", N_("Revenue"), "money", "orders", default_weight=40),
    Metric("growth_previous", N_("Growth vs previous period"), "ratio", "orders", 10, (-0.3, 0.3)),
    Metric("growth_last_year", N_("Growth vs last year"), "ratio", "orders", 15, (-0.3, 0.5)),
    Metric("attainment", N_("Target attainment"), "ratio", "orders", 25, (0.0, 1.0)),
    Metric("order_count", N_("Orders"), "count", "orders", default_weight=5),
    Metric("average_order", N_("Average order value"), "money", "orders", default_weight=5),
    # customers (portal/customers/services.py: activity_figures)
    Metric("customers_active", N_("Active end customers"), "count", "customers", 5),
    Metric("customers_new", N_("New end customers"), "count", "customers", 5),
    Metric("interactions", N_("Contacts logged"), "count", "customers", 0),
    Metric("interactions_per_user", N_("Contacts per active user"), "count", "customers", 5),
    Metric("followup_on_time", N_("Follow-ups on time"), "ratio", "customers", 5, (0.5, 1.0)),
    # communications (campaign_figures, feedback_figures)
    Metric("campaign_open_rate", N_("Campaign material opened"), "ratio", "campaigns", 5, (0, 1)),
    Metric("files_downloaded", N_("Files downloaded"), "count", "campaigns", 0),
    Metric("feedback_response_rate", N_("Feedback response rate"), "ratio", "feedback", 5, (0, 1)),
    Metric("nps", N_("NPS given"), "score", "feedback", 0, (-100, 100)),
    # support (case_figures)
    Metric("cases_opened", N_("Support cases opened"), "count", "cases", 0, None, False),
    Metric("sla_met_rate", N_("Cases resolved within SLA"), "ratio", "cases", 0, (0.5, 1.0)),
    Metric("case_csat", N_("Support satisfaction (1-5)"), "csat", "cases", 0, (1.0, 5.0)),
    # leads (portal/deals/lead_rules.py: lead_figures): working hours Monday to Friday
    Metric(
        "lead_acceptance_rate",
        N_("Lead acceptance rate"),
        "ratio",
        "leads",
        0,
        (0.0, 1.0),
        in_leaderboard=False,
    ),
    Metric(
        "lead_accept_hours",
        N_("Time to accept a lead (working hours)"),
        "hours",  # a median: none without accepted leads ("—"), never 0
        "leads",
        0,
        None,
        higher_is_better=False,
        in_leaderboard=False,
    ),
    # deals (portal/deals/figures.py: deal_figures): weight 0 until the vendor weighs them
    Metric("deals_registered", N_("Deals registered"), "count", "deals", in_leaderboard=False),
    Metric("deals_approved", N_("Deals approved"), "count", "deals", in_leaderboard=False),
    Metric("deals_won", N_("Deals won"), "count", "deals", in_leaderboard=False),
    Metric(
        "deal_win_rate", N_("Deal win rate"), "ratio", "deals", 0, (0.0, 1.0), in_leaderboard=False
    ),
    Metric(
        "pipeline_value",
        N_("Pipeline value (protected deals)"),
        "money",
        "deals",
        in_leaderboard=False,
    ),
    # finance (portal/finance/figures.py: finance_figures): weight 0 until the vendor weighs them
    Metric(
        "days_sales_outstanding",
        N_("Days sales outstanding"),
        "days",
        "finance",
        higher_is_better=False,
        in_leaderboard=False,
    ),
    Metric(
        "overdue_amount",
        N_("Overdue amount"),
        "money",
        "finance",
        higher_is_better=False,
        in_leaderboard=False,
    ),
    Metric("rebate_earned", N_("Rebate earned"), "money", "finance", in_leaderboard=False),
)
BY_KEY = {m.key: m for m in METRICS}


def metrics_for(sources: Sequence[str] | set[str]) -> list[Metric]:
    """The metrics whose source exists, in display order."""
    return [m for m in METRICS if m.source in sources]


def growth(current: int, previous: int) -> float | None:
    """Relative change; None when there is nothing to compare with (previous is 0)."""
    if not previous:
        return None
    return (current - previous) / previous


def attainment(revenue: int, target: int | None) -> float | None:
    """Revenue as a share of the target; None without a target."""
    if not target or target <= 0:
        return None
    return revenue / target


def average_amount(total: int, count: int) -> int | None:
    """Average in minor units, rounded half up; None without orders."""
    if count <= 0:
        return None
    return int((Decimal(total) / Decimal(count)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def ratio(part: int | None, whole: int | None) -> float | None:
    if not whole or part is None:
        return None
    return part / whole


def order_figures(
    revenue: int,
    order_count: int,
    previous_revenue: int,
    last_year_revenue: int,
    target: int | None,
) -> Figures:
    """The orders-based metrics of one partner and period."""
    return {
        "revenue": revenue,
        "growth_previous": growth(revenue, previous_revenue),
        "growth_last_year": growth(revenue, last_year_revenue),
        "attainment": attainment(revenue, target),
        "order_count": order_count,
        "average_order": average_amount(revenue, order_count),
    }


def normalise(metric: Metric, values: Mapping[int, int | float | None]) -> dict[int, float]:
    """Each partner's value mapped to 0..1 (1 = best). Missing values score 0.

    Fixed scale: linear between worst and best, clamped. No scale: the partner's percentile
    among partners with a value (ties share the average rank); a single partner scores 1.
    """
    out: dict[int, float] = {}
    present = {k: float(v) for k, v in values.items() if v is not None}
    if metric.scale is not None:
        lo, hi = metric.scale
        for key in values:
            v = present.get(key)
            if v is None:
                out[key] = 0.0
                continue
            share = (v - lo) / (hi - lo) if hi != lo else 1.0
            share = min(max(share, 0.0), 1.0)
            out[key] = share if metric.higher_is_better else 1.0 - share
        return out
    ordered = sorted(present.values())
    n = len(ordered)
    positions: dict[float, float] = {}  # value -> average 0-based rank of its ties
    index = 0
    while index < n:
        end = index
        while end + 1 < n and ordered[end + 1] == ordered[index]:
            end += 1
        positions[ordered[index]] = (index + end) / 2
        index = end + 1
    for key in values:
        v = present.get(key)
        if v is None:
            out[key] = 0.0
        elif n == 1:
            out[key] = 1.0
        else:
            share = positions[v] / (n - 1)
            out[key] = share if metric.higher_is_better else 1.0 - share
    return out


def composite_scores(
    figures: Mapping[int, Figures], weights: Mapping[str, int], metrics: Sequence[Metric]
) -> dict[int, int]:
    """The composite score 0-100 of every partner: the weighted mean of normalised metrics.

    Only metrics in `metrics` (those whose source exists) with a positive weight count, so a
    missing source never drags anyone down. Without any weight every score is 0.
    """
    used = [m for m in metrics if weights.get(m.key, 0) > 0]
    total_weight = sum(weights[m.key] for m in used)
    sums = {pid: 0.0 for pid in figures}
    for metric in used:
        norm = normalise(metric, {pid: f.get(metric.key) for pid, f in figures.items()})
        for pid, share in norm.items():
            sums[pid] += share * weights[metric.key]
    if not total_weight:
        return {pid: 0 for pid in figures}
    return {pid: round(100 * s / total_weight) for pid, s in sums.items()}


def ranks(scores: Mapping[int, float | int]) -> dict[int, int]:
    """Competition ranks (1, 2, 2, 4): higher score first; ties share a rank."""
    ordered = sorted(scores.items(), key=lambda kv: -kv[1])
    out: dict[int, int] = {}
    previous: float | None = None
    rank = 0
    for position, (pid, score) in enumerate(ordered, start=1):
        if score != previous:
            rank = position
            previous = score
        out[pid] = rank
    return out


BANDS = ((0.10, N_("top 10 %")), (0.25, N_("top 25 %")), (0.50, N_("top 50 %")))


def rank_band(rank: int, total: int) -> str:
    """The rank as a band a partner may see ("top 25 %"), never other partners' places."""
    if total <= 0 or rank <= 0:
        return ""
    share = rank / total
    for limit, label in BANDS:
        if share <= limit:
            return _(label)
    return _("bottom 50 %")


@dataclass(frozen=True)
class TierStep:
    """A rung of the ladder as the advice needs it: code, name, rank, threshold for the period."""

    code: str
    name: str
    rank: int
    threshold: int  # minor units for the period in question


def period_threshold(quarterly: int, months: int) -> int:
    """A tier's quarterly revenue threshold scaled to a month (1/3) or a year (x4)."""
    return int((Decimal(quarterly) * months / 3).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class TierAdvice:
    """What the revenue means for the partner's tier: progress and the sentence to show."""

    current: TierStep | None
    next: TierStep | None
    gap: int | None  # minor units still missing to reach `next` this period
    progress: float | None  # revenue / next threshold (0..1), None at the top
    qualifies_for: TierStep | None  # highest tier whose threshold the revenue meets
    below_own_twice: bool  # below its own tier's threshold this and the previous period
    below_own: bool


def tier_advice(
    ladder: Sequence[TierStep],
    current_code: str,
    revenue: int,
    previous_revenue: int,
    previous_ladder: Sequence[TierStep] | None = None,
) -> TierAdvice:
    """Where the revenue puts the partner on the ladder (rank 1 = top), pure maths."""
    steps = sorted(ladder, key=lambda s: s.rank)
    current = next((s for s in steps if s.code == current_code), None)
    qualifies = next((s for s in steps if s.threshold > 0 and revenue >= s.threshold), None)
    upper = [s for s in steps if current is None or s.rank < current.rank]
    nxt = upper[-1] if upper else None
    gap = max(nxt.threshold - revenue, 0) if nxt else None
    progress = min(revenue / nxt.threshold, 1.0) if nxt and nxt.threshold > 0 else None
    below = bool(current and current.threshold > 0 and revenue < current.threshold)
    prev_steps = previous_ladder if previous_ladder is not None else ladder
    prev_current = next((s for s in prev_steps if s.code == current_code), None)
    below_before = bool(
        prev_current and prev_current.threshold > 0 and previous_revenue < prev_current.threshold
    )
    return TierAdvice(current, nxt, gap, progress, qualifies, below and below_before, below)


def advice_sentences(
    advice: TierAdvice, money: str, noun: str, plural_noun: str, closed_label: str = ""
) -> list[str]:
    """The recommendation in the reader's words; `money` is the formatted gap.

    A running period speaks of what is still needed (`noun`: "this month"); a closed one
    (`closed_label`: "November 2026") of what was needed, in the past tense."""
    out: list[str] = []
    if advice.qualifies_for and advice.current and advice.qualifies_for.rank < advice.current.rank:
        if closed_label:
            out.append(
                _(
                    "Revenue in %(period)s met the %(tier)s threshold: recommend an upgrade.",
                    period=closed_label,
                    tier=advice.qualifies_for.name,
                )
            )
        else:
            out.append(
                _(
                    "Revenue meets the %(tier)s threshold: recommend an upgrade.",
                    tier=advice.qualifies_for.name,
                )
            )
    elif advice.next is not None and advice.gap:
        if closed_label:
            out.append(
                _(
                    "In %(period)s: needed %(amount)s more revenue to reach %(tier)s.",
                    period=closed_label,
                    amount=money,
                    tier=advice.next.name,
                )
            )
        else:
            out.append(
                _(
                    "%(amount)s more revenue %(period)s reaches %(tier)s.",
                    amount=money,
                    period=noun,
                    tier=advice.next.name,
                )
            )
    if advice.below_own_twice and advice.current:
        out.append(
            _(
                "Below the %(tier)s threshold two %(periods)s in a row.",
                tier=advice.current.name,
                periods=plural_noun,
            )
        )
    elif advice.below_own and advice.current:
        if closed_label:
            out.append(
                _(
                    "Below the %(tier)s threshold in %(period)s.",
                    tier=advice.current.name,
                    period=closed_label,
                )
            )
        else:
            out.append(
                _("Below the %(tier)s threshold %(period)s.", tier=advice.current.name, period=noun)
            )
    return out
