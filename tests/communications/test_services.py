"""Campaign publishing, reach, the bell, feedback answers, reminders, results and figures."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.communications.campaigns import editing as campaign_editing
from portal.communications.campaigns import publishing as campaign_publishing
from portal.communications.campaigns import reads as campaign_reads
from portal.communications.campaigns.access import get_campaign_for_user
from portal.communications.campaigns.constants import ActivityKind
from portal.communications.campaigns.tables import Campaign, CampaignDelivery
from portal.communications.feedback import answers as feedback_answers
from portal.communications.feedback import csat, results
from portal.communications.feedback import delivery as feedback_delivery
from portal.communications.feedback import requests as feedback_requests
from portal.communications.feedback.access import get_request_for_user
from portal.communications.feedback.schemas import ResultFilters
from portal.communications.feedback.tables import FeedbackReminder
from portal.core import notifications
from portal.core.tables import AuditEntry, Notification, OutboundEmail
from portal.lib import clock, jobs
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.storage import UploadRejected
from portal.tenancy import NotFound
from tests.communications.factories import answer, make_campaign, make_request, question_ids


async def test_publishing_tells_every_user_of_the_audience_once(alice, bob, carol, vera):
    campaign_id = await make_campaign(vera.current, audience="tier", values=["gold"])
    await jobs.drain()

    assert await CampaignDelivery.count().where(CampaignDelivery.campaign == campaign_id) == 2
    assert await notifications.unread_count(alice.id) == 1
    assert await notifications.unread_count(carol.id) == 0  # partner B is silver
    mails = await OutboundEmail.select(OutboundEmail.to_address, OutboundEmail.subject).where(
        OutboundEmail.kind == "campaign_published"
    )
    assert sorted(m["to_address"] for m in mails) == [alice.email, bob.email]
    assert all("春季促销" in m["subject"] for m in mails)  # partners default to Chinese


async def test_publishing_twice_changes_nothing(alice, vera):
    campaign_id = await make_campaign(vera.current)
    assert await campaign_publishing.publish_campaign(campaign_id) == 0
    assert await Notification.count().where(Notification.user == alice.id) == 1
    assert await OutboundEmail.count() == 1


async def test_a_scheduled_campaign_waits_for_its_time(alice, vera):
    campaign_id = await make_campaign(vera.current, publish=False)
    await campaign_publishing.schedule_campaign(
        vera.current, campaign_id, now() + dt.timedelta(hours=2)
    )

    assert await campaign_publishing.publish_campaign(campaign_id) == 0
    assert await campaign_publishing.due_campaign_ids() == []
    row = await Campaign.select(Campaign.status).where(Campaign.id == campaign_id).first()
    assert row["status"] == "scheduled"


async def test_an_english_user_gets_the_english_email(partner_a, vera):
    from tests.factories import make_user

    eve = await make_user("partner_member", partner_a, "eve@partner-a.test", locale="en")
    await make_campaign(vera.current)
    mail = await OutboundEmail.select().where(OutboundEmail.to_address == eve.email).first()
    assert mail["subject"] == "New campaign: Spring promotion"


async def test_carol_cannot_open_a_campaign_addressed_to_partner_a_only(alice, carol, vera):
    campaign_id = await make_campaign(
        vera.current, audience="partners", values=[str(alice.partner_id)]
    )

    assert (await get_campaign_for_user(alice.current, campaign_id))["id"] == campaign_id
    with pytest.raises(NotFound):
        await get_campaign_for_user(carol.current, campaign_id)


async def test_a_draft_campaign_is_invisible_to_partners(alice, vera):
    campaign_id = await make_campaign(vera.current, publish=False)
    with pytest.raises(NotFound):
        await get_campaign_for_user(alice.current, campaign_id)


async def test_a_refused_upload_leaves_no_file_and_no_row(vera):
    from portal.communications.campaigns.tables import CampaignFile

    campaign_id = await make_campaign(vera.current, publish=False, files=0)
    with pytest.raises(UploadRejected):
        await campaign_editing.add_material(vera.current, campaign_id, b"MZ\x90binary", "price.pdf")
    assert await CampaignFile.count() == 0


async def test_published_campaign_cannot_be_edited(vera):
    from portal.communications.campaigns.schemas import CampaignForm

    campaign_id = await make_campaign(vera.current)
    with pytest.raises(FormError):
        await campaign_editing.update_campaign(
            vera.current, campaign_id, CampaignForm(title_zh="改")
        )


async def test_an_audience_rule_without_values_is_refused(vera):
    from portal.communications.campaigns.schemas import CampaignForm

    with pytest.raises(FormError) as caught:
        await campaign_editing.create_campaign(
            vera.current,
            CampaignForm(title_zh="区域活动", audience="region", audience_values=["XX"]),  # type: ignore[arg-type]
        )
    assert "audience_values" in caught.value.errors


async def test_reach_counts_opened_and_downloaded_partners(alice, carol, vera):
    campaign_id = await make_campaign(vera.current)
    files = await campaign_editing.list_files(campaign_id)
    await campaign_reads.record_activity(alice.current, campaign_id, ActivityKind.VIEW)
    await campaign_reads.record_activity(
        alice.current, campaign_id, ActivityKind.DOWNLOAD, files[0]["id"]
    )

    figures = await campaign_reads.reach(vera.current, campaign_id)

    assert figures["totals"] == {"reached": 2, "opened": 1, "downloaded": 1}
    assert figures["by_tier"]["gold"]["opened"] == 1
    assert [p["partner"] for p in figures["never_opened"]] == [carol.partner_id]
    assert figures["files"][0]["downloads"] == 1


async def test_channel_manager_sees_reach_of_his_partners_only(alice, carol, manny, vera):
    campaign_id = await make_campaign(vera.current)
    figures = await campaign_reads.reach(manny.current, campaign_id)
    assert figures["totals"]["reached"] == 1
    assert figures["never_opened"][0]["partner"] == alice.partner_id


async def test_opening_the_campaign_clears_its_bell_entry(alice, vera):
    campaign_id = await make_campaign(vera.current)
    await campaign_reads.record_activity(alice.current, campaign_id, ActivityKind.VIEW)
    assert await notifications.unread_count(alice.id) == 0


async def test_notify_is_idempotent_per_user_and_ref(alice, bob):
    args = {
        "kind": "order",
        "title_en": "Order shipped",
        "title_zh": "订单已发货",
        "link": "/orders/1",
        "ref": "order:1:shipped",
    }
    assert await notifications.notify([alice.id, bob.id], **args) == 2
    assert await notifications.notify([alice.id], **args) == 0
    assert await notifications.unread_count(alice.id) == 1


async def test_mark_all_read_empties_the_bell(alice):
    await notifications.notify(
        [alice.id], kind="case", title_en="x", title_zh="x", link="/", ref="a"
    )
    await notifications.notify(
        [alice.id], kind="case", title_en="y", title_zh="y", link="/", ref="b"
    )
    assert await notifications.mark_all_read(alice.id) == 2
    assert await notifications.unread_count(alice.id) == 0


async def test_campaign_figures_per_partner(alice, carol, vera):
    campaign_id = await make_campaign(vera.current)
    files = await campaign_editing.list_files(campaign_id)
    await campaign_reads.record_activity(
        alice.current, campaign_id, ActivityKind.DOWNLOAD, files[0]["id"]
    )
    today = clock.today()

    figures = await campaign_reads.campaign_figures(None, today, today + dt.timedelta(days=1))

    assert figures[alice.partner_id].campaigns_received == 1
    assert figures[alice.partner_id].campaigns_opened == 1
    assert figures[alice.partner_id].files_downloaded == 1
    assert figures[carol.partner_id].campaigns_opened == 0
    only_b = await campaign_reads.campaign_figures(
        [carol.partner_id], today, today + dt.timedelta(days=1)
    )
    assert list(only_b) == [carol.partner_id]


async def test_answers_are_saved_and_can_be_changed_until_due(alice, vera):
    request_id = await make_request(vera.current)
    await answer(alice.current, request_id, nps=6, csat=2, text="发货太慢")
    await answer(alice.current, request_id, nps=10, csat=5)

    row = await get_request_for_user(alice.current, request_id)
    mine = await feedback_answers.my_answers(row, alice.current)
    ids = await question_ids(request_id)
    assert mine["answers"][ids["nps"]]["value"] == 10
    assert ids["text"] not in mine["answers"]
    assert await AuditEntry.count().where(AuditEntry.action == "feedback.answer_changed") == 1


async def test_an_out_of_range_score_is_refused_with_a_message(alice, vera):
    request_id = await make_request(vera.current)
    ids = await question_ids(request_id)
    row = await get_request_for_user(alice.current, request_id)

    with pytest.raises(FormError) as caught:
        await feedback_answers.submit_response(
            alice.current, row, {ids["nps"]: {"value": 11}, ids["csat"]: {"value": 3}}
        )

    assert caught.value.errors == {f"q{ids['nps']}": "Choose a score from 0 to 10."}


async def test_a_required_question_must_be_answered(alice, vera):
    request_id = await make_request(vera.current)
    ids = await question_ids(request_id)
    row = await get_request_for_user(alice.current, request_id)
    with pytest.raises(FormError) as caught:
        await feedback_answers.submit_response(alice.current, row, {ids["nps"]: {"value": 8}})
    assert f"q{ids['csat']}" in caught.value.errors


async def test_no_answers_after_the_request_is_closed(alice, vera):
    request_id = await make_request(vera.current)
    await feedback_delivery.close_request(vera.current, request_id)
    with pytest.raises(FormError):
        await answer(alice.current, request_id)


async def test_one_answer_per_partner_when_the_request_says_so(alice, bob, vera):
    request_id = await make_request(vera.current, scope="partner")
    await answer(alice.current, request_id, nps=3)
    await answer(bob.current, request_id, nps=9)

    figures = await results.results(request_id, ResultFilters())
    assert figures["responses"] == 1
    nps = figures["questions"][0]
    assert nps["distribution"][9] == (9, 1)


async def test_results_compute_nps_csat_choices_and_rate(alice, bob, carol, vera):
    request_id = await make_request(vera.current)
    await answer(alice.current, request_id, nps=10, csat=5, single=0, multi=[0, 2], text="很好")
    await answer(bob.current, request_id, nps=9, csat=4, single=0, multi=[2])
    await answer(carol.current, request_id, nps=2, csat=3, single=2)

    figures = await results.results(request_id, ResultFilters())

    assert figures["responses"] == 3 and figures["addressed"] == 3
    nps, csat, single, multi, text = figures["questions"]
    assert nps["nps"] == 33  # 2 promoters, 1 detractor of 3
    assert csat["average"] == 4.0
    assert single["options"][0] == ("线上", 0) or single["options"][0][1] == 2
    assert [count for _label, count in multi["options"]] == [1, 0, 2]
    assert [t["text"] for t in text["texts"]] == ["很好"]


async def test_results_filter_by_tier_and_partner(alice, carol, vera):
    request_id = await make_request(vera.current)
    await answer(alice.current, request_id, nps=10)
    await answer(carol.current, request_id, nps=0)

    gold = await results.results(request_id, ResultFilters(tier="gold"))
    only_b = await results.results(request_id, ResultFilters(partner=carol.partner_id))

    assert gold["questions"][0]["nps"] == 100
    assert only_b["questions"][0]["nps"] == -100


async def test_trend_follows_a_series_of_requests(alice, vera):
    first = await make_request(vera.current, series="nps-quarterly", due_in_days=5)
    second = await make_request(vera.current, series="nps-quarterly", due_in_days=20)
    await answer(alice.current, first, nps=3)
    await answer(alice.current, second, nps=10)

    points = await results.trend("nps-quarterly")

    assert [(p["id"], p["nps"]) for p in points] == [(first, -100), (second, 100)]


async def test_export_has_one_row_per_response_with_labels(alice, vera):
    request_id = await make_request(vera.current)
    await answer(alice.current, request_id, nps=8, single=1, multi=[0, 1], text="=cmd")

    header, rows = await results.export_rows(request_id, ResultFilters())

    assert header[:2] == ["Partner code", "Partner"]
    assert rows[0][8:] == [8, 4, "Store", "Training; Material", "=cmd"]
    data = await results.export_xlsx(request_id, ResultFilters())
    assert data[:2] == b"PK"


async def test_reminders_go_once_to_those_who_have_not_answered(alice, bob, vera):
    request_id = await make_request(vera.current, due_in_days=1, reminder_days=3)
    await answer(alice.current, request_id)

    assert await feedback_delivery.send_due_reminders() == 1  # bob only: alice answered
    assert await feedback_delivery.send_due_reminders() == 0
    reminded = await FeedbackReminder.select(FeedbackReminder.user)
    assert alice.id not in {r["user"] for r in reminded}


async def test_no_reminder_before_the_reminder_window(bob, vera):
    await make_request(vera.current, due_in_days=10, reminder_days=2)
    assert await feedback_delivery.send_due_reminders() == 0


async def test_feedback_figures_per_partner(alice, bob, carol, vera):
    request_id = await make_request(vera.current)
    await answer(alice.current, request_id, nps=10, csat=5)
    await answer(bob.current, request_id, nps=5, csat=4)
    today = clock.today()

    figures = await results.feedback_figures(None, today, today + dt.timedelta(days=1))

    a = figures[alice.partner_id]
    assert (a.requests_received, a.requests_answered, a.nps, a.csat_avg_x100) == (1, 1, 0, 450)
    assert figures[carol.partner_id].requests_answered == 0


async def test_request_csat_is_idempotent_and_csat_for_reads_the_answer(alice, vera):
    first = await csat.request_csat(
        "order", 77, alice.partner_id, alice.id, "Order PO-77", "订单 PO-77"
    )
    again = await csat.request_csat(
        "order", 77, alice.partner_id, alice.id, "Order PO-77", "订单 PO-77"
    )
    assert first == again and first is not None
    assert await csat.csat_for("order", 77) is None

    await answer(alice.current, first, csat=2)

    assert await csat.csat_for("order", 77) == 2
    assert await notifications.unread_count(alice.id) == 0  # answering cleared the bell


async def test_request_csat_is_off_when_the_setting_is_off(alice, vera):
    await feedback_requests.set_setting(vera.current, "auto_csat_orders", False)
    assert await csat.request_csat("order", 5, alice.partner_id, alice.id, "x", "x") is None
