"""Issue 12 point 7: where people read, stored codes appear as their label in the reader's
language: tiers, provinces, customer sources, e-mail kinds and send errors, in pages and exports.
(Every page of the demo is searched for codes by tests/browser/test_every_page.py.)"""

from __future__ import annotations

import io

from openpyxl import load_workbook

from portal.core.tables import OutboundEmail
from portal.lib import clock
from portal.performance.constants import DeliveryStatus
from portal.performance.periods import Period
from portal.performance.tables import ReportDelivery
from tests.communications.factories import answer, make_request
from tests.customers.factories import make_customer


def _cells(content: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def test_the_survey_export_names_tiers_and_regions_in_words(as_user, alice, carol, vera):
    request_id = await make_request(vera.current)
    await answer(alice.current, request_id, nps=10)
    await answer(carol.current, request_id, nps=3)

    response = await (await as_user(vera)).get(f"/console/feedback/{request_id}/export")

    rows = {row[1]: row for row in _cells(response.content)[1:]}
    assert [rows["华东智联科技有限公司"][2:4], rows["岭南优品贸易有限公司"][2:4]] == [
        ["Gold", "Shanghai"],
        ["Silver", "Guangdong"],
    ]


async def test_the_customer_export_names_the_source_in_words(as_user, bob):
    await make_customer(bob.current, "Blue Sea", source="exhibition")

    response = await (await as_user(bob)).get("/customers/export.xlsx")

    header, row = _cells(response.content)[:2]
    assert row[header.index("Source")] == "Exhibition"


async def test_the_leaderboard_export_names_regions_in_words(as_user, alice, vera):
    response = await (await as_user(vera)).get(
        "/console/performance/export.xlsx", params={"period": clock.today().strftime("%Y-%m")}
    )

    header, *rows = _cells(response.content)
    regions = {row[header.index("Partner")]: row[header.index("Region")] for row in rows}
    assert regions["华东智联科技有限公司"] == "Shanghai"


async def test_the_mail_log_says_what_each_mail_is_and_why_it_failed_in_words(as_user, alice, vera):
    await OutboundEmail.insert(
        OutboundEmail(
            to_address=alice.email,
            subject="Reset your password",
            kind="password_reset",
            body_text="x",
            status="pending",
            attempts=2,
            last_error="ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 25)",
            message_id="<m1@portal.test>",
            created_at=clock.now(),
            next_attempt_at=clock.now(),
        )
    )

    page = (await (await as_user(vera)).get("/console/emails")).text

    assert "Password reset" in page and ">password_reset<" not in page
    assert "The mail server could not be reached" in page


async def test_a_failed_report_says_why_in_words(as_user, alice, vera):
    period = Period.parse(clock.today().strftime("%Y-%m")).previous
    await ReportDelivery.insert(
        ReportDelivery(
            partner=alice.current.partner_id,
            period=period.code,
            status=DeliveryStatus.FAILED,
            attempts=12,
            last_error="SMTPRecipientsRefused: {'alice@partner-a.test': (550, b'no such user')}",
            created_at=clock.now(),
            updated_at=clock.now(),
        )
    )

    page = await (await as_user(vera)).get(
        "/console/performance/deliveries", params={"period": period.code}
    )

    assert "The mail server refused the message" in page.text
