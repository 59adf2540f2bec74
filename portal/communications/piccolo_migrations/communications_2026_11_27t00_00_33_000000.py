"""Constraints and indexes the table classes cannot declare portably.

- One automatic request per (subject, subject_id) (manual requests have no subject id).
- Composite unique indexes make every fan-out idempotent: one recipient per (campaign, partner)
  and (request, partner), one delivery per (campaign, user), one notification per (user, ref),
  one response per (request, respondent), one answer per (response, question), one reminder per
  (request, user).
- A CHECK keeps stored scores within 0..10 (the service refuses out-of-range answers first).
  SQLite has no ADD CONSTRAINT: the (still empty) table is rebuilt with the CHECK, as in orders.
- Composite indexes for the bell (a user's unread entries) and the activity and results queries.
"""

import re

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-27T00:00:33:000000"
VERSION = "1.38.0"
DESCRIPTION = "communications: composite unique indexes and answer CHECK"

CHECKS = [
    ("feedback_answer", "feedback_answer_value_range", "value IS NULL OR (value >= 0 AND value <= 10)"),
]

INDEXES = [
    "CREATE UNIQUE INDEX campaign_recipient_campaign_partner ON campaign_recipient (campaign, partner)",
    'CREATE UNIQUE INDEX campaign_delivery_campaign_user ON campaign_delivery (campaign, "user")',
    'CREATE UNIQUE INDEX notification_user_ref ON notification ("user", dedup_key)',
    'CREATE INDEX notification_user_read ON notification ("user", read_at, id)',
    "CREATE INDEX campaign_activity_campaign_kind ON campaign_activity (campaign, kind)",
    "CREATE UNIQUE INDEX feedback_recipient_request_partner ON feedback_recipient (request, partner)",
    "CREATE UNIQUE INDEX feedback_response_request_respondent ON feedback_response (request, respondent)",
    "CREATE UNIQUE INDEX feedback_answer_response_question ON feedback_answer (response, question)",
    'CREATE UNIQUE INDEX feedback_reminder_request_user ON feedback_reminder (request, "user")',
    "CREATE UNIQUE INDEX feedback_request_subject ON feedback_request (subject, subject_id)",
]


async def _sqlite_add_check(table, tablename: str, name: str, condition: str) -> None:
    rows = await table.raw(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = {}", tablename
    )
    create = rows[0]["sql"]
    indexes = await table.raw(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = {} AND sql IS NOT NULL",
        tablename,
    )
    body, _sep, _tail = create.rpartition(")")
    new_table = f"{tablename}__new"
    new_create = re.sub(
        rf'^CREATE TABLE\s+"?{tablename}"?',
        f'CREATE TABLE "{new_table}"',
        body + f", CONSTRAINT {name} CHECK ({condition}))",
        count=1,
    )
    await table.raw(new_create)
    await table.raw(f'INSERT INTO "{new_table}" SELECT * FROM "{tablename}"')
    await table.raw(f'DROP TABLE "{tablename}"')
    await table.raw(f'ALTER TABLE "{new_table}" RENAME TO "{tablename}"')
    for index in indexes:
        await table.raw(index["sql"])


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="communications", description=DESCRIPTION)

    async def run():
        from portal.communications.feedback.tables import FeedbackAnswer

        sqlite = FeedbackAnswer._meta.db.engine_type == "sqlite"
        for tablename, name, condition in CHECKS:
            if sqlite:
                await _sqlite_add_check(FeedbackAnswer, tablename, name, condition)
            else:
                await FeedbackAnswer.raw(
                    f'ALTER TABLE "{tablename}" ADD CONSTRAINT {name} CHECK ({condition})'
                )
        for sql in INDEXES:
            await FeedbackAnswer.raw(sql)

    manager.add_raw(run)
    return manager
