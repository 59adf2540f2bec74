"""Payments imported from a bank or ERP file (CSV/XLSX through lib/spreadsheets).

Every row is checked first (partner code in the importer's scope, amount, date, bank reference,
method) and every problem is reported with its line number; nothing is written until the whole
file is clean. Then all payments are written in one transaction, idempotent by bank reference
like a single payment: a line already recorded is skipped (the same payment), one recorded for
a different payment is an error. Each partner's account is settled once, oldest first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.core.audit import record
from portal.finance import ledger
from portal.finance.constants import LedgerKind, PaymentMethod
from portal.finance.payments import PaymentInput, check
from portal.finance.tables import Payment
from portal.lib import spreadsheets
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.inputs import parse_int
from portal.lib.money import AmountError, parse_amount
from portal.orders.placement import in_transaction
from portal.partners.tables import Partner
from portal.tenancy import vendor_partner_ids

MAX_BYTES = 5 * 1024 * 1024
LIMITS = spreadsheets.Limits(max_bytes=MAX_BYTES, max_rows=20_000)
ALIASES = {
    "partner_code": "partner_code",
    "partner": "partner_code",
    "合作伙伴编号": "partner_code",
    "客户编号": "partner_code",
    "amount": "amount",
    "金额": "amount",
    "收款金额": "amount",
    "paid_on": "paid_on",
    "date": "paid_on",
    "日期": "paid_on",
    "到账日期": "paid_on",
    "交易日期": "paid_on",
    "bank_reference": "bank_reference",
    "reference": "bank_reference",
    "流水号": "bank_reference",
    "银行流水号": "bank_reference",
    "交易流水号": "bank_reference",
    "method": "method",
    "方式": "method",
    "note": "note",
    "备注": "note",
}
REQUIRED = ("partner_code", "amount", "paid_on", "bank_reference")
FileRefused = spreadsheets.FileRefused


@dataclass
class ImportResult:
    """What an import found (errors: nothing written) or did (created, skipped)."""

    rows: int = 0
    errors: list[spreadsheets.RowError] = field(default_factory=list)
    created: int = 0
    skipped: int = 0  # bank references recorded before: the same payments
    total_amount: int = 0

    @property
    def error_count(self) -> int:
        return len(self.errors)


def _date(text: str) -> dt.date | None:
    value = text.strip().split(" ")[0].replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        if (
            len(value) == 8 and parse_int(value) is not None
        ):  # 20261201, as many bank exports write it
            try:
                return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
            except ValueError:
                return None
        return None


async def _partners(user: CurrentUser, codes: set[str]) -> dict[str, dict[str, Any]]:
    """{code: partner} of the codes the importer may record payments for."""
    if not codes:
        return {}
    rows = await Partner.select(Partner.id, Partner.code, Partner.currency).where(
        Partner.code.is_in(sorted(codes))
    )
    scope = await vendor_partner_ids(user)
    return {str(r["code"]).upper(): r for r in rows if scope is None or int(r["id"]) in set(scope)}


def _same(existing: dict[str, Any], partner_id: int, data: PaymentInput) -> bool:
    return (
        int(existing["partner"]) == partner_id
        and int(existing["amount"]) == data.amount
        and existing["paid_on"] == data.paid_on
    )


async def validate(
    user: CurrentUser, records: list[tuple[int, dict[str, str]]]
) -> tuple[ImportResult, list[tuple[int, dict[str, Any], PaymentInput]]]:
    """Every row's problems (by line) and, for a clean file, the payments to write."""
    result = ImportResult(rows=len(records))
    partners = await _partners(
        user, {r.get("partner_code", "").strip().upper() for _l, r in records}
    )
    references = [r.get("bank_reference", "").strip() for _l, r in records]
    known = {
        str(p["bank_reference"]): p
        for p in await Payment.select(
            Payment.bank_reference, Payment.partner, Payment.amount, Payment.paid_on
        ).where(Payment.bank_reference.is_in([x for x in references if x] or [""]))
    }
    seen: dict[str, int] = {}
    clean: list[tuple[int, dict[str, Any], PaymentInput]] = []
    methods = {m.value for m in PaymentMethod}
    for line, row in records:
        errors: list[tuple[str, str]] = []
        code = row.get("partner_code", "").strip().upper()
        partner = partners.get(code)
        if not code:
            errors.append(("partner_code", _("Enter the partner code.")))
        elif partner is None:
            errors.append(("partner_code", _("No partner %(code)s that you manage.", code=code)))
        amount = 0
        try:
            amount = parse_amount(row.get("amount", ""))
        except AmountError as exc:
            errors.append(("amount", _(str(exc))))
        paid_on = _date(row.get("paid_on", ""))
        if paid_on is None:
            errors.append(("paid_on", _("Enter the date as YYYY-MM-DD.")))
        reference = row.get("bank_reference", "").strip()
        if not reference:
            errors.append(("bank_reference", _("Enter the bank reference.")))
        elif reference in seen:
            errors.append(
                (
                    "bank_reference",
                    _("The same bank reference is on line %(line)s.", line=seen[reference]),
                )
            )
        seen.setdefault(reference, line)
        method = row.get("method", "").strip() or PaymentMethod.BANK_TRANSFER.value
        if method not in methods:
            errors.append(("method", _("Choose a payment method.")))
        if not errors and partner is not None and paid_on is not None:
            data = PaymentInput(
                amount=amount,
                paid_on=paid_on,
                bank_reference=reference,
                method=method,
                note=row.get("note", "").strip(),
            )
            errors.extend(check(data).items())
            existing = known.get(reference)
            if existing is not None and not _same(existing, int(partner["id"]), data):
                errors.append(
                    (
                        "bank_reference",
                        _("This bank reference is already recorded for a different payment."),
                    )
                )
            elif not errors:
                if existing is not None:
                    result.skipped += 1
                else:
                    clean.append((line, partner, data))
        for column, message in errors:
            result.errors.append(spreadsheets.RowError(line, message, column))
    return result, clean


async def import_payments(
    user: CurrentUser, filename: str, content: bytes, *, dry_run: bool = False
) -> ImportResult:
    """Check the file and, when every row is clean (and not a dry run), record its payments in
    one transaction; FileRefused when the file cannot be read at all."""
    if not user.is_vendor:
        raise FormError({"": _("Only vendor staff record payments.")})
    table = await spreadsheets.load_table(filename, content, limits=LIMITS, aliases=ALIASES)
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise FileRefused(_("The file needs the columns %(columns)s.", columns=", ".join(REQUIRED)))
    result, clean = await validate(user, table.records())
    if result.errors or dry_run or not clean:
        return result
    await in_transaction(lambda: _write(user, clean))
    result.created = len(clean)
    result.total_amount = sum(d.amount for _l, _p, d in clean)
    await record(
        "finance.payments_imported",
        actor=user,
        target_type="payment",
        detail=f"{filename}: {result.created} recorded, {result.skipped} already recorded",
        after={"created": result.created, "skipped": result.skipped, "amount": result.total_amount},
    )
    return result


async def _write(user: CurrentUser, clean: list[tuple[int, dict[str, Any], PaymentInput]]) -> None:
    moment = now()
    partner_ids = sorted({int(p["id"]) for _l, p, _d in clean})
    for partner_id in partner_ids:  # in id order, so two imports lock accounts alike
        await ledger.lock_account(partner_id)
    for _line, partner, data in clean:
        rows = await (
            Payment.insert(
                Payment(
                    partner=int(partner["id"]),
                    amount=data.amount,
                    allocated_amount=0,
                    currency=partner.get("currency") or "CNY",
                    paid_on=data.paid_on,
                    method=data.method,
                    bank_reference=data.bank_reference,
                    note=data.note,
                    recorded_by_id=user.id,
                    recorded_by_name=user.name,
                    created_at=moment,
                )
            )
            .on_conflict(action="DO NOTHING")
            .returning(Payment.id)
        )
        if not rows:  # recorded by a concurrent request since the check: the same payment
            continue
        await ledger.post(
            int(partner["id"]),
            LedgerKind.PAYMENT,
            -data.amount,
            data.paid_on,
            currency=partner.get("currency") or "CNY",
            payment_id=int(rows[0]["id"]),
            memo=data.bank_reference,
            actor_id=user.id,
        )
    for partner_id in partner_ids:
        await ledger.settle(partner_id)
