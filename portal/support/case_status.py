"""Case status moves: allowed transitions only, SLA ladder shifted by exactly each pause."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.db import write_transaction
from portal.lib import jobs
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.settings import get_settings
from portal.support import policy as policies
from portal.support import sla
from portal.support.case_events import _event
from portal.support.constants import RUNNING, TRANSITIONS, CaseStatus, EventKind
from portal.support.tables import SupportCase


class StatusConflict(FormError):
    """The case is not in a status that allows this step (shown as 409 on the API)."""

    def __init__(self, message: str) -> None:
        super().__init__({"": message})
        self.message = message


async def _resume_columns(case: dict[str, Any], moment: dt.datetime) -> dict[Any, Any]:
    """Columns that restart the clock: the pause is added and the ladder moves accordingly."""
    policy = await policies.load_policy()
    paused = int(case["paused_minutes"])
    if case["paused_at"] is not None:
        paused += sla.business_minutes_between(policy.calendar, case["paused_at"], moment)
    return _ladder_columns(policy, case, paused) | {
        SupportCase.paused_at: None,
        SupportCase.paused_minutes: paused,
    }


def _ladder_columns(policy: policies.Policy, case: dict[str, Any], paused: int) -> dict[Any, Any]:
    """The six instants of the ladder: each threshold's share of its target, plus the pauses."""
    cal, start = policy.calendar, case["created_at"]
    fr, res = int(case["first_response_target"]), int(case["resolution_target"])

    def at(target: int, percent: int) -> dt.datetime:
        return sla.add_business_minutes(cal, start, max(1, target * percent // 100) + paused)

    return {
        SupportCase.fr_warn_at: at(fr, policy.warn_percent),
        SupportCase.fr_due_at: at(fr, 100),
        SupportCase.fr_second_at: at(fr, policy.second_breach_percent),
        SupportCase.res_warn_at: at(res, policy.warn_percent),
        SupportCase.res_due_at: at(res, 100),
        SupportCase.res_second_at: at(res, policy.second_breach_percent),
    }


async def _set_status(case: dict[str, Any], to: CaseStatus, moment: dt.datetime) -> dict[Any, Any]:
    """The column changes for a status change (pause, resume, resolution facts)."""
    current = CaseStatus(case["status"])
    if to not in TRANSITIONS[current]:
        raise StatusConflict(_("This case cannot move from its current status to that one."))
    values: dict[Any, Any] = {SupportCase.status: to, SupportCase.updated_at: moment}
    running_before = current in RUNNING
    running_after = to in RUNNING
    if running_before and not running_after:
        values[SupportCase.paused_at] = moment
    if not running_before and running_after:
        values |= await _resume_columns(case, moment)
    if to == CaseStatus.RESOLVED or (to == CaseStatus.CLOSED and case["resolved_at"] is None):
        policy = await policies.load_policy()
        paused = int(case["paused_minutes"])
        if not running_before and case["paused_at"] is not None:
            paused += sla.business_minutes_between(policy.calendar, case["paused_at"], moment)
        spent = sla.business_minutes_between(policy.calendar, case["created_at"], moment)
        values[SupportCase.resolved_at] = moment
        values[SupportCase.resolution_minutes] = max(spent - paused, 0)
        values[SupportCase.resolved_within_sla] = (
            case["res_due_at"] is None or moment <= case["res_due_at"]
        )
    if to == CaseStatus.CLOSED:
        values[SupportCase.closed_at] = moment
    if to == CaseStatus.OPEN and current in (CaseStatus.RESOLVED, CaseStatus.CLOSED):
        values[SupportCase.resolved_at] = None
        values[SupportCase.resolution_minutes] = None
        values[SupportCase.resolved_within_sla] = None
        values[SupportCase.closed_at] = None
        values[SupportCase.reopen_count] = SupportCase.reopen_count + 1
    return values


async def _write_status(case: dict[str, Any], values: dict[Any, Any]) -> None:
    """Apply the change only if nobody moved the case meanwhile (conditional UPDATE)."""
    changed = (
        await SupportCase.update(values)
        .where((SupportCase.id == case["id"]) & (SupportCase.status == case["status"]))
        .returning(SupportCase.id)
    )
    if not changed:
        raise StatusConflict(_("Someone else changed this case meanwhile; reload the page."))


def reopen_deadline(case: dict[str, Any]) -> dt.datetime | None:
    """Until when the partner may reopen a resolved or closed case."""
    if case["resolved_at"] is None:
        return None
    return case["resolved_at"] + dt.timedelta(days=get_settings().support_reopen_days)


def can_reopen(case: dict[str, Any], at: dt.datetime | None = None) -> bool:
    until = reopen_deadline(case)
    return (
        case["status"] in (CaseStatus.RESOLVED, CaseStatus.CLOSED)
        and until is not None
        and (at or now()) <= until
    )


async def close_expired_resolutions(limit: int = 500) -> list[int]:
    """Resolved cases whose reopen window passed become closed (set-based claim); their ids."""
    cutoff = now() - dt.timedelta(days=get_settings().support_reopen_days)
    rows = (
        await SupportCase.select(SupportCase.id)
        .where((SupportCase.status == CaseStatus.RESOLVED) & (SupportCase.resolved_at < cutoff))
        .order_by(SupportCase.id)
        .limit(limit)
    )
    ids = [int(r["id"]) for r in rows]
    if not ids:
        return []
    moment = now()
    async with write_transaction():
        closed = (
            await SupportCase.update(
                {
                    SupportCase.status: CaseStatus.CLOSED,
                    SupportCase.closed_at: moment,
                    SupportCase.updated_at: moment,
                }
            )
            .where(SupportCase.id.is_in(ids) & (SupportCase.status == CaseStatus.RESOLVED))
            .returning(SupportCase.id)
        )
        closed_ids = [int(r["id"]) for r in closed]
        for case_id in closed_ids:
            await _event(
                case_id,
                EventKind.STATUS,
                None,
                from_status=CaseStatus.RESOLVED,
                to_status=CaseStatus.CLOSED,
                detail="reopen window passed",
                actor_name="system",
                notify=False,
            )
    for case_id in closed_ids:
        await jobs.enqueue("request_case_csat", case_id, job_id=f"case-csat:{case_id}")
    return closed_ids
