"""The finance demo: paid, overdue and due receivables, a balance paid in part, invoicing
details; loading it twice adds nothing."""

from __future__ import annotations

from portal.auth.schemas import CurrentUser
from portal.demo import load_demo
from portal.finance import rebates, services
from portal.finance.tables import FinanceProfile, Payment, Receivable, Statement
from portal.partners.tables import Partner


async def test_the_demo_has_paid_overdue_and_due_receivables_and_loads_once():
    first = await load_demo()
    second = await load_demo()

    assert first["receivables"] >= 6 and second["receivables"] == 0
    assert first["payments"] == 4 and second["payments"] == 0
    assert await Payment.count() == 4
    a = await Partner.select(Partner.id).where(Partner.contact_email.like("%partner-a%")).first()
    rows, _total = await services.list_receivables(
        _admin(), services.ReceivableFilters(state="all", partner_id=a["id"], per_page=100)
    )
    assert {"paid", "overdue", "open"} <= {r["state"] for r in rows}
    summary = await services.account_summary(a["id"])
    assert summary.overdue_amount > 0 and summary.owed_amount > summary.overdue_amount
    assert await FinanceProfile.count().where(FinanceProfile.tax_number != "") == 2
    assert not await Receivable.exists().where(Receivable.paid_amount > Receivable.amount)
    assert (first["rebate_programmes"], second["rebate_programmes"]) == (1, 0)
    (rebate,) = await rebates.partner_rebates(a["id"])
    assert rebate["rate_bp"] == 200 and rebate["next_rate_bp"] == 300
    assert rebate["earned_amount"] > 0 and "raises your rebate to 3 %" in rebate["advice"]
    assert sorted(r["status"] for r in await Statement.select(Statement.status)) == [
        "confirmed",
        "disputed",
    ]


def _admin():
    return CurrentUser(id=0, email="x@vendor.demo", name="x", role="vendor_admin")
