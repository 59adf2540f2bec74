"""The monthly statement goes out with the month's performance report (the same delivery row,
exactly once), as a PDF in the partner's language; the partner downloads it as XLSX too."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from openpyxl import load_workbook
from pypdf import PdfReader

from portal.lib import clock
from portal.performance import deliveries
from portal.performance.periods import Period
from portal.performance.tables import ReportDelivery
from portal.settings import override
from tests.finance.factories import month, pay, shipped_order
from tests.performance.factories import refresh

OCT = Period.parse("2026-10")
ZH = {"Accept-Language": "zh-CN"}


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)  # type: ignore[arg-type]
        )
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    box = Inbox()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override(smtp_url=f"smtp://127.0.0.1:{port}"):
            yield box
    finally:
        controller.stop()


def _pdfs(message: email.message.EmailMessage) -> dict[str, str]:
    out = {}
    for part in message.iter_attachments():
        reader = PdfReader(io.BytesIO(part.get_content()))
        out[part.get_filename()] = "\n".join(p.extract_text() for p in reader.pages)
    return out


async def test_the_october_statement_rides_with_the_october_report_once_in_chinese(
    inbox, alice, vera, partner_a, time_travel
):
    time_travel.move_to(dt.datetime(2026, 10, 20, 4, 0, tzinfo=dt.UTC))
    order = await shipped_order(alice, vera)
    # (the shipment's order event refreshes October's rollup itself: a refresh here as well
    # raced it on PostgreSQL)
    time_travel.move_to(dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC))
    await deliveries.ensure_deliveries(OCT, [partner_a])
    await deliveries.ensure_deliveries(OCT, [partner_a])  # a second reconciler adds nothing
    row = await ReportDelivery.select().first()

    first = await deliveries.send_report(row["id"])
    again = await deliveries.send_report(row["id"])

    reports = [m for m in inbox.messages if _pdfs(m)]  # the order e-mails carry no PDF
    assert (first, again) == ("sent", "busy") and len(reports) == 1
    files = _pdfs(reports[0])
    name = next(n for n in files if n.startswith("statement-2026-10-"))
    assert "对账单" in files[name] and order["number"] in files[name]
    assert "/money/statements/2026-10" in reports[0].get_body(("plain",)).get_content()


async def test_a_partner_with_nothing_to_state_gets_the_report_alone(inbox, partner_a, time_travel):
    time_travel.move_to(dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC))
    await refresh("2026-10")
    await deliveries.ensure_deliveries(OCT, [partner_a])
    row = await ReportDelivery.select().first()

    assert await deliveries.send_report(row["id"]) == "sent"

    (report,) = [m for m in inbox.messages if _pdfs(m)]
    assert [n for n in _pdfs(report) if n.startswith("statement-")] == []


async def test_alice_downloads_last_month_as_a_workbook_that_adds_up(
    as_user, alice, vera, time_travel
):
    back = clock.now()
    first = clock.today().replace(day=1) - dt.timedelta(days=1)
    time_travel.move_to(clock.day_start(first.replace(day=10)) + dt.timedelta(hours=10))
    order = await shipped_order(alice, vera)
    await pay(vera, alice.partner_id, 100_00, reference="XLSX-1")
    time_travel.move_to(back)
    client = await as_user(alice)

    current = await client.get(f"/money/statements/{month()}/xlsx", headers=ZH)
    closed = await client.get(f"/money/statements/{month(-1)}/xlsx", headers=ZH)

    assert current.status_code == 404  # the running month has no statement yet
    assert closed.status_code == 200
    assert "attachment" in closed.headers["content-disposition"]
    book = load_workbook(io.BytesIO(closed.content))
    summary = {r[0]: r[1] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert summary["期初余额"] == 0
    assert summary["期末余额"] * 100 == order["total"] - 100_00
    lines = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    shipped = next(line for line in lines if line[2] == order["number"])
    paid = next(line for line in lines if line[4] == "XLSX-1")
    assert (shipped[1], shipped[5] * 100) == ("发货应收", order["total"])
    assert (paid[1], paid[6]) == ("收到付款", 100)
