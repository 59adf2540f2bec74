"""The demo: a current campaign with a real PDF for partner A's tier, a past one, and an open
survey that some users answered; loading it twice adds nothing."""

from __future__ import annotations

from portal.communications.campaigns.tables import Campaign, CampaignFile
from portal.communications.demo import load_communications_demo
from portal.communications.feedback.tables import FeedbackRequest, FeedbackResponse
from portal.demo import load_demo
from portal.lib import storage


async def test_the_demo_has_campaigns_with_material_and_a_partly_answered_survey():
    await load_demo()
    again = await load_communications_demo()

    assert again == {"campaigns": 0, "feedback_requests": 0, "feedback_answers": 0, "notices": 0}
    rows = await Campaign.select(Campaign.status, Campaign.ends_on, Campaign.reached_partners)
    assert sorted(r["status"] for r in rows) == ["draft", "published", "published"]
    rows = [r for r in rows if r["status"] == "published"]
    assert all(r["reached_partners"] > 0 for r in rows)
    pdf = await CampaignFile.select().where(CampaignFile.content_type == "application/pdf").first()
    assert (await storage.read_file(pdf["storage_key"])).startswith(b"%PDF-")
    survey = (
        await FeedbackRequest.select()
        .where(FeedbackRequest.series == "partner-satisfaction")
        .first()
    )
    assert survey["status"] == "open"
    assert 0 < await FeedbackResponse.count().where(FeedbackResponse.request == survey["id"])


async def test_the_demo_vendor_admin_has_bell_entries_for_what_waits():
    from portal.auth.tables import User
    from portal.core.tables import Notification

    await load_demo()
    admin = await User.select(User.id).where(User.email == "admin@vendor.demo").first()
    kinds = {
        n["kind"]
        for n in await Notification.select(Notification.kind).where(
            Notification.user == admin["id"]
        )
    }
    assert {"order_to_approve", "application", "case_opened"} <= kinds
