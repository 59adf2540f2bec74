"""Customer verbs and reads: duplicates, contacts, the contact log and follow-ups, bulk tags."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.core.tables import AuditEntry
from portal.customers import access as customer_access
from portal.customers import services
from portal.customers.access import get_customer_for_user
from portal.customers.schemas import CustomerFilters
from portal.customers.tables import Customer, Interaction
from portal.lib import clock
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.tenancy import NotFound
from tests.customers.factories import log_contact, make_customer, set_followup


async def test_creating_a_customer_records_it_with_its_contact_and_owner(alice):
    customer_id = await make_customer(alice.current, "上海星河科技有限公司", phone="138-0013-8000")

    customer = await get_customer_for_user(alice.current, customer_id)
    contacts = await services.list_contacts(customer_id)
    assert customer["name"] == "上海星河科技有限公司"
    assert customer["owner"] == alice.id
    assert contacts[0]["phone_key"] == "13800138000"
    assert await AuditEntry.exists().where(AuditEntry.action == "customer.created")


async def test_same_phone_email_or_name_at_the_same_partner_is_a_duplicate(alice, carol):
    await make_customer(alice.current, "ACME Ltd.", phone="13800138000", email="li@acme.cn")
    await make_customer(carol.current, "Other partner's ACME", phone="13900000000")

    for data in (
        services.CustomerData(name="acme ltd"),
        services.CustomerData(
            name="X", contacts=[services.ContactData("Li", phone="+86 138 0013 8000")]
        ),
        services.CustomerData(name="Y", contacts=[services.ContactData("Li", email="LI@acme.cn")]),
    ):
        with pytest.raises(services.DuplicateFound) as caught:
            await services.create_customer(alice.current, data)
        assert caught.value.duplicates[0]["name"] == "ACME Ltd."
    # another partner's customer is no duplicate
    assert await services.create_customer(carol.current, services.CustomerData(name="ACME Ltd."))


async def test_a_duplicate_can_be_saved_on_purpose(alice):
    await make_customer(alice.current, "ACME")
    second = await services.create_customer(
        alice.current, services.CustomerData(name="ACME"), allow_duplicate=True
    )
    assert await Customer.count().where(Customer.name == "ACME") == 2
    assert second


async def test_carol_cannot_reach_alice_customer(alice, carol):
    customer_id = await make_customer(alice.current)
    with pytest.raises(NotFound):
        await get_customer_for_user(carol.current, customer_id)


async def test_members_see_only_their_own_customers_when_the_admin_chooses_so(alice, bob):
    mine = await make_customer(bob.current, "Bob's customer")
    alices = await make_customer(alice.current, "Alice's customer")

    await services.set_visibility(alice.current, members_see_all=False)
    rows, total = await services.list_customers(bob.current, CustomerFilters())

    assert [r["id"] for r in rows] == [mine] and total == 1
    with pytest.raises(NotFound):
        await get_customer_for_user(bob.current, alices)
    await services.set_visibility(alice.current, members_see_all=True)
    assert (await services.list_customers(bob.current, CustomerFilters()))[1] == 2


async def test_only_the_partner_admin_changes_visibility(bob):
    with pytest.raises(FormError):
        await services.set_visibility(bob.current, members_see_all=False)


async def test_vendor_staff_see_a_customer_only_once_shared_on_an_order(alice, vera):
    from portal.orders.tables import Order

    customer_id = await make_customer(alice.current, "Shared Co")
    with pytest.raises(NotFound):
        await get_customer_for_user(vera.current, customer_id)
    from tests.orders.factories import make_product, place

    await make_product("SH-1", stock=10)
    placed = await place(alice.current, {"SH-1": 1})
    await Order.update({Order.end_customer_id: customer_id}).where(Order.id == placed.order_id)

    shared = await services.shared_customer(vera.current, customer_id)
    assert shared["name"] == "Shared Co"


async def test_logging_a_contact_updates_last_contact_and_closes_open_followups(alice):
    customer_id = await make_customer(alice.current)
    first = await log_contact(alice.current, customer_id, days_ago=3, followup_in_days=2)
    customer = await get_customer_for_user(alice.current, customer_id)
    assert customer["next_followup_on"] is not None

    await log_contact(alice.current, customer_id, days_ago=0, summary="Followed up")

    customer = await get_customer_for_user(alice.current, customer_id)
    row = await Interaction.select().where(Interaction.id == first).first()
    assert row["followup_done_at"] is not None
    assert customer["next_followup_on"] is None
    assert customer["interaction_count"] == 2
    assert customer["last_contact_at"] > now() - dt.timedelta(minutes=1)


async def test_a_contact_logged_at_the_minute_the_form_shows_comes_first(alice, time_travel):
    # given a contact logged a few seconds into this minute (a lead accepted, say)
    time_travel.move_to(dt.datetime(2026, 11, 18, 4, 0, 5, tzinfo=dt.UTC))
    customer_id = await make_customer(alice.current)
    customer = await get_customer_for_user(alice.current, customer_id)
    await services.log_interaction(
        alice.current, customer, services.InteractionData(channel="other", summary="Lead")
    )
    time_travel.move_to(dt.datetime(2026, 11, 18, 4, 0, 30, tzinfo=dt.UTC))

    # when the user logs one with the time the form offers (this minute, no seconds)
    shown = clock.now().replace(second=0, microsecond=0)
    await services.log_interaction(
        alice.current,
        customer,
        services.InteractionData(channel="wechat", summary="Sent the brochure", occurred_at=shown),
    )

    # then it heads the timeline, at the instant it was logged
    rows, _total = await services.list_interactions(customer_id)
    assert [r["summary"] for r in rows] == ["Sent the brochure", "Lead"]
    logged = rows[0]["occurred_at"] - dt.datetime(2026, 11, 18, 4, 0, 30, tzinfo=dt.UTC)
    assert dt.timedelta(0) <= logged < dt.timedelta(seconds=5)


async def test_a_contact_cannot_lie_in_the_future(alice):
    customer_id = await make_customer(alice.current)
    customer = await get_customer_for_user(alice.current, customer_id)
    with pytest.raises(FormError) as caught:
        await services.log_interaction(
            alice.current,
            customer,
            services.InteractionData(
                channel="phone", summary="x", occurred_at=now() + dt.timedelta(days=1)
            ),
        )
    assert "occurred_at" in caught.value.errors


async def test_followups_fall_into_overdue_today_and_this_week(alice, bob):
    today = dt.date(2026, 11, 27)
    ids = []
    for _ in range(3):
        customer_id = await make_customer(alice.current)
        ids.append(await log_contact(alice.current, customer_id, days_ago=5, followup_in_days=1))
    await set_followup(ids[0], today - dt.timedelta(days=2), bob.id)
    await set_followup(ids[1], today, bob.id)
    await set_followup(ids[2], today + dt.timedelta(days=3), bob.id)

    groups = services.bucket(await services.followups_for_user(bob.id, today), today)

    assert [len(groups[k]) for k in ("overdue", "today", "week")] == [1, 1, 1]


async def test_marking_a_followup_done_takes_it_off_the_list(alice):
    customer_id = await make_customer(alice.current)
    interaction = await log_contact(alice.current, customer_id, followup_in_days=1)

    await services.complete_followup(alice.current, interaction)

    assert await services.followups_for_user(alice.id, clock.today() + dt.timedelta(days=30)) == []


async def test_carol_cannot_complete_alice_followup(alice, carol):
    customer_id = await make_customer(alice.current)
    interaction = await log_contact(alice.current, customer_id, followup_in_days=1)
    with pytest.raises(NotFound):
        await services.complete_followup(carol.current, interaction)


async def test_bulk_tag_adds_a_tag_once_and_only_to_visible_customers(alice, carol):
    a1 = await make_customer(alice.current, tags=["VIP"])
    a2 = await make_customer(alice.current)
    foreign = await make_customer(carol.current)

    changed = await services.bulk_tag(alice.current, [a1, a2, foreign], "vip")

    rows, _total = await services.list_customers(alice.current, CustomerFilters(tag="vip"))
    assert changed == 1
    assert {r["id"] for r in rows} == {a1, a2}  # tags compare without case
    assert (await get_customer_for_user(carol.current, foreign))["tags"] == ""


async def test_the_list_filters_by_text_phone_and_segment(alice):
    await make_customer(alice.current, "杭州云帆信息技术有限公司", phone="13712345678")
    await make_customer(alice.current, "Other")

    by_name, _n = await services.list_customers(alice.current, CustomerFilters(q="云帆"))
    by_phone, _n = await services.list_customers(alice.current, CustomerFilters(q="137 1234"))
    by_last_digits, _n = await services.list_customers(alice.current, CustomerFilters(q="5678"))
    by_segment, _n = await services.list_customers(alice.current, CustomerFilters(segment="new"))

    assert [r["name"] for r in by_name] == ["杭州云帆信息技术有限公司"]
    assert [r["name"] for r in by_phone] == ["杭州云帆信息技术有限公司"]
    assert [r["name"] for r in by_last_digits] == ["杭州云帆信息技术有限公司"]
    assert len(by_segment) == 2


async def test_customer_choices_and_name_respect_the_wall(alice, carol):
    customer_id = await make_customer(alice.current, "Choice Co", city="上海")

    assert (customer_id, "Choice Co (上海)") in await services.customer_choices(
        alice.current, "choice"
    )
    assert await services.customer_choices(carol.current) == []
    assert (
        await customer_access.get_customer_name_for_user(alice.current, customer_id) == "Choice Co"
    )
    with pytest.raises(NotFound):
        await customer_access.get_customer_name_for_user(carol.current, customer_id)
