"""Monthly statements: opening + postings = closing from the ledger; the partner confirms or
disputes lines (a billing case opens); PDF and JSON through the API; the vendor's overview."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.finance import statements
from portal.finance.tables import Statement
from portal.support.tables import SupportCase
from tests.factories import bearer_headers
from tests.finance.factories import month, pay, shipped_order
from tests.personas import post_form

NOVEMBER = dt.datetime(2026, 11, 18, 4, 0, tzinfo=dt.UTC)


async def _november(alice, vera, time_travel):
    """An October shipment paid in part in November, a November shipment; now December."""
    time_travel.move_to(dt.datetime(2026, 10, 20, 4, 0, tzinfo=dt.UTC))
    october = await shipped_order(alice, vera)
    time_travel.move_to(NOVEMBER)
    await pay(vera, alice.partner_id, 500_00, reference="ICBC-NOV", on=dt.date(2026, 11, 10))
    november = await shipped_order(alice, vera)
    time_travel.move_to(dt.datetime(2026, 12, 3, 4, 0, tzinfo=dt.UTC))
    return october, november


async def test_the_statement_adds_up_from_the_ledger(alice, vera, time_travel):
    october, november = await _november(alice, vera, time_travel)

    s = await statements.statement(alice.partner_id, "2026-11")

    assert s["opening_amount"] == october["total"]
    assert (s["debit_amount"], s["credit_amount"]) == (november["total"], 500_00)
    assert s["closing_amount"] == october["total"] + november["total"] - 500_00
    assert [line["kind"] for line in s["lines"]] == ["payment", "receivable"]
    assert s["lines"][-1]["balance_after"] == s["closing_amount"]


async def test_the_current_month_has_no_statement_yet(alice):
    with pytest.raises(statements.NotFound):
        await statements.statement(alice.partner_id, month())


async def test_alice_confirms_once_and_a_second_answer_is_refused(alice, vera, time_travel):
    await _november(alice, vera, time_travel)

    await statements.confirm(alice.current, "2026-11")

    with pytest.raises(statements.StatementConflict):
        await statements.dispute(alice.current, "2026-11", "Wrong amount", [])
    row = await Statement.select().first()
    assert (row["status"], row["period"]) == ("confirmed", "2026-11")


async def test_a_dispute_opens_a_billing_case_naming_the_lines(as_user, alice, vera, time_travel):
    _october, november = await _november(alice, vera, time_travel)
    s = await statements.statement(alice.partner_id, "2026-11")
    client = await as_user(alice)

    response = await post_form(
        client,
        "/money/statements/2026-11/dispute",
        {"comment": "货款金额与我方账不符", "entry": str(s["lines"][1]["id"])},
    )
    page = await client.get("/money/statements/2026-11")

    assert response.status_code == 303
    case = await SupportCase.select().first()
    assert case["category"] == "billing"
    assert november["number"] in case["description"]
    assert "Disputed" in page.text and "货款金额与我方账不符" in page.text


async def test_the_statement_pdf_and_json_through_the_api(client, alice, vera, time_travel):
    october, _november_order = await _november(alice, vera, time_travel)
    headers = await bearer_headers(client, alice)

    listed = await client.get("/api/v1/statements", headers=headers)
    one = await client.get("/api/v1/statements/2026-11", headers=headers)
    as_pdf = await client.get(
        "/api/v1/statements/2026-11", headers={**headers, "Accept": "application/pdf"}
    )
    confirmed = await client.post("/api/v1/statements/2026-11/confirm", headers=headers)
    again = await client.post("/api/v1/statements/2026-11/confirm", headers=headers)
    current = await client.get("/api/v1/statements/2026-12", headers=headers)

    assert listed.json()["items"][0]["period"] == "2026-11"
    assert one.json()["opening_amount"] == october["total"]
    assert len(one.json()["lines"]) == 2
    assert as_pdf.headers["content-type"] == "application/pdf"
    assert as_pdf.content.startswith(b"%PDF")
    assert (confirmed.status_code, confirmed.json()["status"]) == (200, "confirmed")
    assert again.status_code == 409
    assert current.status_code == 404


async def test_vera_sees_who_confirmed_and_who_is_silent(as_user, alice, carol, vera, time_travel):
    await _november(alice, vera, time_travel)
    await statements.confirm(alice.current, "2026-11")
    client = await as_user(vera)

    page = await client.get("/console/finance/statements?period=2026-11")

    assert page.status_code == 200
    assert "Confirmed: <strong>1</strong>" in page.text
    assert "Not answered: <strong>1</strong>" in page.text
