"""Case events: one row per step, notified by a job enqueued only after the commit."""

from __future__ import annotations

from collections.abc import Sequence

from portal.auth.schemas import CurrentUser
from portal.lib import jobs
from portal.lib.clock import now
from portal.support.constants import EventKind
from portal.support.tables import CaseEvent


def _actor_name(actor: CurrentUser) -> str:
    return actor.name or actor.email


async def _event(
    case_id: int,
    kind: EventKind,
    actor: CurrentUser | None,
    *,
    from_status: str = "",
    to_status: str = "",
    detail: str = "",
    internal: bool = False,
    message_id: int | None = None,
    notify: bool = True,
    actor_name: str = "",
) -> int:
    moment = now()
    rows = await CaseEvent.insert(
        CaseEvent(
            support_case=case_id,
            kind=kind,
            from_status=from_status,
            to_status=to_status,
            actor_id=actor.id if actor else None,
            actor_name=_actor_name(actor) if actor else actor_name,
            is_internal=internal,
            detail=detail[:4000],
            message=message_id,
            at=moment,
            notified_at=None if notify else moment,
        )
    ).returning(CaseEvent.id)
    return int(rows[0]["id"])


async def _notify(event_ids: Sequence[int]) -> None:
    """After the commit: the e-mails (and bell notifications) of these steps."""
    for event_id in event_ids:
        await jobs.enqueue("notify_case_event", event_id, job_id=f"case-event:{event_id}")
