"""Constraints and indexes the table classes cannot declare portably.

- One escalation step per (case, deadline, level): the minute job inserts with ON CONFLICT DO
  NOTHING, so two runs, or two workers, never escalate twice.
- One SLA target per priority and tier (COALESCE makes the tier-less row unique too), one
  membership per team and user.
- CHECK constraints: ladder levels 0..3, counters never negative, CSAT 1..5, working hours inside
  the day. PostgreSQL adds them with ALTER TABLE; SQLite rebuilds the (still empty) tables with the
  CHECK in their definition, as the orders migration does.
- Partial indexes for the escalation job, one per rung: only cases whose clock runs and that have
  not reached that rung are in them, so each of its statements reads only the cases that are due.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from portal.orders.piccolo_migrations.orders_2026_11_22t09_01_22_000000 import _sqlite_add_check

ID = "2026-11-26T23:55:05:000000"
VERSION = "1.38.0"
DESCRIPTION = "support: unique escalation steps, CHECK constraints, job indexes"

CHECKS = [
    (
        "support_case",
        "support_case_counters",
        "fr_level BETWEEN 0 AND 3 AND res_level BETWEEN 0 AND 3 AND vendor_replies >= 0"
        " AND reopen_count >= 0 AND (csat_score IS NULL OR csat_score BETWEEN 1 AND 5)"
        " AND first_response_target > 0 AND resolution_target > 0",
    ),
    ("case_escalation", "case_escalation_level", "level BETWEEN 1 AND 3"),
    (
        "support_calendar",
        "support_calendar_hours",
        "start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute"
        " AND warn_percent BETWEEN 1 AND 99 AND second_breach_percent >= 101",
    ),
    (
        "sla_target",
        "sla_target_positive",
        "first_response_minutes > 0 AND resolution_minutes >= first_response_minutes",
    ),
]

RUNNING = "status IN ('new', 'open')"
INDEXES = [
    "CREATE UNIQUE INDEX case_escalation_step ON case_escalation"
    " (support_case, deadline, level)",
    "CREATE UNIQUE INDEX sla_target_priority_tier ON sla_target (priority, COALESCE(tier, 0))",
    "CREATE UNIQUE INDEX support_team_member_unique ON support_team_member (team, user_id)",
    "CREATE UNIQUE INDEX case_message_email_id ON case_message (email_message_id)",
    "CREATE INDEX support_case_partner_id ON support_case (partner, id)",
    "CREATE INDEX support_case_status_assignee ON support_case (status, assignee_id)",
    # the queues sort by the resolution deadline: walk this index instead of sorting every row
    "CREATE INDEX support_case_res_due_id ON support_case (res_due_at, id)",
    "CREATE INDEX case_event_case_id ON case_event (support_case, id)",
    "CREATE INDEX case_message_case_id ON case_message (support_case, id)",
    "CREATE INDEX case_escalation_unnotified ON case_escalation (id) WHERE notified_at IS NULL",
]
# One partial index per rung: only running cases that have not reached that rung yet are in it,
# so a case leaves the index the moment it is escalated and the minute job reads only due cases.
for column, level_column, level, extra in (
    ("fr_warn_at", "fr_level", 1, " AND first_responded_at IS NULL"),
    ("fr_due_at", "fr_level", 2, " AND first_responded_at IS NULL"),
    ("fr_second_at", "fr_level", 3, " AND first_responded_at IS NULL"),
    ("res_warn_at", "res_level", 1, ""),
    ("res_due_at", "res_level", 2, ""),
    ("res_second_at", "res_level", 3, ""),
):
    INDEXES.append(
        f"CREATE INDEX support_case_{column}_running ON support_case ({column})"
        f" WHERE {RUNNING} AND {level_column} < {level}{extra}"
    )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="support", description=DESCRIPTION)

    async def run():
        from portal.support.tables import SupportCase

        sqlite = SupportCase._meta.db.engine_type == "sqlite"
        for tablename, name, condition in CHECKS:
            if sqlite:
                await _sqlite_add_check(SupportCase, tablename, name, condition)
            else:
                await SupportCase.raw(
                    f'ALTER TABLE "{tablename}" ADD CONSTRAINT {name} CHECK ({condition})'
                )
        for sql in INDEXES:
            await SupportCase.raw(sql)

    manager.add_raw(run)
    return manager
