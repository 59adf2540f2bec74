"""Constraints the table classes cannot declare portably.

- CHECK constraints, the second wall behind the allocation code: a receivable is never paid
  beyond its amount, a payment never allocated beyond its amount, amounts never negative.
  PostgreSQL adds them with ALTER TABLE; SQLite rebuilds the (still empty) tables with the CHECK
  in their definition, as the orders migration does.
- ledger_entry and payment_allocation are append-only: the database refuses UPDATE and DELETE
  (triggers, as on audit_log), so a correction can only be a new row.
- Composite indexes for a partner's open receivables (oldest first) and its ledger by date.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from portal.orders.piccolo_migrations.orders_2026_11_22t09_01_22_000000 import _sqlite_add_check

ID = "2026-12-03T06:19:18:000000"
VERSION = "1.38.0"
DESCRIPTION = "finance: CHECK constraints, append-only ledger and allocations, indexes"

CHECKS = [
    ("receivable", "receivable_amounts", "amount >= 0 AND paid_amount >= 0 AND paid_amount <= amount"),
    (
        "payment",
        "payment_amounts",
        "amount > 0 AND allocated_amount >= 0 AND allocated_amount <= amount",
    ),
    ("payment_allocation", "payment_allocation_amount", "amount > 0"),
]

APPEND_ONLY = ["ledger_entry", "payment_allocation"]

INDEXES = [
    "CREATE INDEX receivable_partner_due ON receivable (partner, due_on, id)",
    "CREATE INDEX payment_partner_paid ON payment (partner, paid_on, id)",
    "CREATE INDEX ledger_entry_partner_posted ON ledger_entry (partner, posted_on, id)",
]


def _postgres_append_only(table: str) -> list[str]:
    return [
        f"""
        CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION '{table} is append-only';
        END;
        $$ LANGUAGE plpgsql
        """,
        f"""
        CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {table}_append_only()
        """,
    ]


def _sqlite_append_only(table: str) -> list[str]:
    return [
        f"""
        CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END
        """,
        f"""
        CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END
        """,
    ]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="finance", description=DESCRIPTION)

    async def run():
        from portal.finance.tables import Receivable

        sqlite = Receivable._meta.db.engine_type == "sqlite"
        for tablename, name, condition in CHECKS:
            if sqlite:
                await _sqlite_add_check(Receivable, tablename, name, condition)
            else:
                await Receivable.raw(
                    f'ALTER TABLE "{tablename}" ADD CONSTRAINT {name} CHECK ({condition})'
                )
        for table in APPEND_ONLY:
            for sql in _sqlite_append_only(table) if sqlite else _postgres_append_only(table):
                await Receivable.raw(sql)
        for sql in INDEXES:
            await Receivable.raw(sql)

    manager.add_raw(run)
    return manager
