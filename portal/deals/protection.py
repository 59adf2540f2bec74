"""The protection job: reminders 14 and 3 days before a protected deal's last day, once each,
and the release of deals whose protection ended. Set-based and idempotent.

Each part is one conditional UPDATE ... RETURNING (only rows not yet reminded / still approved
match, so a second run, or a second worker, finds nothing) with the events of the rows it
changed inserted in the same transaction; notifications are enqueued after the commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.db import write_transaction
from portal.deals.constants import REMINDER_DAYS, DealStatus, EventKind
from portal.deals.events import announce, stale_event_ids
from portal.deals.tables import Deal, DealEvent
from portal.lib.clock import now, today


@dataclass(frozen=True)
class ProtectionRun:
    reminded: int
    expired: int
    renotified: int


async def _events(
    deal_ids: list[int], kind: EventKind, detail: str, to_status: str = ""
) -> list[int]:
    if not deal_ids:
        return []
    moment = now()
    ids: list[int] = []
    for start in range(0, len(deal_ids), 500):  # keeps each statement under SQLite's limits
        rows = await DealEvent.insert(
            *[
                DealEvent(
                    deal=d,
                    kind=kind,
                    from_status=DealStatus.APPROVED if to_status else "",
                    to_status=to_status,
                    detail=detail,
                    at=moment,
                )
                for d in deal_ids[start : start + 500]
            ]
        ).returning(DealEvent.id)
        ids.extend(int(r["id"]) for r in rows)
    return ids


async def run_protection() -> ProtectionRun:
    """Remind (3 days, then 14 days before the end) and release ended protections."""
    day = today()
    moment = now()
    events: list[int] = []
    late, early = sorted(REMINDER_DAYS)[0], sorted(REMINDER_DAYS)[-1]
    reminded = 0
    async with write_transaction():
        # 3 days: also marks the 14-day reminder done, so a short protection gets one reminder
        rows = await (
            Deal.update({Deal.reminded_3_at: moment, Deal.reminded_14_at: moment})
            .where(
                (Deal.status == DealStatus.APPROVED)
                & Deal.reminded_3_at.is_null()
                & (Deal.protection_until >= day)
                & (Deal.protection_until <= day + dt.timedelta(days=late))
            )
            .returning(Deal.id)
        )
        ids = [int(r["id"]) for r in rows]
        reminded += len(ids)
        events += await _events(ids, EventKind.REMINDER, str(late))
        rows = await (
            Deal.update({Deal.reminded_14_at: moment})
            .where(
                (Deal.status == DealStatus.APPROVED)
                & Deal.reminded_14_at.is_null()
                & (Deal.protection_until >= day)
                & (Deal.protection_until <= day + dt.timedelta(days=early))
            )
            .returning(Deal.id)
        )
        ids = [int(r["id"]) for r in rows]
        reminded += len(ids)
        events += await _events(ids, EventKind.REMINDER, str(early))
        # protection_until is the last protected day: released the day after
        rows = await (
            Deal.update({Deal.status: DealStatus.EXPIRED, Deal.updated_at: moment})
            .where((Deal.status == DealStatus.APPROVED) & (Deal.protection_until < day))
            .returning(Deal.id)
        )
        ids = [int(r["id"]) for r in rows]
        expired = len(ids)
        events += await _events(ids, EventKind.EXPIRED, "", to_status=DealStatus.EXPIRED)
    stale = [e for e in await stale_event_ids() if e not in set(events)]
    await announce(events)
    for event_id in stale:
        await announce([event_id])
    return ProtectionRun(reminded=reminded, expired=expired, renotified=len(stale))
