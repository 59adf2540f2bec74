"""Leads: creation, routing by rules and capacity, accept / decline / time-out, history."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.customers.tables import Customer, Interaction
from portal.deals import lead_answers, lead_rules, leads
from portal.deals.lead_routing import due_after, route_leads
from portal.deals.lead_tables import Lead, LeadOffer
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.tenancy import NotFound
from tests.factories import make_partner
from tests.leads.factories import make_lead, make_rule


async def _lead(lead_id: int) -> dict:
    return await Lead.select().where(Lead.id == lead_id).first()


async def test_a_lead_needs_a_company_a_contact_a_way_to_reach_and_a_province(vera):
    with pytest.raises(FormError) as caught:
        await leads.create_lead(
            vera.current, leads.LeadData(company="", contact_name="", province="XX")
        )
    assert {"company", "contact_name", "phone", "province"} <= set(caught.value.errors)
    assert await Lead.count() == 0


async def test_a_lead_goes_to_the_partner_its_rule_names(vera, alice, carol):
    await make_rule(vera.current, provinces="SH,ZJ")
    lead_id = await make_lead(vera.current, "SH")
    row = await _lead(lead_id)
    assert (row["status"], row["partner"]) == ("offered", alice.partner_id)
    gd = await make_lead(vera.current, "GD")  # no rule takes Guangdong
    assert (await _lead(gd))["status"] == "new"


async def test_kind_and_tier_narrow_the_partners(vera, alice, carol):
    await make_rule(vera.current, partner_kind="distributor", same_province=False)
    lead_id = await make_lead(vera.current, "SH")
    assert (await _lead(lead_id))["partner"] == carol.partner_id  # B is the distributor


async def test_round_robin_weighs_by_capacity_and_a_second_run_routes_nothing(vera, alice):
    other = await make_partner(province="SH")
    await lead_rules.set_capacity(vera.current, alice.partner_id, 30)
    await lead_rules.set_capacity(vera.current, other, 10)
    await make_rule(vera.current)
    ids = [await make_lead(vera.current, "SH", route=False) for _ in range(40)]
    first = await route_leads()
    assert first.routed == 40
    counts = {p: len(v) for p, v in first.by_partner.items()}
    assert counts == {alice.partner_id: 30, other: 10}
    second = await route_leads()
    assert second.routed == 0
    assert await LeadOffer.count() == 40
    assert len(ids) == 40


async def test_a_full_partner_gets_no_more_and_the_lead_waits(vera, alice):
    await lead_rules.set_capacity(vera.current, alice.partner_id, 1)
    await make_rule(vera.current)
    await make_lead(vera.current, "SH")
    waiting = await make_lead(vera.current, "SH")
    assert (await _lead(waiting))["status"] == "new"


async def test_accepting_makes_a_customer_with_a_follow_up_due(vera, alice):
    await make_rule(vera.current)
    lead_id = await make_lead(
        vera.current, "SH", company="杭州线索科技有限公司", note="要 50 台摄像机"
    )
    customer_id = await lead_answers.accept_lead(alice.current, lead_id)
    customer = await Customer.select().where(Customer.id == customer_id).first()
    assert (customer["name"], customer["partner"], customer["source"]) == (
        "杭州线索科技有限公司",
        alice.partner_id,
        "vendor_lead",
    )
    assert customer["next_followup_on"] is not None
    assert await Interaction.count().where(Interaction.customer == customer_id) == 1
    row = await _lead(lead_id)
    assert (row["status"], row["customer_id"]) == ("accepted", customer_id)
    offer = await LeadOffer.select().where(LeadOffer.lead == lead_id).first()
    assert offer["outcome"] == "accepted" and offer["ended_at"] is not None
    with pytest.raises(lead_answers.NotAllowed):
        await lead_answers.accept_lead(alice.current, lead_id)


async def _fail(*args: object, **kwargs: object) -> None:
    raise RuntimeError("the disk is full")


@pytest.mark.parametrize("step", ["create_customer", "log_interaction_for"])
async def test_a_failure_while_accepting_leaves_the_lead_offered_and_no_customer(
    vera, alice, monkeypatch, step
):
    # given a lead offered to alice's partner
    await make_rule(vera.current)
    lead_id = await make_lead(vera.current, "SH", company="半途而废有限公司")
    # when accepting fails half-way (creating the customer, or logging the inquiry after it)
    monkeypatch.setattr(lead_answers, step, _fail)
    with pytest.raises(RuntimeError):
        await lead_answers.accept_lead(alice.current, lead_id)
    # then the lead still waits for her answer, its offer open, and no customer was made
    row = await _lead(lead_id)
    assert (row["status"], row["partner"], row["customer_id"]) == (
        "offered",
        alice.partner_id,
        None,
    )
    offer = await LeadOffer.select().where(LeadOffer.lead == lead_id).first()
    assert (offer["outcome"], offer["ended_at"]) == ("", None)  # still waiting
    assert await Customer.count() == 0 and await Interaction.count() == 0
    # and once the fault is gone she can accept it
    monkeypatch.undo()
    customer_id = await lead_answers.accept_lead(alice.current, lead_id)
    assert (await _lead(lead_id))["customer_id"] == customer_id
    assert await Customer.count() == 1


async def test_a_decline_hands_the_lead_to_the_next_partner_and_is_kept(vera, alice, bob):
    other = await make_partner(province="SH")
    await make_rule(vera.current)
    lead_id = await make_lead(vera.current, "SH")
    first = (await _lead(lead_id))["partner"]
    assert first in (alice.partner_id, other)
    if first != alice.partner_id:
        await LeadOffer.delete()
        await Lead.update({Lead.partner: alice.partner_id}).where(Lead.id == lead_id)
        await LeadOffer.insert(
            LeadOffer(
                lead=lead_id, partner=alice.partner_id, offered_at=now(), due_at=due_after(now())
            )
        )
    with pytest.raises(FormError):
        await lead_answers.decline_lead(bob.current, lead_id, " ")
    await lead_answers.decline_lead(bob.current, lead_id, "不做这个行业")
    row = await _lead(lead_id)
    assert (row["status"], row["partner"]) == ("offered", other)
    history = (await leads.lead_detail(vera.current, lead_id))["offers"]
    assert [(h["partner"], h["outcome"], h["reason"]) for h in history] == [
        (alice.partner_id, "declined", "不做这个行业"),
        (other, "", ""),
    ]
    with pytest.raises(NotFound):  # alice passed it on: it is not hers any more
        await leads.lead_detail(alice.current, lead_id)
    # the second partner declines too: nobody is left
    from portal.auth.schemas import CurrentUser

    someone = CurrentUser(id=999, email="x@y.z", name="X", role="partner_admin", partner_id=other)
    await lead_answers.decline_lead(someone, lead_id, "太远")
    assert (await _lead(lead_id))["status"] == "declined"


async def test_an_offer_not_accepted_in_24_working_hours_goes_on(vera, alice, time_travel):
    other = await make_partner(province="SH")
    await make_rule(vera.current)
    lead_id = await make_lead(vera.current, "SH")
    first = (await _lead(lead_id))["partner"]
    offered = await _lead(lead_id)
    due = offered["due_at"]
    assert due - offered["offered_at"] >= dt.timedelta(hours=24)  # weekends do not count
    assert (await lead_answers.expire_offers()).routed == 0  # not yet
    time_travel.move_to(due + dt.timedelta(minutes=1))
    moved = await lead_answers.expire_offers()
    assert moved.routed == 1
    row = await _lead(lead_id)
    assert row["partner"] == ({alice.partner_id, other} - {first}).pop()
    offers = await LeadOffer.select().where(LeadOffer.lead == lead_id).order_by(LeadOffer.id)
    assert [o["outcome"] for o in offers] == ["timed_out", ""]
    assert (await lead_answers.expire_offers()).routed == 0  # idempotent
    time_travel.move_to(row["due_at"] + dt.timedelta(minutes=1))
    await lead_answers.expire_offers()
    assert (await _lead(lead_id))["status"] == "expired"


def test_24_working_hours_skip_the_weekend():
    friday_noon = dt.datetime(2026, 11, 20, 4, 0, tzinfo=dt.UTC)  # 12:00 in Shanghai, a Friday
    assert due_after(friday_noon) == dt.datetime(2026, 11, 23, 4, 0, tzinfo=dt.UTC)  # Monday


async def test_acceptance_figures(vera, alice):
    await make_rule(vera.current)
    a = await make_lead(vera.current, "SH")
    b = await make_lead(vera.current, "SH")
    await lead_answers.accept_lead(alice.current, a)
    await lead_answers.decline_lead(alice.current, b, "没有能力")
    table = {p["id"]: p for p in await lead_rules.partner_table(vera.current)}
    mine = table[alice.partner_id]
    assert (mine["accepted"], mine["declined"], mine["acceptance_rate"]) == (1, 1, 0.5)
    assert mine["median_minutes"] == 0


async def test_a_campaign_response_becomes_a_routed_lead_through_the_hook(vera, alice):
    from portal.lib import hooks

    await make_rule(vera.current)
    fields = {"company": "活动回复有限公司", "contact_name": "钟先生", "phone": "13500001111"}
    assert await hooks.campaign_lead(7, {**fields, "province": "nowhere"}) is None
    lead_id = await hooks.campaign_lead(7, {**fields, "province": "SH", "note": "想要报价"})
    row = await _lead(lead_id)
    assert (row["source"], row["status"], row["partner"]) == (
        "campaign",
        "offered",
        alice.partner_id,
    )
    assert row["note"] == "想要报价 (#7)"


async def test_the_same_campaign_response_sent_twice_is_one_lead_offered_once(vera, alice):
    from portal.lib import hooks

    await make_rule(vera.current)
    fields = {"company": "活动回复有限公司", "contact_name": "钟先生", "province": "SH"}
    first = await hooks.campaign_lead(7, {**fields, "phone": "135 0000 1111"})
    again = await hooks.campaign_lead(
        7, {**fields, "phone": "13500001111", "company": " 活动回复有限公司"}
    )
    assert first == again
    assert await Lead.count() == 1 and await LeadOffer.count() == 1
    # the same customer answering another campaign is another response
    other = await hooks.campaign_lead(8, {**fields, "phone": "13500001111"})
    assert other != first and await Lead.count() == 2
