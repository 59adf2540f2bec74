"""activity_figures: per-partner customer activity for the scorecards, in a fixed few queries."""

from __future__ import annotations

import datetime as dt

from portal.customers.services import activity_figures
from portal.customers.tables import Customer, Interaction
from portal.lib import clock
from portal.lib.clock import now
from tests.customers.factories import log_contact, make_customer


async def test_figures_count_customers_contacts_channels_and_users_per_partner(alice, bob, carol):
    a1 = await make_customer(alice.current)
    a2 = await make_customer(bob.current)
    await Customer.update({Customer.created_at: now() - dt.timedelta(days=100)}).where(
        Customer.id == a2
    )
    await make_customer(carol.current)
    await log_contact(alice.current, a1, channel="phone")
    await log_contact(bob.current, a1, channel="wechat")
    await log_contact(bob.current, a2, channel="wechat", days_ago=40)  # before the period

    today = clock.today()
    figures = await activity_figures(
        None, today - dt.timedelta(days=30), today + dt.timedelta(days=1)
    )

    a = figures[alice.partner_id]
    assert (a.customers_total, a.customers_new, a.customers_active) == (2, 1, 1)
    assert a.interactions == 2 and a.interactions_by_channel == {"phone": 1, "wechat": 1}
    assert a.active_users == 2
    assert figures[carol.partner_id].customers_total == 1


async def test_followups_done_after_their_day_are_not_on_time(alice):
    customer_id = await make_customer(alice.current)
    early = await log_contact(alice.current, customer_id, days_ago=10, followup_in_days=2)
    await log_contact(alice.current, customer_id, days_ago=9)  # closes it a day later: on time
    late = await log_contact(alice.current, customer_id, days_ago=8, followup_in_days=1)
    await Interaction.update({Interaction.followup_done_at: now() - dt.timedelta(days=2)}).where(
        Interaction.id == late
    )

    today = clock.today()
    f = (
        await activity_figures(
            [alice.partner_id], today - dt.timedelta(days=30), today + dt.timedelta(days=1)
        )
    )[alice.partner_id]

    assert (f.followups_due, f.followups_done_on_time) == (2, 1)
    assert early


async def test_no_partners_no_figures():
    assert await activity_figures([], dt.date(2026, 1, 1), dt.date(2026, 2, 1)) == {}


def test_the_console_period_picker_gives_half_open_ranges():
    from portal.customers.console import period_bounds

    today = dt.date(2026, 11, 27)
    assert period_bounds("30d", today) == (dt.date(2026, 10, 29), dt.date(2026, 11, 28), "30d")
    assert period_bounds("quarter", today)[0] == dt.date(2026, 10, 1)
    assert period_bounds("month", today)[0] == dt.date(2026, 11, 1)
    custom = period_bounds("30d", today, "2026-01-01", "2026-03-31")
    assert custom == (dt.date(2026, 1, 1), dt.date(2026, 4, 1), "custom")
    assert period_bounds("30d", today, "2026-05-01", "2026-01-01")[2] == "30d"  # reversed: ignored


async def test_a_contact_logged_after_16_utc_counts_on_the_shanghai_day(alice, time_travel):
    time_travel.move_to(dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC))  # 1 December in Shanghai
    customer_id = await make_customer(alice.current)
    await log_contact(alice.current, customer_id, channel="phone")

    december = await activity_figures([alice.partner_id], dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    november = await activity_figures(
        [alice.partner_id], dt.date(2026, 11, 1), dt.date(2026, 12, 1)
    )

    assert december[alice.partner_id].interactions == 1
    assert november.get(alice.partner_id) is None or november[alice.partner_id].interactions == 0
