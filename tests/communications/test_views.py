"""What users see and do on the campaign, notification and feedback pages and in the console."""

from __future__ import annotations

import pytest

from portal.communications.campaigns import editing as campaign_editing
from portal.communications.campaigns import publishing as campaign_publishing
from portal.communications.campaigns.tables import Campaign, CampaignActivity, CampaignFile
from portal.communications.feedback.tables import FeedbackQuestion, FeedbackResponse
from portal.core.tables import AuditEntry
from portal.lib import jobs
from portal.lib.i18n import use_locale
from tests.communications.factories import PDF, make_campaign, make_request, question_ids
from tests.personas import post_form


async def test_vera_creates_uploads_and_publishes_a_campaign(as_user, alice, vera):
    client = await as_user(vera)
    created = await post_form(
        client,
        "/console/campaigns/new",
        {"title_zh": "夏季新品", "title_en": "Summer line", "audience": "tier", "tiers": "gold"},
    )
    assert created.status_code == 303
    campaign_id = (await Campaign.select(Campaign.id).first())["id"]

    upload = await client.post(
        f"/console/campaigns/{campaign_id}/files",
        data={"_csrf_token": client.cookies.get("csrftoken")},
        files={"file": ("目录.pdf", PDF, "application/pdf")},
    )
    published = await post_form(
        client, f"/console/campaigns/{campaign_id}/publish", {"when": "now", "confirmed": "1"}
    )

    assert upload.status_code == 303 and published.status_code == 303
    await jobs.drain()  # publishing is a job (in process here)
    page = await (await as_user(alice)).get(f"/campaigns/{campaign_id}")
    assert "Summer line" in page.text and "目录.pdf" in page.text  # English page, English title


async def test_a_disguised_upload_is_refused_next_to_the_field(as_user, vera):
    campaign_id = await make_campaign(vera.current, publish=False, files=0)
    client = await as_user(vera)
    await client.get("/login")
    response = await client.post(
        f"/console/campaigns/{campaign_id}/files",
        data={"_csrf_token": client.cookies.get("csrftoken")},
        files={"file": ("price.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
    )
    assert response.status_code == 400
    assert "not an accepted type" in response.text
    assert await CampaignFile.count() == 0


async def test_a_campaign_form_with_errors_changes_nothing(as_user, vera):
    client = await as_user(vera)
    response = await post_form(
        client,
        "/console/campaigns/new",
        {"title_zh": "", "audience": "partners", "partner_codes": "NOPE"},
    )
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert "Unknown partner codes: NOPE" in response.text
    assert await Campaign.count() == 0


async def test_download_is_an_attachment_and_is_recorded(as_user, alice, vera):
    campaign_id = await make_campaign(vera.current)
    file_id = (await CampaignFile.select(CampaignFile.id).first())["id"]

    response = await (await as_user(alice)).get(f"/campaigns/{campaign_id}/files/{file_id}")

    assert response.status_code == 200 and response.content == PDF
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"
    row = await CampaignActivity.select().where(CampaignActivity.kind == "download").first()
    assert (row["user"], row["file"]) == (alice.id, file_id)


async def test_partner_outside_the_audience_gets_404_on_the_file(as_user, alice, carol, vera):
    campaign_id = await make_campaign(
        vera.current, audience="partners", values=[str(alice.partner_id)]
    )
    file_id = (await CampaignFile.select(CampaignFile.id).first())["id"]
    response = await (await as_user(carol)).get(f"/campaigns/{campaign_id}/files/{file_id}")
    assert response.status_code == 404


async def test_the_bell_counts_and_the_centre_marks_read(as_user, alice, vera):
    await make_campaign(vera.current)
    client = await as_user(alice)
    assert (await client.get("/notifications/count")).json() == {"unread": 1}

    page = await client.get("/notifications/")
    assert "Spring promotion" in page.text
    done = await post_form(client, "/notifications/read-all")

    assert done.status_code == 303
    assert (await client.get("/notifications/count")).json() == {"unread": 0}


async def test_opening_a_notification_goes_to_its_page(as_user, alice, vera):
    from portal.core.tables import Notification

    campaign_id = await make_campaign(vera.current)
    notification = await Notification.select(Notification.id).first()
    response = await post_form(await as_user(alice), f"/notifications/{notification['id']}/open")
    assert response.headers["location"] == f"/campaigns/{campaign_id}"


async def test_bob_cannot_open_alices_notification(as_user, alice, bob, vera):
    from portal.core.tables import Notification

    await make_campaign(vera.current)
    mine = await Notification.select(Notification.id).where(Notification.user == alice.id).first()
    response = await post_form(await as_user(bob), f"/notifications/{mine['id']}/open")
    assert response.status_code == 404


async def test_alice_answers_on_the_page_and_sees_her_answers(as_user, alice, vera):
    request_id = await make_request(vera.current)
    ids = await question_ids(request_id)
    client = await as_user(alice)

    sent = await post_form(
        client,
        f"/feedback/{request_id}",
        {f"q{ids['nps']}": "9", f"q{ids['csat']}": "4", f"q{ids['text']}": "物料很好"},
    )
    page = await client.get(f"/feedback/{request_id}")

    assert sent.status_code == 303
    assert "物料很好" in page.text and "Save my answers" in page.text
    assert await FeedbackResponse.count() == 1


async def test_an_out_of_range_answer_shows_the_message_in_chinese(as_user, alice, vera):
    request_id = await make_request(vera.current)
    ids = await question_ids(request_id)
    client = await as_user(alice)
    response = await post_form(
        client,
        f"/feedback/{request_id}",
        {f"q{ids['nps']}": "42", f"q{ids['csat']}": "4"},
        headers={"Accept-Language": "zh-CN"},
    )
    assert response.status_code == 400
    with use_locale("zh_CN"):
        from portal.lib.i18n import gettext

        expected = gettext("Choose a score from %(low)s to %(high)s.", low=0, high=10)
    assert expected in response.text
    assert await FeedbackResponse.count() == 0


async def test_vera_builds_a_survey_in_the_console(as_user, vera):
    client = await as_user(vera)
    created = await post_form(
        client,
        "/console/feedback/new",
        {
            "title_zh": "培训反馈",
            "due_on": "2099-01-31",
            "answer_scope": "partner",
            "audience": "all",
            "reminder_days": "3",
        },
    )
    request_id = int(created.headers["location"].rsplit("/", 1)[1])
    refused = await post_form(
        client,
        f"/console/feedback/{request_id}/questions",
        {"kind": "single", "text_zh": "哪个？", "options": "只有一个"},
    )
    added = await post_form(
        client,
        f"/console/feedback/{request_id}/questions",
        {"kind": "single", "text_zh": "哪个？", "options": "甲 | A\n乙 | B", "required": "on"},
    )

    assert refused.status_code == 400 and "at least two options" in refused.text
    assert added.status_code == 303
    assert await FeedbackQuestion.count() == 1


async def test_results_page_and_export_for_vendor_staff(as_user, alice, vera):
    from tests.communications.factories import answer

    request_id = await make_request(vera.current, series="q")
    await answer(alice.current, request_id, nps=10, text="<script>x</script>")
    client = await as_user(vera)

    page = await client.get(f"/console/feedback/{request_id}/results")
    export = await client.get(f"/console/feedback/{request_id}/export?tier=gold")

    assert page.status_code == 200 and "<svg" in page.text
    assert "<script>x</script>" not in page.text
    assert export.headers["content-type"].startswith("application/vnd.openxmlformats")


async def test_settings_switch_is_audited(as_user, vera):
    client = await as_user(vera)
    response = await post_form(
        client, "/console/feedback/settings", {"auto_csat_cases": "on", "csat_days_open": "7"}
    )
    assert response.status_code == 303
    assert (
        await AuditEntry.count().where(AuditEntry.action == "communications.setting_changed") == 2
    )


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
async def test_campaign_list_renders_in_both_languages(as_user, alice, vera, locale):
    await make_campaign(vera.current)
    response = await (await as_user(alice)).get("/campaigns/", headers={"Accept-Language": locale})
    assert response.status_code == 200
    assert ("春季促销" if locale == "zh_CN" else "Spring promotion") in response.text


async def test_home_shows_new_campaigns_and_open_surveys(as_user, alice, vera):
    await make_campaign(vera.current)
    await make_request(vera.current)
    page = await (await as_user(alice)).get("/")
    assert "Campaigns &amp; feedback" in page.text
    assert "Please answer" in page.text and "Spring promotion" in page.text


async def test_a_thumbnail_is_not_counted_as_a_preview(as_user, alice, vera):
    from tests.communications.factories import png_bytes

    campaign_id = await make_campaign(vera.current, files=0, publish=False)
    from portal.lib.clock import now

    await campaign_editing.add_material(vera.current, campaign_id, png_bytes(), "banner.png")
    await campaign_publishing.schedule_campaign(vera.current, campaign_id, now())
    await campaign_publishing.publish_campaign(campaign_id)
    file_id = (await CampaignFile.select(CampaignFile.id).first())["id"]
    client = await as_user(alice)

    thumb = await client.get(f"/campaigns/{campaign_id}/files/{file_id}/preview?thumb=1")
    preview = await client.get(f"/campaigns/{campaign_id}/files/{file_id}/preview")

    assert thumb.headers["content-disposition"].startswith("inline;")
    assert preview.headers["content-type"] == "image/png"
    assert await CampaignActivity.count().where(CampaignActivity.kind == "preview") == 1


async def test_channel_manager_sees_only_assigned_partners_in_results_and_export(
    as_user, alice, carol, manny, vera
):
    """Issue 12 point 2: results, filter menus, counts and the XLSX of partner B stay hidden
    from the channel manager of A; the vendor admin sees both."""
    import io

    from openpyxl import load_workbook

    from tests.communications.factories import answer

    request_id = await make_request(vera.current, series="q")
    await answer(alice.current, request_id, nps=10, text="from A")
    await answer(carol.current, request_id, nps=0, text="from B")

    manager = await as_user(manny)
    admin = await as_user(vera)
    page = await manager.get(f"/console/feedback/{request_id}/results")
    listing = await manager.get("/console/feedback/")
    export = await manager.get(f"/console/feedback/{request_id}/export")
    admin_export = await admin.get(f"/console/feedback/{request_id}/export")

    def cells(content: bytes) -> str:
        sheet = load_workbook(io.BytesIO(content)).active
        return " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)

    assert page.status_code == 200
    assert "from A" in page.text and "from B" not in page.text
    assert "Partner B" not in page.text and "carol@partner-b.test" not in page.text
    assert "carol@partner-b.test" not in cells(export.content)
    assert "alice@partner-a.test" in cells(export.content)
    assert "carol@partner-b.test" in cells(admin_export.content)
    assert listing.status_code == 200
