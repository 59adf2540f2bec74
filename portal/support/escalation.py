"""The escalation ladder, checked every minute with set-based SQL.

For each deadline (first response, resolution) and rung (warning, breach, second breach) one
INSERT ... SELECT writes a case_escalation row for every running case whose instant passed and
whose ladder is below that rung; the unique index (case, deadline, level) and ON CONFLICT DO
NOTHING make a second run, or a second worker, a no-op. One UPDATE then raises the case's level.
Both statements read the rung's partial index (running cases below that rung only), so the
check costs the number of cases that are due, not the number that are open. Notifications go out
afterwards, from the rows (claimed with a lease), so a crash between the two loses nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.db import write_transaction
from portal.lib.clock import now
from portal.support import queries
from portal.support.constants import BREACH, SECOND_BREACH, WARNING, Deadline
from portal.support.queries import BATCH
from portal.support.tables import CaseEscalation

# (deadline, level column, extra condition, [(level, instant column)])
LADDER = [
    (
        Deadline.FIRST_RESPONSE,
        "fr_level",
        " AND first_responded_at IS NULL",
        [(WARNING, "fr_warn_at"), (BREACH, "fr_due_at"), (SECOND_BREACH, "fr_second_at")],
    ),
    (
        Deadline.RESOLUTION,
        "res_level",
        "",
        [(WARNING, "res_warn_at"), (BREACH, "res_due_at"), (SECOND_BREACH, "res_second_at")],
    ),
]


@dataclass(frozen=True)
class CheckResult:
    escalations: int  # rows written by this run
    by_level: dict[str, int]


async def check_deadlines(at: dt.datetime | None = None) -> CheckResult:
    """Write the escalation steps that are due at `at` (default now); idempotent."""
    moment = at or now()
    by_level: dict[str, int] = {}
    total = 0
    async with write_transaction():
        for deadline, level_column, extra, rungs in LADDER:
            for level, column in rungs:
                count = 0
                while True:
                    inserted, raised = await queries.raise_escalations(
                        deadline, level_column, extra, level, column, moment
                    )
                    count += len(inserted)
                    if len(raised) < BATCH:
                        break
                by_level[f"{deadline.value}:{level}"] = count
                total += count
        if total:
            # The timeline entries of this run's steps, in one statement (vendor-only events).
            await queries.insert_escalation_events(moment)
    return CheckResult(total, by_level)


async def unnotified(limit: int = 200) -> list[int]:
    """Escalation steps whose notification nobody sent yet and nobody is sending now."""
    moment = now()
    rows = (
        await CaseEscalation.select(CaseEscalation.id)
        .where(
            CaseEscalation.notified_at.is_null()
            & (
                CaseEscalation.notify_lease_until.is_null()
                | (CaseEscalation.notify_lease_until < moment)
            )
        )
        .order_by(CaseEscalation.id)
        .limit(limit)
    )
    return [int(r["id"]) for r in rows]
