"""The monthly statement as files: the PDF (templates/pdf/finance_statement.html through lib/pdf,
the same fonts as the performance report) and the XLSX (lib/spreadsheets' writer), each in a
given language; and the PDF the monthly report e-mail carries (performance's delivery attaches
it, so the statement goes out on the report schedule, exactly once per partner and month, with
the report's delivery log, lease and retries).
"""

from __future__ import annotations

from typing import Any

from portal.finance import statements
from portal.finance.constants import LEDGER_LABELS, LedgerKind
from portal.lib import pdf, spreadsheets
from portal.lib.i18n import gettext as _
from portal.lib.i18n import use_locale
from portal.partners.tables import Partner
from portal.tenancy import NotFound

PDF_TEMPLATE = "pdf/finance_statement.html"


def filename(partner: dict[str, Any], period: str, ext: str) -> str:
    return f"statement-{period}-{partner['code']}.{ext}"


async def render_pdf(detail: dict[str, Any], locale: str) -> bytes:
    """The statement (statements.statement() plus its partner) as a PDF in `locale`."""
    return await pdf.render_pdf(PDF_TEMPLATE, detail, locale)


def _kind(kind: str) -> str:
    try:
        return _(LEDGER_LABELS[LedgerKind(kind)])
    except ValueError:
        return kind


def render_xlsx(detail: dict[str, Any], locale: str) -> bytes:
    """The statement as a workbook in `locale`: the summary, then one row per posting (amounts
    in yuan as numbers, so the partner's accountant can sum them)."""
    with use_locale(locale):
        summary = [
            (_("Partner"), f"{detail['partner']['name']} ({detail['partner']['code']})"),
            (_("Period"), detail["period"]),
            (_("Opening balance"), spreadsheets.yuan(detail["opening_amount"])),
            (_("Goods shipped"), spreadsheets.yuan(detail["debit_amount"])),
            (
                _("Payments received"),
                spreadsheets.yuan(detail["credit_amount"] - detail.get("rebate_amount", 0)),
            ),
            (_("Rebate credit notes"), spreadsheets.yuan(detail.get("rebate_amount", 0))),
            (_("Closing balance"), spreadsheets.yuan(detail["closing_amount"])),
        ]
        header = [
            _("Date"),
            _("Entry"),
            _("Order"),
            _("Invoice number"),
            _("Bank reference"),
            _("Debit amount"),
            _("Credit amount"),
            _("Balance"),
        ]
        rows = [
            [
                e["posted_on"],
                _kind(e["kind"]),
                e.get("order_number") or "",
                e.get("invoice_number") or "",
                e.get("bank_reference") or e.get("memo") or "",
                spreadsheets.yuan(e["amount"]) if e["amount"] > 0 else None,
                spreadsheets.yuan(-e["amount"]) if e["amount"] < 0 else None,
                spreadsheets.yuan(e["balance_after"]),
            ]
            for e in detail["lines"]
        ]
        return spreadsheets.workbook(
            [
                (
                    _("Statement %(period)s", period=detail["period"]),
                    [_("Item"), _("Value")],
                    summary,
                ),
                (_("Postings"), header, rows),
            ]
        )


async def monthly_attachment(partner_id: int, period: str, locale: str) -> tuple[str, bytes] | None:
    """(file name, PDF) of the partner's statement for the month of the report e-mail, or None
    when there is nothing to state (no balance and no postings), the period is not a complete
    month, or the partner is gone."""
    partner = await Partner.select().where(Partner.id == partner_id).first()
    if partner is None:
        return None
    try:
        detail = await statements.statement(partner_id, period)
    except NotFound:
        return None
    if not detail["lines"] and not detail["opening_amount"]:
        return None
    with use_locale(locale):
        data = await render_pdf({**detail, "partner": partner}, locale)
    return filename(partner, period, "pdf"), data
