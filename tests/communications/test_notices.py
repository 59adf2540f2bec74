"""People are told (issue 12, point 14): each event gives exactly one bell entry and one e-mail per
recipient, in their language, none to someone who turned that kind off, none to the channel
manager of other partners; a retried job tells nobody twice."""

from __future__ import annotations

import datetime as dt

from portal.auth.tables import User
from portal.communications import notice_preferences, notices
from portal.core.tables import Notification, OutboundEmail
from portal.lib import jobs
from portal.partners import services as partner_services
from portal.partners.access import get_partner_for_user
from tests.factories import make_user, tier_id
from tests.orders.factories import make_product, place
from tests.personas import post_form
from tests.support.factories import case_row, make_case


async def _told(kind: str) -> dict[str, tuple[int, list[str]]]:
    """{e-mail address: (bell entries of that kind, subjects of notice e-mails)}."""
    users = {r["id"]: r["email"] for r in await User.select(User.id, User.email)}
    out: dict[str, tuple[int, list[str]]] = {}
    for n in await Notification.select().where(Notification.kind == kind):
        bells, subjects = out.get(users[n["user"]], (0, []))
        out[users[n["user"]]] = (bells + 1, subjects)
    for m in await OutboundEmail.select().where(OutboundEmail.kind == "notice"):
        bells, subjects = out.get(m["to_address"], (0, []))
        out[m["to_address"]] = (bells, [*subjects, m["subject"]])
    return out


async def _other_manager(partner_b: int):
    """A channel manager of partner B only."""
    from portal.partners.tables import Partner

    mona = await make_user("channel_manager", None, "mona@vendor.test", "Mona")
    await Partner.update({Partner.channel_manager_id: mona.id}).where(Partner.id == partner_b)
    return mona


async def test_an_order_to_approve_tells_the_admins_and_its_partners_manager(
    alice, vera, manny, carol, partner_b
):
    mona = await _other_manager(partner_b)
    await User.update({User.locale: "zh_CN"}).where(User.id == manny.id)
    await make_product("NT-1")
    placed = await place(alice.current, {"NT-1": 1})
    await jobs.drain()
    # the order job runs again (a worker died after its work): nobody is told twice
    from portal.orders.tables import OrderEvent

    event = (
        await OrderEvent.select(OrderEvent.id).where(OrderEvent.order == placed.order_id).first()
    )
    await notices.order_event_landed(event["id"])
    await jobs.drain()

    told = await _told("order_to_approve")
    assert set(told) == {vera.email, manny.email}  # not mona (partner B), not the partner
    assert told[vera.email][0] == 1 and len(told[vera.email][1]) == 1
    assert "waits for approval" in told[vera.email][1][0]  # vera reads English
    assert told[manny.email][0] == 1 and "待审批" in told[manny.email][1][0]  # manny Chinese
    assert mona.email not in told


async def test_someone_who_turned_a_kind_off_is_told_nothing(alice, vera, manny):
    await notice_preferences.set_turned_off(manny.current, ["order_to_approve"])
    await make_product("NT-2")
    await place(alice.current, {"NT-2": 1})
    await jobs.drain()

    told = await _told("order_to_approve")
    assert set(told) == {vera.email}


async def test_opting_out_of_escalations_also_stops_their_email(alice, vera, manny):
    from portal.support.emails import notify_escalation
    from portal.support.escalation import check_deadlines, unnotified

    await notice_preferences.set_turned_off(manny.current, ["case_escalated"])
    case = await case_row(await make_case(alice))
    await check_deadlines(case["fr_warn_at"] + dt.timedelta(seconds=1))
    for step in await unnotified():
        await notify_escalation(step)
    await jobs.drain()

    assert await Notification.count().where(Notification.kind == "case_escalated") == 0
    assert await OutboundEmail.count().where(OutboundEmail.kind == "case_escalation") == 0


async def test_the_settings_page_turns_a_kind_off_and_on(as_user, manny):
    client = await as_user(manny)
    page = await client.get("/notifications/settings")
    assert "Orders to approve" in page.text and "New partner applications" not in page.text

    saved = await post_form(client, "/notifications/settings", {"case_opened": "on"})

    assert saved.status_code == 303
    assert await notice_preferences.turned_off(manny.id) == {
        "order_to_approve",
        "case_escalated",
    }


async def test_a_new_application_tells_the_vendor_admins_only(client, vera, manny):
    await post_form(
        client,
        "/apply",
        {
            "company_name": "新星电子",
            "kind": "dealer",
            "province": "GD",
            "contact_name": "周敏",
            "contact_email": "zhou@xinxing.test",
        },
    )
    await jobs.drain()

    told = await _told("application")
    assert set(told) == {vera.email}  # an application has no partner, so no manager yet
    assert told[vera.email][0] == 1 and "新星电子" in told[vera.email][1][0]


async def test_a_tier_change_tells_the_partners_admins(alice, bob, carol, vera):
    await User.update({User.locale: "zh_CN"}).where(User.id == alice.id)
    partner = await get_partner_for_user(vera.current, alice.partner_id)
    await partner_services.change_tier(vera.current, partner, await tier_id("platinum"), "年度评审")
    await jobs.drain()
    await notices.send_notice("tier_changed", int((await _last_tier_change())["id"]))  # a retry

    told = await _told("tier_changed")
    assert set(told) == {alice.email}  # not bob (member), not carol (partner B)
    bells, subjects = told[alice.email]
    assert bells == 1 and len(subjects) == 1 and "铂金" in subjects[0]
    body = (await OutboundEmail.select().where(OutboundEmail.kind == "notice").first())["body_text"]
    assert "年度评审" in body


async def _last_tier_change():
    from portal.partners.tables import TierChange

    return await TierChange.select(TierChange.id).order_by(TierChange.id, ascending=False).first()


async def test_a_new_case_tells_the_admins_and_its_partners_manager(alice, vera, manny, partner_b):
    mona = await _other_manager(partner_b)
    await make_case(alice, subject="Camera offline")
    await jobs.drain()

    told = await _told("case_opened")
    assert set(told) == {vera.email, manny.email}
    assert all(b == 1 and len(s) == 1 for b, s in told.values())
    assert mona.email not in told


async def test_an_escalated_case_rings_the_bell_of_those_it_mails(alice, vera, manny):
    from portal.support.emails import notify_escalation
    from portal.support.escalation import check_deadlines, unnotified

    case = await case_row(await make_case(alice))
    await jobs.drain()
    await check_deadlines(case["fr_warn_at"] + dt.timedelta(seconds=1))
    for step in await unnotified():
        await notify_escalation(step)
        await notify_escalation(step)  # twice: claimed once
    await jobs.drain()

    bells = await Notification.select().where(Notification.kind == "case_escalated")
    mails = await OutboundEmail.select().where(OutboundEmail.kind == "case_escalation")
    assert [b["user"] for b in bells] == [manny.id]  # the assignee of partner A's case
    assert [m["to_address"] for m in mails] == [manny.email]
