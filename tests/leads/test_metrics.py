"""Scorecard metrics of leads: acceptance rate and time to accept (working hours), and their
drill-down rows."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from portal.deals import lead_answers
from portal.lib import clock
from portal.performance import views
from portal.performance.periods import Period
from tests.leads.factories import make_lead, make_rule
from tests.performance.factories import local


async def test_acceptance_rate_and_time_to_accept_with_their_rows(
    as_user, time_travel, partner_a, alice, vera
):
    closed = Period.containing(clock.today()).previous
    weekday = next(
        closed.start + dt.timedelta(days=n)
        for n in range(9, 20)
        if (closed.start + dt.timedelta(days=n)).weekday() < 3
    )
    back_to = clock.now()
    time_travel.move_to(local(weekday, 10))
    await make_rule(vera.current)
    taken, passed = await make_lead(vera.current, "SH"), await make_lead(vera.current, "SH")
    await make_lead(vera.current, "SH")  # still waiting: not answered, not counted
    time_travel.move_to(local(weekday, 12))
    await lead_answers.accept_lead(alice.current, taken)
    await lead_answers.decline_lead(alice.current, passed, "没有安装团队")
    time_travel.move_to(back_to)

    card = await views.scorecard(partner_a, closed)
    assert card["kpi"]["lead_acceptance_rate"]["value"] == pytest.approx(0.5)
    assert card["kpi"]["lead_accept_hours"]["value"] == pytest.approx(2.0)

    client = await as_user(vera)
    page = await client.get(
        f"/console/performance/partners/{partner_a}/figures/lead_acceptance_rate"
        f"?period={closed.code}&kind={closed.kind.value}"
    )
    assert page.status_code == 200
    assert int(re.search(r'data-rows="(\d+)"', page.text)[1]) == 2
    assert page.text.count("<td>✓</td>") == 1
    mine = await (await as_user(alice)).get(
        f"/performance/figures/lead_accept_hours?period={closed.code}&kind={closed.kind.value}"
    )
    assert mine.status_code == 200 and f"/leads/{taken}" in mine.text


async def test_a_partner_without_accepted_leads_has_no_time_to_accept(partner_a):
    # a median of nothing is no figure: the scorecard and the PDF show "—", never "0 hours"
    card = await views.scorecard(partner_a, Period.containing(clock.today()).previous)
    assert card["kpi"]["lead_accept_hours"]["value"] is None
    assert card["kpi"]["lead_accept_hours"]["display"] == "—"
