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
from portal.support.constants import BREACH, SECOND_BREACH, WARNING, Deadline
from portal.support.tables import CaseEscalation, SupportCase

RUNNING = "status IN ('new', 'open')"
BATCH = 5000  # cases per statement: a catch-up after an outage goes in bounded steps

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
                # The partial index predicate is repeated verbatim so both databases can use it;
                # ORDER BY + LIMIT makes the planner walk that index and stop at the first
                # instant still ahead (statistics cannot tell it how few entries are due).
                due = (
                    f"SELECT id FROM support_case WHERE {RUNNING} AND {level_column} < {level}"  # noqa: S608
                    f"{extra} AND {column} <= {{}} ORDER BY {column} LIMIT {BATCH}"
                )
                count = 0
                while True:
                    inserted = await SupportCase.raw(
                        "INSERT INTO case_escalation"  # noqa: S608 (constants and {} placeholders only)
                        " (support_case, deadline, level, due_at, at, notified_at,"
                        " notify_lease_until)"
                        f" SELECT id, '{deadline.value}', {level}, {column}, {{}}, NULL, NULL"
                        f" FROM support_case WHERE id IN ({due})"
                        " ON CONFLICT (support_case, deadline, level) DO NOTHING RETURNING id",
                        moment,
                        moment,
                    )
                    raised = await SupportCase.raw(
                        f"UPDATE support_case SET {level_column} = {level}"  # noqa: S608
                        f" WHERE id IN ({due}) RETURNING id",
                        moment,
                    )
                    count += len(inserted)
                    if len(raised) < BATCH:
                        break
                by_level[f"{deadline.value}:{level}"] = count
                total += count
        if total:
            # The timeline entries of this run's steps, in one statement (vendor-only events).
            await SupportCase.raw(
                "INSERT INTO case_event (support_case, kind, from_status, to_status, actor_id,"
                " actor_name, is_internal, detail, message, at, notified_at, notify_lease_until)"
                " SELECT support_case, 'escalated', '', '', NULL, 'system', {}, deadline || ':' ||"
                " CAST(level AS VARCHAR(1)), NULL, at, at, NULL FROM case_escalation WHERE at = {}",
                True,
                moment,
            )
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
