"""Sample contexts for the performance pages, the PDF report and the report e-mail
(rendered in both languages by tests/test_templates.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.lib import charts
from portal.orders.imports import ImportResult, RowError
from portal.performance import metrics
from portal.performance.drilldown import FigureRow
from portal.performance.periods import Period, PeriodKind, Window
from portal.performance.scorecards import ScoreRow
from portal.web import Page
from tests.template_samples import ALICE, NOW, VERA, page_context

PERIOD = Period.parse("2026-10")
LADDER = [
    metrics.TierStep("platinum", "铂金 Platinum", 1, 1_000_000_00),
    metrics.TierStep("gold", "金牌 Gold", 2, 400_000_00),
    metrics.TierStep("silver", "银牌 Silver", 3, 133_333_33),
]
FIGURES = metrics.order_figures(520_000_00, 14, 480_000_00, 410_000_00, 500_000_00)
ROW = ScoreRow(
    partner_id=1,
    code="P-A <b>",
    name="华东智联科技有限公司 <i>",
    name_en="Partner A",
    kind="dealer",
    province="SH",
    locale="zh_CN",
    tier_code="gold",
    tier_name_zh="金牌",
    tier_name_en="Gold",
    tier_rank=2,
    channel_manager_id=3,
    figures={**FIGURES, "customers_active": 12, "nps": 40},
    previous=metrics.order_figures(480_000_00, 12, 450_000_00, 0, None),
    target=500_000_00,
    score=74,
    rank=2,
    tier_position=1,
    tier_size=4,
    advice=metrics.tier_advice(LADDER, "gold", 520_000_00, 380_000_00),
)
TREND = [(PERIOD.shift(i - 11), 300_000_00 + i * 20_000_00, 10 + i, 450_000_00) for i in range(12)]


def kpis() -> list[dict[str, Any]]:
    out = []
    for m in metrics.METRICS[:8]:
        out.append(
            {
                "key": m.key,
                "label": m.label,
                "source": m.source,
                "value": ROW.figures.get(m.key),
                "display": "¥5,200.00" if m.unit == "money" else "12",
                "previous": "—",
                "change": "+8 %",
                "tone": "up",
                "weight": m.default_weight,
            }
        )
    return out


def card(note: bool = True) -> dict[str, Any]:
    items = kpis()
    return {
        "period": PERIOD,
        "row": ROW,
        "board_total": 12,
        "band": "top 25 %",
        "kpis": items,
        "kpi": {k["key"]: k for k in items},
        "sources": {"orders", "customers", "feedback"},
        "trend": [{"period": p, "revenue": r, "orders": o, "target": t} for p, r, o, t in TREND],
        "chart": charts.bar_chart(
            [charts.Point(p.short_label(), r, t) for p, r, _o, t in TREND],
            title="Revenue <script>",
            target_label="Target",
        ),
        "revenue": 520_000_00,
        "target": 500_000_00,
        "target_bar": charts.progress_bar(1.04, label="Target"),
        "tier_bar": charts.progress_bar(0.52, label="Tier"),
        "advice": ["¥480,000.00 more revenue this month reaches 铂金.", "<b>escaped</b>"],
        "note": {
            "body": "干得好！<script>alert(1)</script>\nKeep going.",
            "updated_by_name": "Vera",
            "updated_at": NOW,
        }
        if note
        else None,
        "elapsed": 1.0,
        "today": dt.date(2026, 11, 3),
    }


PIPELINE_ROWS = [
    {"label": "Qualified <b>", "n": 2, "amount": 240_000_00, "outcome": False},
    {"label": "Proposal", "n": 1, "amount": 50_000_00, "outcome": False},
    {"label": "Negotiation", "n": 0, "amount": 0, "outcome": False},
    {"label": "Won", "n": 3, "amount": 360_000_00, "outcome": True},
    {"label": "Lost", "n": 1, "amount": 80_000_00, "outcome": True},
]
PIPELINE = {
    "rows": PIPELINE_ROWS,
    "open_count": 3,
    "open_amount": 290_000_00,
    "won": {"n": 3, "amount": 360_000_00},
    "lost": {"n": 1, "amount": 80_000_00},
    "win_rate": 0.75,
    "as_of": dt.date(2026, 10, 31),
    "chart": charts.bar_chart(
        [charts.Point(r["label"], r["amount"]) for r in PIPELINE_ROWS],
        title="Deal values <script>",
        highlight_last=False,
    ),
}

PERIOD_PICKER = {
    "period": PERIOD,
    "periods": [PERIOD.shift(-i) for i in range(3)],
    "kinds": [(k.value, k.value) for k in PeriodKind],
}

SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "console/performance/board.html": [
        (
            "rows",
            page_context(
                VERA,
                "/console/performance",
                **PERIOD_PICKER,
                rows=[ROW],
                elapsed=0.5,
                columns=list(metrics.METRICS[:6]),
                formatted={1: {m.key: "1" for m in metrics.METRICS}},
                total=1,
                params={"period": "2026-10", "kind": "month", "sort": "revenue", "dir": "desc"},
                pager=Page(1, 50, 1),
                sort="revenue",
                descending=True,
                tiers=[("gold", "金牌")],
                regions=[("SH", "上海")],
                partner_kinds=[("dealer", "Dealer")],
                managers=[("3", "Manny")],
                orders_links={1: "/console/orders/?partner_id=1"},
            ),
        ),
        (
            "empty",
            page_context(
                VERA, "/console/performance", **PERIOD_PICKER, rows=[], params={}, elapsed=1.0
            ),
        ),
    ],
    "console/performance/partner.html": [
        (
            "card",
            page_context(
                VERA,
                "/console/performance/partners/1",
                **PERIOD_PICKER,
                partner={"id": 1, "code": "P-A", "name": "华东智联 <b>"},
                card=card(),
                orders_link="/console/orders/?partner_id=1",
                trend_links={p.code: "/console/orders/" for p, *_rest in TREND},
                values={"period": "2026-10", "target": "500000.00", "body": "Note"},
                report_period=PERIOD,
            ),
        ),
        (
            "inactive",
            page_context(
                VERA,
                "/",
                **PERIOD_PICKER,
                partner={"id": 2, "code": "X", "name": "X"},
                card={},
                report_period=PERIOD,
            ),
        ),
    ],
    "performance/figure.html": [
        (
            "rows",
            page_context(
                ALICE,
                "/performance/figures/order_count",
                partner={"id": 1, "code": "P-A", "name": "华东智联 <b>"},
                card={**card(), "window": Window(PERIOD, PERIOD.start, PERIOD.end)},
                kpi={"label": "Orders", "display": "2"},
                noun="Orders approved",
                counted_label="on time",
                rows=[
                    FigureRow(NOW, "SO-1 <b>", "/orders/1", "客户 <i>", 1_000_00, True),
                    FigureRow(dt.date(2026, 10, 3), "SO-2", "", "", 2_000_00, False),
                ],
                pager=Page(1, 100, 2),
                params={"period": "2026-10"},
                back="/performance/",
            ),
        ),
        (
            "empty",
            page_context(
                VERA,
                "/",
                partner={"id": 1, "code": "P-A", "name": "X"},
                card={"window": Window(PERIOD, PERIOD.start, PERIOD.end), "running_note": "x"},
                kpi={"label": "Files downloaded", "display": "0"},
                noun="Downloads",
                rows=[],
                pager=Page(1, 100, 0),
                params={},
                back="/",
            ),
        ),
    ],
    "console/performance/settings.html": [
        (
            "errors",
            page_context(
                VERA,
                "/console/performance/settings",
                metrics=[
                    {
                        "key": m.key,
                        "label": m.label,
                        "available": m.source == "orders",
                        "source": m.source,
                    }
                    for m in metrics.METRICS
                ],
                values={"revenue": "40"},
                errors={"revenue": "Enter a whole number from 0 to 100."},
                tiers=[{"id": 2, "name_zh": "金牌", "name_en": "Gold", "quarterly_amount": 1}],
                protection=[
                    {"id": 2, "code": "gold", "name_zh": "金牌", "name_en": "Gold", "days": 120}
                ],
            ),
        )
    ],
    "console/performance/import.html": [
        (
            "errors",
            page_context(
                VERA,
                "/console/performance/targets/import",
                result=ImportResult(
                    kind="targets", rows=2, errors=[RowError(2, "No partner <b>")], error_count=1
                ),
            ),
        ),
        ("blank", page_context(VERA, "/console/performance/targets/import", result=None)),
    ],
    "console/performance/deliveries.html": [
        (
            "rows",
            page_context(
                VERA,
                "/console/performance/deliveries",
                rows=[
                    {
                        "id": 9,
                        "partner": 1,
                        "partner_name": "华东智联",
                        "partner_code": "P-A",
                        "period": "2026-10",
                        "status": "pending",
                        "attempts": 2,
                        "last_error": "SMTPConnectError: <refused>",
                        "next_attempt_at": NOW,
                        "sent_at": None,
                        "sent_to": "a@x.test\nb@x.test",
                    }
                ],
                counts={"pending": 1},
                period=PERIOD,
                months=[PERIOD, PERIOD.previous],
                params={"period": "2026-10", "status": ""},
                pager=Page(1, 50, 1),
                labels={"pending": "Pending", "sent": "Sent"},
                tones={"pending": "pending"},
                scheduled_at=NOW,
                today=dt.date(2026, 11, 20),
            ),
        ),
        (
            "empty",
            page_context(
                VERA,
                "/",
                rows=[],
                period=PERIOD,
                months=[PERIOD],
                counts={},
                labels={},
                tones={},
                scheduled_at=NOW,
                today=dt.date(2026, 11, 20),
            ),
        ),
    ],
    "performance/mine.html": [
        ("card", page_context(ALICE, "/performance", **PERIOD_PICKER, card=card())),
        ("none", page_context(ALICE, "/performance", **PERIOD_PICKER, card={})),
    ],
    "performance/reports.html": [
        (
            "rows",
            page_context(
                ALICE,
                "/performance/reports",
                rows=[
                    {"period": "2026-10", "label": "2026年10月", "status": "sent", "sent_at": NOW},
                    {"period": "2026-09", "label": "2026年9月", "status": "", "sent_at": None},
                ],
                labels={"sent": "Sent"},
                tones={"sent": "success"},
            ),
        )
    ],
    "performance/recipients.html": [
        (
            "list",
            page_context(
                ALICE,
                "/performance/recipients",
                admins=[{"email": "alice@partner-a.test", "name": "Alice"}],
                extra=[{"id": 3, "email": "boss@partner-a.test", "name": "Boss", "locale": "en"}],
                max_recipients=10,
                values={"locale": "zh_CN"},
            ),
        )
    ],
    "pdf/performance_report.html": [
        (
            "report",
            {
                **card(),
                "partner": {"id": 1, "name": "华东智联科技有限公司", "name_en": "Partner A"},
                "generated_at": NOW,
                "window": Window(PERIOD, PERIOD.start, PERIOD.end),
                "pipeline": PIPELINE,
                "cjk_font": "Noto Sans CJK SC",
                "locale": "zh_CN",
            },
        ),
        (
            "no-note",
            {
                **card(note=False),
                "partner": {"id": 1, "name": "华东智联", "name_en": ""},
                "generated_at": NOW,
                "cjk_font": "Noto Sans CJK SC",
                "locale": "en",
            },
        ),
    ],
}

EMAIL_SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "report_monthly": [
        (
            "named",
            {
                "name": "Alice 张爱丽",
                "partner_name": "华东智联科技有限公司",
                "period_label": "2026年10月",
                "link": "http://testserver.local/performance/reports",
            },
        ),
        (
            "with the statement",
            {
                "name": "",
                "partner_name": "华东智联科技有限公司",
                "period_label": "2026年10月",
                "link": "http://testserver.local/performance/reports",
                "statement_link": "http://testserver.local/money/statements/2026-10",
            },
        ),
    ]
}
