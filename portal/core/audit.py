"""Writing and reading the audit log; the only code that touches audit_log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from portal.core.tables import AuditEntry
from portal.lib import clock
from portal.lib.clock import now


class ActorLike(Protocol):
    id: int
    email: str
    ip: str


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (values or {}).items():
        if isinstance(value, dt.datetime | dt.date):
            out[key] = value.isoformat()
        elif hasattr(value, "value") and not isinstance(value, int | str):
            out[key] = value.value
        else:
            out[key] = value
    return out


async def record(
    action: str,
    *,
    actor: ActorLike | None = None,
    actor_email: str = "",
    partner_id: int | None = None,
    target_type: str = "",
    target_id: int | str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: str = "",
    ip: str = "",
) -> None:
    """Append one entry; call inside the transaction of the change it describes."""
    await AuditEntry.insert(
        AuditEntry(
            at=now(),
            actor_id=actor.id if actor else None,
            actor_email=actor.email if actor else actor_email,
            partner_id=partner_id,
            action=action,
            target_type=target_type,
            target_id="" if target_id is None else str(target_id),
            ip=(actor.ip if actor else "") or ip,
            before=_jsonable(before),
            after=_jsonable(after),
            detail=detail[:2000],
        )
    )


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value changed, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""
    partner_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    page: int = 1
    per_page: int = 50


async def list_entries(
    filters: AuditFilters, *, with_total: bool = True
) -> tuple[list[dict[str, Any]], int]:
    """A page of entries, newest first, and the total count for the filters (0 when not
    `with_total`: a page that shows only the latest entry skips the count)."""
    where = []
    if filters.action:
        where.append(AuditEntry.action.like(f"{filters.action}%"))
    if filters.actor:
        where.append(AuditEntry.actor_email.ilike(f"%{filters.actor}%"))
    if filters.partner_id:
        where.append(AuditEntry.partner_id == filters.partner_id)
    if filters.since:
        where.append(AuditEntry.at >= clock.day_start(filters.since))
    if filters.until:
        end = clock.day_start(filters.until + dt.timedelta(days=1))
        where.append(AuditEntry.at < end)
    query = AuditEntry.select().order_by(AuditEntry.id, ascending=False)
    count = AuditEntry.count()
    if where:
        query = query.where(*where)
        count = count.where(*where)
    rows = await query.limit(filters.per_page).offset((filters.page - 1) * filters.per_page)
    return rows, (await count if with_total else 0)


async def list_actions() -> list[str]:
    rows = await AuditEntry.select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    return [r["action"] for r in rows]
