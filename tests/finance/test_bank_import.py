"""Bank/ERP file import (every error by line, nothing written until clean, idempotent by bank
reference) and manual allocation of a payment to chosen receivables in the console."""

from __future__ import annotations

import io

from openpyxl import Workbook

from portal.finance import services
from portal.finance.tables import LedgerEntry, Payment, Receivable
from tests.finance.factories import day, iso, partner_code, shipped_order
from tests.personas import post_form

HEADER = "合作伙伴编号,金额,到账日期,银行流水号,备注\n"


def _csv(*lines: str) -> bytes:
    return ("\ufeff" + HEADER + "\n".join(lines) + "\n").encode()


async def _upload(client, name: str, data: bytes, dry_run: bool = False):
    return await post_form(
        client,
        "/console/finance/import",
        {"dry_run": "on"} if dry_run else {},
        files={"file": (name, data, "text/csv")},
    )


async def test_a_file_with_errors_names_each_line_and_writes_nothing(as_user, alice, vera, carol):
    code = await partner_code(alice.partner_id)
    client = await as_user(vera)
    data = _csv(
        f"{code},1000.00,{iso(-1)},ICBC-1,",
        f"NOPE,10.00,{iso(-1)},ICBC-2,",
        f"{code},12.345,{iso(-1)},ICBC-3,",
        f"{code},5.00,{iso(1)},ICBC-4,",
        f"{code},5.00,{iso(-1)},ICBC-1,",
    )

    answer = await _upload(client, "bank.csv", data)

    assert answer.status_code == 400
    for line in ("3", "4", "5", "6"):
        assert f'<td class="num">{line}</td>' in answer.text
    assert "NOPE" in answer.text and "line 2" in answer.text  # the duplicate names its twin
    assert await Payment.count() == 0 and await LedgerEntry.count() == 0


async def test_a_clean_xlsx_records_and_allocates_and_a_second_upload_adds_nothing(
    as_user, alice, vera
):
    order = await shipped_order(alice, vera)
    code = await partner_code(alice.partner_id)
    book = Workbook()
    sheet = book.active
    sheet.append(["partner_code", "amount", "paid_on", "bank_reference"])
    sheet.append([code, order["total"] / 100, day(-1), "ERP-1"])
    sheet.append([code, 50, iso(-2), "ERP-2"])
    buffer = io.BytesIO()
    book.save(buffer)
    client = await as_user(vera)

    first = await _upload(client, "erp.xlsx", buffer.getvalue())
    again = await _upload(client, "erp.xlsx", buffer.getvalue())

    assert first.status_code == 200 and "2 payments recorded" in first.text
    assert again.status_code == 200 and "2 already recorded" in again.text
    assert await Payment.count() == 2
    receivable = await Receivable.select().where(Receivable.id == order["receivable_id"]).first()
    assert receivable["paid_amount"] == receivable["amount"]
    summary = await services.account_summary(alice.partner_id)
    assert summary.on_account_amount == 50_00


async def test_manny_cannot_import_payments_for_a_partner_he_does_not_manage(as_user, manny, carol):
    code = await partner_code(carol.partner_id)
    client = await as_user(manny)

    answer = await _upload(client, "bank.csv", _csv(f"{code},10.00,{iso(-1)},M-1,"))

    assert answer.status_code == 400 and code in answer.text
    assert await Payment.count() == 0


async def test_vera_pays_the_receivable_she_picks_and_the_rest_stays_on_account(
    as_user, alice, vera
):
    older = await shipped_order(alice, vera)
    newer = await shipped_order(alice, vera)
    client = await as_user(vera)

    answer = await post_form(
        client,
        f"/console/finance/partners/{alice.partner_id}/payments",
        {
            "amount": f"{(newer['total'] + 100_00) / 100:.2f}",
            "paid_on": iso(),
            "method": "bank_transfer",
            "bank_reference": "HAND-1",
            "receivable_ids": [str(newer["receivable_id"])],
        },
    )
    await shipped_order(alice, vera)  # a new receivable later does not take the rest either

    assert answer.status_code == 303
    paid = {
        r["id"]: r["paid_amount"]
        for r in await Receivable.select(Receivable.id, Receivable.paid_amount)
    }
    assert paid[newer["receivable_id"]] == newer["total"]
    assert paid[older["receivable_id"]] == 0  # not the oldest: the one chosen
    summary = await services.account_summary(alice.partner_id)
    assert summary.on_account_amount == 100_00


async def test_a_receivable_of_another_partner_cannot_be_picked(as_user, alice, vera, carol):
    theirs = await shipped_order(carol, vera)
    client = await as_user(vera)

    answer = await post_form(
        client,
        f"/console/finance/partners/{alice.partner_id}/payments",
        {
            "amount": "10.00",
            "paid_on": iso(),
            "method": "bank_transfer",
            "bank_reference": "HAND-2",
            "receivable_ids": [str(theirs["receivable_id"])],
        },
    )

    assert answer.status_code == 400
    assert await Payment.count() == 0
