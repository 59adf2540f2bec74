"""Constraints and indexes the table classes cannot declare portably.

- CHECK constraints: a customer's counters and revenue are never negative; an interaction's
  summary is never empty. PostgreSQL adds them with ALTER TABLE; SQLite has no ADD CONSTRAINT, so
  the (still empty) tables are rebuilt with the CHECK in their definition, following SQLite's
  documented procedure (create new, copy, drop, rename, re-create indexes).
- A unique (user, sent_on) index: one follow-up digest per user and day, whatever runs twice.
- Composite indexes for the customer list (newest, name, last contact, segment, owner, next
  follow-up, revenue within a partner), the duplicate checks (partner + phone, e-mail, name), the
  timeline (customer + time), the activity figures (partner + time) and follow-up queues.
"""

import re

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-27T00:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "customer CHECK constraints, unique digest per day, list and duplicate indexes"

CHECKS = [
    (
        "customer",
        "customer_counters_not_negative",
        "interaction_count >= 0 AND order_count >= 0 AND revenue_amount >= 0",
    ),
    ("customer_interaction", "customer_interaction_summary", "length(summary) > 0"),
]

INDEXES = [
    'CREATE UNIQUE INDEX followup_digest_user_day ON followup_digest ("user", sent_on)',
    "CREATE INDEX customer_partner_id ON customer (partner, id)",
    "CREATE INDEX customer_partner_name ON customer (partner, name_key)",
    "CREATE INDEX customer_partner_last_contact ON customer (partner, last_contact_at)",
    "CREATE INDEX customer_partner_segment ON customer (partner, segment, id)",
    "CREATE INDEX customer_partner_owner ON customer (partner, owner, id)",
    "CREATE INDEX customer_partner_followup ON customer (partner, next_followup_on)",
    "CREATE INDEX customer_partner_created ON customer (partner, created_at)",
    "CREATE INDEX customer_partner_revenue ON customer (partner, revenue_amount)",
    "CREATE INDEX customer_contact_partner_phone ON customer_contact (partner, phone_key)",
    "CREATE INDEX customer_contact_partner_email ON customer_contact (partner, email)",
    "CREATE INDEX customer_interaction_customer_at ON customer_interaction (customer, occurred_at)",
    "CREATE INDEX customer_interaction_partner_at ON customer_interaction (partner, occurred_at)",
    "CREATE INDEX customer_interaction_followup"
    " ON customer_interaction (assignee, followup_done_at, followup_on)",
    "CREATE INDEX customer_interaction_partner_followup"
    " ON customer_interaction (partner, followup_on)",
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
    manager = MigrationManager(migration_id=ID, app_name="customers", description=DESCRIPTION)

    async def run():
        from portal.customers.tables import Customer

        sqlite = Customer._meta.db.engine_type == "sqlite"
        for tablename, name, condition in CHECKS:
            if sqlite:
                await _sqlite_add_check(Customer, tablename, name, condition)
            else:
                await Customer.raw(
                    f'ALTER TABLE "{tablename}" ADD CONSTRAINT {name} CHECK ({condition})'
                )
        for sql in INDEXES:
            await Customer.raw(sql)

    manager.add_raw(run)
    return manager
