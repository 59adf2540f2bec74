"""The money pages as partner purchasers and vendor staff see them, in English and Chinese."""

from __future__ import annotations

import datetime as dt

from portal.core.tables import AuditEntry
from portal.finance.tables import FinanceProfile, Payment
from tests.finance.factories import iso, pay, shipped_order
from tests.personas import post_form

ZH = {"Accept-Language": "zh-CN"}


def _yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}"


async def test_alice_sees_what_she_owes_what_is_overdue_and_her_available_credit(
    as_user, alice, vera, time_travel
):
    old = await shipped_order(alice, vera)
    time_travel.shift(dt.timedelta(days=45))  # the first is now 15 days overdue
    new = await shipped_order(alice, vera)
    client = await as_user(alice)

    page = await client.get("/money")

    assert page.status_code == 200
    assert _yuan(old["total"] + new["total"]) in page.text  # what you owe
    assert _yuan(old["total"]) in page.text  # overdue
    assert "15 days overdue" in page.text
    assert old["number"] in page.text and new["number"] in page.text
    assert "Available credit" in page.text


async def test_the_money_page_in_chinese(as_user, alice, vera):
    await shipped_order(alice, vera)
    client = await as_user(alice)

    page = await client.get("/money", headers=ZH)

    assert "可用信用额度" in page.text
    assert "应收" in page.text or "欠款" in page.text


async def test_bob_without_the_purchasing_permission_gets_403(as_user, bob):
    client = await as_user(bob)

    assert (await client.get("/money")).status_code == 403


async def test_vera_sees_the_ageing_per_partner(as_user, alice, vera, time_travel):
    old = await shipped_order(alice, vera)
    time_travel.shift(dt.timedelta(days=70))
    new = await shipped_order(alice, vera)
    client = await as_user(vera)

    page = await client.get("/console/finance")

    assert page.status_code == 200
    assert "华东智联科技有限公司" in page.text
    assert _yuan(old["total"]) in page.text  # 61–90 days
    assert _yuan(new["total"]) in page.text  # 0–30 days
    assert "61–90 days" in page.text


async def test_vera_records_a_payment_with_the_form_and_the_receivable_is_paid(
    as_user, alice, vera
):
    order = await shipped_order(alice, vera)
    client = await as_user(vera)

    response = await post_form(
        client,
        f"/console/finance/partners/{alice.partner_id}/payments",
        {
            "amount": _yuan(order["total"]),
            "paid_on": iso(),
            "method": "bank_transfer",
            "bank_reference": "ICBC-F1",
        },
    )
    page = await client.get(response.headers["location"])

    assert response.status_code == 303
    assert "Payment of" in page.text and "recorded" in page.text
    assert "ICBC-F1" in page.text
    assert ">Paid<" in page.text


async def test_a_payment_form_with_a_bad_amount_shows_the_error_beside_the_field(
    as_user, alice, vera
):
    client = await as_user(vera)

    response = await post_form(
        client,
        f"/console/finance/partners/{alice.partner_id}/payments",
        {"amount": "12.345", "paid_on": iso(), "method": "bank_transfer"},
        headers=ZH,
    )

    assert response.status_code == 400
    assert 'id="e-f-amount"' in response.text
    assert "最多" in response.text  # at most two decimal places, in Chinese
    assert await Payment.count() == 0


async def test_manny_gets_404_for_a_partner_he_does_not_manage(as_user, manny, carol):
    client = await as_user(manny)

    assert (await client.get(f"/console/finance/partners/{carol.partner_id}")).status_code == 404


async def test_alice_saves_the_invoicing_details_and_the_change_is_audited(as_user, alice):
    client = await as_user(alice)

    response = await post_form(
        client,
        "/money/invoicing",
        {
            "invoice_title": "华东智联科技有限公司",
            "tax_number": "91350100m000100y43",
            "invoice_address": "上海市浦东新区张江路 1 号",
            "invoice_phone": "021-6288 1024",
            "bank_name": "中国工商银行上海张江支行",
            "bank_account": "1001 2345 6789 0123",
        },
    )
    page = await client.get("/money/invoicing")

    assert response.status_code == 303
    assert "91350100M000100Y43" in page.text
    profile = await FinanceProfile.select().first()
    assert profile["bank_account"] == "1001234567890123"
    assert await AuditEntry.count().where(AuditEntry.action == "finance.invoicing_updated") == 1


async def test_a_mistyped_credit_code_is_refused_beside_the_field_in_chinese(as_user, alice):
    client = await as_user(alice)

    response = await post_form(
        client,
        "/money/invoicing",
        {"invoice_title": "华东智联", "tax_number": "91350100M000100Y44"},
        headers=ZH,
    )

    assert response.status_code == 400
    assert 'id="e-f-tax_number"' in response.text
    assert "校验" in response.text
    assert await FinanceProfile.count() == 0


async def test_home_shows_alice_what_she_owes(as_user, alice, vera):
    order = await shipped_order(alice, vera)
    await pay(vera, alice.partner_id, 100_00)
    client = await as_user(alice)

    page = await client.get("/")

    assert "You owe" in page.text
    assert _yuan(order["total"] - 100_00) in page.text
