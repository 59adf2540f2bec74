"""Case verbs: opening, routing, replies and notes, statuses and pauses, reopening, e-mails."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.core.tables import AuditEntry, OutboundEmail
from portal.lib import jobs
from portal.lib.forms import FormError
from portal.support import services
from portal.support.constants import CaseStatus
from portal.support.tables import CaseEvent, CaseMessage
from portal.tenancy import NotFound
from tests.support.factories import case_row, make_case, make_rule, make_target, make_team


async def test_a_partner_user_opens_a_case_for_their_own_partner(alice, partner_a):
    case_id = await make_case(alice, partner_id=999)  # a forged partner id is ignored

    case = await case_row(case_id)
    assert case["partner"] == partner_a
    assert case["status"] == CaseStatus.NEW
    assert case["number"].startswith("CS-")
    assert case["requester"] == alice.id
    assert await AuditEntry.exists().where(AuditEntry.action == "support.case_opened")


async def test_a_new_case_without_rules_goes_to_the_channel_manager(alice, manny):
    case = await case_row(await make_case(alice))

    assert case["assignee_id"] == manny.id


async def test_a_routing_rule_sends_the_case_to_the_least_busy_team_member(
    alice, vera, make_user_fn
):
    sam = await make_user_fn("sam@vendor.test")
    tia = await make_user_fn("tia@vendor.test")
    team = await make_team("Quality", lead=vera, members=[sam, tia])
    await make_rule(category="quality_complaint", team=team)
    first = await case_row(await make_case(alice, category="quality_complaint"))
    second = await case_row(await make_case(alice, category="quality_complaint"))
    other = await case_row(await make_case(alice, category="billing"))

    assert {first["assignee_id"], second["assignee_id"]} == {sam.id, tia.id}
    assert first["team"] == team
    assert other["team"] is None


async def test_rules_apply_in_order_of_position(alice, vera, make_user_fn):
    sam = await make_user_fn("sam@vendor.test")
    await make_rule(position=2, assignee_id=vera.id)
    await make_rule(position=1, priority="urgent", assignee_id=sam.id)

    urgent = await case_row(await make_case(alice, priority="urgent"))
    normal = await case_row(await make_case(alice, priority="normal"))

    assert urgent["assignee_id"] == sam.id
    assert normal["assignee_id"] == vera.id


async def test_targets_come_from_the_tier_row_before_the_default_row(alice):
    from tests.factories import tier_id

    await make_target("high", 30, 300)
    await make_target("high", 15, 120, tier=await tier_id("gold"))

    case = await case_row(await make_case(alice, priority="high"))

    assert (case["first_response_target"], case["resolution_target"]) == (15, 120)
    assert case["fr_warn_at"] < case["fr_due_at"] < case["fr_second_at"]
    assert case["res_due_at"] > case["fr_due_at"]


async def test_a_bad_order_link_is_refused_and_nothing_is_written(alice):
    with pytest.raises(FormError) as error:
        await make_case(alice, order_id=12345)

    assert "order_id" in error.value.errors
    assert await services.SupportCase.count() == 0 if hasattr(services, "SupportCase") else True


async def test_staff_open_a_case_on_a_partners_behalf(vera, alice, partner_a):
    case = await case_row(await make_case(vera, partner_id=partner_a))

    assert case["opened_by_vendor"] is True
    assert case["requester"] == alice.id


async def test_the_first_vendor_reply_is_the_first_response_and_opens_the_case(alice, vera):
    case_id = await make_case(alice)

    await services.reply(vera.current, case_id, "Please send the firmware version.")

    case = await case_row(case_id)
    assert case["status"] == CaseStatus.OPEN
    assert case["first_responded_at"] is not None
    assert case["first_response_minutes"] is not None
    assert case["vendor_replies"] == 1


async def test_internal_notes_are_never_shown_to_the_partner(alice, vera):
    case_id = await make_case(alice)
    await services.reply(vera.current, case_id, "Looks like batch 42 again.", internal=True)
    await services.reply(vera.current, case_id, "We are looking into it.")

    partner_view = await services.case_detail(alice.current, case_id)
    vendor_view = await services.case_detail(vera.current, case_id)

    assert [m["body"] for m in partner_view["messages"]] == ["We are looking into it."]
    assert len(vendor_view["messages"]) == 2
    assert all(not e["is_internal"] for e in partner_view["events"])


async def test_a_partner_cannot_write_an_internal_note(alice):
    case_id = await make_case(alice)

    await services.reply(alice.current, case_id, "Any news?", internal=True)

    message = await CaseMessage.select().where(CaseMessage.support_case == case_id).first()
    assert message["is_internal"] is False


async def test_carol_cannot_read_or_answer_alices_case(alice, carol):
    case_id = await make_case(alice)

    with pytest.raises(NotFound):
        await services.case_detail(carol.current, case_id)
    with pytest.raises(NotFound):
        await services.reply(carol.current, case_id, "hello")


async def test_waiting_on_the_partner_pauses_the_clock_and_their_reply_restarts_it(alice, vera):
    case_id = await make_case(alice)
    before = await case_row(case_id)
    await services.reply(vera.current, case_id, "Which model?", then=CaseStatus.WAITING)
    waiting = await case_row(case_id)

    await services.reply(alice.current, case_id, "IPC-2140")

    after = await case_row(case_id)
    assert waiting["status"] == CaseStatus.WAITING and waiting["paused_at"] is not None
    assert after["status"] == CaseStatus.OPEN and after["paused_at"] is None
    assert after["res_due_at"] >= before["res_due_at"]


async def test_resolving_records_the_resolution_time_and_whether_it_met_the_sla(alice, vera):
    case_id = await make_case(alice)

    await services.reply(vera.current, case_id, "Fixed in firmware 2.1.", then=CaseStatus.RESOLVED)

    case = await case_row(case_id)
    assert case["status"] == CaseStatus.RESOLVED
    assert case["resolved_within_sla"] is True
    assert case["resolution_minutes"] is not None


async def test_the_partner_reopens_within_the_window_but_not_after(alice, vera):
    case_id = await make_case(alice)
    await services.reply(vera.current, case_id, "Done.", then=CaseStatus.RESOLVED)

    await services.change_status(alice.current, case_id, CaseStatus.OPEN, "Still broken")
    reopened = await case_row(case_id)
    await services.reply(vera.current, case_id, "Now really done.", then=CaseStatus.RESOLVED)
    from portal.support.tables import SupportCase

    await SupportCase.update(
        {SupportCase.resolved_at: reopened["created_at"] - dt.timedelta(days=30)}
    ).where(SupportCase.id == case_id)

    assert reopened["status"] == CaseStatus.OPEN and reopened["reopen_count"] == 1
    with pytest.raises(services.StatusConflict):
        await services.change_status(alice.current, case_id, CaseStatus.OPEN)


async def test_resolved_cases_close_after_the_reopen_window(alice, vera):
    from portal.support.cases import close_expired_resolutions
    from portal.support.tables import SupportCase

    case_id = await make_case(alice)
    await services.reply(vera.current, case_id, "Done.", then=CaseStatus.RESOLVED)
    await SupportCase.update(
        {SupportCase.resolved_at: SupportCase.created_at}  # type: ignore[dict-item]
    ).where(SupportCase.id == case_id)
    await SupportCase.raw(
        "UPDATE support_case SET resolved_at = {} WHERE id = {}",
        (await case_row(case_id))["created_at"] - dt.timedelta(days=30),
        case_id,
    )

    closed = await close_expired_resolutions()

    assert closed == [case_id]
    assert (await case_row(case_id))["status"] == CaseStatus.CLOSED


async def test_a_partner_may_close_a_resolved_case_but_not_resolve_it(alice, vera):
    case_id = await make_case(alice)
    with pytest.raises(services.StatusConflict):
        await services.change_status(alice.current, case_id, CaseStatus.RESOLVED)
    await services.reply(vera.current, case_id, "Done.", then=CaseStatus.RESOLVED)

    await services.change_status(alice.current, case_id, CaseStatus.CLOSED)

    assert (await case_row(case_id))["status"] == CaseStatus.CLOSED


async def test_the_requester_is_mailed_about_a_vendor_reply_with_the_cases_reply_to(alice, vera):
    from portal.settings import override
    from portal.support.emails import recipient_token

    with override(support_reply_address="support@portal.test"):
        case_id = await make_case(alice)
        await services.reply(vera.current, case_id, "We need a photo of the label.")
        await jobs.drain()
        token = (await case_row(case_id))["reply_token"]
        mails = await OutboundEmail.select().where(OutboundEmail.to_address == alice.email)
        from portal.settings import get_settings

        outbox = list(get_settings().outbox_dir.glob("*.eml"))
        texts = [p.read_text() for p in outbox]

    kinds = sorted(m["kind"] for m in mails)
    assert kinds == ["case_opened", "case_reply"]
    mine = recipient_token(token, alice.id)
    assert any(f"Reply-To: support+{mine}@portal.test" in t for t in texts)
    assert all(m["status"] == "sent" for m in mails)


async def test_the_assignee_is_mailed_when_the_partner_replies(alice, manny):
    case_id = await make_case(alice)
    await services.reply(alice.current, case_id, "Any news on this?")
    await jobs.drain()

    mails = await OutboundEmail.select(OutboundEmail.kind).where(
        OutboundEmail.to_address == manny.email
    )
    # and the notice of a new case of his partner (portal.communications.notices)
    assert sorted(m["kind"] for m in mails) == ["case_assigned", "case_reply", "notice"]


async def test_an_internal_note_sends_no_mail_to_the_partner(alice, vera):
    case_id = await make_case(alice)
    await jobs.drain()
    before = await OutboundEmail.count().where(OutboundEmail.to_address == alice.email)

    await services.reply(vera.current, case_id, "Internal only", internal=True)
    await jobs.drain()

    assert await OutboundEmail.count().where(OutboundEmail.to_address == alice.email) == before
    note = await CaseEvent.select().where(CaseEvent.kind == "note").first()
    assert note["is_internal"] is True


async def test_bulk_assign_skips_cases_outside_the_scope(alice, carol, manny, vera):
    mine = await make_case(alice)
    foreign = await make_case(carol)

    done = await services.bulk_assign(manny.current, [mine, foreign], vera.id)

    assert done == 1
    assert (await case_row(mine))["assignee_id"] == vera.id
    assert (await case_row(foreign))["assignee_id"] != vera.id


async def test_changing_the_priority_moves_the_deadlines(alice, vera):
    case_id = await make_case(alice, priority="low")
    before = await case_row(case_id)

    await services.change_priority(vera.current, case_id, "urgent")

    after = await case_row(case_id)
    assert after["priority"] == "urgent"
    assert after["res_due_at"] < before["res_due_at"]


async def test_closing_asks_the_partner_for_a_csat_once(alice, vera):
    from portal.support.services import request_csat_for_case

    case_id = await make_case(alice)
    await services.reply(vera.current, case_id, "Done.", then=CaseStatus.RESOLVED)
    await services.change_status(alice.current, case_id, CaseStatus.CLOSED)
    await jobs.drain()

    first = (await case_row(case_id))["csat_request_id"]
    again = await request_csat_for_case(case_id)

    assert first is not None
    assert again == first


async def test_a_case_names_its_order_and_end_customer_instead_of_their_ids(as_user, alice, vera):
    """Issue 12 point 16: the case page said "#3045 / #5"; it names the order and the customer."""
    from tests.customers.factories import make_customer
    from tests.orders.factories import make_product, place

    await make_product("CASE-LINK-1", stock=10)
    placed = await place(alice.current, {"CASE-LINK-1": 1})
    customer_id = await make_customer(alice.current, "深圳蓝海电子有限公司")
    case_id = await make_case(alice, order_id=placed.order_id, end_customer_id=customer_id)
    number = (await case_row(case_id))["number"]
    order_number = placed.number

    partner_page = (await (await as_user(alice)).get(f"/cases/{case_id}")).text
    console_page = (await (await as_user(vera)).get(f"/console/cases/{case_id}")).text

    for page in (partner_page, console_page):
        assert order_number in page and f"#{placed.order_id}<" not in page
    assert "深圳蓝海电子有限公司" in partner_page and f"#{customer_id}<" not in partner_page
    assert number in console_page
