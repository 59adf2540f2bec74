"""Issue 12 point 8: one date format and one date-time format per language, everywhere: the
service-time due on a case reads the same on the case page, the partner's list and the console
queue (they showed "Nov 18, 2026, 2:00:00 PM" beside "11/18/26, 2:00 PM")."""

from __future__ import annotations

import datetime as dt

from portal.lib.i18n import format_date, format_datetime, use_locale
from portal.support.tables import SupportCase
from tests.support.factories import make_case


def test_a_moment_reads_the_same_way_everywhere_in_each_language():
    moment = dt.datetime(2026, 11, 18, 6, 5, 9, tzinfo=dt.UTC)  # 14:05:09 in Shanghai
    with use_locale("en"):
        assert (format_date(moment), format_datetime(moment)) == (
            "Nov 18, 2026",
            "Nov 18, 2026, 2:05\u202fPM",
        )
    with use_locale("zh_CN"):
        assert (format_date(moment), format_datetime(moment)) == (
            "2026年11月18日",
            "2026年11月18日 14:05",
        )


async def test_the_service_time_due_reads_the_same_on_every_page(as_user, alice, vera):
    case_id = await make_case(alice)
    row = await SupportCase.select(SupportCase.fr_due_at).where(SupportCase.id == case_id).first()
    with use_locale("en"):
        due = format_datetime(row["fr_due_at"])
    partner, staff = await as_user(alice), await as_user(vera)

    pages = [
        (await partner.get(f"/cases/{case_id}")).text,
        (await partner.get("/cases/")).text,
        (await staff.get("/console/cases/")).text,
        (await staff.get(f"/console/cases/{case_id}")).text,
    ]

    assert all(due in page for page in pages), due
