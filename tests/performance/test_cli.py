"""`portal send-reports`: by hand, with a dry run, never mailing anyone twice."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

from portal.partners.tables import Partner
from portal.performance import cli
from portal.performance.periods import Period
from portal.performance.tables import ReportDelivery
from portal.settings import get_settings
from tests.performance.factories import make_sale

OCT = Period.parse("2026-10")


async def test_send_reports_mails_each_partner_once_even_when_run_twice(
    partner_a, partner_b, alice, carol
):
    await make_sale(partner_a, 100_000_00, dt.date(2026, 10, 3))

    first = await cli._run(OCT, None, False)
    second = await cli._run(OCT, None, False)

    assert "2 sent now" in first and "0 sent now, 2 already sent" in second
    assert len(list(get_settings().outbox_dir.glob("*.eml"))) == 2


async def test_send_reports_for_one_partner_leaves_the_others_alone(partner_a, partner_b, alice):
    summary = await cli._run(OCT, partner_a, False)

    assert "1 delivery rows created; 1 sent now" in summary
    assert [r["partner"] for r in await ReportDelivery.select(ReportDelivery.partner)] == [
        partner_a
    ]


async def test_a_dry_run_renders_the_pdfs_and_records_nothing(partner_a, partner_b, alice):
    summary = await cli._run(OCT, None, True)

    folder = get_settings().data_dir / "reports-dry-run" / "2026-10"
    assert "Dry run: 2 reports rendered" in summary
    assert len(list(folder.glob("*.pdf"))) == 2
    assert await ReportDelivery.count() == 0
    assert not list(get_settings().outbox_dir.glob("*.eml"))


async def test_send_reports_counts_partners_without_any_recipient_apart(
    partner_a, partner_b, alice
):
    await Partner.update({Partner.contact_email: ""}).where(Partner.id == partner_b)

    summary = await cli._run(OCT, None, False)

    assert "1 sent now" in summary
    assert (
        "1 without any recipient (add an admin, a report recipient or a contact e-mail" in summary
    )
    assert "0 failed for good" in summary


def test_a_quarter_is_refused_as_a_report_period():
    result = CliRunner().invoke(cli.send_reports, ["--period", "2026-Q3"])

    assert result.exit_code == 2 and "monthly" in result.output
