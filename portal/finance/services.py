"""The finance domain's verbs and reads, for handlers, jobs, the home page and other domains.

The verbs live in receivables.py (receivables from shipments, invoice numbers), payments.py
(payments and their allocation), profile.py (payment terms, invoicing details); the reads in
reads.py; postings and allocation in ledger.py.
"""

from __future__ import annotations

from portal.auth.constants import Permission
from portal.auth.schemas import CurrentUser
from portal.finance.payments import PaymentConflict, PaymentInput, allocations_of, record_payment
from portal.finance.profile import (
    InvoicingForm,
    get_profile,
    set_payment_terms,
    update_invoicing,
    uscc_error,
)
from portal.finance.reads import (
    ReceivableFilters,
    account_summary,
    ageing,
    list_ledger,
    list_payments,
    list_receivables,
)
from portal.finance.rebates import partner_rebates
from portal.finance.receivables import create_missing_receivables, record_invoice_number
from portal.lib.cards import Card
from portal.lib.i18n import format_money
from portal.lib.i18n import gettext as _

__all__ = [
    "InvoicingForm",
    "PaymentConflict",
    "PaymentInput",
    "ReceivableFilters",
    "account_summary",
    "ageing",
    "allocations_of",
    "create_missing_receivables",
    "get_profile",
    "home_cards",
    "list_ledger",
    "list_payments",
    "list_receivables",
    "record_invoice_number",
    "record_payment",
    "set_payment_terms",
    "update_invoicing",
    "uscc_error",
]


async def home_cards(user: CurrentUser) -> list[Card]:
    """Partner purchasers: what they owe, what is overdue, credit available. Vendor staff: the
    overdue total of the partners in their scope."""
    if user.partner_id is not None and user.has(Permission.PURCHASING):
        s = await account_summary(user.partner_id)
        earned = sum(
            r["earned_amount"]
            for r in await partner_rebates(user.partner_id)
            if r["programme"]["status"] == "active"
        )
        if not s.open_count and not s.on_account_amount and not earned:
            return []
        cur = s.currency
        items = [
            (_("You owe"), format_money(s.owed_amount, cur), "/money"),
            (_("Overdue"), format_money(s.overdue_amount, cur), "/money?status=overdue"),
            (_("Available credit"), format_money(s.available_credit_amount, cur), "/money"),
            (_("Rebate earned"), format_money(earned, cur), "/money#rebate-title"),
        ]
        return [
            Card(
                title=_("Money"),
                items=items,
                link="/money",
                link_label=_("Open my account"),
                tone="attention" if s.overdue_amount else "ok",
            )
        ]
    if user.is_vendor:
        figures = await ageing(user)
        totals = figures["totals"]
        if not totals["total"]:
            return []
        return [
            Card(
                title=_("Receivables"),
                items=[
                    (_("Unpaid"), format_money(totals["total"]), "/console/finance"),
                    (_("Overdue"), format_money(totals["overdue"]), "/console/finance"),
                ],
                link="/console/finance",
                link_label=_("Ageing per partner"),
                tone="attention" if totals["overdue"] else "ok",
            )
        ]
    return []
