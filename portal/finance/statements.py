"""Monthly statements (对账单): opening balance, the month's postings (each linked to its record),
closing balance, all read from the append-only ledger so the statement always adds up; the
partner confirms it or disputes lines with a comment, which opens a support case.

A period is a complete month in the portal's time zone ("2026-10"); the current month has no
statement yet. Answers are one row per partner and month (unique key): the first answer stands.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from piccolo.query.functions.aggregate import Sum

from portal.auth.constants import Permission
from portal.auth.schemas import CurrentUser
from portal.core.audit import record
from portal.db import write_transaction
from portal.finance.constants import StatementStatus
from portal.finance.tables import LedgerEntry, Statement
from portal.lib import clock
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.support.constants import CaseCategory
from portal.support.schemas import CaseForm
from portal.support.services import open_case
from portal.tenancy import NotFound, partner_scope

PERIOD_RE = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
MONTHS_LISTED = 12


class StatementConflict(FormError):
    """The month was already confirmed or disputed."""

    def __init__(self, message: str) -> None:
        super().__init__({"": message})
        self.message = message


def month_bounds(period: str) -> tuple[dt.date, dt.date]:
    """(first day, first day of the next month) of a complete past month; NotFound otherwise."""
    m = PERIOD_RE.match(period or "")
    if not m:
        raise NotFound
    first = dt.date(int(m.group(1)), int(m.group(2)), 1)
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    if following > clock.today().replace(day=1) or first.year < 2000:
        raise NotFound  # the current month (or a later one) has no statement yet
    return first, following


def recent_periods(months: int = MONTHS_LISTED) -> list[str]:
    """The last complete months, newest first."""
    first = clock.today().replace(day=1)
    out = []
    for _n in range(months):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        out.append(f"{first:%Y-%m}")
    return out


async def _balance_before(partner_id: int, day: dt.date) -> int:
    row = await (
        LedgerEntry.select(Sum(LedgerEntry.amount).as_alias("a"))
        .where((LedgerEntry.partner == partner_id) & (LedgerEntry.posted_on < day))
        .first()
    )
    return int((row or {}).get("a") or 0)


async def statement(partner_id: int, period: str) -> dict[str, Any]:
    """The month's statement of one partner (already checked through the access door)."""
    first, following = month_bounds(period)
    opening = await _balance_before(partner_id, first)
    lines = await (
        LedgerEntry.select(
            *LedgerEntry.all_columns(),
            LedgerEntry.receivable.order_id.as_alias("order_id"),
            LedgerEntry.receivable.order_number.as_alias("order_number"),
            LedgerEntry.receivable.invoice_number.as_alias("invoice_number"),
            LedgerEntry.receivable.due_on.as_alias("due_on"),
            LedgerEntry.payment.bank_reference.as_alias("bank_reference"),
        )
        .where(
            (LedgerEntry.partner == partner_id)
            & (LedgerEntry.posted_on >= first)
            & (LedgerEntry.posted_on < following)
        )
        .order_by(LedgerEntry.posted_on)
        .order_by(LedgerEntry.id)
    )
    balance = opening
    for line in lines:
        balance += int(line["amount"])
        line["balance_after"] = balance
    answer = await Statement.select().where(Statement.key == f"{partner_id}:{period}").first()
    return {
        "period": period,
        "first": first,
        "last": following - dt.timedelta(days=1),
        "opening_amount": opening,
        "debit_amount": sum(int(x["amount"]) for x in lines if x["amount"] > 0),
        "credit_amount": -sum(int(x["amount"]) for x in lines if x["amount"] < 0),
        # of which rebate credit notes (the rest: payments and negative adjustments)
        "rebate_amount": -sum(int(x["amount"]) for x in lines if x["kind"] == "rebate"),
        "closing_amount": balance,
        "lines": lines,
        "answer": answer,
        "status": answer["status"] if answer else "",
    }


async def list_statements(partner_id: int) -> list[dict[str, Any]]:
    """The last twelve months' figures and answers of one partner, newest first."""
    out = []
    for period in recent_periods():
        s = await statement(partner_id, period)
        s.pop("lines")
        out.append(s)
    return out


def _must_answer(actor: CurrentUser) -> int:
    if actor.partner_id is None or not actor.has(Permission.PURCHASING):
        raise FormError(
            {"": _("Only your company's administrators and purchasers answer statements.")}
        )
    return actor.partner_id


async def _answer(
    actor: CurrentUser,
    period: str,
    status: StatementStatus,
    comment: str = "",
    entry_ids: list[int] | None = None,
    case_id: int | None = None,
    closing: int = 0,
) -> None:
    partner_id = _must_answer(actor)
    async with write_transaction():
        won = await (
            Statement.insert(
                Statement(
                    key=f"{partner_id}:{period}",
                    partner=partner_id,
                    period=period,
                    status=status,
                    closing_amount=closing,
                    comment=comment,
                    disputed_entry_ids=",".join(str(i) for i in entry_ids or [])[:500],
                    case_id=case_id,
                    answered_by_id=actor.id,
                    answered_at=now(),
                )
            )
            .on_conflict(action="DO NOTHING")
            .returning(Statement.id)
        )
        if not won:
            raise StatementConflict(_("This statement has already been answered."))
        await record(
            f"finance.statement_{status.value}",
            actor=actor,
            partner_id=partner_id,
            target_type="statement",
            target_id=period,
            after={"closing_amount": closing, "comment": comment[:500]},
        )


async def confirm(actor: CurrentUser, period: str) -> None:
    """The partner confirms the month's statement (NotFound for a month without one)."""
    partner_id = _must_answer(actor)
    s = await statement(partner_id, period)
    if s["answer"]:
        raise StatementConflict(_("This statement has already been answered."))
    await _answer(actor, period, StatementStatus.CONFIRMED, closing=s["closing_amount"])


async def dispute(actor: CurrentUser, period: str, comment: str, entry_ids: list[int]) -> int:
    """The partner disputes lines of the month's statement with a comment; a billing case is
    opened for it (linked here). Returns the case id. FormError without a comment."""
    partner_id = _must_answer(actor)
    s = await statement(partner_id, period)
    comment = (comment or "").strip()
    if len(comment) < 4:
        raise FormError({"comment": _("Say what is wrong with the statement.")})
    if len(comment) > 2000:
        raise FormError({"comment": _("At most %(n)s characters.", n=2000)})
    if s["answer"]:
        raise StatementConflict(_("This statement has already been answered."))
    known = {int(line["id"]): line for line in s["lines"]}
    named = [i for i in entry_ids if i in known]
    described = "\n".join(
        f"- {known[i]['posted_on']:%Y-%m-%d} {known[i].get('order_number') or known[i].get('bank_reference') or known[i]['kind']}: {int(known[i]['amount']) / 100:.2f}"
        for i in named
    )
    case_id = await open_case(
        actor,
        CaseForm(
            category=CaseCategory.BILLING,
            subject=_("Statement %(period)s disputed", period=period),
            description=f"{comment}\n\n{described}".strip(),
        ),
    )
    await _answer(
        actor,
        period,
        StatementStatus.DISPUTED,
        comment=comment,
        entry_ids=named,
        case_id=case_id,
        closing=s["closing_amount"],
    )
    return case_id


async def answers_by_partner(user: CurrentUser, period: str) -> dict[int, dict[str, Any]]:
    """The answers of the partners in the user's scope for one month, by partner id."""
    rows = await Statement.select().where(
        (Statement.period == period) & partner_scope(user, Statement.partner)
    )
    return {int(r["partner"]): r for r in rows}
