"""Sample contexts for the finance pages (rendered in both languages by tests/test_templates.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.finance.bank_import import ImportResult
from portal.finance.console import method_options, terms_options
from portal.finance.constants import AGEING_BUCKETS
from portal.finance.pages import state_options
from portal.finance.rebate_rules import Band
from portal.lib.spreadsheets import RowError
from portal.web import Page
from tests.template_samples import NOW, VERA, page_context

TODAY = NOW.date()
PROGRAMME = {
    "id": 1,
    "name": "2026 Q4 满额返利",
    "period": "2026-Q4",
    "starts_on": dt.date(2026, 10, 1),
    "ends_on": dt.date(2027, 1, 1),
    "mode": "retroactive",
    "base": "shipped",
    "status": "active",
    "settled_at": None,
}
REBATE_ROW = {
    "programme": PROGRAMME,
    "base_amount": 880_000_00,
    "earned_amount": 17_600_00,
    "rate_bp": 200,
    "next_rate_bp": 300,
    "next_more_amount": 120_000_00,
    "advice": "¥120,000.00 more this quarter raises your rebate to 3 %.",
}

SUMMARY: dict[str, Any] = {
    "currency": "CNY",
    "owed_amount": 123_456_78,
    "overdue_amount": 23_456_78,
    "overdue_count": 2,
    "open_count": 5,
    "next_due_on": TODAY + dt.timedelta(days=4),
    "on_account_amount": 1_000_00,
    "credit_limit_amount": 800_000_00,
    "open_orders_amount": 50_000_00,
    "unbilled_amount": 2_000_00,
    "exposure_amount": 174_456_78,
    "available_credit_amount": 625_543_22,
    "payment_terms": "month_end_30",
}
RECEIVABLE: dict[str, Any] = {
    "id": 7,
    "partner": 1,
    "order_id": 42,
    "order_number": "PO-2026-000042",
    "shipment_id": 9,
    "amount": 12_000_00,
    "paid_amount": 2_000_00,
    "open_amount": 10_000_00,
    "currency": "CNY",
    "issued_on": TODAY - dt.timedelta(days=40),
    "due_on": TODAY - dt.timedelta(days=10),
    "paid_on": None,
    "payment_terms": "net_30",
    "state": "overdue",
    "days_overdue": 10,
    "age_days": 40,
    "invoice_number": "04400123",
    "invoiced_on": TODAY,
}
PAID = {**RECEIVABLE, "id": 8, "state": "paid", "days_overdue": 0, "invoice_number": ""}
PAYMENT = {
    "id": 3,
    "paid_on": TODAY,
    "method": "bank_transfer",
    "bank_reference": "ICBC-20260314-01",
    "amount": 20_000_00,
    "unallocated_amount": 1_000_00,
    "currency": "CNY",
    "recorded_by_name": "Vera 王",
}
LEDGER = [
    {
        "posted_on": TODAY,
        "kind": "payment",
        "amount": -20_000_00,
        "bank_reference": "ICBC-1",
        "balance_after": 0,
    },
    {
        "posted_on": TODAY,
        "kind": "receivable",
        "amount": 12_000_00,
        "order_number": "PO-1",
        "invoice_number": "044",
        "balance_after": 20_000_00,
    },
    {
        "posted_on": TODAY,
        "kind": "adjustment",
        "amount": 8_000_00,
        "memo": "正确 <b>",
        "balance_after": 8_000_00,
    },
]
PROFILE = {
    "payment_terms": "net_30",
    "invoice_title": "华东智联科技有限公司",
    "tax_number": "91350100M000100Y43",
    "invoice_address": "上海市浦东新区",
    "invoice_phone": "021-6288 1024",
    "bank_name": "中国工商银行上海分行",
    "bank_account": "1001234567890",
    "updated_at": NOW,
}
PARTNER = {"id": 1, "code": "P00001", "name": "华东智联科技有限公司", "currency": "CNY"}
ROW = {
    "partner_id": 1,
    "code": "P00001",
    "name": "华东智联",
    "d0_30": 100,
    "d31_60": 0,
    "d61_90": 5,
    "d90_plus": 7,
    "total": 112,
    "overdue": 12,
}

LINES = [
    {
        "id": 1,
        "posted_on": TODAY,
        "kind": "receivable",
        "amount": 12_000_00,
        "order_id": 42,
        "order_number": "SO-2026-000042",
        "invoice_number": "044",
        "bank_reference": None,
        "memo": "",
        "balance_after": 20_000_00,
    },
    {
        "id": 2,
        "posted_on": TODAY,
        "kind": "payment",
        "amount": -5_000_00,
        "order_id": None,
        "order_number": None,
        "invoice_number": None,
        "bank_reference": "ICBC-1",
        "memo": "",
        "balance_after": 15_000_00,
    },
    {
        "id": 3,
        "posted_on": TODAY,
        "kind": "adjustment",
        "amount": 1_00,
        "order_id": None,
        "order_number": None,
        "invoice_number": None,
        "bank_reference": None,
        "memo": "更正 <b>",
        "balance_after": 15_000_01,
    },
]
STATEMENT: dict[str, Any] = {
    "period": "2026-02",
    "first": dt.date(2026, 2, 1),
    "last": dt.date(2026, 2, 28),
    "opening_amount": 8_000_00,
    "debit_amount": 12_000_01,
    "credit_amount": 5_000_00,
    "closing_amount": 15_000_01,
    "lines": LINES,
    "answer": None,
    "status": "",
    "partner": PARTNER,
}
DISPUTED = {
    **STATEMENT,
    "status": "disputed",
    "answer": {
        "status": "disputed",
        "answered_at": NOW,
        "comment": "金额不符 <i>",
        "case_id": 5,
        "closing_amount": 15_000_01,
    },
}

SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "finance/statement.html": [
        (
            "open",
            page_context(
                path="/money/statements/2026-02",
                **STATEMENT,
                errors={"comment": "Say what is wrong."},
            ),
        ),
        ("disputed", page_context(path="/money/statements/2026-02", **DISPUTED)),
        (
            "console",
            page_context(
                VERA, path="/console/finance/statements/1/2026-02", console=True, **DISPUTED
            ),
        ),
    ],
    "finance/console_statements.html": [
        (
            "rows",
            page_context(
                VERA,
                period="2026-02",
                periods=["2026-02", "2026-01"],
                rows=[
                    {**PARTNER, "answer": DISPUTED["answer"]},
                    {**PARTNER, "id": 2, "answer": None},
                ],
                counts={"confirmed": 0, "disputed": 1, "silent": 1},
            ),
        )
    ],
    "pdf/finance_statement.html": [
        ("open", {**STATEMENT, "cjk_font": "Noto Sans CJK SC", "locale": "zh_CN"}),
        ("disputed", {**DISPUTED, "cjk_font": "Noto Sans CJK SC", "locale": "en"}),
    ],
    "finance/money.html": [
        (
            "rows",
            page_context(
                path="/money",
                summary=SUMMARY,
                terms_label="月结30天",
                receivables=[RECEIVABLE, PAID],
                frees=[RECEIVABLE],
                payments=[PAYMENT],
                ledger=LEDGER,
                state="",
                state_options=state_options(),
                pager=Page(1, 50, 2),
                params={"status": ""},
                periods=["2026-02", "2026-01"],
                rebates=[REBATE_ROW],
            ),
        )
    ],
    "finance/console_rebates.html": [
        (
            "rows",
            page_context(
                VERA,
                path="/console/finance/rebates",
                programmes=[PROGRAMME],
                values={"mode": "retroactive", "base": "shipped", "bands": "500000:2"},
                mode_options=[("retroactive", "Retroactive")],
                base_options=[("shipped", "Goods shipped")],
                category_options=[("1", "Cameras")],
            ),
        ),
        (
            "empty",
            page_context(
                VERA,
                path="/console/finance/rebates",
                programmes=[],
                mode_options=[],
                base_options=[],
                category_options=[],
                errors={"bands": "Enter bands as amount:percent."},
            ),
        ),
    ],
    "finance/console_rebate.html": [
        (
            "rows",
            page_context(
                VERA,
                path="/console/finance/rebates/1",
                programme=PROGRAMME,
                bands=[Band(500_000_00, 200), Band(1_000_000_00, 300)],
                rows=[
                    {
                        "id": 1,
                        "code": "P00001",
                        "name": "华东智联科技有限公司",
                        "base_amount": 880_000_00,
                        "earned_amount": 17_600_00,
                        "credited_amount": 0,
                        "advice": "¥120,000.00 more this quarter raises your rebate to 3 %.",
                    }
                ],
                can_settle=True,
            ),
        ),
        (
            "settled",
            page_context(
                VERA,
                path="/console/finance/rebates/1",
                programme={
                    **PROGRAMME,
                    "status": "settled",
                    "settled_at": dt.datetime(2027, 1, 2, tzinfo=dt.UTC),
                },
                bands=[Band(500_000_00, 200)],
                rows=[],
                can_settle=False,
            ),
        ),
    ],
    "finance/invoicing.html": [
        ("read-only", page_context(path="/money/invoicing", profile=PROFILE, can_edit=False)),
        (
            "rows",
            page_context(
                path="/money/invoicing",
                profile=PROFILE,
                values=PROFILE,
                errors={"tax_number": "The check character does not match."},
                can_edit=True,
            ),
        ),
    ],
    "finance/console_ageing.html": [
        (
            "empty",
            page_context(VERA, partners=[], totals={}, buckets=AGEING_BUCKETS, block_days=None),
        ),
        (
            "rows",
            page_context(
                VERA,
                path="/console/finance",
                partners=[ROW],
                totals={k: v for k, v in ROW.items() if k not in ("partner_id", "code", "name")},
                buckets=AGEING_BUCKETS,
                block_days=30,
                values={"overdue_block_days": "30"},
            ),
        ),
    ],
    "finance/console_import.html": [
        ("form", page_context(VERA, path="/console/finance/import", result=None)),
        (
            "errors",
            page_context(
                VERA,
                path="/console/finance/import",
                filename="bank.csv",
                result=ImportResult(
                    rows=3, errors=[RowError(3, "No partner NOPE that you manage.", "partner_code")]
                ),
            ),
        ),
        (
            "done",
            page_context(
                VERA,
                path="/console/finance/import",
                filename="bank.csv",
                result=ImportResult(rows=3, created=2, skipped=1, total_amount=2_000_00),
            ),
        ),
    ],
    "finance/console_partner.html": [
        (
            "rows",
            page_context(
                VERA,
                path="/console/finance/partners/1",
                partner=PARTNER,
                summary=SUMMARY,
                profile=PROFILE,
                receivables=[RECEIVABLE, PAID],
                receivable_total=2,
                payments=[PAYMENT],
                ledger=LEDGER,
                values={"paid_on": TODAY.isoformat(), "method": "bank_transfer"},
                errors={
                    "amount": "Enter an amount.",
                    "invoice_7": "An invoice number has no spaces.",
                },
                terms_options=terms_options(),
                method_options=method_options(),
            ),
        )
    ],
}

EMAIL_SAMPLES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "payment_reminder": [
        (
            step,
            {
                "name": "Alice 张爱丽",
                "order_number": "SO-2026-000042",
                "invoice_number": "04400123" if step != "due_soon" else "",
                "amount": 12_345_60,
                "currency": "CNY",
                "due_on": TODAY,
                "days_overdue": days,
                "step": step,
                "link": "http://testserver.local/money",
            },
        )
        for step, days in (("due_soon", 0), ("overdue_7", 8), ("overdue_30", 31))
    ],
}
