"""The escalation ladder: warning, breach to the team lead, second breach to the admins; a
minute job that can run twice; paused cases do not escalate; figures for the scorecards."""

from __future__ import annotations

import datetime as dt

from portal.core.tables import OutboundEmail
from portal.lib import clock, jobs
from portal.support import services
from portal.support.constants import CaseStatus
from portal.support.escalation import check_deadlines
from portal.support.figures import case_figures
from portal.support.jobs import check_case_deadlines
from portal.support.tables import CaseEscalation, CaseEvent
from tests.support.factories import case_row, make_case, make_team


async def test_nothing_escalates_before_the_warning_threshold(alice):
    case = await case_row(await make_case(alice))

    result = await check_deadlines(case["fr_warn_at"] - dt.timedelta(seconds=1))

    assert result.escalations == 0


async def test_the_warning_goes_to_the_assignee_once_even_when_the_job_runs_twice(alice, manny):
    case = await case_row(await make_case(alice))
    moment = case["fr_warn_at"] + dt.timedelta(seconds=1)

    first = await check_deadlines(moment)
    second = await check_deadlines(moment)

    assert first.escalations == 1 and second.escalations == 0
    steps = await CaseEscalation.select().where(CaseEscalation.support_case == case["id"])
    assert [(s["deadline"], s["level"]) for s in steps] == [("first_response", 1)]
    assert (await case_row(case["id"]))["fr_level"] == 1


async def test_a_breach_goes_to_the_team_lead_and_a_second_breach_to_the_admins(
    alice, vera, make_user_fn
):
    sam = await make_user_fn("sam@vendor.test")
    lead = await make_user_fn("lead@vendor.test")
    team = await make_team("Tech", lead=lead, members=[sam])
    case_id = await make_case(alice)
    await services.assign(vera.current, case_id, sam.id, team)
    case = await case_row(case_id)
    await jobs.drain()

    await check_deadlines(case["fr_due_at"] + dt.timedelta(seconds=1))
    from portal.support.emails import notify_escalation
    from portal.support.escalation import unnotified

    for step in await unnotified():
        await notify_escalation(step)
    await check_deadlines(case["fr_second_at"] + dt.timedelta(seconds=1))
    for step in await unnotified():
        await notify_escalation(step)
    await jobs.drain()

    kinds = {
        (m["to_address"], m["kind"])
        for m in await OutboundEmail.select().where(OutboundEmail.kind == "case_escalation")
    }
    assert ("lead@vendor.test", "case_escalation") in kinds
    assert ("sam@vendor.test", "case_escalation") in kinds
    assert (vera.email, "case_escalation") in kinds
    assert (await case_row(case_id))["fr_level"] == 3
    events = await CaseEvent.select().where(
        (CaseEvent.support_case == case_id) & (CaseEvent.kind == "escalated")
    )
    assert len(events) == 3 and all(e["is_internal"] for e in events)


async def test_a_case_waiting_on_the_partner_does_not_escalate(alice, vera):
    case_id = await make_case(alice)
    await services.reply(vera.current, case_id, "Which firmware?", then=CaseStatus.WAITING)
    case = await case_row(case_id)

    result = await check_deadlines(case["res_second_at"] + dt.timedelta(days=1))

    assert result.escalations == 0


async def test_the_first_response_deadline_stops_counting_after_the_first_reply(alice, vera):
    case_id = await make_case(alice)
    await services.reply(vera.current, case_id, "On it.")
    case = await case_row(case_id)

    await check_deadlines(case["fr_second_at"] + dt.timedelta(seconds=1))

    steps = await CaseEscalation.select(CaseEscalation.deadline).where(
        CaseEscalation.support_case == case_id
    )
    assert {s["deadline"] for s in steps} <= {"resolution"}


async def test_the_minute_job_escalates_and_notifies(alice, manny):
    from portal.support.tables import SupportCase

    case_id = await make_case(alice)
    past = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    await SupportCase.update({SupportCase.fr_warn_at: past}).where(SupportCase.id == case_id)

    written = await check_case_deadlines({"inline": True})
    await jobs.drain()

    assert written == 1
    assert await OutboundEmail.exists().where(
        (OutboundEmail.kind == "case_escalation") & (OutboundEmail.to_address == manny.email)
    )


async def test_case_figures_count_opened_resolved_and_sla_per_partner(
    alice, carol, vera, partner_a, partner_b
):
    a1 = await make_case(alice)
    await make_case(alice)
    await make_case(carol)
    await services.reply(vera.current, a1, "Fixed.", then=CaseStatus.RESOLVED)
    today = clock.today()

    figures = await case_figures(None, today - dt.timedelta(days=1), today + dt.timedelta(days=2))
    only_a = await case_figures(
        [partner_a], today - dt.timedelta(days=1), today + dt.timedelta(days=2)
    )

    assert figures[partner_a].cases_opened == 2
    assert figures[partner_a].cases_resolved == 1
    assert figures[partner_a].sla_met == 1
    assert figures[partner_a].first_contact_resolved == 1
    assert figures[partner_a].first_response_minutes_avg is not None
    assert figures[partner_b].cases_opened == 1
    assert set(only_a) == {partner_a}
    assert await case_figures([], today, today) == {}
