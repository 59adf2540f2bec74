"""Payment terms, payment methods, ledger kinds, receivable states and ageing buckets."""

from __future__ import annotations

import calendar
import datetime as dt
from enum import StrEnum

from portal.lib.i18n import N_


class PaymentTerms(StrEnum):
    """When a receivable falls due; set by vendor staff on the partner's finance profile."""

    ON_SHIPMENT = "on_shipment"  # 款到发货 / due the day the goods leave
    NET_30 = "net_30"  # 30 days after shipment
    NET_60 = "net_60"  # 60 days after shipment
    MONTH_END_30 = "month_end_30"  # 月结30天: 30 days after the end of the shipment's month
    MONTH_END_60 = "month_end_60"  # 月结60天


DEFAULT_TERMS = PaymentTerms.NET_30

TERMS_LABELS = {
    PaymentTerms.ON_SHIPMENT: N_("Due on shipment"),
    PaymentTerms.NET_30: N_("Net 30 days"),
    PaymentTerms.NET_60: N_("Net 60 days"),
    PaymentTerms.MONTH_END_30: N_("Month end + 30 days (月结30天)"),
    PaymentTerms.MONTH_END_60: N_("Month end + 60 days (月结60天)"),
}


def due_on(issued_on: dt.date, terms: PaymentTerms | str) -> dt.date:
    """The due date of a receivable issued on `issued_on` under `terms` (unknown terms: net 30)."""
    try:
        terms = PaymentTerms(terms)
    except ValueError:
        terms = DEFAULT_TERMS
    if terms == PaymentTerms.ON_SHIPMENT:
        return issued_on
    if terms in (PaymentTerms.NET_30, PaymentTerms.NET_60):
        return issued_on + dt.timedelta(days=30 if terms == PaymentTerms.NET_30 else 60)
    last = calendar.monthrange(issued_on.year, issued_on.month)[1]
    month_end = issued_on.replace(day=last)
    return month_end + dt.timedelta(days=30 if terms == PaymentTerms.MONTH_END_30 else 60)


class PaymentMethod(StrEnum):
    BANK_TRANSFER = "bank_transfer"  # 银行转账 (the default; bank reference from the statement)
    ACCEPTANCE_BILL = "acceptance_bill"  # 承兑汇票
    CASH = "cash"
    OTHER = "other"
    REBATE = "rebate"  # a settled rebate's credit note (rebates.settle_programme), not money in


METHOD_LABELS = {
    PaymentMethod.BANK_TRANSFER: N_("Bank transfer"),
    PaymentMethod.ACCEPTANCE_BILL: N_("Bank acceptance bill"),
    PaymentMethod.CASH: N_("Cash"),
    PaymentMethod.OTHER: N_("Other"),
    PaymentMethod.REBATE: N_("Rebate credit note"),
}


class LedgerKind(StrEnum):
    """What a ledger row posts. Amounts are signed: + the partner owes more, - it owes less."""

    RECEIVABLE = "receivable"  # create_missing_receivables, one per shipment (+)
    PAYMENT = "payment"  # record_payment (-)
    ADJUSTMENT = "adjustment"  # a correction by vendor staff (either sign)
    REBATE = "rebate"  # rebates.settle_programme: the credit note of a settled rebate (-)
    # deductions.take: unused rebate credit moved off the account onto an order, which is
    # that much cheaper (+; its receivables are the lower by it)
    REBATE_USED = "rebate_used"
    # deductions.give_back: the unused part of a deduction back on account when the order
    # is rejected or cancelled (-)
    REBATE_RETURNED = "rebate_returned"


LEDGER_LABELS = {
    LedgerKind.RECEIVABLE: N_("Goods shipped"),
    LedgerKind.PAYMENT: N_("Payment received"),
    LedgerKind.ADJUSTMENT: N_("Adjustment"),
    LedgerKind.REBATE: N_("Rebate credit note"),
    LedgerKind.REBATE_USED: N_("Rebate credit deducted on an order"),
    LedgerKind.REBATE_RETURNED: N_("Rebate credit returned from an order"),
}


class ReceivableState(StrEnum):
    OPEN = "open"  # not fully paid, not yet due
    OVERDUE = "overdue"  # not fully paid, due date passed
    PAID = "paid"  # fully allocated


STATE_LABELS = {
    ReceivableState.OPEN: N_("Not yet due"),
    ReceivableState.OVERDUE: N_("Overdue"),
    ReceivableState.PAID: N_("Paid"),
}
STATE_TONES = {
    ReceivableState.OPEN: "info",
    ReceivableState.OVERDUE: "danger",
    ReceivableState.PAID: "success",
}

# Ageing buckets by days since the receivable was issued (账龄): (key, label, first day, last day).
AGEING_BUCKETS: list[tuple[str, str, int, int | None]] = [
    ("d0_30", N_("0–30 days"), 0, 30),
    ("d31_60", N_("31–60 days"), 31, 60),
    ("d61_90", N_("61–90 days"), 61, 90),
    ("d90_plus", N_("Over 90 days"), 91, None),
]


def bucket_of(age_days: int) -> str:
    """The ageing bucket key for a receivable `age_days` old (a negative age counts as 0)."""
    for key, _label, _first, last in AGEING_BUCKETS:
        if last is None or age_days <= last:
            return key
    return AGEING_BUCKETS[-1][0]


class StatementStatus(StrEnum):
    CONFIRMED = "confirmed"  # the partner agreed with the month's statement
    DISPUTED = "disputed"  # the partner disputed lines with a comment (a support case opened)


STATEMENT_LABELS = {
    StatementStatus.CONFIRMED: N_("Confirmed"),
    StatementStatus.DISPUTED: N_("Disputed"),
}

MAX_BANK_REFERENCE = 100
MAX_INVOICE_NUMBER = 40


class RebateBase(StrEnum):
    """What a rebate programme counts (net of the tier discount: the order lines' unit prices)."""

    SHIPPED = "shipped"  # goods shipped in the period
    PAID = "paid"  # goods shipped in the period and paid in full


REBATE_BASE_LABELS = {
    RebateBase.SHIPPED: N_("Goods shipped"),
    RebateBase.PAID: N_("Goods shipped and paid"),
}


class RebateMode(StrEnum):
    RETROACTIVE = "retroactive"  # the band reached applies to the whole base
    MARGINAL = "marginal"  # each band's rate applies to the part of the base within it


REBATE_MODE_LABELS = {
    RebateMode.RETROACTIVE: N_("Retroactive (the band reached applies to all)"),
    RebateMode.MARGINAL: N_("Marginal (each band's rate on its slice)"),
}


class RebateStatus(StrEnum):
    ACTIVE = "active"  # accruing (recompute_rebate_accruals); settled by vendor staff at its end
    SETTLED = "settled"  # rebates.settle_programme posted the credit notes


REBATE_STATUS_LABELS = {
    RebateStatus.ACTIVE: N_("Accruing"),
    RebateStatus.SETTLED: N_("Settled"),
}
